"""The main window: tabs, shortcuts, copy/paste, delete with confirmation, status bar totals,
remembered layout. Dialogs are replaced by fakes; message boxes are patched, never shown."""

from __future__ import annotations

import csv
import io
from typing import Any, ClassVar

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record, update_record
from landbank.store.models import AuditEntry, LandParcel
from landbank.ui import main_window_records
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.records import dialog as record_dialog
from landbank.ui.records import history_dialog
from landbank.ui.records.view import MAX_DEFAULT_WIDTH, RecordView
from landbank.ui.state import UiState
from tests.ui.conftest import Ledger

Yes = QMessageBox.StandardButton.Yes


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, small_ledger: Ledger) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def _select(view: RecordView, *codes: str) -> None:
    selection = view.table.selectionModel()
    selection.clear()
    for code in codes:
        row = next(
            r for r in range(view.model.rowCount()) if view.model.row_dict(r)["code"] == code
        )
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        selection.setCurrentIndex(view.model.index(row, 0), flags)


def _codes(view: RecordView) -> set[str]:
    return {view.model.row_dict(r)["code"] for r in range(view.model.rowCount())}


class FakeDialog:
    """Stands in for RecordDialog / HistoryDialog: records how it was opened."""

    opened: ClassVar[list[tuple[Any, ...]]] = []
    result = QDialog.DialogCode.Rejected
    saved_id: int | None = None

    def __init__(
        self, ctx: AppContext, kind: RecordKind, record_id: int | None = None, parent: Any = None
    ) -> None:
        FakeDialog.opened.append((kind, record_id))

    def exec(self) -> QDialog.DialogCode:
        return FakeDialog.result


@pytest.fixture
def fake_dialogs(monkeypatch: pytest.MonkeyPatch) -> type[FakeDialog]:
    FakeDialog.opened = []
    FakeDialog.result = QDialog.DialogCode.Rejected
    monkeypatch.setattr(record_dialog, "RecordDialog", FakeDialog)
    monkeypatch.setattr(history_dialog, "HistoryDialog", FakeDialog)
    return FakeDialog


def test_tabs_switch_views_and_status_bar(window: MainWindow) -> None:
    assert [window.tabs.tabText(i) for i in range(4)] == ["地块", "厂房", "项目", "年度指标"]
    assert window.current_kind() is RecordKind.PARCEL
    assert window.summary.text() == "共 4 条 · 收储面积 合计 1,756.75 亩 · 净用地面积 合计 0.00 亩"
    window.tabs.setCurrentIndex(1)
    assert window.current_kind() is RecordKind.FACTORY
    assert window.summary.text().startswith("共 2 条 · 建筑面积 合计 20,000 m²")
    window.tabs.setCurrentIndex(3)
    assert "收储目标 合计 3,200.00 亩" in window.summary.text()
    assert "年度" in window.windowTitle() or "ledger.sqlite3" in window.windowTitle()


def test_a_list_reads_its_rows_when_its_tab_is_first_shown(
    qtbot: QtBot, ctx: AppContext, small_ledger: Ledger
) -> None:
    """The window opens reading only the list on screen; another list reads its rows (and
    fits its columns to them on a first start) when its tab is first shown."""
    win = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(win)
    win.show()
    parcels, factories = win.views[RecordKind.PARCEL], win.views[RecordKind.FACTORY]
    assert parcels.model.loaded
    assert parcels.model.rowCount() > 0
    assert not factories.model.loaded
    assert factories.model.rowCount() == 0
    header = factories.table.horizontalHeader()
    before = {c: header.sectionSize(c) for c in factories.visible_columns()}
    win.tabs.setCurrentIndex(1)
    assert factories.model.loaded
    assert factories.model.rowCount() == factories.model.total > 0
    wanted = {c: min(factories.table.sizeHintForColumn(c), MAX_DEFAULT_WIDTH) for c in before}
    assert any(wanted[c] > before[c] for c in before)  # some cell is wider than its header
    assert all(header.sectionSize(c) >= wanted[c] for c in before)  # fitted to the rows now
    assert not win.views[RecordKind.PROJECT].model.loaded


