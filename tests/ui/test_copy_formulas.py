"""“复制到 Excel/WPS” (Ctrl+C) is as safe as the .xlsx export: text Excel or WPS would run as a
formula reaches the clipboard guarded by an apostrophe, a tab or line break in front of it is
kept inside the (quoted) cell, numbers stay numbers — and the clipboard and the export agree on
every cell. Pasting the copied rows back into landbank gives the texts back."""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from PySide6.QtCore import QItemSelectionModel
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select, update

from landbank.domain.enums import RecordKind
from landbank.domain.spreadsheet_text import unguard_pasted
from landbank.services.exporting.ledger import export_records
from landbank.services.records.saving import create_record
from landbank.store.models import LandParcel
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.records.view import RecordView
from tests.ui.conftest import Ledger

# 地块名称 of the hostile parcels, by 地块编号.
SAVED = {
    "H-01": '=HYPERLINK("http://evil.example/","点我")',
    "H-02": "=cmd|' /C calc'!A0",
    "H-03": "+1+1",
    "H-04": "@SUM(1,2)",
    "H-05": "-2+3",
    "H-06": "＝1+1",
    "H-07": "＋1+1",
    "H-08": "－2+3",
    "H-09": "＠SUM(1,2)",
}
# Saving trims a text, so these come from a ledger another program wrote (or an old one).
WRITTEN = {
    "H-10": "\t=1+1",
    "H-11": "\r=1+1",
    "H-12": "\n=cmd|' /C calc'!A0",
}
HOSTILE = SAVED | WRITTEN
NOTES = "第一行\n=1+1"  # a formula on the second line of a 备注: the cell starts with text


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, small_ledger: Ledger) -> MainWindow:
    qs = small_ledger.regions["青山县"]
    with ctx.write_session() as s:
        park = create_record(
            s, RecordKind.PARK, {"name": "=1+1", "region_id": qs}, user="测试员"
        ).id
        for i, (code, name) in enumerate(HOSTILE.items()):
            create_record(
                s,
                RecordKind.PARCEL,
                {
                    "code": code,
                    "name": name if code in SAVED else f"{code} 地块",
                    "region_id": qs,
                    "park_id": park if code == "H-01" else None,
                    "area_mu": 10.0 + i,
                    "readiness": "净地(可供)",
                    "status": "可供",
                    "location": "工业大道东侧",
                    "notes": NOTES,
                },
                user="测试员",
            )
        for code, name in WRITTEN.items():
            s.execute(update(LandParcel).where(LandParcel.code == code).values(name=name))
        # A negative number, as a ledger written elsewhere may hold: a number, never guarded.
        s.execute(update(LandParcel).where(LandParcel.code == "H-03").values(area_mu=-3.5))
        s.execute(
            update(LandParcel)
            .where(LandParcel.code == "H-10")
            .values(location="工业大道\t=1+1")  # a tab inside: one cell, not two
        )
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _copy(window: MainWindow, codes: list[str]) -> str:
    view = window.current_view()
    assert view.kind is RecordKind.PARCEL
    notes = view.model.column_of("notes")
    view.table.horizontalHeader().setSectionHidden(notes, False)  # 备注 shown, as a clerk may
    selection = view.table.selectionModel()
    selection.clear()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(view.model.rowCount()):
        if view.model.row_dict(row)["code"] in codes:
            selection.select(view.model.index(row, 0), flags)
    QApplication.clipboard().clear()
    window.copy_action.trigger()
    mime = QApplication.clipboard().mimeData()
    assert mime.hasText()
    assert not mime.hasHtml()  # plain text only: no second copy a spreadsheet would prefer
    return QApplication.clipboard().text()


def _cells(text: str) -> dict[str, dict[str, str]]:
    rows = list(csv.reader(io.StringIO(text, newline=""), dialect="excel-tab"))
    header = rows[0]
    assert all(len(row) == len(header) for row in rows[1:])  # no tab became a column break
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows[1:]}


