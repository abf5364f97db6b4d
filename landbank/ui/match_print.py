"""The printed matching result: one A4 page per candidate, a 推介 sheet to hand the investor.

Each page is its own :class:`QTextDocument` (HTML), laid out for the printer
(``documentLayout().setPaintDevice(printer)``: without it a 1200 dpi printer renders tiny text)
and painted onto the page; a sheet too long for the page is scaled down to fit, never split.
The footer (date, page n of N) is painted under it. The same painting serves the print preview
(:class:`QPrintPreviewDialog`), the printer and the PDF export.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from datetime import date
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRectF
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.domain.units import format_number
from landbank.services.errors import describe_error
from landbank.services.match_export import MatchRow
from landbank.services.records import RecordNotFound, get_record, record_values
from landbank.store.queries import load_names
from landbank.ui.match_widgets import (
    LABEL_COLOURS,
    area_text,
    criteria_header_html,
    criteria_rows_html,
    requirement_facts,
    site_facts,
)
from landbank.ui.printing import PageFrame, begin, new_printer, page_font, write_pdf_file
from landbank.ui.table_model import display_text, tr_field

_CTX = "MatchPrint"
BODY_POINTS = 10.0
MIN_SCALE = 0.55  # below this a sheet would be unreadable; it is clipped instead

# Facts of the ledger record shown on a sheet beside what matching knows (field keys).
PRINT_FIELDS: dict[RecordKind, tuple[str, ...]] = {
    RecordKind.PARCEL: (
        "location", "boundaries", "planned_use", "far_min", "far_max", "building_density_pct",
        "height_limit_m", "contact_person", "contact_phone",
    ),
    RecordKind.FACTORY: (
        "owner", "floors", "floor_area_m2", "column_spacing", "crane_t", "dual_power",
        "loading_dock", "fire_rating", "contact_person", "contact_phone",
    ),
}  # fmt: skip

SiteKey = tuple[RecordKind, int]
_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def record_facts(
    session: Session, rows: Sequence[MatchRow]
) -> dict[SiteKey, list[tuple[str, str]]]:
    """The ledger facts of every site of ``rows`` (坐落, 四至, 容积率, contacts …), with units;
    a record deleted meanwhile has none."""
    names = load_names(session)
    facts: dict[SiteKey, list[tuple[str, str]]] = {}
    for row in rows:
        for site in row.sites:
            key = (site.kind, site.id)
            if key in facts:
                continue
            try:
                values = record_values(site.kind, get_record(session, site.kind, site.id))
            except RecordNotFound:
                facts[key] = []
                continue
            specs = field_map(site.kind)
            found: list[tuple[str, str]] = []
            for field in PRINT_FIELDS[site.kind]:
                spec = specs[field]
                text = display_text(spec, values.get(field), names)
                if not text:
                    continue
                if field == "far_max" and values.get("far_min") is not None:
                    continue
                if field == "far_min":
                    top = values.get("far_max")
                    label = _tr("容积率")
                    text += f"–{display_text(specs['far_max'], top, names)}" if top else ""
                    found.append((label, text))
                    continue
                found.append((tr_field(spec.label), f"{text} {spec.unit}".strip()))
            facts[key] = found
    return facts


def _facts_table(facts: Sequence[tuple[str, str]], columns: int = 2) -> str:
    cells = []
    for i in range(0, len(facts), columns):
        pair = list(facts[i : i + columns])
        line = "".join(
            f"<td width='16%' bgcolor='#f2f5fa' style='color:#444'>{escape(label)}</td>"
            f"<td width='34%'>{escape(text)}</td>"
            for label, text in pair
        )
        line += "<td></td><td></td>" * (columns - len(pair))
        cells.append(f"<tr>{line}</tr>")
    return (
        "<table width='100%' cellspacing='0' cellpadding='4' border='1' "
        "style='border-color:#b0b8c4; border-style:solid; border-collapse:collapse'>"
        + "".join(cells)
        + "</table>"
    )


def _buildings_table(row: MatchRow) -> str:
    headers = (
        _tr("厂房"), _tr("可供面积(m²)"), _tr("层高(m)"), _tr("承重(kN/m²)"),
        _tr("电力(kVA)"), _tr("租金(元/m²/月)"), _tr("状态"),
    )  # fmt: skip

    def num(value: float | None, decimals: int = 1) -> str:
        return format_number(value, decimals)

    lines = []
    for s in row.sites:
        cells = (
            s.title, num(s.area, 0), num(s.ceiling_height_m), num(s.floor_load_kn_m2),
            num(s.power_kva, 0), num(s.rent_yuan_m2_month, 2), s.status,
        )  # fmt: skip
        lines.append(
            "<tr>"
            + "".join(
                f"<td{'' if i == 0 or i == 6 else ' align=right'}>{escape(c)}</td>"
                for i, c in enumerate(cells)
            )
            + "</tr>"
        )
    head = "".join(
        f"<th bgcolor='#e8eef7'{' width=32%' if i == 0 else ''}>{escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    return (
        "<table width='100%' cellspacing='0' cellpadding='3' border='1' "
        f"style='border-color:#b0b8c4; border-style:solid; border-collapse:collapse'><tr>{head}</tr>{''.join(lines)}</table>"
    )


def _heading(text: str) -> str:
    # A paragraph's top margin is lost after a table in QTextDocument: a small spacer instead.
    return (
        "<p style='font-size:5pt; margin:0'>&nbsp;</p>"
        "<p style='margin-top:0px; margin-bottom:4px; font-size:12pt; font-weight:bold; "
        f"color:#1f3864'>{escape(text)}</p>"
    )


def sheet_title(row: MatchRow) -> str:
    site = row.subject if row.is_combination else row.sites[0].title
    return _tr("项目选址推介 — {site}").format(site=site)


def sheet_html(
    row: MatchRow,
    *,
    today: date,
    extra_facts: Mapping[SiteKey, Sequence[tuple[str, str]]] | None = None,
    region_names: Mapping[int, str] | None = None,
    park_names: Mapping[int, str] | None = None,
) -> str:
    """One 推介 sheet: the site's key facts with units, the project's needs, the score and
    label, and every criterion with its mark and reason."""
    extra_facts = extra_facts or {}
    colour = LABEL_COLOURS.get(row.label, "#000")
    parts = [
        f"<p style='font-size:17pt; font-weight:bold; color:#1f3864; margin-bottom:2px'>"
        f"{escape(sheet_title(row))}</p>",
        "<p style='color:#333; margin-top:0'>"
        + escape(_tr("项目：{p}")).format(p=f"<b>{escape(row.project_name)}</b>")
        + "　　"
        + escape(_tr("匹配日期：{d}").format(d=today.isoformat()))
        + "</p>",
        "<table width='100%' cellspacing='0' cellpadding='6' border='1' "
        "style='border-color:#b0b8c4; border-style:solid; border-collapse:collapse'><tr>"
        f"<td bgcolor='#f2f5fa' width='16%' valign='middle'>{escape(_tr('匹配得分'))}</td>"
        f"<td width='18%' style='font-size:15pt'><b>{row.score:.1f}</b> {escape(_tr('分'))}</td>"
        f"<td bgcolor='#f2f5fa' width='16%'>{escape(_tr('结论'))}</td>"
        f"<td width='18%' style='font-size:13pt; color:{colour}'><b>{escape(row.label)}</b></td>"
        f"<td bgcolor='#f2f5fa' width='16%'>{escape(_tr('排名'))}</td>"
        f"<td width='16%'>{escape(_tr('第 {n} 名').format(n=row.rank))}</td>"
        "</tr></table>",
    ]
    parts.append(_heading(_tr("场地概况")))
    if row.is_combination:
        first = row.sites[0]
        facts = [
            (_tr("类型"), _tr("同园区 {n} 栋厂房组合").format(n=len(row.sites))),
            (_tr("县区/园区"), f"{first.region_name}·{first.park_name}"),
            (_tr("合计可供面积"), area_text(row.area, row.unit)),
        ]
        parts.append(_facts_table(facts))
        parts.append("<p style='margin:2px'></p>")
        parts.append(_buildings_table(row))
    else:
        site = row.sites[0]
        facts = [(_tr("编号"), site.code), (_tr("名称"), site.name), *site_facts(site)]
        facts += extra_facts.get((site.kind, site.id), [])
        parts.append(_facts_table(facts))
    if row.requirements is not None:
        needs = requirement_facts(row.requirements, region_names or {}, park_names or {})
        if needs:
            parts.append(_heading(_tr("项目需求")))
            parts.append(_facts_table(needs))
    parts.append(_heading(_tr("逐项匹配")))
    parts.append(
        "<table width='100%' cellspacing='0' cellpadding='4' border='1' "
        "style='border-color:#b0b8c4; border-style:solid; border-collapse:collapse'>"
        + criteria_header_html()
        + criteria_rows_html(row.criteria)
        + "</table>"
    )
    parts.append(
        "<p style='color:#555; font-size:8.5pt; margin-top:8px'>"
        + escape(
            _tr(
                "说明：✓ 符合，△ 部分符合，✗ 不符合，— 未评（缺少数据）。硬性条件须全部满足；"
                "评分项按权重计入总分（满分 100 分），75 分及以上为“优先推荐”，55–75 分为“可以考虑”。"
                "本页为意向推介，面积、价格等以正式出让或租赁文件为准。"
            )
        )
        + "</p>"
    )
    return "".join(parts)


# ------------------------------------------------------------------ painting


def _layout(html: str, printer: QPrinter, width: float) -> QTextDocument:
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    doc.setDefaultFont(page_font(BODY_POINTS))
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setTextWidth(width)
    return doc


def paint_sheets(printer: QPrinter, sheets: Sequence[str], *, footer: str) -> int:
    """Paint one sheet per page; returns the pages painted. Raises :class:`OSError` when the
    printer (or the PDF file) cannot be opened."""
    painter = QPainter()
    begin(painter, printer)
    try:
        frame = PageFrame(painter, printer)
        width, available = frame.width, frame.body_height
        total = len(sheets)
        for number, html in enumerate(sheets, 1):
            if number > 1:
                printer.newPage()
            doc = _layout(html, printer, width)
            scale = 1.0
            for _attempt in range(3):  # narrower text wraps into more lines: settle the scale
                needed = doc.size().height() * scale
                if needed <= available or scale <= MIN_SCALE:
                    break
                scale = max(MIN_SCALE, scale * available / needed)
                doc.setTextWidth(width / scale)
            painter.save()
            painter.setClipRect(QRectF(0, 0, width, available))
            painter.scale(scale, scale)
            doc.drawContents(painter, QRectF(0, 0, width / scale, available / scale))
            painter.restore()
            frame.draw_footer(footer, number, total)
    finally:
        painter.end()
    return len(sheets)


def write_pdf(
    path: str | os.PathLike[str], sheets: Sequence[str], *, footer: str, title: str
) -> Path:
    """The sheets as an A4 PDF at ``path`` (replaced only once complete). Raises
    :class:`OSError` when it cannot be written."""
    write_pdf_file(path, title, lambda printer: paint_sheets(printer, sheets, footer=footer))
    return Path(path)


def preview_dialog(
    parent: QWidget | None, sheets: Sequence[str], *, footer: str, title: str
) -> QPrintPreviewDialog:
    """The print preview of the sheets (the clerk prints from it); not yet shown."""
    printer = new_printer()
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_tr("打印预览 — {t}").format(t=title))
    pages = list(sheets)
    dialog.paintRequested.connect(lambda p: paint_sheets(p, pages, footer=footer))
    dialog.resize(900, 1000)
    dialog._printer = printer  # type: ignore[attr-defined]  # must live as long as the dialog
    return dialog


# ------------------------------------------------------------------ files


def safe_file_name(*parts: str) -> str:
    """Parts joined by “-”, without the characters Windows forbids in file names."""
    return "-".join(_UNSAFE_FILE_CHARS.sub("_", p).strip("_") for p in parts if p)[:120]


def ask_pdf_path(parent: QWidget, caption: str, folder: Path, name: str) -> Path | None:
    """The save dialog for a PDF; ``None`` when cancelled. A name typed without .pdf gets it."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, caption, str(folder / name), _tr("PDF 文件 (*.pdf)")
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def save_failed(parent: QWidget, caption: str, path: Path, exc: Exception) -> str:
    """Tell the clerk why ``path`` could not be saved (a message box); returns the text."""
    if isinstance(exc, PermissionError):
        reason = _tr("没有权限，或文件正被其他程序打开（请先关闭它再试）。")
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    else:
        reason = describe_error(exc)
    text = _tr("无法保存“{path}”：\n{reason}").format(path=str(path), reason=reason)
    QMessageBox.warning(parent, caption, text)
    return text.replace("\n", "")