def test_menus_carry_the_shortcuts(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["文件(&F)", "编辑(&E)", "视图(&V)", "数据(&D)", "报表(&R)", "帮助(&H)"]
    shortcuts = {
        window.new_action: "Ctrl+N",
        window.edit_action: "Ctrl+E",
        window.delete_action: "Del",
        window.find_action: "Ctrl+F",
        window.copy_action: "Ctrl+C",
        window.paste_action: "Ctrl+V",
        window.history_action: "Ctrl+H",
        window.refresh_action: "F5",
        window.quit_action: "Ctrl+Q",
    }
    for action, key in shortcuts.items():
        assert action.shortcut().toString() == key, action.text()


def test_ctrl_f_focuses_the_search_box(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    view = window.current_view()
    view.table.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert view.filter_bar.search is not None
    qtbot.waitUntil(lambda: QApplication.focusWidget() is view.filter_bar.search)


def test_search_box_filters_after_a_pause_and_updates_totals(
    qtbot: QtBot, window: MainWindow
) -> None:
    view = window.current_view()
    assert view.filter_bar.search is not None
    qtbot.keyClicks(view.filter_bar.search, "bj-")  # QTest cannot type CJK characters
    qtbot.waitUntil(lambda: view.model.total == 2)
    assert _codes(view) == {"BJ-001", "BJ-002"}
    assert window.summary.text().startswith("共 2 条 · 收储面积 合计 356.25 亩")
    view.filter_bar.clear()
    qtbot.waitUntil(lambda: view.model.total == 4)


def test_region_park_status_and_area_filters(
    qtbot: QtBot, window: MainWindow, small_ledger: Ledger
) -> None:
    bar = window.current_view().filter_bar
    model = window.current_view().model
    bar.region.setCurrentIndex(bar.region.findText("青山县"))
    qtbot.waitUntil(lambda: model.total == 2)
    assert bar.park is not None
    assert [bar.park.itemText(i) for i in range(bar.park.count())] == ["全部园区", "青山经开区"]
    bar.park.setCurrentIndex(1)
    qtbot.waitUntil(lambda: model.total == 1)
    bar.clear()
    qtbot.waitUntil(lambda: model.total == 4)
    assert bar.status is not None
    bar.status.set_selected(["可供", "已挂牌"])
    qtbot.waitUntil(lambda: model.total == 3)
    assert bar.area_min is not None
    assert bar.area_max is not None
    assert bar.area_min.suffix() == " 亩"
    bar.area_min.setValue(100)
    bar.area_max.setValue(500)
    qtbot.waitUntil(lambda: model.total == 2)


def test_copy_puts_tsv_with_headers_on_the_clipboard(qtbot: QtBot, window: MainWindow) -> None:
    view = window.current_view()
    _select(view, "QS-001", "QS-002")
    window.copy_action.trigger()
    text = QApplication.clipboard().text()
    assert text.endswith("\r\n")
    table = list(csv.reader(io.StringIO(text, newline=""), dialect="excel-tab"))
    header = table[0]
    assert header[:3] == ["地块编号", "地块名称", "县区"]
    assert "收储面积(亩)" in header
    assert len(table) == 3  # the header and the two rows
    rows = [dict(zip(header, line, strict=True)) for line in table[1:]]
    assert rows[0]["地块编号"] == "QS-001"
    assert rows[0]["县区"] == "青山县"
    assert rows[0]["坐落"] == "工业大道\t东侧"  # kept inside the quoted cell, as Excel quotes it
    assert rows[0]["目标产业"] == "新能源\n电池"  # a line break kept too
    assert rows[1]["收储面积(亩)"] == "1280"  # no thousands separator for Excel
    # The shortcut works with the table focused (and copies rows, not one cell).
    QApplication.clipboard().clear()
    window.activateWindow()
    qtbot.waitActive(window)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.clipboard().text().startswith("地块编号\t")


def test_delete_asks_then_deletes_and_audits(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow, ctx: AppContext
) -> None:
    asked: list[str] = []

    def answer(parent: Any, title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return Yes if len(asked) > 1 else QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    view = window.current_view()
    _select(view, "QS-002")
    window.delete_action.trigger()  # answered No: nothing happens
    assert "QS-002" in _codes(view)
    window.delete_action.trigger()
    assert "QS-002" in asked[-1]
    assert "地块" in asked[-1]
    assert "QS-002" not in _codes(view)
    assert view.model.total == 3
    assert window.summary.text().startswith("共 3 条")
    with ctx.session() as s:
        entries = s.execute(
            select(AuditEntry).where(
                AuditEntry.action == "delete", AuditEntry.record_label == "QS-002"
            )
        ).all()
        assert len(entries) == 1
        assert s.execute(select(LandParcel).where(LandParcel.code == "QS-002")).first() is None


def test_delete_key_on_several_rows_names_the_count(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    asked: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a: asked.append(text) or Yes)
    view = window.current_view()
    _select(view, "BJ-001", "BJ-002")
    window.activateWindow()
    qtbot.waitActive(window)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Delete)
    assert "2 条" in asked[0]
    assert "BJ-001" in asked[0]
    assert _codes(view) == {"QS-001", "QS-002"}


def test_delete_of_a_record_changed_meanwhile_is_refused_with_a_warning(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow, ctx: AppContext, small_ledger: Ledger
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a: Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    view = window.current_view()
    _select(view, "QS-001")
    with ctx.write_session() as s:  # another clerk saves the record after this list was loaded
        update_record(
            s,
            RecordKind.PARCEL,
            small_ledger.parcels["QS-001"],
            {"name": "改名"},
            expected_version=1,
            user="另一位",
        )
    window.delete_action.trigger()
    assert warnings
    assert "其他用户修改" in warnings[0]
    assert "QS-001" in _codes(view)


def test_ctrl_v_pastes_rows_and_reports(qtbot: QtBot, window: MainWindow) -> None:
    view = window.current_view()
    text = "地块编号\t县区\t收储面积(公顷)\t整理程度\t供应状态\r\nNEW-1\t青山县\t2\t净地(可供)\t可供\r\nNEW-2\t滨江区\t1\t三通一平\t可供\r\n"
    QApplication.clipboard().setText(text)
    window.activateWindow()
    qtbot.waitActive(window)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert {"NEW-1", "NEW-2"} <= _codes(view)
    assert view.model.total == 6
    assert window.statusBar().currentMessage() == "已粘贴 2 条"
    row = view.model.row_of_id(max(view.model.record_id(r) for r in range(view.model.rowCount())))
    assert row is not None
    assert view.model.row_dict(row)["area_mu"] == pytest.approx(15.0)


def test_paste_with_errors_writes_nothing_and_lists_them(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    shown: list[QMessageBox] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box) or 0)
    view = window.current_view()
    text = "地块编号\t县区\t收储面积(亩)\t整理程度\t供应状态\r\nOK-1\t青山县\t20\t净地(可供)\t可供\r\nBAD-1\t青山县\t很多\t净地(可供)\t可供\r\n"
    QApplication.clipboard().setText(text)
    window.paste_action.trigger()
    assert len(shown) == 1
    assert "第 3 行" in shown[0].detailedText()
    assert "很多" in shown[0].detailedText()
    assert "OK-1" not in _codes(view)
    view.refresh()
    assert view.model.total == 4


def test_return_and_double_click_open_the_editor(
    qtbot: QtBot, window: MainWindow, fake_dialogs: type[FakeDialog], small_ledger: Ledger
) -> None:
    view = window.current_view()
    _select(view, "BJ-001")
    window.activateWindow()
    qtbot.waitActive(window)
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert fake_dialogs.opened == [(RecordKind.PARCEL, small_ledger.parcels["BJ-001"])]
    view.table.doubleClicked.emit(view.table.currentIndex())
    assert len(fake_dialogs.opened) == 2
    window.history_action.trigger()
    assert len(fake_dialogs.opened) == 3


def test_new_record_is_shown_and_selected(
    window: MainWindow, fake_dialogs: type[FakeDialog], ctx: AppContext, small_ledger: Ledger
) -> None:
    with ctx.write_session() as s:
        new_id = create_record(
            s,
            RecordKind.PARCEL,
            {
                "code": "QS-NEW",
                "region_id": small_ledger.regions["青山县"],
                "area_mu": 10.0,
                "readiness": "拟收储",
                "status": "可供",
            },
            user="测试员",
        ).id
    fake_dialogs.result = QDialog.DialogCode.Accepted
    fake_dialogs.saved_id = new_id
    window.new_action.trigger()
    assert fake_dialogs.opened == [(RecordKind.PARCEL, None)]
    view = window.current_view()
    assert view.current_id() == new_id
    assert view.model.total == 5


def test_layout_is_saved_and_restored(qtbot: QtBot, ctx: AppContext, small_ledger: Ledger) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.resize(720, 540)  # the offscreen screen is 800 x 600
    first.show()
    qtbot.waitExposed(first)
    view = first.views[RecordKind.PARCEL]
    location = view.model.column_of("location")
    view.table.horizontalHeader().setSectionHidden(location, True)
    first.tabs.setCurrentIndex(2)
    size = (first.width(), first.height())
    first.close()
    state = UiState()
    assert state.window_geometry() is not None
    assert state.header_state("parcel", view.column_keys()) is not None
    assert state.current_tab() == "project"

    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.current_kind() is RecordKind.PROJECT
    header = second.views[RecordKind.PARCEL].table.horizontalHeader()
    assert header.isSectionHidden(location)
    assert second.height() == size[1]  # the width is clamped to the 800 px offscreen screen


def test_about_names_version_and_database(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    import landbank

    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "about", lambda _p, _t, text: shown.append(text))
    window.about_action.trigger()
    assert landbank.__version__ in shown[0]
    assert "ledger.sqlite3" in shown[0]


def test_default_columns_follow_the_catalogue_and_can_be_toggled(window: MainWindow) -> None:
    view = window.current_view()
    header = view.table.horizontalHeader()
    shown = {view.model.columns[c].key for c in view.visible_columns()}
    assert shown == {spec.key for spec in view.model.columns if spec.visible}
    notes = view.model.column_of("notes")
    view._show_column(notes, True)
    assert not header.isSectionHidden(notes)
    # the last field; the computed 资料完整度 stays after the fields
    assert view.visible_columns()[-2:] == [notes, view.model.column_of("completeness_pct")]
    view.apply_default_columns()
    assert header.isSectionHidden(notes)


def test_a_locked_database_on_delete_is_explained_in_chinese(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    def locked(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("DELETE FROM parcel", {}, sqlite3.OperationalError("database is locked"))

    monkeypatch.setattr(main_window_records, "delete_record", locked)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: Yes)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: shown.append(str(a[2])))
    view = window.current_view()
    _select(view, "BJ-001")
    window.delete_action.trigger()
    assert shown == ["数据库正忙：其他用户正在写入，请稍后再试（本次操作未执行）。"]
    assert "BJ-001" in _codes(view)


def test_filter_bar_lists_counties_in_pinyin_order(qtbot: QtBot, ctx: AppContext) -> None:
    """红旗区, 辉县市, 获嘉县 — as in the dialogs; by code point 获 would come before 辉."""
    with ctx.write_session() as s:
        for name, kind in (("获嘉县", "县"), ("辉县市", "县"), ("红旗区", "区")):
            create_record(s, RecordKind.REGION, {"name": name, "kind": kind}, user="测试员")
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    combo = win.views[RecordKind.PARCEL].filter_bar.region
    names = [combo.itemText(i) for i in range(1, combo.count())]
    assert names == ["红旗区", "辉县市", "获嘉县"]


def test_ctrl_z_undoes_the_last_delete(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow, ctx: AppContext
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: Yes)
    view = window.current_view()
    with ctx.session() as s:
        before = s.execute(select(LandParcel).where(LandParcel.code == "BJ-001")).scalar_one()
        area, region_id, status = before.area_mu, before.region_id, before.status
    assert not window.undo_action.isEnabled()
    _select(view, "BJ-001", "BJ-002")
    window.delete_action.trigger()
    assert _codes(view) == {"QS-001", "QS-002"}
    assert "Ctrl+Z 撤销" in window.statusBar().currentMessage()
    assert window.undo_action.isEnabled()
    assert window.undo_action.shortcut().matches(QKeySequence("Ctrl+Z")) == (
        QKeySequence.SequenceMatch.ExactMatch
    )
    window.undo_action.trigger()
    assert _codes(view) == {"QS-001", "QS-002", "BJ-001", "BJ-002"}
    assert not window.undo_action.isEnabled()
    assert window.statusBar().currentMessage() == "已恢复 2 条地块记录"
    with ctx.session() as s:
        again = s.execute(select(LandParcel).where(LandParcel.code == "BJ-001")).scalar_one()
        assert (again.area_mu, again.region_id, again.status) == (area, region_id, status)
        sources = s.execute(
            select(AuditEntry.action, AuditEntry.source).where(AuditEntry.record_label == "BJ-001")
        ).all()
        assert ("delete", "界面") in sources
        assert ("create", "撤销删除") in sources


def test_a_restore_forgets_the_delete_ctrl_z_would_undo(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    """Records deleted from the ledger a restore replaced are not brought back into the
    restored one."""
    monkeypatch.setattr(QMessageBox, "question", lambda *a: Yes)
    view = window.current_view()
    _select(view, "BJ-001")
    window.delete_action.trigger()
    assert window.undo_action.isEnabled()
    window.file_commands.restored()  # what 文件 → 备份与恢复 calls after a restore
    assert not window.undo_action.isEnabled()
    window.undo_action.trigger()  # the shortcut does nothing now
    assert "BJ-001" not in _codes(view)
    assert window.statusBar().currentMessage() == "台账已恢复，列表已重新载入"


def test_undo_of_a_delete_that_no_longer_fits_says_why(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow, ctx: AppContext, small_ledger: Ledger
) -> None:
    monkeypatch.setattr(QMessageBox, "question", lambda *a: Yes)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    view = window.current_view()
    _select(view, "BJ-001")
    window.delete_action.trigger()
    with ctx.write_session() as s:  # another clerk enters a parcel with the same code meanwhile
        create_record(
            s, RecordKind.PARCEL,
            {"code": "BJ-001", "region_id": small_ledger.regions["滨江区"], "area_mu": 5.0,
             "readiness": "拟收储", "status": "可供"},
            user="李四",
        )  # fmt: skip
    window.undo_action.trigger()
    assert warnings
    assert "地块编号" in warnings[0], warnings
    assert window.undo_action.isEnabled()  # still there to try again
