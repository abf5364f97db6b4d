"""The quota report on a real ledger (SQLite and PostgreSQL): the lean, SQL-filtered loading
gives exactly what the domain rules give on every record; defaults; the region detail, the
catalogue, the projects report and the alerts; the demo city's picture."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.quota.alerts import AlertKind
from landbank.domain.quota.city_report import build_city_report
from landbank.domain.quota.facts import FactoryFact, ParcelFact, ParkInfo, ProjectFact, RegionInfo
from landbank.domain.quota.pace import PaceStatus
from landbank.domain.quota.region_targets import TargetSource
from landbank.domain.quota.targets import QuotaTargets
from landbank.services.demo.city import create_demo_city
from landbank.services.quota.catalogue import catalogue
from landbank.services.quota.defaults import (
    QuotaInputError,
    city_default_targets,
    quota_defaults,
    reset_quota_default,
    set_quota_default,
)
from landbank.services.quota.fact_queries import (
    FACTORY_FACT_COLUMNS,
    PARCEL_FACT_COLUMNS,
    PROJECT_FACT_COLUMNS,
    with_ready_since,
)
from landbank.services.quota.projects import projects_report
from landbank.services.quota.region_detail import region_detail
from landbank.services.quota.report import city_report, load_alerts
from landbank.services.records.saving import create_record, update_record
from landbank.store.engine import session_scope
from landbank.store.models import AnnualQuota, Park, Region

YEAR = 2026
AS_OF = date(2026, 11, 24)


def _add(s: Session, record_kind: RecordKind, /, **values: Any) -> int:
    record = create_record(s, record_kind, values, user="测试员")
    assert record.id is not None
    return record.id


def _parcel(s: Session, region: int, code: str, **values: Any) -> int:
    defaults = {"area_mu": 100.0, "readiness": "三通一平", "status": "可供"}
    return _add(s, RecordKind.PARCEL, code=code, region_id=region, **{**defaults, **values})


def _factory(s: Session, region: int, code: str, **values: Any) -> int:
    defaults = {"name": f"{code}厂房", "floor_area_m2": 10_000.0, "status": "已入驻"}
    defaults["idle_area_m2"] = 0.0 if values.get("status", "已入驻") == "已入驻" else None
    return _add(s, RecordKind.FACTORY, code=code, region_id=region, **{**defaults, **values})


@pytest.fixture
def ledger(any_engine: Engine) -> dict[str, int]:
    """Three regions (县 with an explicit quota, 区 on the defaults, the city itself), records
    on both sides of every year boundary and one of each alert."""
    with session_scope(any_engine) as s:
        ids = {
            "hx": _add(s, RecordKind.REGION, name="辉县市", kind="县"),
            "hq": _add(s, RecordKind.REGION, name="红旗区", kind="区"),
            "city": _add(s, RecordKind.REGION, name="新乡市本级", kind="市"),
        }
        ids["park"] = _add(s, RecordKind.PARK, name="孟庄产业园", region_id=ids["hx"])
        _add(s, RecordKind.QUOTA, region_id=ids["hx"], year=YEAR, land_target_mu=1000.0,
             factory_target_m2=50_000.0)  # fmt: skip
        hx, hq = ids["hx"], ids["hq"]
        ids["jan1"] = _parcel(s, hx, "HX-1", reserve_date=date(2026, 1, 1), area_mu=300.0)
        ids["dec31"] = _parcel(s, hx, "HX-2", reserve_date=date(2025, 12, 31), area_mu=50.0)
        ids["moved"] = _parcel(s, hx, "HX-3", reserve_date=date(2025, 12, 31), count_year=YEAR,
                               area_mu=200.0)  # fmt: skip
        ids["planned"] = _parcel(s, hx, "HX-4", readiness="拟收储", count_year=YEAR, area_mu=80.0)
        ids["net"] = _parcel(s, hx, "HX-5", readiness="净地(可供)", reserve_date=date(2026, 3, 5),
                             area_mu=120.0, park_id=ids["park"], target_industry="装备制造",
                             far_min=1.0, far_max=2.5)  # fmt: skip
        ids["idle_land"] = _parcel(
            s, hx, "HX-6", readiness="净地(可供)", status="已出让/划拨",
            reserve_date=date(2023, 3, 1), supervision_no="4107822024B00001", holder="某公司",
            price_wan=1000.0, agreed_start_date=date(2024, 11, 1),
        )  # fmt: skip
        ids["hq_land"] = _parcel(s, hq, "HQ-1", reserve_date=date(2026, 6, 30), area_mu=600.0)
        ids["f_done"] = _factory(s, hx, "F-1", completion_date=date(2026, 12, 31),
                                 floor_area_m2=40_000.0)  # fmt: skip
        ids["f_old"] = _factory(s, hx, "F-2", completion_date=date(2025, 12, 31))
        ids["f_building"] = _factory(s, hx, "F-3", status="在建", completion_date=date(2026, 12, 1),
                                     floor_area_m2=8_000.0)  # fmt: skip
        ids["f_idle"] = _factory(s, hq, "F-4", status="闲置", completion_date=date(2024, 5, 1),
                                 idle_area_m2=10_000.0, idle_since=date(2024, 6, 1),
                                 ceiling_height_m=9.0, power_kva=800.0)  # fmt: skip
        ids["late"] = _add(s, RecordKind.PROJECT, name="逾期项目", region_id=hx,
                           park_id=ids["park"], stage="签约", total_investment_wan=60_000.0,
                           signed_date=date(2026, 2, 1), agreed_start_date=date(2026, 6, 1),
                           contract_investment_wan=50_000.0, funds_in_place_wan=5_000.0,
                           responsible_unit="辉县市商务局")  # fmt: skip
        ids["started"] = _add(s, RecordKind.PROJECT, name="开工项目", region_id=hx,
                              park_id=ids["park"], stage="开工", total_investment_wan=20_000.0,
                              signed_date=date(2026, 1, 10), agreed_start_date=date(2026, 3, 1),
                              actual_start_date=date(2026, 3, 15),
                              contract_investment_wan=20_000.0,
                              funds_in_place_wan=15_000.0)  # fmt: skip
        ids["lead"] = _add(s, RecordKind.PROJECT, name="线索项目", region_id=hq, stage="线索")
    return ids


def _all_facts(s: Session, year: int = YEAR) -> dict[str, Any]:
    """Every record, unfiltered: what the SQL filters must not change."""
    return {
        "regions": sorted(
            (RegionInfo(r.id, r.name, r.kind) for r in s.execute(select(Region)).scalars()),
            key=lambda r: r.name,
        ),
        "parks": [
            ParkInfo(p.id, p.name, p.region_id, p.target_projects_500m, p.target_projects_100m)
            for p in s.execute(select(Park)).scalars()
        ],
        "quotas": {
            q.region_id: QuotaTargets(q.land_target_mu, q.factory_target_m2)
            for q in s.execute(select(AnnualQuota).where(col(AnnualQuota.year) == year)).scalars()
        },
        "city_defaults": city_default_targets(s),
        "parcels": with_ready_since(
            s, [ParcelFact(*r) for r in s.execute(select(*PARCEL_FACT_COLUMNS))]
        ),
        "factories": [FactoryFact(*r) for r in s.execute(select(*FACTORY_FACT_COLUMNS))],
        "projects": [ProjectFact(*r) for r in s.execute(select(*PROJECT_FACT_COLUMNS))],
    }


def _same(a: Any, b: Any) -> None:
    assert a.regions == b.regions
    assert a.total == b.total
    assert a == b


def test_city_report_figures(any_engine: Engine, ledger: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        report = city_report(s, YEAR, as_of=AS_OF)
        expected = build_city_report(year=YEAR, as_of=AS_OF, **_all_facts(s))
    _same(report, expected)

    hx = report.region(ledger["hx"])
    assert hx.targets.source is TargetSource.EXPLICIT
    # 1 Jan (300), the 2025 parcel counted in 2026 (200), the 净地 one (120); not 31 Dec 2025,
    # not the planned one, not the one reserved in 2023.
    assert hx.land.done == 620.0
    assert hx.land.record_ids == (ledger["jan1"], ledger["moved"], ledger["net"])
    assert hx.factory.done == 40_000.0
    assert hx.factory.record_ids == (ledger["f_done"],)
    assert hx.monthly[0].land_mu == 500.0  # 1 Jan and the one moved from 2025
    assert hx.monthly[2].parcel_ids == (ledger["net"],)
    assert hx.monthly[11].factory_m2 == 40_000.0
    assert hx.rates.contracts == 2
    assert hx.rates.performance_pct == pytest.approx(50.0)
    assert hx.rates.funds_pct == pytest.approx(20_000 / 70_000 * 100)

    hq = report.region(ledger["hq"])
    assert hq.targets.source is TargetSource.POLICY_DEFAULT
    assert (hq.land.done, hq.land.target) == (600.0, 1200.0)
    assert hq.rates.performance_pct is None
    city = report.region(ledger["city"])
    assert city.rank is None
    assert [r.name for r in report.regions] == ["辉县市", "红旗区", "新乡市本级"]
    assert [r.rank for r in report.regions] == [1, 2, None]

    assert report.total.land.done == 1220.0
    assert {(a.kind, a.record_id) for a in report.alerts} == {
        (AlertKind.LAND_TAKE_BACK, ledger["idle_land"]),
        (AlertKind.FACTORY_IDLE, ledger["f_idle"]),
        (AlertKind.PROJECT_START_OVERDUE, ledger["late"]),
    }
    assert [p.id for p in report.stock.parcels] == [ledger["net"]]
    assert report.stock.parcels[0].days_waiting is not None
    assert [f.id for f in report.stock.factories] == [ledger["f_idle"]]
    [park] = report.parks
    assert park.signed_500m_ids == (ledger["late"],)
    assert set(park.signed_100m_ids) == {ledger["late"], ledger["started"]}
    assert park.landed_100m_ids == (ledger["started"],)
    assert {s.stage: s.count for s in report.pipeline}["签约"] == 1

    with session_scope(any_engine) as s:
        assert load_alerts(s, as_of=AS_OF) == report.alerts
        assert {a.region_id for a in load_alerts(s, as_of=AS_OF, region_id=ledger["hq"])} == {
            ledger["hq"]
        }
        # Another day: the SQL filters still agree with the rules on every record.
        for day in (date(2025, 11, 1), date(2027, 1, 1)):
            for year in (2025, 2026, 2027):
                _same(
                    city_report(s, year, as_of=day),
                    build_city_report(year=year, as_of=day, **_all_facts(s, year)),
                )


def test_city_defaults_replace_the_policy(any_engine: Engine, ledger: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        infos = {i.kind.value: i for i in quota_defaults(s)}
        assert set(infos) == {"县", "区"}
        assert not infos["区"].city
        assert infos["区"].land_target_mu == 1200.0
        changed = set_quota_default(s, "区", land_target_mu=800.0, user="王科长")
        assert (changed.land_target_mu, changed.factory_target_m2) == (800.0, 60_000.0)
        with pytest.raises(QuotaInputError, match="收储目标"):
            set_quota_default(s, "区", land_target_mu=-1.0, user="王科长")
        with pytest.raises(QuotaInputError, match="不是县区类型"):
            set_quota_default(s, "镇", land_target_mu=1.0, user="王科长")
    with session_scope(any_engine) as s:
        infos = {i.kind.value: i for i in quota_defaults(s)}
        assert infos["区"].city
        assert infos["区"].updated_by == "王科长"
        assert infos["区"].updated_at is not None
        report = city_report(s, YEAR, as_of=AS_OF)
        hq = report.region(ledger["hq"])
        assert hq.targets.source is TargetSource.CITY_DEFAULT
        assert hq.land.target == 800.0
        assert hq.land.percent == pytest.approx(75.0)
        # The explicit quota of 辉县市 still wins over any default.
        set_quota_default(s, "县", land_target_mu=5.0, factory_target_m2=5.0, user="王科长")
        assert city_report(s, YEAR, as_of=AS_OF).region(ledger["hx"]).land.target == 1000.0
    with session_scope(any_engine) as s:
        reset_quota_default(s, "区", user="李")
        reset_quota_default(s, "区", user="李")  # twice: nothing to do
        assert city_report(s, YEAR, as_of=AS_OF).region(ledger["hq"]).land.target == 1200.0


def test_a_parcel_waits_since_it_became_net_land(
    any_engine: Engine, ledger: dict[str, int]
) -> None:
    with session_scope(any_engine) as s:
        raw = _parcel(s, ledger["hq"], "HQ-9", reserve_date=date(2020, 1, 1),
                      readiness="七通一平")  # fmt: skip
        no_date = _parcel(s, ledger["hq"], "HQ-10", readiness="净地(可供)")
    with session_scope(any_engine) as s:
        update_record(s, RecordKind.PARCEL, raw, {"readiness": "净地(可供)"}, expected_version=1,
                      user="测试员")  # fmt: skip
    today = date.today()
    with session_scope(any_engine) as s:
        waiting = {p.id: p for p in city_report(s, YEAR, as_of=today).stock.parcels}
    assert waiting[raw].ready_since == today  # from the history, not the 2020 reserve date
    assert waiting[raw].days_waiting == 0
    assert waiting[no_date].ready_since == today  # no date at all: the day it was entered
    assert waiting[ledger["net"]].ready_since == date(2026, 3, 5)  # created as 净地


def test_region_detail(any_engine: Engine, ledger: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        report = city_report(s, YEAR, as_of=AS_OF)
        detail = region_detail(s, YEAR, ledger["hx"], as_of=AS_OF, report=report)
        again = region_detail(s, YEAR, ledger["hx"], as_of=AS_OF)  # builds its own report
    assert again == detail
    assert detail.progress == report.region(ledger["hx"])
    assert detail.ranked_regions == 2
    assert [(r.code, r.month) for r in detail.parcels] == [("HX-3", 1), ("HX-1", 1), ("HX-5", 3)]
    assert [r.code for r in detail.factories] == ["F-1"]
    assert detail.factories[0].month == 12
    assert [r.code for r in detail.candidate_parcels] == ["HX-4"]
    assert detail.candidate_land_mu == 80.0
    assert [r.code for r in detail.candidate_factories] == ["F-3"]
    assert detail.candidate_factory_m2 == 8_000.0
    assert detail.progress.land.remaining == 380.0
    assert [p.name for p in detail.parks] == ["孟庄产业园"]
    assert {a.record_id for a in detail.alerts} == {ledger["idle_land"], ledger["late"]}
    assert [p.id for p in detail.stock.parcels] == [ledger["net"]]
    assert detail.stock.factories == ()
    assert {s.stage: s.count for s in detail.pipeline} == {
        "线索": 0, "在谈": 0, "签约": 1, "拟开工": 0, "开工": 1, "竣工投产": 0, "终止": 0,
    }  # fmt: skip


def test_catalogue_of_net_land_and_idle_factories(
    any_engine: Engine, ledger: dict[str, int]
) -> None:
    with session_scope(any_engine) as s:
        book = catalogue(s, as_of=AS_OF)
        only_hq = catalogue(s, region_id=ledger["hq"], as_of=AS_OF)
    [land] = book.parcels
    assert (land.code, land.region, land.park, land.area_mu) == (
        "HX-5",
        "辉县市",
        "孟庄产业园",
        120.0,
    )
    assert (land.target_industry, land.far_min, land.far_max) == ("装备制造", 1.0, 2.5)
    assert land.days_waiting == (AS_OF - date(2026, 3, 5)).days
    [room] = book.factories
    assert (room.code, room.idle_area_m2, room.ceiling_height_m, room.power_kva) == (
        "F-4",
        10_000.0,
        9.0,
        800.0,
    )
    assert room.days_idle == (AS_OF - date(2024, 6, 1)).days
    assert book.land_mu == 120.0
    assert book.idle_m2 == 10_000.0
    assert only_hq.parcels == ()
    assert [f.code for f in only_hq.factories] == ["F-4"]


def test_projects_report(any_engine: Engine, ledger: dict[str, int]) -> None:
    with session_scope(any_engine) as s:
        whole = projects_report(s, YEAR, as_of=AS_OF)
        red_flag = projects_report(s, YEAR, region_id=ledger["hq"], as_of=AS_OF)
    [late] = whole.overdue
    assert (late.name, late.region, late.park, late.days_overdue) == (
        "逾期项目",
        "辉县市",
        "孟庄产业园",
        (AS_OF - date(2026, 6, 1)).days,
    )
    assert late.responsible_unit == "辉县市商务局"
    assert whole.total.rates.contracts == 2
    assert len(whole.regions) == 3
    assert red_flag.overdue == ()
    assert red_flag.total.name == "红旗区"
    assert red_flag.total.rates.contracts == 0
    assert {s.stage: s.count for s in red_flag.pipeline}["线索"] == 1
    assert red_flag.parks == ()


def test_an_empty_ledger(any_engine: Engine) -> None:
    with session_scope(any_engine) as s:
        report = city_report(s, YEAR, as_of=AS_OF)
        assert report.regions == ()
        assert report.total.status is PaceStatus.NO_TARGET
        assert catalogue(s, as_of=AS_OF).parcels == ()
        assert load_alerts(s, as_of=AS_OF) == ()


def test_the_demo_city_shows_a_year_worth_a_dashboard(engine: Engine) -> None:
    with session_scope(engine) as s:
        create_demo_city(s, year=YEAR, as_of=AS_OF)
    with session_scope(engine) as s:
        report = city_report(s, YEAR, as_of=AS_OF)
        detail = region_detail(
            s, YEAR, report.regions[0].region_id or 0, as_of=AS_OF, report=report
        )
    statuses = {r.status for r in report.regions}
    assert PaceStatus.ON_TRACK in statuses
    assert PaceStatus.FAR_BEHIND in statuses
    assert {r.rank for r in report.regions} == {1, 2, 3, 4, 5}
    kinds = {a.kind for a in report.alerts}
    assert {
        AlertKind.IDLE_LAND_FEE,
        AlertKind.FACTORY_IDLE,
        AlertKind.PROJECT_START_OVERDUE,
    } <= kinds
    assert report.stock.parcels
    assert report.stock.factories
    assert report.total.rates.contracts > 0
    assert all(p.count for p in report.pipeline)
    assert detail.parcels
    assert detail.progress.monthly[-1].land_cumulative_mu == detail.progress.land.done
    # The dashboard draws straight from the report: every figure names its records.
    total_ids = set(report.total.land.record_ids)
    assert total_ids == {i for r in report.regions for i in r.land.record_ids}
