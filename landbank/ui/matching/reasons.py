"""The reasons of one candidate, criterion by criterion with its key facts: the HTML of the
dialog's detail pane and the window of their own (Enter on a row)."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from landbank.domain.matching import CriterionResult
from landbank.services.matching.export import MatchRow
from landbank.ui.matching.facts import area_text, facts_line, site_facts
from landbank.ui.matching.marks import (
    LABEL_COLOURS,
    MARK_COLOURS,
    criterion_kind_text,
    criterion_score_text,
    legend_label,
)

_CTX = "MatchDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def criteria_rows_html(criteria: Sequence[CriterionResult]) -> str:
    """Table rows: hard constraints first, then the scored criteria."""
    ordered = sorted(criteria, key=lambda c: not c.hard)
    lines = []
    for c in ordered:
        colour = MARK_COLOURS.get(c.mark, "#000")
        lines.append(
            "<tr>"
            f"<td>{escape(c.label)}</td>"
            f"<td style='color:#555'>{escape(criterion_kind_text(c))}</td>"
            f"<td align='center' style='color:{colour}; font-weight:bold'>{escape(c.mark)}</td>"
            f"<td align='right'>{escape(criterion_score_text(c))}</td>"
            f"<td>{escape(c.reason)}</td>"
            "</tr>"
        )
    return "".join(lines)


def criteria_header_html() -> str:
    cells = (
        (_tr("条件"), 12),
        (_tr("类别"), 15),
        (_tr("结果"), 7),
        (_tr("得分"), 11),
        (_tr("理由"), 55),
    )
    return (
        "<tr>"
        + "".join(f"<th bgcolor='#e8eef7' width='{w}%'>{escape(c)}</th>" for c, w in cells)
        + "</tr>"
    )


def detail_html(row: MatchRow, *, sites_direction: bool = True) -> str:
    """The reasons of one candidate, criterion by criterion, with its key facts."""
    colour = LABEL_COLOURS.get(row.label, "#000")
    head = (
        f"<p style='font-size:large'><b>{row.rank}. {escape(row.subject)}</b>　"
        f"{_tr('得分')} <b>{row.score:.1f}</b>　"
        f"<span style='color:{colour}'><b>{escape(row.label)}</b></span></p>"
    )
    if sites_direction:
        if row.is_combination:
            parts = [f"{escape(s.code)} {escape(area_text(s.area, s.unit))}" for s in row.sites]
            facts = _tr("{n} 栋同园区厂房合计 {area}：").format(
                n=len(row.sites), area=area_text(row.area, row.unit)
            ) + "、".join(parts)
            body = f"<p>{facts}</p>"
        else:
            body = f"<p>{escape(facts_line(site_facts(row.sites[0])))}</p>"
    else:
        need = area_text(row.area, row.unit)
        body = f"<p>{escape(_tr('承办县区'))} {escape(row.region or '—')}"
        if need:
            body += f"；{escape(_tr('需求'))} {escape(need)}"
        body += "</p>"
    body += "".join(f"<p style='color:#c62828'>⚠ {escape(n)}</p>" for n in row.notes)
    table = (
        "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#bbb; border-collapse:collapse' width='100%'>"
        + criteria_header_html()
        + criteria_rows_html(row.criteria)
        + "</table>"
    )
    return head + body + table + standard_html(row)


def standard_html(row: MatchRow) -> str:
    """The parcel's 标准地 indicators for the project, one line each: mark, indicator, the
    requirement, the project's figure on this parcel, where the bound came from."""
    if not row.checks:
        return ""
    industry = row.requirements.industry if row.requirements else None
    head = _tr("标准地指标（按项目产业“{i}”所在县区、园区的标准，地块自身门槛优先）").format(
        i=industry or _tr("未填")
    )
    cells = ((_tr("结果"), 9), (_tr("指标"), 22), (_tr("要求"), 15), (_tr("说明"), 40),
             (_tr("来源"), 14))  # fmt: skip
    lines = [
        "<tr>"
        + "".join(f"<th bgcolor='#e8eef7' width='{w}%'>{escape(c)}</th>" for c, w in cells)
        + "</tr>"
    ]
    for check in row.checks:
        colour = MARK_COLOURS.get(check.mark, "#000")
        lines.append(
            "<tr>"
            f"<td align='center' style='color:{colour}; font-weight:bold'>"
            f"{escape(check.mark)} {escape(check.status.value)}</td>"
            f"<td>{escape(check.label)}</td><td>{escape(check.requirement)}</td>"
            f"<td>{escape(check.reason)}</td><td>{escape(check.source)}</td>"
            "</tr>"
        )
    return (
        f"<p style='margin-top:8px'><b>{escape(head)}</b></p>"
        "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#bbb; "
        "border-collapse:collapse' width='100%'>" + "".join(lines) + "</table>"
    )


class DetailDialog(QDialog):
    """The reasons of one candidate in a window of their own (Enter on a row)."""

    def __init__(self, row: MatchRow, *, sites_direction: bool, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("匹配理由 — {0}").format(row.subject))
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        self.browser = QTextBrowser(self)
        self.browser.setHtml(detail_html(row, sites_direction=sites_direction))
        layout.addWidget(self.browser, 1)
        self.legend = legend_label(self)
        layout.addWidget(self.legend)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(760, 460)
