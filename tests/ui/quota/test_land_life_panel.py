"""The dashboard's 闲置与低效用地 panel (issue 16 item 5): per county the figures of the services,
the 增存挂钩 effect in green or red with what is not cleared, and a click on a figure opening
exactly its parcels through the main window's ``RecordFilter(ids=…)``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.domain.land_life.low_efficiency import LowEfficiency
from landbank.services.land_life.status import county_land_life
from landbank.services.records.saving import create_record
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.quota.dashboard import QuotaDashboard
from landbank.ui.quota.land_life_panel import EFFECT_COLUMN, GREEN, RED
from tests.services.land_life.ledger import USER, make_ledger

DAY = date(2025, 6, 30)
COLUMNS = {"闲置": 1, **{k.value: 2 + i for i, k in enumerate(LowEfficiency)}}


@pytest.fixture
def ids(ctx: AppContext) -> dict[str, int]:
    found = make_ledger(ctx.engine)
    with ctx.write_session() as s:
        create_record(s, RecordKind.REGION, {"name": "原阳县", "kind": "县"}, user=USER)
    return found


@pytest.fixture
def dashboard(qtbot: QtBot, ctx: AppContext, ids: dict[str, int]) -> QuotaDashboard:
    widget = QuotaDashboard(ctx, year=2025, as_of=DAY)
    qtbot.addWidget(widget)
    widget.resize(1400, 1250)
    widget.refresh()
    qtbot.waitUntil(lambda: widget.land_life_panel.report is not None, timeout=20_000)
    return widget


def _at(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


def _row(dashboard: QuotaDashboard, county: str) -> int:
    table = dashboard.land_life_panel.table
    return next(r for r in range(table.rowCount()) if _at(table, r, 0).text() == county)


def test_figures_and_effects_are_the_services(
    dashboard: QuotaDashboard, ctx: AppContext, ids: dict[str, int], tmp_path: Path
) -> None:
    with ctx.session() as s:
        report = county_land_life(s, DAY)
    table = dashboard.land_life_panel.table
    assert table.rowCount() == len(report.counties) == 3
    hj = _row(dashboard, "获嘉县")
    assert _at(table, hj, COLUMNS["闲置"]).text() == "2 宗 / 5.00 公顷"
    assert _at(table, hj, COLUMNS["批而未供"]).text() == "1 宗 / 1.00 公顷"
    assert _at(table, hj, COLUMNS["投而未达标"]).text() == "1 宗 / 4.00 公顷"
    assert _at(table, hj, COLUMNS["建而未投"]).text() == "—"
    effect = _at(table, hj, EFFECT_COLUMN)
    assert effect.text() == "明年新增建设用地计划 −20%（批而未供、闲置未清零）"
    assert effect.foreground().color() == QColor(RED)
    assert "批而未供 1 宗 1.00 公顷" in effect.toolTip()
    hx = _at(table, _row(dashboard, "辉县市"), EFFECT_COLUMN)
    assert hx.text() == "明年新增建设用地计划 −20%（闲置未清零）"
    clear = _at(table, _row(dashboard, "原阳县"), EFFECT_COLUMN)
    assert clear.text() == "明年新增建设用地计划 +10%（均已清零）"
    assert clear.foreground().color() == QColor(GREEN)
    dashboard.show()
    dashboard.land_life_panel.ensurePolished()
    dashboard.grab().save(str(tmp_path / "dashboard.png"))  # looked at (issue 16)
    # the county picker shows only its row, from the figures already read
    dashboard.region_box.setCurrentIndex(dashboard.region_box.findData(ids["辉县市"]))
    dashboard.land_life_panel.wait()
    assert table.rowCount() == 1
    assert _at(table, 0, 0).text() == "辉县市"


def test_a_click_opens_exactly_its_parcels(
    qtbot: QtBot, dashboard: QuotaDashboard, ids: dict[str, int]
) -> None:
    panel = dashboard.land_life_panel
    hj = _row(dashboard, "获嘉县")
    with qtbot.waitSignal(dashboard.show_records) as blocker:
        panel.table.cellClicked.emit(hj, COLUMNS["闲置"])
    assert blocker.args[0] is RecordKind.PARCEL
    assert sorted(blocker.args[1]) == sorted([ids["HJ-IDLE"], ids["HJ-STOP"]])
    with qtbot.waitSignal(dashboard.show_records) as blocker:
        panel.table.cellClicked.emit(hj, COLUMNS["批而未供"])
    assert blocker.args[1] == [ids["HJ-STOCK"]]
    with qtbot.waitSignal(dashboard.show_records) as blocker:
        panel.table.cellClicked.emit(hj, EFFECT_COLUMN)
    assert sorted(blocker.args[1]) == sorted([ids["HJ-IDLE"], ids["HJ-STOP"], ids["HJ-STOCK"]])
    with qtbot.assertNotEmitted(dashboard.show_records):  # nothing counted: nothing to open
        panel.table.cellClicked.emit(hj, COLUMNS["建而未投"])
        panel.table.cellClicked.emit(hj, 0)


def test_the_main_window_lists_those_parcels(
    qtbot: QtBot, ctx: AppContext, ids: dict[str, int]
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    wanted = [ids["HJ-IDLE"], ids["HJ-STOP"]]
    window.dashboard.land_life_panel.recordsRequested.emit(RecordKind.PARCEL, wanted)
    assert window.current_kind() is RecordKind.PARCEL
    model = window.views[RecordKind.PARCEL].model
    assert model.record_filter.ids == tuple(wanted)
    assert sorted(model.record_id(r) for r in range(model.rowCount())) == sorted(wanted)
    window.dashboard.land_life_panel.wait()
    window.close()
