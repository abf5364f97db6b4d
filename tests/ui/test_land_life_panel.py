"""The 土地利用状况 tab of a parcel's dialog (issue 16 item 4): the 53号 state with its day and
fee, the 低效 class and reason, the yearly figures with 添加/编辑/删除 (each its own audited
write), read-only for a viewer; a screenshot of it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.services.land_life.yields import YieldInput, list_yields
from landbank.services.server.rights import Rights
from landbank.ui.context import AppContext
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.records.land_life_panel import LandLifePanel
from landbank.ui.records.yield_dialog import YieldDialog
from tests.services.land_life.ledger import make_ledger


@pytest.fixture
def ids(ctx: AppContext) -> dict[str, int]:
    return make_ledger(ctx.engine)


def _cell(panel: LandLifePanel, row: int, column: int) -> str:
    item = panel.table.item(row, column)
    assert item is not None
    return item.text()


def _header(panel: LandLifePanel, column: int) -> str:
    item = panel.table.horizontalHeaderItem(column)
    assert item is not None
    return item.text()


def _panel(ctx: AppContext, qtbot: QtBot, parcel_id: int) -> tuple[RecordDialog, LandLifePanel]:
    dialog = RecordDialog(ctx, RecordKind.PARCEL, parcel_id)
    qtbot.addWidget(dialog)
    assert dialog.land_life is not None
    assert dialog.tabs is not None
    titles = [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    assert titles[-2:] == ["土地利用状况", "附件"]
    return dialog, dialog.land_life


def test_the_state_class_and_figures_are_shown(
    ctx: AppContext, qtbot: QtBot, ids: dict[str, int], tmp_path: Path
) -> None:
    dialog, panel = _panel(ctx, qtbot, ids["HJ-LOW"])
    assert "正常" in panel.idle.text()
    assert "投而未达标" in panel.low.text()
    assert "2024 年亩均税收 10.00 万元/亩" in panel.low_reason.text()
    assert panel.table.rowCount() == 2
    assert _cell(panel, 1, 0) == "2024"
    assert _cell(panel, 1, 1) == "600.00"
    assert _header(panel, 1) == "税收(万元)"
    assert dialog.tabs is not None
    dialog.tabs.setCurrentWidget(panel)
    dialog.resize(980, 640)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "土地利用状况.png"))
    _idle_dialog, idle = _panel(ctx, qtbot, ids["HJ-IDLE"])
    assert "应收回（满两年未动工，自 2026-03-02）" in idle.idle.text()
    assert "供而未用" in idle.low.text()


def test_add_edit_delete_a_year(
    ctx: AppContext, qtbot: QtBot, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    _dialog, panel = _panel(ctx, qtbot, ids["HJ-OK"])
    assert panel.table.rowCount() == 0
    assert not panel.edit_button.isEnabled()
    typed: dict[str, str] = {"tax_wan": "1,200", "output_wan": "３４００", "employees": "85"}

    def run(self: YieldDialog) -> int:
        self.year.setValue(2025)
        for key, text in typed.items():
            self.edits[key].setText(text)
        self._accept()
        return int(YieldDialog.DialogCode.Accepted)

    monkeypatch.setattr(YieldDialog, "exec", run)
    panel.add_button.click()
    assert panel.table.rowCount() == 1
    assert _cell(panel, 0, 1) == "1,200.00"
    panel.table.selectRow(0)
    assert panel.edit_button.isEnabled()
    typed = {"tax_wan": "1300"}
    panel.edit_button.click()
    with ctx.session() as s:
        (row,) = list_yields(s, parcel_id=ids["HJ-OK"])
    assert (row.values.tax_wan, row.values.output_wan, row.version) == (1300.0, 3400.0, 2)

    asked: list[str] = []

    def yes(*args: Any) -> Any:
        from PySide6.QtWidgets import QMessageBox

        asked.append(args[2])
        return QMessageBox.StandardButton.Yes

    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "question", yes)
    panel.table.selectRow(0)
    panel.delete_button.click()
    assert asked == ["删除 2025 年的经营数据？（修改记录中保留其数值）"]
    assert panel.table.rowCount() == 0


def test_the_form_refuses_what_it_cannot_read(qtbot: QtBot) -> None:
    form = YieldDialog("添加", YieldInput(2024, tax_wan=12.5))
    qtbot.addWidget(form)
    assert form.edits["tax_wan"].text() == "12.5"
    form.edits["output_wan"].setText("很多")
    form.edits["employees"].setText("3.5")
    assert "产值" in form.problems.text()
    assert "从业人数应为整数" in form.problems.text()
    ok = form.buttons.buttons()[0]
    assert not ok.isEnabled()


def test_read_only_for_a_viewer(
    ctx: AppContext, qtbot: QtBot, ids: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    viewer = Rights(login="v", display_name="查看员", scope="viewer")
    monkeypatch.setattr(AppContext, "rights", property(lambda _self: viewer))
    _dialog, panel = _panel(ctx, qtbot, ids["HJ-LOW"])
    assert not panel.add_button.isEnabled()
    assert "只能查看" in panel.add_button.toolTip()
