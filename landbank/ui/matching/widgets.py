"""The parts of the matching dialog that show candidates: the ranked table's model, the
reasons of one candidate (detail pane and its window), and the side-by-side comparison.

Rows are :class:`landbank.services.matching.export.MatchRow` values — the same rows the printout
and the Excel export use — so what the clerk sees, prints and exports cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.enums import FactoryStatus, RecordKind
from landbank.domain.matching import CriterionResult, MatchLabel, legend_lines
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.units import format_quantity
from landbank.services.matching.export import CRITERION_LABELS, MatchRow, criterion_keys, units_of
from landbank.ui.records.references import pinyin_key

_CTX = "MatchDialog"
MARK_COLOURS = {"✓": "#1a7f37", "✗": "#c62828", "△": "#b26a00", "—": "#888888"}
LABEL_COLOURS = {
    MatchLabel.STRONG.value: "#1a7f37",
    MatchLabel.CLOSE_CALL.value: "#b26a00",
    MatchLabel.WEAK.value: "#777777",
}
_MARK_ORDER = {"✓": 0, "△": 1, "✗": 2, "—": 3}
_LABEL_RANK = {MatchLabel.WEAK.value: 0, MatchLabel.CLOSE_CALL.value: 1, MatchLabel.STRONG.value: 2}
MAX_COMPARED = 3
FACT_ROWS = 4  # rows of the comparison before the criteria


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _num(value: float, unit: str) -> str:
    """A quantity in the one format of its unit (亩 and 万元 two decimals, m² whole)."""
    return format_quantity(value, unit)


def area_text(value: float | None, unit: str) -> str:
    """“120.50 亩”, “12,000 m²”; empty for no value."""
    if value is None:
        return ""
    return f"{_num(value, unit)} {unit}"


def place_text(region: str, park: str) -> str:
    return f"{region}·{park}" if region and park else region or park


def legend_label(parent: QWidget, *, blank: bool = False) -> QLabel:
    """What the marks and the labels mean, in two grey lines (``blank``: with the empty cell
    of the ranked table)."""
    label = QLabel("\n".join(legend_lines(blank=blank)), parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def criterion_score_text(c: CriterionResult) -> str:
    """A soft criterion's score as a percentage; hard ones are met or not (no score)."""
    if c.hard:
        if c.passed is None:
            return _tr("未评")
        return _tr("必须满足")
    return f"{(c.score or 0.0) * 100:.0f}%"


def criterion_kind_text(c: CriterionResult) -> str:
    if c.hard:
        return _tr("硬性条件")
    return _tr("评分·权重 {w}").format(w=f"{c.weight:g}")


# ------------------------------------------------------------------ facts


def site_facts(site: Site) -> list[tuple[str, str]]:
    """The key facts of a site, each with its unit, as (label, text)."""
    facts: list[tuple[str, str]] = [
        (_tr("类型"), QCoreApplication.translate("kinds", site.kind.label)),
        (_tr("县区/园区"), place_text(site.region_name, site.park_name)),
    ]
    if site.kind is RecordKind.PARCEL:
        facts.append((_tr("面积"), area_text(site.area, "亩")))
        if site.readiness:
            facts.append((_tr("整理程度"), site.readiness))
        facts.append((_tr("供应状态"), site.status))
    else:
        facts.append((_tr("可供面积"), area_text(site.area, "m²")))
        facts.append((_tr("状态"), site.status))
        if site.status == FactoryStatus.UNDER_CONSTRUCTION.value and site.ready_date:
            facts.append((_tr("预计竣工"), site.ready_date.isoformat()))
    facts.append((_tr("目标产业"), site.target_industry or _tr("未限定")))
    if site.kind is RecordKind.FACTORY:
        for label, value, unit in (
            (_tr("层高"), site.ceiling_height_m, "m"),
            (_tr("楼面承重"), site.floor_load_kn_m2, "kN/m²"),
            (_tr("电力容量"), site.power_kva, "kVA"),
        ):
            text = f"{_num(value, unit)} {unit}" if value is not None else _tr("未登记")
            facts.append((label, text))
        if site.rent_yuan_m2_month is not None:
            facts.append((_tr("租金"), f"{_num(site.rent_yuan_m2_month, '元/m²/月')} 元/m²/月"))
        if site.price_wan is not None:
            facts.append((_tr("售价"), f"{_num(site.price_wan, '万元')} 万元"))
    else:
        if site.price_wan is not None:
            per_mu = (
                f"（{_num(site.price_wan / site.area, '万元/亩')} 万元/亩）" if site.area > 0 else ""
            )
            facts.append((_tr("地价"), f"{_num(site.price_wan, '万元')} 万元{per_mu}"))
        thresholds = []
        if site.min_intensity_wan_per_mu:
            thresholds.append(
                _tr("投资强度 ≥ {v} 万元/亩").format(
                    v=_num(site.min_intensity_wan_per_mu, "万元/亩")
                )
            )
        if site.min_tax_per_mu_wan:
            thresholds.append(
                _tr("亩均税收 ≥ {v} 万元/亩").format(v=_num(site.min_tax_per_mu_wan, "万元/亩"))
            )
        if thresholds:
            facts.append((_tr("准入门槛"), "；".join(thresholds)))
    if site.reserved_project_id is not None:
        until = _tr("，至 {d}").format(d=site.reserved_until) if site.reserved_until else ""
        name = site.reserved_project_name or f"#{site.reserved_project_id}"
        facts.append((_tr("意向锁定"), _tr("项目“{p}”{u}").format(p=name, u=until)))
    return facts


