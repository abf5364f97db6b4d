"""RecordTableModel: the Qt model contract, paging, SQL sorting and filtering, display."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QModelIndex, Qt
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.settings import Settings
from landbank.store.queries import RecordFilter
from landbank.ui.context import AppContext
from landbank.ui.records.table_model import RecordTableModel, display_text, plain_number
from tests.ui.conftest import Ledger, add_regions, bulk_parcels


def _cell(model: RecordTableModel, row: int, key: str, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
    return model.data(model.index(row, model.column_of(key)), role)


@pytest.mark.parametrize(
    "kind", [RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT, RecordKind.QUOTA]
)
def test_model_passes_qt_model_tester(
    qtmodeltester, ctx: AppContext, small_ledger: Ledger, kind: RecordKind
) -> None:  # type: ignore[no-untyped-def]
    model = RecordTableModel(ctx, kind)
    assert model.rowCount() > 0
    # Qt's C++ QAbstractItemModelTester. Not force_py=True: pytest-qt's Python tester reads
    # invalid QVariants back into Python, which in PySide6 6.12.0 drops a reference to None
    # on each read and aborts the interpreter at exit ("none_dealloc").
    qtmodeltester.check(model)


def test_empty_model_passes_qt_model_tester(qtmodeltester, ctx: AppContext) -> None:  # type: ignore[no-untyped-def]
    model = RecordTableModel(ctx, RecordKind.PARCEL)
    assert model.rowCount() == 0
    assert model.total == 0
    qtmodeltester.check(model)


def test_paging_fetches_more_rows_on_demand(ctx: AppContext) -> None:
    ledger = Ledger()
    add_regions(ctx, ledger)
    bulk_parcels(ctx, ledger, 450)
    model = RecordTableModel(ctx, RecordKind.PARCEL)
    assert model.total == 450
    assert model.rowCount() == 200
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 450
    assert not model.canFetchMore(QModelIndex())
    assert model.sums["area_mu"] == pytest.approx(450 * 451 / 2)
    # Refresh keeps what was loaded, so the view keeps its scroll position.
    model.refresh()
    assert model.rowCount() == 450


def test_sort_by_area_descending_shows_largest_first(ctx: AppContext) -> None:
    ledger = Ledger()
    add_regions(ctx, ledger)
    bulk_parcels(ctx, ledger, 450)
    model = RecordTableModel(ctx, RecordKind.PARCEL)
    model.sort(model.column_of("area_mu"), Qt.SortOrder.DescendingOrder)
    assert model.rowCount() == 200
    assert _cell(model, 0, "area_mu", Qt.ItemDataRole.EditRole) == 450.0
    assert _cell(model, 0, "area_mu") == "450.00"  # 亩: two decimals, always
    assert _cell(model, 1, "area_mu", RecordTableModel.SortRole) == 449.0
    model.sort(model.column_of("area_mu"), Qt.SortOrder.AscendingOrder)
    assert _cell(model, 0, "area_mu", Qt.ItemDataRole.EditRole) == 1.0
    # A reference column sorts by the name it shows.
    model.sort(model.column_of("region_id"), Qt.SortOrder.AscendingOrder)
    first = _cell(model, 0, "region_id")
    model.sort(model.column_of("region_id"), Qt.SortOrder.DescendingOrder)
    last = _cell(model, 0, "region_id")
    assert {first, last} == {"青山县", "滨江区"}
    # The cleared sort indicator (-1) goes back to entry order.
    model.sort(-1)
    assert _cell(model, 0, "code") == "P-000000"


def test_filters_change_rows_and_sums(ctx: AppContext, small_ledger: Ledger) -> None:
    model = RecordTableModel(ctx, RecordKind.PARCEL)
    assert model.rowCount() == model.total == 4
    assert model.sums["area_mu"] == pytest.approx(120.5 + 1280 + 56.25 + 300)
    emitted: list[bool] = []
    model.totalsChanged.connect(lambda: emitted.append(True))

    model.set_filter(RecordFilter(region_ids=(small_ledger.regions["滨江区"],)))
    assert model.rowCount() == model.total == 2
    assert model.sums["area_mu"] == pytest.approx(356.25)
    assert emitted

    model.set_filter(RecordFilter(statuses=("可供",)))
    assert {_cell(model, r, "code") for r in range(model.rowCount())} == {"QS-001", "BJ-001"}

    model.set_filter(RecordFilter(search="qs-00"))
    assert model.rowCount() == 2
    model.set_filter(RecordFilter(search="滨江"))  # region names are searched too
    assert model.rowCount() == 2

    model.set_filter(RecordFilter(area_min=100, area_max=500))
    assert {_cell(model, r, "code") for r in range(model.rowCount())} == {"QS-001", "BJ-002"}
    assert model.sums["area_mu"] == pytest.approx(420.5)

    model.set_filter(RecordFilter(industry="新能源"))
    assert model.rowCount() == 2

    model.set_filter(RecordFilter(search="没有这个地块"))
    assert model.rowCount() == model.total == 0
    assert model.sums["area_mu"] == 0


def test_references_shown_by_name_and_values_formatted(
    ctx: AppContext, small_ledger: Ledger
) -> None:
    model = RecordTableModel(ctx, RecordKind.PARCEL)
    row = model.row_of_id(small_ledger.parcels["QS-001"])
    assert row is not None
    assert _cell(model, row, "region_id") == "青山县"
    assert _cell(model, row, "park_id") == "青山经开区"
    assert _cell(model, row, "reserve_date") == "2026-03-01"
    assert _cell(model, row, "target_industry") == "新能源 电池"  # one line in a cell
    assert _cell(model, row, "location") == "工业大道 东侧"
    big = model.row_of_id(small_ledger.parcels["QS-002"])
    assert big is not None
    assert _cell(model, big, "area_mu") == "1,280.00"
    alignment = _cell(model, big, "area_mu", Qt.ItemDataRole.TextAlignmentRole)
    assert alignment & int(Qt.AlignmentFlag.AlignRight)
    record = _cell(model, row, "code", RecordTableModel.RowRecordRole)
    assert record["code"] == "QS-001"
    assert model.record_id(row) == small_ledger.parcels["QS-001"]
    assert model.record_version(row) == 1
    header = model.headerData(model.column_of("area_mu"), Qt.Orientation.Horizontal)
    assert header == "收储面积(亩)"

    factories = RecordTableModel(ctx, RecordKind.FACTORY)
    assert _cell(factories, 0, "dual_power") == "是"
    assert _cell(factories, 0, "floor_area_m2") == "12,000"
    quotas = RecordTableModel(ctx, RecordKind.QUOTA)
    assert _cell(quotas, 0, "year") == "2026"  # a year never gets a thousands separator
    projects = RecordTableModel(ctx, RecordKind.PROJECT)
    assert _cell(projects, 0, "problems") == "用地指标 尚未落实"
    tip = _cell(projects, 0, "problems", Qt.ItemDataRole.ToolTipRole)
    assert tip == "用地指标\n尚未落实"


def test_refresh_picks_up_renamed_region(ctx: AppContext, small_ledger: Ledger) -> None:
    from landbank.services.records.saving import update_record

    model = RecordTableModel(ctx, RecordKind.PARCEL)
    with ctx.write_session() as s:
        update_record(
            s,
            RecordKind.REGION,
            small_ledger.regions["青山县"],
            {"name": "青山市"},
            expected_version=1,
            user="测试员",
        )
    model.refresh()
    names = {_cell(model, r, "region_id") for r in range(model.rowCount())}
    assert names == {"青山市", "滨江区"}


def test_plain_numbers_for_the_clipboard() -> None:
    assert plain_number(1234.5) == "1234.5"
    assert plain_number(2026) == "2026"
    assert plain_number(12000.0) == "12000"
    assert plain_number(0.1 + 0.2) == "0.3"
    from landbank.domain.fields import field_map
    from landbank.store.queries import Names

    spec = field_map(RecordKind.PARCEL)["area_mu"]
    assert display_text(spec, 24310.5, Names({}, {}, {}, {}), plain=True) == "24310.5"
    assert display_text(spec, 24310.5, Names({}, {}, {}, {})) == "24,310.50"
    floor = field_map(RecordKind.FACTORY)["floor_area_m2"]
    assert display_text(floor, 24310.5, Names({}, {}, {}, {})) == "24,310"  # m²: whole


def test_paging_sorting_and_filtering_on_both_databases(any_engine: Engine) -> None:
    ctx = AppContext(any_engine, Settings(user_name="测试员"))
    ledger = Ledger()
    add_regions(ctx, ledger)
    bulk_parcels(ctx, ledger, 450)
    model = RecordTableModel(ctx, RecordKind.PARCEL)
    assert (model.rowCount(), model.total) == (200, 450)
    model.sort(model.column_of("area_mu"), Qt.SortOrder.DescendingOrder)
    assert _cell(model, 0, "area_mu", Qt.ItemDataRole.EditRole) == 450.0
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    areas = [model.row_dict(r)["area_mu"] for r in range(model.rowCount())]
    assert areas == sorted(areas, reverse=True)
    assert len(set(areas)) == 450  # no row twice, none missing across pages
    model.set_filter(RecordFilter(search="p-00001", region_ids=(ledger.regions["青山县"],)))
    codes = sorted(model.row_dict(r)["code"] for r in range(model.rowCount()))
    assert codes == [f"P-0000{i}" for i in range(10, 20, 2)]
    assert model.sums["area_mu"] == pytest.approx(sum(i + 1 for i in range(10, 20, 2)))
    model.sort(model.column_of("region_id"), Qt.SortOrder.AscendingOrder)
    assert model.total == 5
