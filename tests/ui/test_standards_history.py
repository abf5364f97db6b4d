"""数据 → 标准地指标 → 历史… (Ctrl+H): the selected row's audit entries (who, when, the bound,
old → new, 来源), and the whole table's — with the rows deleted since, whose history has no
line left to select (只看已删除的行 narrows to them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.qtbot import QtBot

from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.standards.importing import import_standards
from landbank.services.standards.rows import load_entries
from landbank.services.standards.saving import StandardInput, delete_standard, update_standard
from landbank.ui.context import AppContext
from landbank.ui.standards.dialog import StandardsDialog
from landbank.ui.standards.history_dialog import StandardHistoryDialog
from tests.services.standards.ledger import GOOD_ROWS, make_ledger, write_book

PARK_ROW = "获嘉县·高新园区·新材料"
HX_ROW = "辉县市·全部产业"


@pytest.fixture
def changed(ctx: AppContext, tmp_path: Path) -> dict[str, int]:
    """The three rows imported by 张三; the park row's 投资强度 300 → 320 by 李四; 辉县市's row
    deleted by 王五."""
    ids = make_ledger(ctx.engine)
    with ctx.write_session() as s:
        assert import_standards(s, write_book(tmp_path / "表.xlsx", GOOD_ROWS), user="张三").written
    with ctx.write_session() as s:
        entries = {e.title: e for e in load_entries(s)}
        park = entries[PARK_ROW]
        values = {**park.values, Indicator.INVESTMENT_INTENSITY: Threshold(low=320.0)}
        given = StandardInput(park.region_id, park.park_id, park.industry, values, park.notes)
        update_standard(s, park.id, given, expected_version=park.version, user="李四")
        hx = entries[HX_ROW]
        delete_standard(s, hx.id, expected_version=hx.version, user="王五")
    return ids


def _cells(dialog: StandardHistoryDialog) -> list[list[str]]:
    table = dialog.table

    def text(r: int, c: int) -> str:
        item = table.item(r, c)
        assert item is not None
        return item.text()

    return [[text(r, c) for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_the_rows_history_and_the_tables_with_deleted_rows(
    qtbot: QtBot,
    ctx: AppContext,
    changed: dict[str, int],
    tmp_path: Path,
) -> None:
    dialog = StandardsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.history_button.text() == "历史…"
    dialog.select_title(PARK_ROW)
    one = dialog.history_dialog()
    qtbot.addWidget(one)
    assert PARK_ROW in one.windowTitle()
    rows = _cells(one)
    assert len(rows) == 2  # created by the import, then changed
    _at, user, action, row, field, old, new, _source = rows[0]  # newest first
    assert (user, action, row, old, new) == ("李四", "修改", PARK_ROW, "300", "320")
    assert field.startswith("固定资产投资强度")
    assert rows[1][1:5] == ["张三", "新建", PARK_ROW, "（整行）"]
    assert "指标行=获嘉县·高新园区·新材料" in rows[1][6]
    assert "县区=" not in rows[1][6]  # the title names the place; no raw ids
    assert not one.deleted_only.isVisibleTo(one)

    # The deleted row has no line in the table; the table's history keeps it.
    assert HX_ROW not in [e.title for e in dialog.entries]
    whole = dialog.history_dialog(whole=True)
    qtbot.addWidget(whole)
    everything = _cells(whole)
    assert len(everything) == 5  # three created, one changed, one deleted
    deleted = [r for r in everything if r[2] == "删除"]
    assert len(deleted) == 1
    assert deleted[0][1] == "王五"
    assert deleted[0][3] == f"{HX_ROW}（已删除）"
    assert "投资强度" in deleted[0][5]  # the snapshot: what the row held
    assert whole.deleted_only.isVisibleTo(whole)
    whole.deleted_only.setChecked(True)
    assert [r[2] for r in _cells(whole)] == ["删除", "新建"]  # the deleted row's own history
    whole.show()
    qtbot.waitExposed(whole)
    assert whole.grab().save(str(tmp_path / "标准地历史.png"))
    whole.table.selectRow(0)
    whole.copy()
    assert "王五\t删除" in QGuiApplication.clipboard().text()

    # With nothing selected, 历史… shows the table's; the county filter narrows it.
    dialog.table.clearSelection()
    dialog.filter.setCurrentIndex(dialog.filter.findText("获嘉县"))
    county = dialog.history_dialog()
    qtbot.addWidget(county)
    assert {r[3] for r in _cells(county)} == {"获嘉县·全部产业", PARK_ROW}


def test_ctrl_h_opens_the_selected_rows_history(
    qtbot: QtBot, ctx: AppContext, changed: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = StandardsDialog(ctx)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.select_title(PARK_ROW)
    dialog.table.setFocus()
    shown: list[str] = []

    def opened(history: StandardHistoryDialog) -> int:
        shown.append(history.windowTitle())
        return 0

    monkeypatch.setattr(StandardHistoryDialog, "exec", opened)
    qtbot.keyClick(dialog.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)  # type: ignore[no-untyped-call]
    assert len(shown) == 1
    assert PARK_ROW in shown[0]
    dialog.all_history_button.click()
    assert "含已删除的行" in shown[1]