def requirement_facts(
    req: Requirements, region_names: Mapping[int, str], park_names: Mapping[int, str]
) -> list[tuple[str, str]]:
    """What a project needs, each with its unit, as (label, text); empty needs left out."""
    facts: list[tuple[str, str]] = []
    if req.land_mu:
        top = f"–{_num(req.land_max_mu, '亩')}" if req.land_max_mu else ""
        facts.append((_tr("需用地"), f"{_num(req.land_mu, '亩')}{top} 亩"))
    if req.factory_m2:
        facts.append((_tr("需厂房"), area_text(req.factory_m2, "m²")))
    for label, value, unit in (
        (_tr("需层高"), req.ceiling_height_m, "m"),
        (_tr("需承重"), req.floor_load_kn_m2, "kN/m²"),
        (_tr("需电力"), req.power_kva, "kVA"),
        (_tr("投资强度"), req.investment_intensity_wan_per_mu, "万元/亩"),
        (_tr("亩均税收"), req.tax_per_mu_wan, "万元/亩"),
    ):
        if value:
            facts.append((label, f"{_num(value, unit)} {unit}"))
    if req.industry:
        industry = req.industry
        if req.industry_class:
            industry += _tr("（{c}类）").format(c=req.industry_class)
        facts.append((_tr("产业"), industry))
    region = region_names.get(req.preferred_region_id or -1, "")
    park = park_names.get(req.preferred_park_id or -1, "")
    if region or park:
        facts.append((_tr("意向县区/园区"), place_text(region, park)))
    home = region_names.get(req.home_region_id or -1, "")
    if home:
        facts.append((_tr("承办县区"), home))
    if req.needed_by:
        facts.append((_tr("需用日期"), req.needed_by.isoformat()))
    if req.rent_or_buy:
        facts.append((_tr("租赁/购买"), req.rent_or_buy))
    return facts


def facts_line(facts: Sequence[tuple[str, str]]) -> str:
    return "；".join(f"{label} {text}" for label, text in facts)


# ------------------------------------------------------------------ one candidate


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
    table = (
        "<table cellspacing='0' cellpadding='3' border='1' style='border-color:#bbb; border-collapse:collapse' width='100%'>"
        + criteria_header_html()
        + criteria_rows_html(row.criteria)
        + "</table>"
    )
    return head + body + table


# ------------------------------------------------------------------ the ranked table


def _header_text(label: str) -> str:
    """Criterion headers on two short lines, so their mark columns stay narrow."""
    if len(label) <= 2:
        return label
    if "/" in label:
        left, right = label.split("/", 1)
        return f"{left}/\n{right}"
    return f"{label[:2]}\n{label[2:]}"


