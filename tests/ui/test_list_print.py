"""文件 → 打印当前列表 (Ctrl+P): every row of the filtered, sorted list with the visible columns,
a 序号 column and a 合计 row, quantities in their unit's format, on A4 landscape pages with the
header on each and no row split; the PDF's text is read back with poppler's ``pdftotext``."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.domain.units import format_quantity
from landbank.services.identity import save_ledger_identity
from landbank.services.records.saving import create_record
from landbank.store.queries import Names, RecordFilter, SortOrder, summarise
from landbank.ui.app import create_application
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.reports import list_print
from landbank.ui.reports.list_painting import write_list_pdf
from landbank.ui.reports.list_rows import TooManyRows, list_printout, print_text
from tests.ui.conftest import Ledger, bulk_parcels

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
TODAY = date(2026, 11, 24)


@pytest.fixture(autouse=True)
def cjk_font(qtbot: QtBot) -> None:
    create_application(["landbank"])  # the CJK font, as the application paints


def _pages(pdf: Path, mode: str = "-layout") -> list[str]:
    text = subprocess.run(
        ["pdftotext", mode, str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.rstrip("\f\n").split("\f")


def _page_size(pdf: Path) -> tuple[float, float]:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    found = re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", info.stdout)
    assert found is not None, info.stdout
    return float(found[1]), float(found[2])


def _words(pdf: Path) -> list[list[tuple[float, float, str]]]:
    """Per page, every word's top, bottom (points from the top) and text."""
    html = subprocess.run(
        ["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    word = re.compile(r'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)<')
    return [
        [(float(top), float(bottom), text) for top, bottom, text in word.findall(page)]
        for page in html.split("</page>")[:-1]
    ]


def test_print_text_formats_quantities_by_unit() -> None:
    specs = field_map(RecordKind.FACTORY)
    names = Names({}, {}, {}, {})
    assert print_text(specs["floor_area_m2"], 12345.6, names) == "12,346"
    assert print_text(specs["price_wan"], 1234.5, names) == "1,234.50"
    assert print_text(specs["power_kva"], 1250.0, names) == "1,250"
    assert print_text(specs["floors"], 3, names) == "3"
    assert print_text(specs["floor_area_m2"], None, names) == ""
    parcel = field_map(RecordKind.PARCEL)
    assert print_text(parcel["area_mu"], 1280.5, names) == "1,280.50"


def test_printed_list_has_every_row_totals_and_a_header_on_each_landscape_page(
    ctx: AppContext, small_ledger: Ledger, tmp_path: Path
) -> None:
    bulk_parcels(ctx, small_ledger, 150)
    qs = small_ledger.regions["青山县"]
    flt = RecordFilter(region_ids=(qs,), statuses=("可供", "已挂牌", "意向锁定"))
    columns = ["code", "region_id", "area_mu", "status", "location"]
    with ctx.write_session() as session:
        save_ledger_identity(session, city="江城市", bureau="", user="测试员")
    with ctx.session() as session:
        printout = list_printout(
            session,
            RecordKind.PARCEL,
            columns,
            flt=flt,
            sort=SortOrder("area_mu", descending=True),
            today=TODAY,
        )
        expected = summarise(session, RecordKind.PARCEL, flt)
    assert len(printout.rows) == expected.count == 77  # every row, not the table's first page
    assert printout.title == (
        f"江城市 收储地块台账（青山县，供应状态：可供、已挂牌、意向锁定，共 {expected.count} 条；"
        "打印于 2026-11-24）"
    )
    assert printout.headers == ("序号", "地块编号", "县区", "收储面积(亩)", "供应状态", "坐落")
    total_area = format_quantity(expected.sums["area_mu"], "亩")
    assert printout.totals == ("合计", "", "", total_area, "", "")

    pdf = tmp_path / "列表.pdf"
    pages = write_list_pdf(pdf, printout)
    assert pages >= 3
    width, height = _page_size(pdf)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape
    text = _pages(pdf)
    assert len(text) == pages
    assert "江城市 收储地块台账" in text[0]
    for number, page in enumerate(text, 1):
        assert re.search(r"序号\s+地块编号\s+县区\s+收储面积\(亩\)\s+供应状态\s+坐落", page), number
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{pages}\s*页", page)
    whole = "\n".join(text)
    codes = re.findall(r"\b(?:P-\d{6}|QS-00\d)\b", whole)
    assert codes == [row[1] for row in printout.rows]  # the sort order, each row once
    assert [row[0] for row in printout.rows] == [str(i) for i in range(1, 78)]
    assert re.search(rf"^\s*合计\s+{re.escape(total_area)}\s*$", text[-1], re.MULTILINE)
    assert "1,280.00" in whole  # 亩 with two decimals and thousands separated


def test_no_row_is_split_across_pages(
    ctx: AppContext, small_ledger: Ledger, tmp_path: Path
) -> None:
    """Long texts wrap onto several lines; a row that does not fit starts the next page."""
    qs = small_ledger.regions["青山县"]
    long_text = "工业大道与经三路交叉口东南角规划用地范围以内" * 2
    with ctx.write_session() as session:
        for i in range(40):
            create_record(
                session,
                RecordKind.PARCEL,
                {
                    "code": f"W-{i:03d}",
                    "name": f"第{i:03d}号{long_text}",
                    "region_id": qs,
                    "area_mu": 10.0 + i,
                    "readiness": "拟收储",
                    "status": "可供",
                    "location": f"坐{i:03d}{long_text}{i:03d}止",
                    "notes": long_text,
                },
                user="测试员",
            )
    with ctx.session() as session:
        printout = list_printout(
            session,
            RecordKind.PARCEL,
            ["code", "name", "location", "target_industry", "notes", "area_mu"],
            flt=RecordFilter(search="W-"),
            sort=SortOrder("code"),
        )
    pdf = tmp_path / "长.pdf"
    assert write_list_pdf(pdf, printout) >= 3
    # Nothing runs into the footer (or off the page): every word of the table lies above it.
    for number, words in enumerate(_words(pdf), 1):
        footer = min(top for top, _bottom, text in words if text == "第")  # the footer's line
        table = [(bottom, text) for top, bottom, text in words if abs(top - footer) > 1]
        assert all(bottom < footer - 5 for bottom, _text in table), number
    # In the order painted (-raw), a cell's wrapped lines follow each other: a page holds a
    # cell's whole text exactly when the row was not split.
    pages = ["".join(page.split()) for page in _pages(pdf, "-raw")]
    for i in range(40):
        location = f"坐{i:03d}{long_text}{i:03d}止"
        holding = [n for n, page in enumerate(pages) if location in page]
        assert len(holding) == 1, (i, holding)
        assert f"W-{i:03d}" in pages[holding[0]]


def test_ctrl_p_previews_the_list_on_screen_and_saves_a_pdf(
    qtbot: QtBot,
    ctx: AppContext,
    small_ledger: Ledger,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    assert window.print_action.shortcut().toString() == "Ctrl+P"
    file_menu = window.menuBar().actions()[0].menu()
    assert window.print_action in file_menu.actions()  # type: ignore[union-attr]
    assert window.print_action.text() == "打印当前列表(&P)…"

    view = window.views[RecordKind.PARCEL]
    bar = view.filter_bar
    bar.region.setCurrentIndex(bar.region.findData(small_ledger.regions["青山县"]))
    view.table.horizontalHeader().setSectionHidden(view.model.column_of("location"), True)
    previews: list[tuple[str, int, QPageLayout.Orientation]] = []
    target = tmp_path / "打印.pdf"

    def preview(dialog: QPrintPreviewDialog) -> int:
        widget = dialog.findChild(QPrintPreviewWidget)
        assert widget is not None
        widget.updatePreview()  # paints the list as the shown dialog would
        printer = dialog.printer()
        previews.append(
            (dialog.windowTitle(), widget.pageCount(), printer.pageLayout().orientation())
        )
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
        dialog.export_action.trigger()  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
    window.print_action.trigger()
    [(title, count, orientation)] = previews
    assert title.startswith("打印预览 — 全市 收储地块台账（青山县，共 2 条；打印于")
    assert count == 1
    assert orientation == QPageLayout.Orientation.Landscape
    text = _pages(target)[0]
    assert "QS-001" in text
    assert "QS-002" in text
    assert "BJ-001" not in text
    assert "坐落" not in text  # a hidden column is not printed
    assert re.search(r"合计\s+.*1,400\.50", text)  # 120.5 + 1280 亩, as the status bar sums
    assert window.statusBar().currentMessage() == f"已导出列表（1 页）到 {target}"


def test_too_long_or_empty_lists_are_refused_politely(
    qtbot: QtBot,
    ctx: AppContext,
    small_ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    told: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "information", lambda parent, title, text, *a: told.append(text)
    )
    previewed: list[Any] = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda dialog: previewed.append(dialog))
    monkeypatch.setattr(list_print, "MAX_PRINT_ROWS", 3)
    window.print_action.trigger()
    assert told[-1].startswith("列表共 4 条，请先筛选（最多打印 3 条）。")
    assert "导出当前列表" in told[-1]

    view = window.views[RecordKind.PARCEL]
    view.filter_bar.search.setText("没有这样的地块")
    window.print_action.trigger()  # the filter typed counts at once
    assert told[-1] == "列表中没有记录，无需打印。"
    assert previewed == []


def test_the_limit_holds_when_records_were_added_since_the_count(
    ctx: AppContext, small_ledger: Ledger
) -> None:
    with ctx.session() as session, pytest.raises(TooManyRows) as refused:
        list_printout(session, RecordKind.PARCEL, ["code"], limit=3)
    assert refused.value.count == 4
