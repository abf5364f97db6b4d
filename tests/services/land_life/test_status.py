"""A parcel's 53号 state and 低效 class read from its records, on the boundary days; the
county's tallies with the ids behind each figure; the investment fallback and its notes."""

from __future__ import annotations

import time
from datetime import date

import pytest
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.domain.land_life.idle import IdleState
from landbank.domain.land_life.low_efficiency import LowEfficiency
from landbank.services.land_life.status import (
    ParcelNotFound,
    county_land_life,
    parcel_life_status,
    report_json,
)
from landbank.services.records.saving import create_record, update_record
from landbank.store.engine import read_session, write_session
from tests.services.land_life.ledger import USER, make_ledger


@pytest.fixture
def ledger(any_engine: Engine) -> tuple[Engine, dict[str, int]]:
    return any_engine, make_ledger(any_engine)


def _status(engine: Engine, parcel_id: int, day: date):  # type: ignore[no-untyped-def]
    with read_session(engine) as s:
        return parcel_life_status(s, parcel_id, day)


def test_not_started_a_year_after_the_agreed_day(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    last_day = _status(engine, ids["HJ-IDLE"], date(2025, 3, 1))
    assert last_day.idle.state is IdleState.NORMAL
    first = _status(engine, ids["HJ-IDLE"], date(2025, 3, 2))
    assert first.idle.state is IdleState.IDLE
    assert first.idle_text == "闲置（自 2025-03-02；土地闲置费 20 % 即 60.00 万元）"
    assert first.low is not None
    assert first.low.kind is LowEfficiency.SUPPLIED_NOT_USED
    assert _status(engine, ids["HJ-IDLE"], date(2026, 3, 1)).idle.state is IdleState.IDLE
    taken = _status(engine, ids["HJ-IDLE"], date(2026, 3, 2))
    assert taken.idle.state is IdleState.TAKE_BACK
    assert taken.idle_text == "应收回（满两年未动工，自 2026-03-02）"
    assert any("闲置土地认定" in line for line in taken.lines())


def test_stopped_with_a_quarter_developed(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    assert _status(engine, ids["HJ-STOP"], date(2025, 2, 1)).idle.state is IdleState.NORMAL
    idle = _status(engine, ids["HJ-STOP"], date(2025, 2, 2))
    assert idle.idle.state is IdleState.IDLE
    assert "已开发 7.50 亩，占 25.0%" in idle.idle.reason
    assert "已投资 400.00 万元，占 13.3%" in idle.idle.reason
    assert idle.low is not None
    assert idle.low.kind is LowEfficiency.USED_NOT_FULLY


def test_below_its_committed_tax(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    status = _status(engine, ids["HJ-LOW"], date(2025, 6, 30))
    assert status.idle.state is IdleState.NORMAL
    assert status.low is not None
    assert status.low.kind is LowEfficiency.BELOW_COMMITMENT
    assert "2024 年亩均税收 10.00 万元/亩" in status.low.reason
    assert [y.year for y in status.parcel.reported] == [2023, 2024]
    # the 2023 report was the year production began: not judged alone
    assert _status(engine, ids["HJ-LOW"], date(2024, 6, 30)).low is None


def test_approved_and_not_supplied_after_two_years(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    assert _status(engine, ids["HJ-STOCK"], date(2024, 3, 1)).low is None
    status = _status(engine, ids["HJ-STOCK"], date(2024, 3, 2))
    assert status.low is not None
    assert status.low.kind is LowEfficiency.APPROVED_NOT_SUPPLIED
    assert status.idle.state is IdleState.NOT_SUPPLIED


def test_county_figures_keep_their_ids(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    with read_session(engine) as s:
        report = county_land_life(s, date(2025, 6, 30))
    counties = report.by_name()
    assert list(counties) == sorted(counties)
    hj = counties["获嘉县"].summary
    assert sorted(hj.idle.ids) == sorted([ids["HJ-IDLE"], ids["HJ-STOP"]])
    assert hj.idle.count == 2
    assert hj.idle.area_mu == pytest.approx(75.0)
    assert hj.fees_wan == pytest.approx(60.0 + 120.0)
    assert hj.low[LowEfficiency.APPROVED_NOT_SUPPLIED].ids == [ids["HJ-STOCK"]]
    assert hj.low[LowEfficiency.BELOW_COMMITMENT].ids == [ids["HJ-LOW"]]
    effect = counties["获嘉县"].effect
    assert effect.change_text == "−20%"
    assert "批而未供 1 宗 1.00 公顷" in effect.reason
    hx = counties["辉县市"].summary
    assert hx.idle.ids == [ids["HX-IDLE"]]
    with read_session(engine) as s:
        only = county_land_life(s, date(2025, 6, 30), [ids["辉县市"]])
    assert [c.summary.county for c in only.counties] == ["辉县市"]
    data = report_json(report)
    first = next(c for c in data["counties"] if c["county"] == "获嘉县")
    assert first["idle"]["count"] == 2
    assert first["low_efficiency"]["批而未供"]["ids"] == [ids["HJ-STOCK"]]


def test_a_cleared_county_gets_the_bonus(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, _ids = ledger
    with write_session(engine) as s:
        create_record(s, RecordKind.REGION, {"name": "原阳县", "kind": "县"}, user=USER)
    with read_session(engine) as s:
        report = county_land_life(s, date(2025, 6, 30))
    clear = report.by_name()["原阳县"]
    assert clear.summary.idle.count == 0
    assert clear.effect.change_text == "+10%"


def test_investment_from_the_reserved_project_without_land_price(
    ledger: tuple[Engine, dict[str, int]],
) -> None:
    engine, ids = ledger
    with write_session(engine) as s:
        project = create_record(
            s, RecordKind.PROJECT,
            {"name": "电机项目", "stage": "在谈", "region_id": ids["获嘉县"],
             "total_investment_wan": 3600.0},
            user=USER,
        )  # fmt: skip
        parcel = create_record(
            s, RecordKind.PARCEL,
            {"code": "HJ-LINK", "region_id": ids["获嘉县"], "readiness": "净地(可供)",
             "status": "已开工", "area_mu": 30.0, "price_wan": 600.0,
             "actual_start_date": date(2023, 7, 1), "developed_area_mu": 15.0,
             "investment_made_wan": 500.0, "stopped_since": date(2024, 2, 1)},
            user=USER,
        )  # fmt: skip
        assert parcel.id is not None
    with read_session(engine) as s:
        unlinked = parcel_life_status(s, parcel.id, date(2025, 6, 30))
    assert unlinked.parcel.total_investment_wan is None
    assert any("无可靠关联的项目" in n for n in unlinked.notes)
    assert unlinked.idle.state is IdleState.UNKNOWN  # developed half: the 25 % rule decides
    with write_session(engine) as s:
        update_record(s, RecordKind.PARCEL, parcel.id, {"reserved_project_id": project.id},
                      expected_version=1, user=USER, managed=True)
    with read_session(engine) as s:
        linked = parcel_life_status(s, parcel.id, date(2025, 6, 30))
    assert linked.parcel.total_investment_wan == pytest.approx(3000.0)  # 3,600 − 600
    assert any("扣除地价" in n for n in linked.notes)
    assert linked.idle.state is IdleState.IDLE  # 500 of 3,000: under 25 %


def test_a_missing_parcel_is_said(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, _ids = ledger
    with read_session(engine) as s, pytest.raises(ParcelNotFound):
        parcel_life_status(s, 999_999, date(2025, 1, 1))


def test_thirty_thousand_parcels_in_a_few_seconds(engine: Engine) -> None:
    from sqlalchemy import insert

    from landbank.store.models import LandParcel

    ids = make_ledger(engine)
    rows = [
        {"uuid": f"u{i}", "code": f"B-{i}", "region_id": ids["获嘉县"], "area_mu": 10.0,
         "readiness": "净地(可供)", "status": "已出让/划拨" if i % 2 else "已开工",
         "agreed_start_date": date(2023, 1, 1 + i % 28), "price_wan": 100.0}
        for i in range(30_000)
    ]  # fmt: skip
    with write_session(engine) as s:
        s.execute(insert(LandParcel), rows)
    start = time.perf_counter()
    with read_session(engine) as s:
        report = county_land_life(s, date(2025, 6, 30))
    took = time.perf_counter() - start
    assert report.judged == 30_000 + 6
    assert report.by_name()["获嘉县"].summary.idle.count == 15_000 + 2
    # the yearly figures of so many parcels are read in one pass of their table
    assert report.by_name()["获嘉县"].summary.low[LowEfficiency.BELOW_COMMITMENT].ids == [
        ids["HJ-LOW"]
    ]
    print(f"county_land_life: 30,006 parcels in {took:.2f} s")
    assert took < 5.0, took