class CandidateModel(QAbstractTableModel):
    """Ranked candidates: 排名, subject, 县区, 面积, 得分, 结论, then one mark per criterion
    (tooltip: the reason). Sortable by every column; the rows are :class:`MatchRow`."""

    RANK, SUBJECT, REGION, AREA, SCORE, LABEL = range(6)
    FIXED = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MatchRow] = []
        self.keys: list[str] = []
        self.units: list[str] = []
        self.subject_header = _tr("地块/厂房")
        self.area_header = _tr("面积")

    def set_rows(self, rows: Sequence[MatchRow], *, subject_header: str, area_header: str) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.keys = criterion_keys(self._rows)
        self.units = units_of(self._rows)
        self.subject_header = subject_header
        self.area_header = area_header
        self.endResetModel()

    def rows(self) -> list[MatchRow]:
        return list(self._rows)

    def row(self, index: int) -> MatchRow:
        return self._rows[index]

    def key_of(self, column: int) -> str | None:
        """The criterion shown in ``column``, or ``None`` for the fixed columns."""
        offset = column - self.FIXED
        return self.keys[offset] if 0 <= offset < len(self.keys) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.FIXED + len(self.keys)

    def _area_cell(self, row: MatchRow) -> str:
        if len(self.units) == 1:  # the unit is in the header
            return _num(row.area, row.unit) if row.area is not None else ""
        return area_text(row.area, row.unit)

    def cell_text(self, r: int, column: int) -> str:
        row = self._rows[r]
        match column:
            case self.RANK:
                return str(row.rank)
            case self.SUBJECT:
                return row.subject
            case self.REGION:
                return row.region
            case self.AREA:
                return self._area_cell(row)
            case self.SCORE:
                return f"{row.score:.1f}"
            case self.LABEL:
                return row.label
        key = self.key_of(column)
        found = row.criterion(key) if key else None
        return found.mark if found is not None else ""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(index.row(), column)
        key = self.key_of(column)
        found = row.criterion(key) if key else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if found is not None:
                return f"{found.label}：{found.reason}"
            if column == self.SUBJECT:
                return (
                    "\n".join(f"{s.title}（{s.status}）" for s in row.sites)
                    if (row.is_combination)
                    else row.subject
                )
            if column == self.REGION and row.park:
                return place_text(row.region, row.park)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.RANK, self.AREA, self.SCORE):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if found is not None or column == self.LABEL:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if found is not None:
                return QBrush(QColor(MARK_COLOURS.get(found.mark, "#000")))
            if column == self.LABEL:
                return QBrush(QColor(LABEL_COLOURS.get(row.label, "#000")))
            return None
        if role == Qt.ItemDataRole.FontRole and (found is not None or column == self.SCORE):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        key = self.key_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if key is not None:
                return _header_text(_tr(CRITERION_LABELS[key]))
            fixed = (
                _tr("排名"),
                self.subject_header,
                _tr("县区"),
                self.area_header,
                _tr("得分"),
                _tr("结论"),
            )
            return fixed[section] if 0 <= section < len(fixed) else None
        if role == Qt.ItemDataRole.ToolTipRole and key is not None:
            sample = next((c for r in self._rows for c in r.criteria if c.key == key), None)
            if sample is not None:
                return f"{sample.label}：{criterion_kind_text(sample)}"
        return None

    def _sort_key(self, column: int) -> Callable[[MatchRow], Any]:
        if column == self.SUBJECT:
            return lambda r: pinyin_key(r.subject)
        if column == self.REGION:
            return lambda r: (pinyin_key(r.region), r.rank)
        if column == self.AREA:
            return lambda r: (r.unit, r.area if r.area is not None else -1.0)
        if column == self.SCORE:
            return lambda r: (r.score, -r.rank)
        if column == self.LABEL:  # a capped label ranks below a lower score's 优先推荐
            return lambda r: (_LABEL_RANK.get(r.label, -1), r.score, -r.rank)
        key = self.key_of(column)
        if key is None:
            return lambda r: r.rank

        def by_mark(r: MatchRow) -> tuple[int, float, int]:
            c = r.criterion(key)
            if c is None:
                return (9, 0.0, r.rank)
            return (_MARK_ORDER.get(c.mark, 9), -(c.score or 0.0), r.rank)

        return by_mark

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._rows.sort(key=self._sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        position = {id(r): i for i, r in enumerate(self._rows)}
        old = self.persistentIndexList()
        new = [self.index(position[id(before[i.row()])], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()


# ------------------------------------------------------------------ windows


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


def comparison_cells(rows: Sequence[MatchRow]) -> tuple[list[str], list[list[str]]]:
    """Row headers and cells of the comparison: facts first, then every criterion as
    “mark reason” (candidates as columns)."""
    headers = [_tr("得分"), _tr("结论"), _tr("县区/园区"), _tr("面积")]  # FACT_ROWS
    cells: list[list[str]] = [
        [f"{r.score:.1f}" for r in rows],
        [r.label for r in rows],
        [place_text(r.region, r.park) for r in rows],
        [area_text(r.area, r.unit) for r in rows],
    ]
    for key in criterion_keys(rows):
        headers.append(_tr(CRITERION_LABELS[key]))
        line = []
        for r in rows:
            c = r.criterion(key)
            if c is None:
                line.append("")
            elif c.hard:
                line.append(f"{c.mark} {c.reason}")
            else:
                line.append(f"{c.mark} {criterion_score_text(c)}　{c.reason}")
        cells.append(line)
    return headers, cells


class ComparisonDialog(QDialog):
    """Two or three candidates side by side: criteria as rows, candidates as columns; the best
    of a row in bold where the candidates differ."""

    def __init__(self, rows: Sequence[MatchRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = list(rows)[:MAX_COMPARED]
        self.setWindowTitle(self.tr("对比 — {0}").format(" ／ ".join(r.subject for r in self.rows)))
        self.setSizeGripEnabled(True)
        self.headers, self.cells = comparison_cells(self.rows)
        self.keys = criterion_keys(self.rows)
        self.browser = QTextBrowser(self)
        self.browser.setHtml(self._html())
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        self.legend = legend_label(self)
        layout.addWidget(self.legend)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(260 + 330 * len(self.rows), 640)

    def _html(self) -> str:
        width = 84 // max(1, len(self.rows))
        head = "<th bgcolor='#e8eef7' width='16%'></th>" + "".join(
            f"<th bgcolor='#e8eef7' width='{width}%'>{r.rank}. {escape(r.subject)}</th>"
            for r in self.rows
        )
        lines = []
        for r, (label, line) in enumerate(zip(self.headers, self.cells, strict=True)):
            best = self._best(r)
            cells = []
            for c, text in enumerate(line):
                colour = MARK_COLOURS.get(text[:1], "#000")
                weight = "font-weight:bold;" if c in best else ""
                cells.append(f"<td style='color:{colour};{weight}'>{escape(text)}</td>")
            lines.append(
                f"<tr><td bgcolor='#f2f5fa' style='color:#444'>{escape(label)}</td>"
                + "".join(cells)
                + "</tr>"
            )
        return (
            "<table width='100%' cellspacing='0' cellpadding='4' border='1' "
            f"style='border-color:#bbb; border-collapse:collapse'><tr>{head}</tr>{''.join(lines)}</table>"
        )

    def _best(self, r: int) -> set[int]:
        """Columns holding the best of a row: the highest score, or the best mark (then the
        highest criterion score) among the candidates judged on it; none when they are alike
        or fewer than two are judged (a lone ✗ is no best)."""
        values: dict[int, tuple[float, ...]] = {}
        if r == 0:
            values = {i: (row.score,) for i, row in enumerate(self.rows)}
        elif r < FACT_ROWS:
            return set()
        else:
            key = self.keys[r - FACT_ROWS]
            for i, row in enumerate(self.rows):
                c = row.criterion(key)
                if c is not None:
                    values[i] = (-float(_MARK_ORDER.get(c.mark, 9)), c.score or 0.0)
        if len(values) < 2 or len(set(values.values())) <= 1:
            return set()
        top = max(values.values())
        return {i for i, v in values.items() if v == top}

    def cell(self, row: int, column: int) -> str:
        return self.cells[row][column]
