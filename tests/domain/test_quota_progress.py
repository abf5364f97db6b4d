"""The quota arithmetic on hand-built cases: year attribution at the year's edges, targets,
pace and its statuses, ranking with ties, 三率 with empty denominators, park targets, every
alert at its boundary day, the stock waiting for projects and the pipeline."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from landbank.domain.enums import RecordKind
from landbank.domain.quota.alerts import (
    AlertKind,
    AlertSeverity,
    alerts,
    count_alerts,
    stock,
)
from landbank.domain.quota.attribution import factory_year, parcel_month, parcel_year
from landbank.domain.quota.city_report import build_city_report
from landbank.domain.quota.facts import (
    FactoryFact,
    ParcelFact,
    ParkInfo,
    ProjectFact,
    RegionInfo,
    anniversary,
)
from landbank.domain.quota.pace import GRACE_DAYS, PaceStatus, format_pct, pace_for, pace_status
from landbank.domain.quota.progress import monthly_series, rank_regions, region_progress
from landbank.domain.quota.projects import park_targets, pipeline, three_rates
from landbank.domain.quota.region_targets import TargetSource, resolve_targets
from landbank.domain.quota.targets import QuotaTargets

AS_OF = date(2026, 11, 24)
_ids = iter(range(1, 1_000_000))


def parcel(**kw: Any) -> ParcelFact:
    values: dict[str, Any] = {
        "id": next(_ids),
        "region_id": 1,
        "park_id": None,
        "code": "P",
        "area_mu": 100.0,
        "readiness": "已收储(毛地)",
        "status": "可供",
        "reserve_date": date(2026, 5, 1),
        "count_year": None,
    }
    values.update(kw)
    return ParcelFact(**values)


def factory(**kw: Any) -> FactoryFact:
    values: dict[str, Any] = {
        "id": next(_ids),
        "region_id": 1,
        "park_id": None,
        "code": "F",
        "floor_area_m2": 10_000.0,
        "status": "已入驻",
        "completion_date": date(2026, 5, 1),
    }
    values.update(kw)
    return FactoryFact(**values)


def project(**kw: Any) -> ProjectFact:
    values: dict[str, Any] = {
        "id": next(_ids),
        "region_id": 1,
        "park_id": None,
        "name": "项目",
        "stage": "签约",
        "total_investment_wan": 20_000.0,
        "signed_date": date(2026, 3, 1),
        "agreed_start_date": None,
        "actual_start_date": None,
    }
    values.update(kw)
    return ProjectFact(**values)


# ---------------------------------------------------------------- year attribution


def test_a_parcel_counts_toward_the_year_of_its_reserve_date() -> None:
    assert parcel_year(parcel(reserve_date=date(2025, 12, 31))) == 2025
    assert parcel_year(parcel(reserve_date=date(2026, 1, 1))) == 2026


def test_count_year_overrides_the_reserve_date_both_ways() -> None:
    late = parcel(reserve_date=date(2025, 12, 31), count_year=2026)
    early = parcel(reserve_date=date(2027, 1, 1), count_year=2026)
    assert parcel_year(late) == parcel_year(early) == 2026
    assert parcel_month(late, 2026) == 1  # reserved before the year: January
    assert parcel_month(early, 2026) == 12  # reserved after: December
    assert parcel_month(parcel(reserve_date=None, count_year=2026), 2026) == 1
    assert parcel_month(parcel(reserve_date=date(2026, 7, 31)), 2026) == 7


def test_only_reserved_parcels_count() -> None:
    assert parcel_year(parcel(readiness="拟收储", count_year=2026)) is None
    for readiness in ("已收储(毛地)", "征拆完成", "三通一平", "五通一平", "七通一平", "净地(可供)"):
        assert parcel_year(parcel(readiness=readiness)) == 2026
    # Sold since: it was still reserved in its year.
    assert parcel_year(parcel(readiness="净地(可供)", status="已竣工投产")) == 2026
    assert parcel_year(parcel(reserve_date=None)) is None


def test_a_factory_counts_toward_its_completion_year_unless_under_construction() -> None:
    assert factory_year(factory(completion_date=date(2025, 12, 31))) == 2025
    assert factory_year(factory(completion_date=date(2026, 1, 1))) == 2026
    assert factory_year(factory(status="在建", completion_date=date(2026, 6, 1))) is None
    assert factory_year(factory(completion_date=None)) is None
    for status in ("已建成", "闲置", "部分入驻", "已入驻"):
        assert factory_year(factory(status=status)) == 2026


# ---------------------------------------------------------------- targets


def test_targets_explicit_then_city_default_then_policy() -> None:
    city = {"县": QuotaTargets(1500.0, 100_000.0)}
    explicit = QuotaTargets(800.0, 0.0)
    assert resolve_targets("县", explicit, city) == (
        resolve_targets("县", explicit, city).__class__(800.0, 0.0, TargetSource.EXPLICIT)
    )
    by_city = resolve_targets("县", None, city)
    assert (by_city.land_mu, by_city.factory_m2, by_city.source) == (
        1500.0,
        100_000.0,
        TargetSource.CITY_DEFAULT,
    )
    district = resolve_targets("区", None, city)
    assert (district.land_mu, district.factory_m2, district.source) == (
        1200.0,
        60_000.0,
        TargetSource.POLICY_DEFAULT,
    )
    assert resolve_targets("县").land_mu == 2000.0
    assert resolve_targets("市").land_mu == 0.0
    assert resolve_targets("镇").land_mu == 0.0  # unknown kind: no target, no crash


# ---------------------------------------------------------------- pace


def test_pace_is_linear_by_day_and_full_or_empty_outside_the_year() -> None:
    assert pace_for(2026, date(2026, 12, 31)).fraction == 1.0
    assert pace_for(2026, date(2026, 7, 2)).fraction == pytest.approx(183 / 365)
    assert pace_for(2024, date(2024, 12, 31)).fraction == 1.0  # leap year: 366/366
    assert pace_for(2024, date(2024, 2, 29)).fraction == pytest.approx(60 / 366)
    past = pace_for(2025, date(2026, 1, 1))
    assert (past.fraction, past.closed, past.due) == (1.0, True, True)
    future = pace_for(2027, AS_OF)
    assert (future.fraction, future.closed, future.due) == (0.0, False, False)
    assert not pace_for(2026, date(2026, 1, GRACE_DAYS)).due
    assert pace_for(2026, date(2026, 2, 1)).due
    assert "89.9%" in pace_for(2026, AS_OF).describe()


def test_pace_statuses_at_their_thresholds() -> None:
    pace = pace_for(2026, date(2026, 7, 2))  # expects 183/365 of the target
    expected = 1000 * 183 / 365
    assert pace_status(expected * 0.9, 1000, pace) is PaceStatus.ON_TRACK
    assert pace_status(expected * 0.9 - 0.01, 1000, pace) is PaceStatus.BEHIND
    assert pace_status(expected * 0.7, 1000, pace) is PaceStatus.BEHIND
    assert pace_status(expected * 0.7 - 0.01, 1000, pace) is PaceStatus.FAR_BEHIND
    assert pace_status(0, 1000, pace) is PaceStatus.FAR_BEHIND
    assert pace_status(1000, 1000, pace) is PaceStatus.DONE
    assert pace_status(0.1 + 0.2, 0.3, pace) is PaceStatus.DONE  # float noise
    assert pace_status(500, 0, pace) is PaceStatus.NO_TARGET
    # January: nothing is due yet, unless the target is already met.
    january = pace_for(2026, date(2026, 1, 20))
    assert pace_status(0, 1000, january) is PaceStatus.NOT_DUE
    assert pace_status(1000, 1000, january) is PaceStatus.DONE
    assert pace_status(0, 1000, pace_for(2027, AS_OF)) is PaceStatus.NOT_DUE
    # A finished year: missing the target is never “on track”.
    closed = pace_for(2025, AS_OF)
    assert pace_status(950, 1000, closed) is PaceStatus.BEHIND
    assert pace_status(690, 1000, closed) is PaceStatus.FAR_BEHIND
    assert PaceStatus.BEHIND.light == "amber"
    assert PaceStatus.NOT_DUE.light is None


# ---------------------------------------------------------------- a region's progress


def _progress(region_id: int, name: str, land: float, floor: float, kind: str = "县") -> Any:
    pace = pace_for(2026, AS_OF)
    targets = resolve_targets(kind)
    parcels = [parcel(region_id=region_id, area_mu=land)] if land else []
    factories = [factory(region_id=region_id, floor_area_m2=floor)] if floor else []
    return region_progress(RegionInfo(region_id, name, kind), targets, pace, parcels, factories)


def test_an_empty_region_is_far_behind_with_zero_done() -> None:
    empty = _progress(1, "空县", 0, 0)
    assert (empty.land.done, empty.land.percent, empty.land.record_ids) == (0.0, 0.0, ())
    assert empty.status is PaceStatus.FAR_BEHIND
    assert empty.score_pct == 0.0
    assert all(m.land_cumulative_mu == 0 for m in empty.monthly)
    assert empty.rates.contracts == 0


def test_monthly_series_is_cumulative_against_the_calendar() -> None:
    targets = resolve_targets("区")
    a = parcel(reserve_date=date(2026, 1, 1), area_mu=10.0)
    b = parcel(reserve_date=date(2026, 3, 31), area_mu=20.0)
    c = parcel(reserve_date=date(2026, 3, 1), area_mu=5.0)
    f = factory(completion_date=date(2026, 12, 31), floor_area_m2=7000.0)
    points = monthly_series(2026, targets, [a, b, c], [f])
    assert [p.month for p in points] == list(range(1, 13))
    assert points[0].land_mu == 10.0
    assert points[2].land_mu == 25.0
    assert points[2].parcel_ids == (b.id, c.id)
    assert points[2].land_cumulative_mu == 35.0
    assert points[11].land_cumulative_mu == 35.0
    assert points[11].factory_cumulative_m2 == 7000.0
    assert points[10].factory_cumulative_m2 == 0.0
    assert points[11].factory_ids == (f.id,)
    assert points[0].land_expected_mu == pytest.approx(1200 * 31 / 365)
    assert points[11].land_expected_mu == pytest.approx(1200.0)


def test_ranking_caps_each_rate_and_shares_ranks_on_ties() -> None:
    # Land 150 % does not make up for factories 50 %: capped mean 75 % < 95 %.
    lopsided = _progress(1, "甲县", 3000, 60_000)
    steady = _progress(2, "乙县", 1900, 114_000)
    twin = _progress(3, "丙县", 1900, 114_000)
    done = _progress(4, "丁县", 2000, 120_000)
    over = _progress(5, "戊县", 2600, 130_000)  # both done: tie broken by the uncapped mean
    city = _progress(6, "市本级", 100, 0, kind="市")
    ranked = rank_regions([lopsided, steady, twin, done, city, over])
    assert [(p.name, p.rank) for p in ranked] == [
        ("戊县", 1),
        ("丁县", 2),
        ("丙县", 3),  # ties: by name (code point order)
        ("乙县", 3),
        ("甲县", 5),
        ("市本级", None),
    ]
    assert lopsided.score_pct == pytest.approx(75.0)
    assert city.status is PaceStatus.NO_TARGET


def test_a_region_with_one_target_is_ranked_on_it_alone() -> None:
    pace = pace_for(2026, AS_OF)
    only_land = region_progress(
        RegionInfo(1, "甲区", "区"),
        resolve_targets("区", QuotaTargets(1000.0, 0.0)),
        pace,
        [parcel(area_mu=500.0)],
        [factory()],
    )
    assert only_land.score_pct == pytest.approx(50.0)
    assert only_land.factory.status is PaceStatus.NO_TARGET
    assert only_land.factory.percent is None
    assert only_land.status is PaceStatus.FAR_BEHIND


# ---------------------------------------------------------------- 三率


def test_three_rates_with_no_contracts_are_dashes_not_zero() -> None:
    rates = three_rates([project(stage="在谈", signed_date=None)], 2026, AS_OF)
    assert rates.contracts == 0
    assert rates.performance_pct is rates.start_pct is rates.funds_pct is None
    assert format_pct(rates.funds_pct) == "—"
    assert format_pct(12.345) == "12.3%"


def test_three_rates_definitions() -> None:
    started = project(
        stage="开工", actual_start_date=date(2026, 6, 1), contract_investment_wan=10_000.0,
        funds_in_place_wan=6_000.0, funds_in_place_year_wan=6_000.0,
    )  # fmt: skip
    producing = project(
        stage="竣工投产", contract_investment_wan=30_000.0, funds_in_place_wan=30_000.0
    )
    not_due = project(stage="签约", agreed_start_date=AS_OF)  # due today: not yet passed
    overdue = project(stage="拟开工", agreed_start_date=date(2026, 11, 23))
    dropped = project(stage="终止", contract_investment_wan=10_000.0)
    last_year = project(stage="开工", signed_date=date(2025, 12, 31))
    negotiating = project(stage="在谈", signed_date=date(2026, 5, 1))  # inconsistent: ignored
    rates = three_rates(
        [started, producing, not_due, overdue, dropped, last_year, negotiating], 2026, AS_OF
    )
    assert set(rates.contract_ids) == {started.id, producing.id, not_due.id, overdue.id, dropped.id}
    assert set(rates.performing_ids) == {started.id, producing.id, not_due.id}
    assert set(rates.started_ids) == {started.id, producing.id}
    assert rates.overdue_ids == (overdue.id,)
    assert rates.terminated_ids == (dropped.id,)
    assert rates.performance_pct == pytest.approx(60.0)
    assert rates.start_pct == pytest.approx(40.0)
    assert rates.funds_pct == pytest.approx(36_000 / 50_000 * 100)
    assert rates.funds_in_place_year_wan == 6_000.0
    assert set(rates.funded_ids) == {started.id, producing.id, dropped.id}


# ---------------------------------------------------------------- park targets


def test_park_targets_count_signed_and_landed_apart() -> None:
    park = ParkInfo(7, "孟庄园", 1)
    own = ParkInfo(8, "装备园", 1, target_projects_500m=0, target_projects_100m=1)
    big_signed = project(park_id=7, total_investment_wan=50_000.0)
    big_landed = project(
        park_id=7, stage="开工", total_investment_wan=80_000.0,
        signed_date=date(2025, 10, 1), actual_start_date=date(2026, 2, 1),
    )  # fmt: skip
    both = project(
        park_id=7, stage="竣工投产", total_investment_wan=10_000.0,
        signed_date=date(2026, 1, 1), actual_start_date=date(2026, 12, 31),
    )  # fmt: skip
    small = project(park_id=7, total_investment_wan=9_999.0)
    dropped = project(park_id=7, stage="终止", total_investment_wan=90_000.0)
    old = project(park_id=7, total_investment_wan=60_000.0, signed_date=date(2025, 12, 31))
    no_park = project(total_investment_wan=60_000.0)
    elsewhere = project(park_id=8, total_investment_wan=12_000.0)
    progress = {
        p.park_id: p
        for p in park_targets(
            [park, own],
            [big_signed, big_landed, both, small, dropped, old, no_park, elsewhere],
            2026,
        )
    }
    mine = progress[7]
    assert (mine.target_500m, mine.target_100m) == (1, 3)
    assert mine.signed_500m_ids == (big_signed.id,)
    assert set(mine.signed_100m_ids) == {big_signed.id, both.id}
    assert mine.landed_500m_ids == (big_landed.id,)
    assert set(mine.landed_100m_ids) == {big_landed.id, both.id}
    assert not mine.signed_met
    assert not mine.landed_met
    assert progress[8].signed_met
    assert not progress[8].landed_met


# ---------------------------------------------------------------- alerts


def _supplied(agreed: date, **kw: Any) -> ParcelFact:
    values = {"status": "已出让/划拨", "readiness": "净地(可供)", **kw}
    return parcel(agreed_start_date=agreed, **values)


def test_idle_land_alerts_on_the_anniversaries() -> None:
    agreed = date(2025, 11, 24)
    assert alerts([_supplied(date(2025, 11, 25))], [], [], AS_OF) == ()
    [one] = alerts([_supplied(agreed, price_wan=500.0, code="HX-1")], [], [], AS_OF)
    assert (one.kind, one.severity, one.days, one.since) == (
        AlertKind.IDLE_LAND_FEE,
        AlertSeverity.WARNING,
        0,
        AS_OF,
    )
    assert one.amount_wan == pytest.approx(100.0)
    assert "20%" in one.message
    assert "100.0 万元" in one.message
    assert one.record_kind is RecordKind.PARCEL
    [two] = alerts([_supplied(date(2024, 11, 24), status="已交地")], [], [], AS_OF)
    assert (two.kind, two.severity) == (AlertKind.LAND_TAKE_BACK, AlertSeverity.CRITICAL)
    assert "无偿收回" in two.message
    assert alerts([_supplied(date(2024, 11, 25))], [], [], AS_OF)[0].kind is (
        AlertKind.IDLE_LAND_FEE
    )
    # Started, or not supplied yet, or already marked started: no alert.
    assert alerts([_supplied(agreed, actual_start_date=date(2026, 1, 1))], [], [], AS_OF) == ()
    assert alerts([_supplied(agreed, status="已开工")], [], [], AS_OF) == ()
    assert alerts([_supplied(agreed, status="已挂牌")], [], [], AS_OF) == ()


def test_a_29_february_start_is_idle_on_28_february() -> None:
    assert anniversary(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)
    leap = _supplied(date(2024, 2, 29))
    assert alerts([leap], [], [], date(2025, 2, 27)) == ()
    assert alerts([leap], [], [], date(2025, 2, 28))[0].kind is AlertKind.IDLE_LAND_FEE


def test_reservations_expiring_or_expired() -> None:
    def reserved(until: date, status: str = "意向锁定") -> ParcelFact:
        return parcel(status=status, reserved_project_id=99, reserved_until=until)

    assert alerts([reserved(date(2026, 12, 25))], [], [], AS_OF) == ()  # 31 days left
    [soon] = alerts([reserved(date(2026, 12, 24))], [], [], AS_OF)  # 30 days left
    assert (soon.kind, soon.severity, soon.days) == (
        AlertKind.RESERVATION_EXPIRING,
        AlertSeverity.NOTICE,
        -30,
    )
    today = alerts([reserved(AS_OF)], [], [], AS_OF)[0]
    assert today.kind is AlertKind.RESERVATION_EXPIRING
    assert "今天" in today.message
    [gone] = alerts([reserved(date(2026, 11, 23))], [], [], AS_OF)
    assert (gone.kind, gone.days) == (AlertKind.RESERVATION_EXPIRED, 1)
    assert alerts([reserved(date(2026, 11, 1), status="已挂牌")], [], [], AS_OF) == ()
    assert alerts([reserved(date(2026, 12, 1))], [], [], AS_OF, expiry_days=3) == ()
    # Factories: a reservation on a building, unless it is fully let.
    building = factory(reserved_project_id=5, reserved_until=date(2026, 12, 1), status="闲置",
                       idle_area_m2=100.0, idle_since=date(2026, 10, 1))  # fmt: skip
    [found] = alerts([], [building], [], AS_OF)
    assert (found.record_kind, found.kind) == (RecordKind.FACTORY, AlertKind.RESERVATION_EXPIRING)
    let = factory(reserved_project_id=5, reserved_until=date(2026, 12, 1), status="已入驻")
    assert alerts([], [let], [], AS_OF) == ()


def test_factories_idle_a_full_year() -> None:
    def idle(since: date, **kw: Any) -> FactoryFact:
        values = {"status": "闲置", "idle_area_m2": 5000.0, "idle_since": since, **kw}
        return factory(**values)

    assert alerts([], [idle(date(2025, 11, 25))], [], AS_OF) == ()
    [year] = alerts([], [idle(date(2025, 11, 24))], [], AS_OF)
    assert (year.kind, year.days) == (AlertKind.FACTORY_IDLE, 0)
    assert str(year.kind) == "厂房闲置满一年"  # due on the anniversary: 满, not 超
    assert "365 天" in year.message
    assert alerts([], [idle(date(2020, 1, 1), status="部分入驻")], [], AS_OF)
    assert (
        alerts([], [idle(date(2020, 1, 1), idle_area_m2=0.0, status="部分入驻")], [], AS_OF) == ()
    )
    assert alerts([], [idle(date(2020, 1, 1), status="已建成")], [], AS_OF) == ()


def test_projects_past_their_agreed_start() -> None:
    assert alerts([], [], [project(agreed_start_date=AS_OF)], AS_OF) == ()
    [late] = alerts([], [], [project(agreed_start_date=date(2026, 11, 23), name="甲")], AS_OF)
    assert (late.kind, late.days, late.record_kind) == (
        AlertKind.PROJECT_START_OVERDUE,
        1,
        RecordKind.PROJECT,
    )
    for stage in ("开工", "竣工投产", "终止"):
        assert (
            alerts([], [], [project(stage=stage, agreed_start_date=date(2026, 1, 1))], AS_OF) == ()
        )
    started = project(agreed_start_date=date(2026, 1, 1), actual_start_date=date(2026, 2, 1))
    assert alerts([], [], [started], AS_OF) == ()


def test_alerts_are_sorted_most_severe_then_longest_overdue() -> None:
    found = alerts(
        [_supplied(date(2025, 1, 1)), _supplied(date(2024, 1, 1)), _supplied(date(2025, 6, 1))],
        [],
        [project(agreed_start_date=date(2020, 1, 1))],
        AS_OF,
    )
    assert [a.severity for a in found] == [
        AlertSeverity.CRITICAL,
        AlertSeverity.WARNING,
        AlertSeverity.WARNING,
        AlertSeverity.WARNING,
    ]
    assert [a.days for a in found[1:]] == sorted((a.days for a in found[1:]), reverse=True)
    counts = count_alerts(found)
    assert counts[AlertKind.IDLE_LAND_FEE] == 2
    assert counts[AlertKind.RESERVATION_EXPIRED] == 0


# ---------------------------------------------------------------- stock and pipeline


def test_stock_waiting_for_projects() -> None:
    net = parcel(readiness="净地(可供)", reserve_date=date(2025, 11, 24))
    ready = parcel(readiness="净地(可供)", ready_since=date(2026, 11, 14))
    raw = parcel(readiness="三通一平")
    locked = parcel(readiness="净地(可供)", status="意向锁定")
    idle = factory(status="闲置", idle_area_m2=3000.0, idle_since=date(2026, 1, 1))
    new = factory(status="已建成", completion_date=date(2026, 10, 25), floor_area_m2=8000.0)
    partly = factory(status="部分入驻", idle_area_m2=0.0)
    let = factory(status="已入驻", idle_area_m2=0.0)
    found = stock([net, ready, raw, locked], [idle, new, partly, let], AS_OF)
    assert [(p.id, p.days_waiting) for p in found.parcels] == [(net.id, 365), (ready.id, 10)]
    assert [(f.id, f.idle_area_m2, f.days_idle) for f in found.factories] == [
        (idle.id, 3000.0, 327),
        (new.id, 8000.0, 30),
    ]
    assert found.land_mu == 200.0
    assert found.idle_m2 == 11_000.0
    assert found.for_region(2).parcels == ()


def test_pipeline_lists_every_stage_in_order() -> None:
    items = [
        project(stage="线索", total_investment_wan=None),
        project(stage="开工", total_investment_wan=5_000.0),
        project(stage="开工", total_investment_wan=7_000.0),
        project(stage="终止"),
    ]
    stages = pipeline(items)
    assert [s.stage for s in stages] == [
        "线索",
        "在谈",
        "签约",
        "拟开工",
        "开工",
        "竣工投产",
        "终止",
    ]
    by_stage = {s.stage: s for s in stages}
    assert (by_stage["开工"].count, by_stage["开工"].total_investment_wan) == (2, 12_000.0)
    assert by_stage["线索"].total_investment_wan == 0.0
    assert by_stage["在谈"].project_ids == ()


# ---------------------------------------------------------------- the city's year


def test_city_report_end_to_end() -> None:
    regions = [
        RegionInfo(1, "甲县", "县"),
        RegionInfo(2, "乙区", "区"),
        RegionInfo(3, "市本级", "市"),
    ]
    report = build_city_report(
        year=2026,
        as_of=AS_OF,
        regions=regions,
        parks=[ParkInfo(10, "甲园", 1), ParkInfo(11, "外市园", 99)],
        quotas={2: QuotaTargets(1000.0, 50_000.0)},
        city_defaults={"县": QuotaTargets(1500.0, 100_000.0)},
        parcels=[
            parcel(region_id=1, area_mu=1500.0),
            parcel(region_id=2, area_mu=400.0, reserve_date=date(2025, 12, 31)),  # last year
            parcel(region_id=2, area_mu=400.0, reserve_date=date(2025, 12, 31), count_year=2026),
            parcel(region_id=3, area_mu=50.0),
            parcel(region_id=99, area_mu=9999.0),  # a region not in the list: ignored
            _supplied(date(2024, 1, 1), region_id=2),
        ],
        factories=[factory(region_id=1, floor_area_m2=100_000.0), factory(region_id=2)],
        projects=[project(region_id=1, park_id=10, total_investment_wan=60_000.0)],
    )
    assert [(p.name, p.rank) for p in report.regions] == [
        ("甲县", 1),
        ("乙区", 2),
        ("市本级", None),
    ]
    first = report.region(1)
    assert first.targets.source is TargetSource.CITY_DEFAULT
    assert first.status is PaceStatus.DONE
    second = report.region(2)
    assert second.targets.source is TargetSource.EXPLICIT
    # Counted: the count_year parcel (400) and the supplied one reserved in 2026 (100 亩).
    assert second.land.done == 500.0
    assert report.region(3).land.done == 50.0
    assert report.total.land.target == 2500.0
    assert report.total.land.done == 2050.0
    assert report.total.monthly[11].land_cumulative_mu == 2050.0
    assert report.total.rates.contracts == 1
    assert [p.name for p in report.parks] == ["甲园"]
    assert report.parks[0].signed_500m_ids
    assert [a.kind for a in report.alerts] == [AlertKind.LAND_TAKE_BACK]
    assert report.region_names[2] == "乙区"
    with pytest.raises(KeyError):
        report.region(99)


def test_city_report_of_an_empty_ledger() -> None:
    report = build_city_report(year=2026, as_of=AS_OF, regions=[])
    assert report.regions == ()
    assert report.total.land.target == 0.0
    assert report.total.status is PaceStatus.NO_TARGET
    assert report.alerts == ()
    assert report.stock.parcels == ()
