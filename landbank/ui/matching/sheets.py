"""The 推介 sheet of one matching candidate as HTML: one A4 page to hand the investor.

Two audiences (:class:`Audience`, asked by :func:`landbank.ui.matching.sheet_audience
.ask_sheet_audience`): the investor's sheet shows the site's facts, its planning and building
conditions, the project's needs and whom to call; the internal sheet adds the score, the label,
the rank and every criterion with its mark (✓ △ ✗ —) and reason. Both end with the bureau and
its phone (:func:`landbank.ui.matching.sheet_facts.build_sheets` reads them, with the ledger's
facts of each site).

A sheet is built from the parts of the printed reports (:mod:`landbank.ui.reports.html_parts`):
its tables are fitted to the A4 page like theirs (columns from their content, names broken only
at sensible points, figures never split from their unit). :mod:`.sheet_painting` paints the
sheets on the pages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from functools import cache
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontMetricsF
from PySide6.QtPrintSupport import QPrinter

from landbank.domain.enums import RecordKind
from landbank.domain.units import format_quantity
from landbank.services.identity import BureauIdentity
from landbank.services.matching.export import MatchRow
from landbank.ui.matching.facts import area_text, requirement_facts, site_facts
from landbank.ui.matching.marks import (
    LABEL_COLOURS,
    MARK_COLOURS,
    criterion_kind_text,
    criterion_score_text,
)
from landbank.ui.printing import new_printer, page_font
from landbank.ui.reports.html_parts import (
    Audience,
    Block,
    Cell,
    Part,
    Row,
    Table,
    Wrap,
    block,
    cell,
    segments,
    table,
)
from landbank.ui.reports.html_parts import row as table_row
from landbank.ui.reports.table_fit import Measure, fit_table

_CTX = "MatchPrint"
BODY_POINTS = 10.0
TITLE_POINTS = 17.0

SiteKey = tuple[RecordKind, int]


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


_LABEL_BG = "#f2f5fa"
_FACT_WIDTHS = (16.0, 34.0, 16.0, 34.0)
# Facts only the bureau reads: a site held for another project.
INTERNAL_FACTS = frozenset({"意向锁定"})


def _facts_table(facts: Sequence[tuple[str, str]], columns: int = 2) -> Table:
    rows: list[Row] = []
    for i in range(0, len(facts), columns):
        pair = list(facts[i : i + columns])
        cells: list[Cell] = []
        for label, text in pair:
            cells.append(cell(label, bg=_LABEL_BG, fg="#444", wrap=Wrap.NONE))
            cells.append(cell(text))
        if len(pair) < columns:  # the last value spans the rest of the line
            last = cells.pop()
            spare = 2 * (columns - len(pair))
            cells.append(cell(last.text, colspan=1 + spare))
        rows.append(table_row(cells))
    return block(rows, widths=_FACT_WIDTHS)


def _buildings_table(row_: MatchRow) -> Table:
    headers = (
        _tr("厂房"), _tr("可供面积(m²)"), _tr("层高(m)"), _tr("承重(kN/m²)"),
        _tr("电力(kVA)"), _tr("租金(元/m²/月)"), _tr("状态"),
    )  # fmt: skip
    units = (None, "m²", "m", "kN/m²", "kVA", "元/m²/月", None)
    lines = []
    for s in row_.sites:
        values = (
            s.area, s.ceiling_height_m, s.floor_load_kn_m2, s.power_kva, s.rent_yuan_m2_month,
        )  # fmt: skip
        figures = [
            cell(format_quantity(v, u or ""), right=True)
            for v, u in zip(values, units[1:6], strict=True)
        ]
        lines.append(table_row([cell(s.title), *figures, cell(s.status, wrap=Wrap.NONE)]))
    return table(headers, lines)


def _criteria_table(row_: MatchRow) -> Table:
    headers = (_tr("条件"), _tr("类别"), _tr("结果"), _tr("得分"), _tr("理由"))
    lines = []
    for c in sorted(row_.criteria, key=lambda c: not c.hard):
        lines.append(
            table_row(
                [
                    cell(c.label),
                    cell(criterion_kind_text(c), fg="#555", wrap=Wrap.NONE),
                    cell(c.mark, center=True, fg=MARK_COLOURS.get(c.mark, "#000"), bold=True),
                    cell(criterion_score_text(c), right=True),
                    cell(c.reason, wrap=Wrap.TEXT),
                ]
            )
        )
    return table(headers, lines)


def _heading(text: str) -> Block:
    # A paragraph's top margin is lost after a table in QTextDocument: a small spacer instead.
    return Block(
        "<p style='font-size:5pt; margin:0'>&nbsp;</p>"
        "<p style='margin-top:0px; margin-bottom:4px; font-size:12pt; font-weight:bold; "
        f"color:#1f3864'>{escape(text)}</p>",
        keep_with_next=True,
    )


def sheet_title(row: MatchRow) -> str:
    site = row.subject if row.is_combination else row.sites[0].title
    return _tr("项目选址推介 — {site}").format(site=site)


def sheet_parts(
    row: MatchRow,
    *,
    today: date,
    audience: Audience = Audience.INTERNAL,
    identity: BureauIdentity | None = None,
    extra_facts: Mapping[SiteKey, Sequence[tuple[str, str]]] | None = None,
    region_names: Mapping[int, str] | None = None,
    park_names: Mapping[int, str] | None = None,
    pictures: Mapping[SiteKey, str] | None = None,
) -> list[Part]:
    """One 推介 sheet for ``audience``: the site's key facts with units and the project's needs;
    internally also the score, label and rank and every criterion with its mark and reason;
    at the foot the bureau and its phone (``identity``). ``pictures``: the HTML of a site's map
    excerpt and first photo (:func:`landbank.ui.reports.site_pictures.inline_pictures_html`),
    under its facts (a combination: its first building's); nothing when a site has none."""
    extra_facts = extra_facts or {}
    internal = audience is Audience.INTERNAL
    parts: list[Part] = [
        Block(
            f"<p style='font-size:{TITLE_POINTS:g}pt; font-weight:bold; color:#1f3864; "
            f"margin-bottom:2px'>{_title_html(sheet_title(row))}</p>"
            "<p style='color:#333; margin-top:0'>"
            + escape(_tr("项目：{p}")).format(p=f"<b>{escape(row.project_name)}</b>")
            + "　　"
            + escape(_tr("日期：{d}").format(d=today.isoformat()))
            + "</p>"
        )
    ]
    if internal:
        colour = LABEL_COLOURS.get(row.label, "#000")
        parts.append(
            Block(
                "<table width='100%' cellspacing='0' cellpadding='6' border='1' "
                "style='border-color:#b0b8c4; border-style:solid; border-collapse:collapse'><tr>"
                f"<td bgcolor='#f2f5fa' width='16%' valign='middle'>{escape(_tr('匹配得分'))}</td>"
                f"<td width='18%' style='font-size:15pt'><b>{row.score:.1f}</b> "
                f"{escape(_tr('分'))}</td>"
                f"<td bgcolor='#f2f5fa' width='16%'>{escape(_tr('结论'))}</td>"
                f"<td width='18%' style='font-size:13pt; color:{colour}'>"
                f"<b>{escape(row.label)}</b></td>"
                f"<td bgcolor='#f2f5fa' width='16%'>{escape(_tr('排名'))}</td>"
                f"<td width='16%'>{escape(_tr('第 {n} 名').format(n=row.rank))}</td>"
                "</tr></table>"
            )
        )
    parts.append(_heading(_tr("场地概况")))
    if row.is_combination:
        first = row.sites[0]
        facts = [
            (_tr("类型"), _tr("同园区 {n} 栋厂房组合").format(n=len(row.sites))),
            (_tr("县区/园区"), f"{first.region_name}·{first.park_name}"),
            (_tr("合计可供面积"), area_text(row.area, row.unit)),
        ]
        parts.append(_facts_table(facts))
        parts.append(Block("<p style='margin:2px'></p>"))
        parts.append(_buildings_table(row))
    else:
        site = row.sites[0]
        facts = [(_tr("编号"), site.code), (_tr("名称"), site.name), *site_facts(site)]
        facts += extra_facts.get((site.kind, site.id), [])
        if not internal:
            facts = [(label, text) for label, text in facts if label not in INTERNAL_FACTS]
        parts.append(_facts_table(facts))
    shown = (pictures or {}).get((row.sites[0].kind, row.sites[0].id), "")
    if shown:
        parts.append(Block(shown))
    if row.requirements is not None:
        needs = requirement_facts(row.requirements, region_names or {}, park_names or {})
        if needs:
            parts.append(_heading(_tr("项目需求")))
            parts.append(_facts_table(needs))
    if internal:
        parts.append(_heading(_tr("逐项匹配")))
        parts.append(_criteria_table(row))
        explanation = _tr(
            "说明：✓ 符合，△ 部分符合，✗ 不符合，— 未评（缺少数据）。硬性条件须全部满足；"
            "评分项按权重计入总分（满分 100 分），75 分及以上为“优先推荐”，55–75 分为“可以考虑”。"
            "本页为内部匹配结果，不对外提供。"
        )
    else:
        explanation = _tr("本页为意向推介，面积、价格等以正式出让或租赁文件为准。")
    parts.append(
        Block(
            "<p style='color:#555; font-size:8.5pt; margin-top:8px'>" + escape(explanation) + "</p>"
        )
    )
    if identity is not None:
        parts.append(Block(_foot_html(identity)))
    return parts


def _foot_html(identity: BureauIdentity) -> str:
    """The bureau and its phone, at the foot of a sheet."""
    pieces = []
    if identity.bureau:
        pieces.append(_tr("联系单位：{b}").format(b=identity.bureau))
    if identity.phone:
        pieces.append(_tr("联系电话：{p}").format(p=identity.phone))
    if not pieces:
        return ""
    return (
        "<p style='font-size:4pt; margin:0'>&nbsp;</p>"
        "<table width='100%' cellspacing='0' cellpadding='4' style='border-top:1px solid #b0b8c4'>"
        f"<tr><td><b>{escape('　　'.join(pieces))}</b></td></tr></table>"
    )


def _title_html(text: str) -> str:
    """The sheet's title, broken (when too long for a line) only where a name may break."""
    printer, width = _sheet_page()
    font = page_font(TITLE_POINTS)
    font.setBold(True)
    metrics = QFontMetricsF(font, printer)
    lines = [""]
    for piece in segments(text, Wrap.NAME):
        if lines[-1].strip() and metrics.horizontalAdvance(lines[-1] + piece) > width:
            lines.append(piece)
        else:
            lines[-1] += piece
    return "<br>".join(escape(line.strip()) for line in lines)


@cache
def _sheet_page() -> tuple[QPrinter, float]:
    """The printer sheets are fitted for (A4 with landbank's margins) and its page width."""
    printer = new_printer()
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    return printer, float(page.width())


def render_parts(parts: Sequence[Part], *, points: float = BODY_POINTS) -> str:
    """The parts of a sheet as one HTML page, its tables fitted to the A4 page."""
    printer, width = _sheet_page()
    measure = Measure(printer, points)
    return "".join(
        p.html if isinstance(p, Block) else fit_table(p, measure, width).html() for p in parts
    )


def sheet_html(
    row: MatchRow,
    *,
    today: date,
    audience: Audience = Audience.INTERNAL,
    identity: BureauIdentity | None = None,
    extra_facts: Mapping[SiteKey, Sequence[tuple[str, str]]] | None = None,
    region_names: Mapping[int, str] | None = None,
    park_names: Mapping[int, str] | None = None,
    pictures: Mapping[SiteKey, str] | None = None,
) -> str:
    """One 推介 sheet as HTML (see :func:`sheet_parts`)."""
    return render_parts(
        sheet_parts(
            row,
            today=today,
            audience=audience,
            identity=identity,
            extra_facts=extra_facts,
            region_names=region_names,
            park_names=park_names,
            pictures=pictures,
        )
    )