def test_hostile_text_is_pasted_as_text(window: MainWindow) -> None:
    text = _copy(window, [*HOSTILE, "QS-001"])
    cells = _cells(text)
    assert set(cells) == {*HOSTILE, "QS-001"}
    for code, name in HOSTILE.items():
        assert cells[code]["地块名称"] == "'" + name, code
        assert cells[code]["地块编号"] == code  # ordinary text: no apostrophe
        assert cells[code]["备注"] == NOTES  # the line break kept, the cell not guarded
    # The leading tab and line breaks are inside the quoted cell, right after the guard.
    assert "\"'\t=1+1\"" in text
    assert "\"'\r=1+1\"" in text
    assert "\"'\n=cmd|' /C calc'!A0\"" in text
    assert '"工业大道\t=1+1"' in text
    assert cells["H-10"]["坐落"] == "工业大道\t=1+1"
    assert cells["H-01"]["园区"] == "'=1+1"  # a park's name is guarded like any text
    assert cells["H-01"]["县区"] == "青山县"
    # Numbers stay numbers: plain digits, a negative one too.
    assert cells["H-03"]["收储面积(亩)"] == "-3.5"
    assert cells["H-01"]["收储面积(亩)"] == "10"
    assert cells["QS-001"]["收储面积(亩)"] == "120.5"
    assert cells["QS-001"]["地块名称"] == "QS-001 地块"
    assert cells["QS-001"]["收储日期"] == "2026-03-01"
    assert cells["QS-001"]["园区"] == "青山经开区"


def _exported(ctx: AppContext, window: MainWindow, path: Path) -> dict[str, dict[str, object]]:
    view: RecordView = window.current_view()
    keys = view.visible_field_keys()  # as the export dialog asks
    with ctx.session() as s:
        export_records(s, RecordKind.PARCEL, path, columns=keys)
    ws = load_workbook(path).worksheets[0]
    assert isinstance(ws, Worksheet)
    header = [c.value for c in ws[2]]
    rows: dict[str, dict[str, object]] = {}
    for row in ws.iter_rows(min_row=3):
        if row[0].value == "合计":
            break
        assert all(cell.data_type != "f" for cell in row)
        rows[str(row[1].value)] = {str(h): cell for h, cell in zip(header, row, strict=True)}
    return rows


def test_clipboard_and_export_agree(ctx: AppContext, window: MainWindow, tmp_path: Path) -> None:
    cells = _cells(_copy(window, [*HOSTILE, "QS-001", "BJ-001"]))
    exported = _exported(ctx, window, tmp_path / "地块.xlsx")
    compared = guarded = 0
    for code, clip_row in cells.items():
        for header, clip in clip_row.items():
            cell = exported[code][header]
            value = cell.value  # type: ignore[attr-defined]
            if value is None:
                assert clip == ""
                continue
            compared += 1
            if isinstance(value, datetime):
                assert clip == value.date().isoformat()
            elif isinstance(value, int | float):
                assert float(clip) == value, (code, header)  # a number in both
            else:
                assert cell.data_type == "s"  # type: ignore[attr-defined]
                assert unguard_pasted(clip) == value, (code, header)
                # Guarded on the clipboard exactly when the export quote-prefixes the cell.
                assert (clip != value) is bool(cell.quotePrefix), (code, header, clip)  # type: ignore[attr-defined]
                guarded += clip != value
    assert compared > 100
    assert guarded == len(HOSTILE) + 1  # the names and the park “=1+1”


def test_copied_rows_paste_back_as_they_were(
    qtbot: QtBot, window: MainWindow, ctx: AppContext
) -> None:
    rows = list(
        csv.reader(io.StringIO(_copy(window, list(SAVED)), newline=""), dialect="excel-tab")
    )
    for row in rows[1:]:
        row[0] = row[0].replace("H-", "C-")  # new codes: the copies are new records
        # H-03's negative area (written by another program) a paste rightly refuses.
        row[:] = ["13.5" if cell == "-3.5" else cell for cell in row]
    out = io.StringIO()
    csv.writer(out, dialect="excel-tab", lineterminator="\r\n").writerows(rows)
    QApplication.clipboard().setText(out.getvalue())
    window.paste_action.trigger()
    assert window.statusBar().currentMessage() == f"已粘贴 {len(SAVED)} 条"
    with ctx.session() as s:
        pasted = {
            p.code: p for p in s.execute(select(LandParcel).where(LandParcel.code.startswith("C-"))).scalars()
        }
        park = pasted["C-01"].park_id
        original = s.execute(select(LandParcel).where(LandParcel.code == "H-01")).scalar_one()
    assert {code.replace("C-", "H-"): p.name for code, p in pasted.items()} == SAVED
    assert park == original.park_id  # the park “=1+1” found by its name
    assert pasted["C-03"].notes == NOTES
