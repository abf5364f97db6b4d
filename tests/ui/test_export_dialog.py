"""File → 导出当前列表 / 下载空白模板: the rows, order and columns on screen go to the file; the
file dialog, progress dialog and message boxes are patched, never shown."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS
from landbank.services.identity import save_ledger_identity
from landbank.ui import export_dialog
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from tests.ui.conftest import Ledger


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, small_ledger: Ledger) -> MainWindow:
    win = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[Any]:
    """The file dialog answers with tmp_path/<the proposed name>; records what it was asked."""
    asked: list[Any] = []

    def fake(parent: Any, caption: str, proposed: str, filters: str) -> tuple[str, str]:
        asked.append((caption, proposed, filters))
        return str(tmp_path / Path(proposed).name), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    return asked


def test_default_file_name() -> None:
    today = date(2026, 11, 24)
    assert (
        export_dialog.default_file_name(RecordKind.PARCEL, today=today)
        == "收储地块台账-2026-11-24.xlsx"
    )
    assert (
        export_dialog.default_file_name(RecordKind.FACTORY, template=True)
        == "标准厂房台账-填写模板.xlsx"
    )


def test_export_what_the_table_shows(
    window: MainWindow, small_ledger: Ledger, save_as: list[Any], tmp_path: Path
) -> None:
    view = window.views[RecordKind.PARCEL]
    bar = view.filter_bar
    bar.region.setCurrentIndex(bar.region.findData(small_ledger.regions["青山县"]))
    header = view.table.horizontalHeader()
    area = view.model.column_of("area_mu")
    view.table.sortByColumn(area, Qt.SortOrder.DescendingOrder)
    header.moveSection(header.visualIndex(area), 0)  # area first on screen
    header.setSectionHidden(view.model.column_of("location"), True)

    window.export_action.trigger()

    caption, proposed, filters = save_as[0]
    assert caption == "导出当前列表"
    assert Path(proposed).name == f"收储地块台账-{date.today().isoformat()}.xlsx"
    assert "*.xlsx" in filters
    path = tmp_path / Path(proposed).name
    ws = load_workbook(path).worksheets[0]
    headers = [c.value for c in ws[2]]
    shown = [view.model.columns[c].header for c in view.visible_columns()]
    assert shown[-1] == "资料完整度"  # computed, not a field: shown, not exported
    assert headers == ["序号", *shown[:-1]]
    assert headers[1] == "收储面积(亩)"
    assert "坐落" not in headers
    # filter and order, then the 合计 of the quantity columns (the status bar's sums)
    assert [[c.value for c in r[:2]] for r in ws.iter_rows(min_row=3)] == [
        [1, 1280.0],
        [2, 120.5],
        ["合计", view.model.sums["area_mu"]],
    ]
    assert view.model.sums["area_mu"] == 1400.5
    # The ledger names no city yet: 全市; then its city.
    assert str(ws["A1"].value).startswith("全市 收储地块台账（青山县，共 2 条；导出于")
    with window.ctx.write_session() as session:
        save_ledger_identity(session, city="江城市", bureau="", user="测试员")
        session.commit()
    window.export_action.trigger()
    title = load_workbook(path).worksheets[0]["A1"].value
    assert str(title).startswith("江城市 收储地块台账（青山县，共 2 条；导出于")
    message = window.statusBar().currentMessage()
    assert message == f"已导出 2 条到 {path}"


def test_cancel_the_file_dialog_writes_nothing(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: ("", ""))
    window.export_action.trigger()
    window.template_action.trigger()
    assert list(tmp_path.glob("*.xlsx")) == []
    assert window.statusBar().currentMessage() == ""


def test_name_without_suffix_and_a_later_export_starts_in_the_same_folder(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    folder = tmp_path / "报表"
    folder.mkdir()
    asked: list[str] = []

    def fake(parent: Any, caption: str, proposed: str, filters: str) -> tuple[str, str]:
        asked.append(proposed)
        return str(folder / "厂房"), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake)
    window.show_kind(RecordKind.FACTORY)
    window.export_action.trigger()
    assert (folder / "厂房.xlsx").exists()
    window.export_action.trigger()
    assert Path(asked[1]).parent == folder


def test_large_export_shows_progress_and_cancel_leaves_no_file(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, save_as: list[Any], tmp_path: Path
) -> None:
    monkeypatch.setattr(export_dialog, "PROGRESS_FROM_ROWS", 1)
    values: list[int] = []
    monkeypatch.setattr(QProgressDialog, "setValue", lambda self, v: values.append(v))
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    window.export_action.trigger()
    assert values[-1] == 4
    assert list(tmp_path.glob("*.xlsx*")) == []
    assert window.statusBar().currentMessage() == ""

    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: False)
    window.export_action.trigger()
    assert len(list(tmp_path.glob("*.xlsx"))) == 1
    assert window.statusBar().currentMessage().startswith("已导出 4 条到")


def test_unwritable_file_is_reported(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    target = tmp_path / "无此文件夹" / "x.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    warnings: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda parent, title, text, *a: warnings.append(text)
    )
    window.export_action.trigger()
    window.template_action.trigger()
    assert len(warnings) == 2
    assert all(f"无法保存“{target}”" in w for w in warnings)
    assert not target.exists()


def test_download_template(window: MainWindow, save_as: list[Any], tmp_path: Path) -> None:
    window.show_kind(RecordKind.PROJECT)
    window.template_action.trigger()
    caption, proposed, _ = save_as[0]
    assert caption == "下载空白模板"
    assert Path(proposed).name == "招商项目台账-填写模板.xlsx"
    wb = load_workbook(tmp_path / "招商项目台账-填写模板.xlsx")
    assert [c.value for c in wb.worksheets[0][2]] == [s.header for s in FIELDS[RecordKind.PROJECT]]
    assert window.statusBar().currentMessage().startswith("已保存空白模板到")


def test_menu_and_shortcut(window: MainWindow) -> None:
    assert window.export_action.shortcut().toString() == "Ctrl+Shift+E"
    file_menu = window.menuBar().actions()[0].menu()
    assert window.export_action in file_menu.actions()
    assert window.template_action in file_menu.actions()
