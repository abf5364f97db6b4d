"""The 年度指标 dashboard on the demo city: the service's figures, the charts, the year and
region selectors, and the records behind a click (issue 5)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.domain.quota.city_report import CityQuotaReport
from landbank.domain.quota.pace import PaceStatus
from landbank.domain.quota.progress import IndicatorProgress
from landbank.services.demo.city import create_demo_city
from landbank.services.quota.report import city_report
from landbank.store.queries import RecordFilter, count_records
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.quota.dashboard import QuotaDashboard, progress_text

AS_OF = date(2026, 11, 24)


@pytest.fixture
def demo(ctx: AppContext) -> CityQuotaReport:
    with ctx.write_session() as s:
        create_demo_city(s, year=2026, as_of=AS_OF)
    with ctx.session() as s:
        return city_report(s, 2026, as_of=AS_OF)


@pytest.fixture
def dashboard(qtbot: QtBot, ctx: AppContext, demo: CityQuotaReport) -> QuotaDashboard:
    widget = QuotaDashboard(ctx, year=2026, as_of=AS_OF)
    qtbot.addWidget(widget)
    widget.resize(1400, 900)
    widget.refresh()
    return widget


def test_every_region_shows_the_service_figures(
    dashboard: QuotaDashboard, demo: CityQuotaReport
) -> None:
    shown = [row for row in dashboard.rows if not row.name.isHidden()]
    assert [row.name.text() for row in shown] == [
        *(p.name for p in demo.regions),
        demo.total.name,
    ]
    for row, progress in zip(shown, [*demo.regions, demo.total], strict=True):
        assert row.land.format() == progress_text(progress.land, "亩")
        assert row.factory.format() == progress_text(progress.factory, "m²")
        assert row.land.value() == min(1000, round((progress.land.percent or 0) * 10))
        assert row.status.text() == progress.status.value
        if progress.rank is not None:
            assert row.rank.text() == f"第 {progress.rank} 名"


def test_progress_text() -> None:
    status = PaceStatus.BEHIND
    assert progress_text(IndicatorProgress(2000, 1430, 1800, status), "亩") == (
        "1,430.00 / 2,000.00 亩 (71.5%)"  # 亩 with two decimals, as everywhere
    )
    assert progress_text(IndicatorProgress(60000, 21560, 1, status), "m²") == (
        "21,560 / 60,000 m² (35.9%)"
    )
    assert progress_text(IndicatorProgress(0, 56.4, 0, PaceStatus.NO_TARGET), "亩") == (
        "56.40 亩（无指标）"
    )


def test_figures_of_stock_pipeline_rates_and_alerts(
    dashboard: QuotaDashboard, demo: CityQuotaReport
) -> None:
    assert f"{demo.stock.land_mu:,.2f} 亩" in dashboard.stock_panel.land_button.text()
    assert dashboard.stock_panel.table.rowCount() > 0
    pipeline = dashboard.pipeline_panel.table
    assert pipeline.rowCount() == len(demo.pipeline)
    for r, stage in enumerate(demo.pipeline):
        assert pipeline.item(r, 0).text() == stage.stage
        assert pipeline.item(r, 1).text() == f"{stage.count:,}"
    rates = dashboard.rates_panel
    assert rates.buttons[0].text().startswith("履约率")
    assert "履约项目数 / 新签合同项目数" in rates.buttons[0].toolTip()
    assert dashboard.alerts_panel.table.rowCount() == len(demo.alerts)


def test_the_charts_have_a_point_per_month(
    dashboard: QuotaDashboard, demo: CityQuotaReport
) -> None:
    land = dashboard.land_chart
    assert land.done.count() == 12
    assert land.expected.count() == 12
    assert land.done.at(11).y() == pytest.approx(demo.total.monthly[-1].land_cumulative_mu)
    factory = dashboard.factory_chart
    assert factory.done.at(11).y() == pytest.approx(demo.total.monthly[-1].factory_cumulative_m2)


def test_year_and_region_change_refresh(
    qtbot: QtBot, dashboard: QuotaDashboard, demo: CityQuotaReport
) -> None:
    dashboard.year_box.setValue(2025)
    assert dashboard.report is not None
    assert dashboard.report.year == 2025
    dashboard.year_box.setValue(2026)
    region = demo.regions[1]
    dashboard.region_box.setCurrentIndex(dashboard.region_box.findData(region.region_id))
    shown = [row for row in dashboard.rows if not row.name.isHidden()]
    assert [row.name.text() for row in shown] == [region.name]
    assert dashboard.land_chart.done.at(11).y() == pytest.approx(
        region.monthly[-1].land_cumulative_mu
    )
    alerts = [a for a in demo.alerts if a.region_id == region.region_id]
    assert dashboard.alerts_panel.table.rowCount() == len(alerts)


def test_a_click_on_a_bar_emits_its_records(
    qtbot: QtBot, dashboard: QuotaDashboard, demo: CityQuotaReport
) -> None:
    row = dashboard.rows[0]
    with qtbot.waitSignal(dashboard.show_records) as blocker:
        qtbot.mouseClick(row.land, Qt.MouseButton.LeftButton)
    assert blocker.args == [RecordKind.PARCEL, list(demo.regions[0].land.record_ids)]
    with qtbot.waitSignal(dashboard.show_records) as blocker:
        qtbot.mouseClick(row.factory, Qt.MouseButton.LeftButton)
    assert blocker.args == [RecordKind.FACTORY, list(demo.regions[0].factory.record_ids)]


def test_alert_stage_stock_and_chart_clicks_emit_their_records(
    qtbot: QtBot, dashboard: QuotaDashboard, demo: CityQuotaReport
) -> None:
    table = dashboard.alerts_panel.table
    item = table.item(0, 2)
    table.setCurrentItem(item)
    with qtbot.waitSignal(dashboard.show_records) as blocker:
        table.itemDoubleClicked.emit(item)
    alert = demo.alerts[0]
    assert blocker.args == [alert.record_kind, [alert.record_id]]

    stages = dashboard.pipeline_panel.table
    stages.setCurrentCell(2, 0)
    with qtbot.waitSignal(dashboard.show_records) as blocker:
        stages.cellClicked.emit(2, 0)
    assert blocker.args == [RecordKind.PROJECT, list(demo.pipeline[2].project_ids)]

    with qtbot.waitSignal(dashboard.show_records) as blocker:
        dashboard.stock_panel.land_button.click()
    assert blocker.args == [RecordKind.PARCEL, [p.id for p in demo.stock.parcels]]

    with qtbot.waitSignal(dashboard.show_records) as blocker:
        dashboard.rates_panel.buttons[0].click()
    assert blocker.args == [RecordKind.PROJECT, list(demo.total.rates.performing_ids)]

    with qtbot.waitSignal(dashboard.show_records) as blocker:
        dashboard.land_chart.done.clicked.emit(QPointF(12, 0))
    assert sorted(blocker.args[1]) == sorted(demo.total.land.record_ids)


def test_main_window_shows_the_records_behind_a_figure(
    qtbot: QtBot, ctx: AppContext, demo: CityQuotaReport
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    window.show_kind(RecordKind.QUOTA)
    window.show()
    QApplication.processEvents()
    assert window.quota_tabs.tabText(0) == "指标进度"
    assert window.quota_tabs.tabText(1) == "指标目标"
    assert window.dashboard.report is not None  # read when first shown
    ids = list(demo.regions[0].land.record_ids)
    window.dashboard.show_records.emit(RecordKind.PARCEL, ids)
    assert window.current_kind() is RecordKind.PARCEL
    model = window.views[RecordKind.PARCEL].model
    assert model.record_filter.ids == tuple(ids)
    assert sorted(model.record_id(r) for r in range(model.rowCount())) == sorted(ids)
    window.close()


def test_record_filter_ids(ctx: AppContext, demo: CityQuotaReport) -> None:
    ids = demo.regions[0].land.record_ids
    with ctx.session() as s:
        assert count_records(s, RecordKind.PARCEL, RecordFilter(ids=tuple(ids))) == len(ids)
        assert count_records(s, RecordKind.PARCEL, RecordFilter(ids=())) == 0
        assert count_records(s, RecordKind.PARCEL, RecordFilter()) > len(ids)


def test_panels_are_sized_by_their_content(
    qtbot: QtBot, dashboard: QuotaDashboard, demo: CityQuotaReport
) -> None:
    """The top no taller than the bars and the charts need; the panels below keep their room
    (issue 11: the pipeline showed two and a half rows with empty space above), and an
    alert's text wraps instead of being cut."""
    from landbank.ui.quota.dashboard import CHART_HEIGHT, MIN_PANELS_HEIGHT

    dashboard.show()
    qtbot.waitExposed(dashboard)
    qtbot.wait(50)  # the deferred fit
    top, bottom = dashboard.body.sizes()
    assert top <= 2 * CHART_HEIGHT + 60 + 10
    assert bottom >= MIN_PANELS_HEIGHT
    pipeline = dashboard.pipeline_panel.table
    assert pipeline.viewport().height() >= 4 * pipeline.rowHeight(0)
    alerts = dashboard.alerts_panel.table
    assert alerts.wordWrap()
    longest = max(range(alerts.rowCount()), key=lambda r: len(alerts.item(r, 2).text()))
    assert alerts.rowHeight(longest) > alerts.fontMetrics().height() * 1.5  # wrapped, whole
