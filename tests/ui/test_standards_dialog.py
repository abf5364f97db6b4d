"""数据 → 标准地指标…: the table (national floors greyed where blank), a row added, refused
with the reason in the dialog, changed and deleted (audited), the 查看适用指标 panel with
sources, import and export, and read-only for a viewer."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from landbank.domain.standards.indicators import Indicator
from landbank.services.server.rights import VIEWER, Rights
from landbank.services.standards.importing import import_standards
from landbank.services.standards.rows import BOUND_COLUMNS, load_entries
from landbank.store.models import AuditEntry
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.standards.dialog import GREY, StandardsDialog
from landbank.ui.standards.row_editor import StandardRowDialog
from tests.services.standards.ledger import GOOD_ROWS, make_ledger, write_book

SHOTS = Path(os.environ.get("LANDBANK_SCREENSHOTS", "/nonexistent"))  # set to look at them


@pytest.fixture
def filled(ctx: AppContext, tmp_path: Path) -> dict[str, int]:
    ids = make_ledger(ctx.engine)
    with ctx.write_session() as s:
        assert import_standards(s, write_book(tmp_path / "表.xlsx", GOOD_ROWS), user="张三").written
    return ids


def _column(indicator: Indicator, bound: str) -> int:
    return 3 + list(BOUND_COLUMNS).index((indicator, bound))  # type: ignore[arg-type]


def test_the_table_shows_rows_and_greys_the_national_floors(
    qtbot: QtBot, ctx: AppContext, filled: dict[str, int], tmp_path: Path
) -> None:
    dialog = StandardsDialog(ctx)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 3
    assert [table.item(r, 0).text() for r in range(3)] == ["获嘉县", "获嘉县", "辉县市"]
    assert table.item(1, 1).text() == "高新园区"
    assert table.item(0, 2).text() == "全部产业"
    assert "万元/亩" in table.horizontalHeaderItem(_column(Indicator.INVESTMENT_INTENSITY, "low")).text()
    invest = table.item(0, _column(Indicator.INVESTMENT_INTENSITY, "low"))
    assert invest.text() == "250.00"
    coverage = table.item(0, _column(Indicator.BUILDING_COVERAGE, "low"))
    assert coverage.text() == "30.0"
    assert coverage.foreground().color() == GREY
    assert "国家标准 30.0 %" in coverage.toolTip()
    assert table.item(1, _column(Indicator.BUILDING_COVERAGE, "low")).text() == "35.0"
    assert table.item(0, _column(Indicator.OUTPUT_PER_MU, "low")).text() == ""
    dialog.resolver.choose("获嘉县", "高新园区", "食品")
    panel = dialog.resolver.table
    rows = {panel.item(r, 0).text(): (panel.item(r, 1).text(), panel.item(r, 2).text())
            for r in range(panel.rowCount())}
    assert rows["固定资产投资强度"] == ("≥250.00 万元/亩", "来自 获嘉县·全部产业")
    assert rows["建筑系数"] == ("≥30.0 %", "来自 国家标准")
    assert dialog.resolver.heading.text() == "获嘉县·高新园区·食品 适用的指标："
    dialog.resize(1400, 760)
    dialog.show()
    qtbot.waitExposed(dialog)
    if SHOTS.is_dir():
        assert dialog.grab().save(str(SHOTS / "standards_dialog.png"))
    written = dialog.export_to(str(tmp_path / "导出.xlsx"))
    assert written is not None
    from openpyxl import load_workbook

    sheet = load_workbook(written).active
    assert sheet is not None
    assert sheet["A1"].value == "全市标准地指标表"  # the test ledger names no city
    assert [sheet.cell(row=r, column=4).value for r in (3, 4, 5)] == [250, 300, 200]


def test_a_row_added_refused_changed_and_deleted(
    qtbot: QtBot, ctx: AppContext, filled: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = StandardsDialog(ctx)
    qtbot.addWidget(dialog)
    editor = StandardRowDialog(ctx, None, dialog)
    qtbot.addWidget(editor)
    editor.county.setCurrentIndex(editor.county.findText("辉县市"))
    editor.park.setCurrentIndex(editor.park.findText("产业集聚区"))
    editor.industry.setText("新能源")
    editor.fields[(Indicator.FLOOR_AREA_RATIO, "low")].setText("2.5")
    editor.fields[(Indicator.FLOOR_AREA_RATIO, "high")].setText("1.0")
    editor.fields[(Indicator.TAX_PER_MU, "low")].setText("很多")
    editor.save()
    assert editor.result() == 0  # still open
    said = editor.messages.text()
    assert "亩均税收≥(万元/亩)：“很多”不是数值" in said
    editor.fields[(Indicator.TAX_PER_MU, "low")].setText("２０")
    editor.save()
    assert "容积率下限 2.50 高于上限 1.00" in editor.messages.text()
    if SHOTS.is_dir():
        editor.show()
        qtbot.waitExposed(editor)
        assert editor.grab().save(str(SHOTS / "standards_row_refused.png"))
    editor.fields[(Indicator.FLOOR_AREA_RATIO, "high")].setText("3")
    editor.save()
    assert editor.result() == 1
    dialog.reload()
    dialog.select_title("辉县市·产业集聚区·新能源")
    entry = dialog.selected()
    assert entry is not None
    assert entry.values[Indicator.TAX_PER_MU].low == 20.0

    changer = StandardRowDialog(ctx, entry, dialog)
    qtbot.addWidget(changer)
    assert changer.fields[(Indicator.FLOOR_AREA_RATIO, "high")].text() == "3"
    changer.fields[(Indicator.INVESTMENT_INTENSITY, "low")].setText("≥260")
    changer.save()
    assert changer.result() == 1
    dialog.reload()
    dialog.select_title("辉县市·产业集聚区·新能源")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    assert dialog.delete_row()
    with ctx.session() as s:
        assert "辉县市·产业集聚区·新能源" not in [e.title for e in load_entries(s)]
        audit = s.execute(
            select(AuditEntry.action, AuditEntry.field, AuditEntry.new_value)
            .where(AuditEntry.record_label == "辉县市·产业集聚区·新能源").order_by(AuditEntry.id)
        ).all()
    assert [tuple(a) for a in audit][1:] == [
        ("update", "investment_intensity_min_wan_per_mu", "260"), ("delete", None, None)]
    assert audit[0][0] == "create"


def test_the_import_dialog_reports_and_writes(
    qtbot: QtBot, ctx: AppContext, filled: dict[str, int], tmp_path: Path
) -> None:
    dialog = StandardsDialog(ctx)
    qtbot.addWidget(dialog)
    from landbank.ui.standards.import_dialog import StandardsImportDialog

    importer = StandardsImportDialog(ctx, dialog)
    qtbot.addWidget(importer)
    importer.imported.connect(dialog.reload)
    path = write_book(tmp_path / "新.xlsx", [[1, "获嘉", None, "食品", 180, None, None, None, None, None, None],
                                             [2, "获嘉", None, None, 260, None, None, None, None, None, None]])
    importer.path.setText(str(path))
    importer.run(dry_run=False)
    assert "第 4 行“获嘉县·全部产业”：台账中已有该指标行" in importer.report.toPlainText()
    importer.policy.setCurrentIndex(importer.policy.findData("update"))
    importer.run(dry_run=True)
    assert "将新增 1 行、更新 1 行" in importer.report.toPlainText()
    assert dialog.table.rowCount() == 3
    importer.run(dry_run=False)
    assert "已新增 1 行、更新 1 行" in importer.report.toPlainText()
    assert dialog.table.rowCount() == 4


def test_a_viewer_sees_the_table_read_only(
    qtbot: QtBot, ctx: AppContext, filled: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = Rights("kan", "看客", VIEWER)
    monkeypatch.setattr(AppContext, "rights", property(lambda self: viewer))
    dialog = StandardsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.table.selectRow(0)
    for button in (dialog.add_button, dialog.edit_button, dialog.delete_button, dialog.import_button):
        assert not button.isEnabled()
        assert "只能查看" in button.toolTip()
    assert dialog.export_button.isEnabled()
    assert "只读" in dialog.hint.text()


def test_the_data_menu_opens_it(qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    data_menu = next(a.menu() for a in window.menuBar().actions() if a.text().startswith("数据"))
    action = next(a for a in data_menu.actions() if a.text().startswith("标准地指标"))
    opened: list[int] = []
    monkeypatch.setattr(StandardsDialog, "exec", lambda self: opened.append(self.table.rowCount()) or 0)
    action.trigger()
    assert opened == [0]


def test_a_county_login_changes_only_its_own_countys_rows(
    qtbot: QtBot, ctx: AppContext, filled: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    clerk = Rights("hj", "张三", "county", filled["获嘉县"], "获嘉县")
    monkeypatch.setattr(AppContext, "rights", property(lambda self: clerk))
    dialog = StandardsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.select_title("辉县市·全部产业")
    assert not dialog.edit_button.isEnabled()
    assert "此记录属于辉县市" in dialog.delete_button.toolTip()
    assert not dialog.delete_row(confirm=False)
    dialog.select_title("获嘉县·全部产业")
    assert dialog.edit_button.isEnabled()
    assert dialog.add_button.isEnabled()
    editor = StandardRowDialog(ctx, None, dialog)
    qtbot.addWidget(editor)
    assert [editor.county.itemText(i) for i in range(editor.county.count())] == ["获嘉县"]
