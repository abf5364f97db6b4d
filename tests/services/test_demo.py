"""The demo city: plausible counts, consistent states, deterministic, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from sqlalchemy import Engine, func, select
from sqlmodel import Session, col

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RecordKind,
)
from landbank.domain.validation import validate_record
from landbank.services.demo.city import DemoSummary, create_demo_city
from landbank.services.demo.standards import ROWS as STANDARD_ROWS
from landbank.services.records.saving import record_values
from landbank.store.models import (
    TABLES,
    AnnualQuota,
    AuditEntry,
    Factory,
    LandParcel,
    Park,
    Project,
    Region,
)

YEAR = 2026
AS_OF = date(2026, 11, 24)


def _make(engine: Engine, seed: int = 7) -> DemoSummary:
    with Session(engine) as session:
        summary = create_demo_city(session, year=YEAR, seed=seed, as_of=AS_OF)
        session.commit()
    return summary


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every record's fields (not ids, uuids or timestamps), in id order."""
    result = {}
    with Session(engine) as session:
        for kind, table in TABLES.items():
            rows = session.execute(select(table).order_by(table.id)).scalars()  # type: ignore[arg-type]
            result[kind.value] = [tuple(record_values(kind, r).values()) for r in rows]
    return result


def test_demo_city_counts_and_consistency(any_engine: Engine) -> None:
    started = time.perf_counter()
    summary = _make(any_engine)
    elapsed = time.perf_counter() - started
    assert elapsed < 10  # ~0.6 s on SQLite, ~1.5 s on PostgreSQL

    assert summary.regions == 5
    assert 1 * 5 <= summary.parks <= 3 * 5
    assert 180 <= summary.parcels <= 220
    assert 100 <= summary.factories <= 140
    assert 50 <= summary.projects <= 70
    assert summary.quotas == 5
    assert "200 个地块" in summary.describe()

    with Session(any_engine) as s:
        assert s.execute(select(func.count()).select_from(LandParcel)).scalar_one() == (
            summary.parcels
        )
        # Everything was created through create_record: one audit entry per record, source 演示数据,
        # and each 意向锁定 parcel then reserved for an open project of its county (two entries);
        # and the ledger's city and bureau, a shared setting (one entry each).
        locked = s.execute(
            select(func.count()).select_from(LandParcel).where(col(LandParcel.status) == "意向锁定")
        ).scalar_one()
        reserved = s.execute(
            select(func.count())
            .select_from(LandParcel)
            .where(col(LandParcel.reserved_project_id).is_not(None))
        ).scalar_one()
        assert reserved == locked > 0
        # The sites located (services/demo/sites.py): an outline is three entries (红线, 红线面积,
        # 红线来源), a building's position two (经度, 纬度).
        outlines = sum(
            s.execute(
                select(func.count())
                .select_from(table)
                .where(col(table.outline_geojson).is_not(None))
            ).scalar_one()
            for table in (LandParcel, Park)
        )
        points = s.execute(
            select(func.count()).select_from(Factory).where(col(Factory.longitude).is_not(None))
        ).scalar_one()
        total = (
            2
            + 2 * reserved
            + 3 * outlines
            + 2 * points
            + len(STANDARD_ROWS)  # the 标准地 table's rows
            + sum(
                (
                    summary.regions,
                    summary.parks,
                    summary.parcels,
                    summary.factories,
                    summary.projects,
                    summary.quotas,
                )
            )
        )
        sources = s.execute(select(AuditEntry.source, func.count()).group_by(AuditEntry.source))
        assert dict(sources.all()) == {"演示数据": total}

        kinds = {r.name: r.kind for r in s.execute(select(Region)).scalars()}
        assert kinds == {
            "辉县市": "县",
            "获嘉县": "县",
            "原阳县": "县",
            "红旗区": "区",
            "牧野区": "区",
        }
        quotas = s.execute(select(AnnualQuota)).scalars().all()
        assert {q.year for q in quotas} == {YEAR}
        assert sorted(q.land_target_mu for q in quotas) == [1200, 1200, 2000, 2000, 2000]

        parcels = s.execute(select(LandParcel)).scalars().all()
        for p in parcels:
            assert not validate_record(RecordKind.PARCEL, record_values(RecordKind.PARCEL, p))
            assert 15 <= p.area_mu <= 400
            if list(ParcelStatus).index(ParcelStatus(p.status)) >= 2:
                assert p.readiness == ParcelReadiness.NET_LAND
            if p.status in (ParcelStatus.SUPPLIED, ParcelStatus.STARTED):
                assert p.holder
                assert p.supervision_no
                assert p.agreed_start_date
            if p.status == ParcelStatus.STARTED:
                assert p.actual_start_date is not None
            if p.reserve_date is not None:
                assert YEAR - 2 <= p.reserve_date.year <= YEAR
                assert p.reserve_date <= AS_OF
        # Areas skew small: the median is well below the middle of the range.
        areas = sorted(p.area_mu for p in parcels)
        assert areas[len(areas) // 2] < 150
        assert {p.status for p in parcels} == {s.value for s in ParcelStatus}
        assert len({p.code for p in parcels}) == len(parcels)

        factories = s.execute(select(Factory)).scalars().all()
        assert {f.status for f in factories} == {s.value for s in FactoryStatus}
        for f in factories:
            assert 2000 <= f.floor_area_m2 <= 30000
            assert f.floors is not None
            assert 1 <= f.floors <= 5
            assert f.ceiling_height_m is not None
            assert 6 <= f.ceiling_height_m <= 12
            assert f.rent_yuan_m2_month is not None
            assert 8 <= f.rent_yuan_m2_month <= 18
            if f.status in (FactoryStatus.IDLE, FactoryStatus.PARTLY_OCCUPIED):
                assert f.idle_area_m2
                assert f.idle_since is not None
            if f.completion_date is not None:
                assert f.completion_date <= AS_OF

        projects = s.execute(select(Project)).scalars().all()
        codes = [p.credit_code for p in projects]
        assert all(c is not None and len(c) == 18 for c in codes)
        assert len(set(codes)) == len(codes)
        assert len({p.name for p in projects}) == len(projects)
        investments = [p.total_investment_wan or 0 for p in projects]
        assert all(3000 <= x <= 800_000 for x in investments)
        assert sum(x >= 50_000 for x in investments) >= 3
        assert sum(x >= 10_000 for x in investments) >= 10
        assert {p.stage for p in projects} == {s.value for s in ProjectStage}
        for p in projects:
            if p.stage in (ProjectStage.STARTED, ProjectStage.IN_PRODUCTION):
                assert p.signed_date
                assert p.actual_start_date
                assert p.signed_date <= p.actual_start_date <= AS_OF
            if p.stage in (ProjectStage.LEAD, ProjectStage.NEGOTIATING):
                assert p.signed_date is None
            assert p.req_land_mu or p.req_factory_m2


def test_demo_is_deterministic_for_a_seed(engine: Engine, tmp_path: Any) -> None:
    from landbank.store.migrate import open_database

    _make(engine, seed=11)
    other = open_database(f"sqlite:///{tmp_path / 'second.sqlite3'}")
    third = open_database(f"sqlite:///{tmp_path / 'third.sqlite3'}")
    try:
        _make(other, seed=11)
        _make(third, seed=12)
        first = _snapshot(engine)
        assert first == _snapshot(other)
        assert first != _snapshot(third)
    finally:
        other.dispose()
        third.dispose()


def test_credit_code_check_character() -> None:
    from landbank.services.demo.random_values import credit_code_check

    # A published example of a 统一社会信用代码: 91350100M000100Y43.
    assert credit_code_check("91350100M000100Y4") == "3"


def test_demo_sites_lie_on_the_map_with_a_few_to_explain(engine: Engine) -> None:
    """Most parcels have an outline whose area agrees with the register, a few disagree (over
    1 %: 红线面积不符) or have none yet; most buildings have a position; every park an outline;
    all of it near the city of 新乡 and the same for the same seed."""
    import json

    from shapely.geometry import shape

    from landbank.domain.outlines.area import outline_area_mismatch

    _make(engine)
    with Session(engine) as s:
        parcels = s.execute(select(LandParcel)).scalars().all()
        factories = s.execute(select(Factory)).scalars().all()
        parks = s.execute(select(Park)).scalars().all()
    outlined = [p for p in parcels if p.outline_geojson]
    mismatched = [p for p in outlined if outline_area_mismatch(p.area_mu, p.outline_area_mu)]
    assert 0.8 * len(parcels) <= len(outlined) < len(parcels)
    assert 3 <= len(mismatched) <= 0.15 * len(outlined)
    for p in mismatched:
        assert 0.019 <= abs(p.outline_area_mu - p.area_mu) / p.area_mu <= 0.051
    for p in outlined:
        geometry = shape(json.loads(p.outline_geojson or ""))
        assert geometry.is_valid
        assert 113.4 < geometry.centroid.x < 114.3
        assert 34.9 < geometry.centroid.y < 35.7
        if p not in mismatched:
            assert abs(p.outline_area_mu - p.area_mu) <= 0.001 * p.area_mu
    located = [f for f in factories if f.longitude is not None]
    assert 0.8 * len(factories) <= len(located) < len(factories)
    assert all(113.4 < f.longitude < 114.3 and 34.9 < f.latitude < 35.7 for f in located)
    assert all(p.outline_geojson for p in parks)
    # No two parcels' outlines overlap (rows of rectangles with roads between).
    shapes = [shape(json.loads(p.outline_geojson or "")) for p in outlined]
    overlaps = sum(
        1 for i, a in enumerate(shapes) for b in shapes[i + 1 :] if a.intersection(b).area > 1e-12
    )
    assert overlaps == 0


def test_demo_parcels_have_a_life_after_supply(engine: Engine) -> None:
    """services/demo/land_life.py: the after-supply figures give the 土地利用状况 tab and the
    county's tallies something to show (the demo has no yearly figures: see its docstring)."""
    from landbank.domain.land_life.low_efficiency import LowEfficiency
    from landbank.services.land_life.status import county_land_life

    _make(engine)
    with Session(engine) as s:
        parcels = s.execute(select(LandParcel)).scalars().all()
        supplied = [p for p in parcels if p.status not in ("可供", "意向锁定", "已挂牌")]
        assert all(p.contract_investment_wan for p in supplied)
        assert any(p.stopped_since for p in parcels)
        assert any(p.production_start_date for p in parcels)
        assert any(p.approval_date and p.status == "可供" for p in parcels)
        report = county_land_life(s, AS_OF)
    counted = {k: sum(c.summary.low[k].count for c in report.counties) for k in LowEfficiency}
    assert counted[LowEfficiency.APPROVED_NOT_SUPPLIED] > 0
    assert counted[LowEfficiency.USED_NOT_FULLY] > 0
    assert sum(c.summary.idle.count for c in report.counties) > 0


def test_demo_standards_table_applies_by_park_and_industry(engine: Engine) -> None:
    """The demo's 标准地 rows are stored and resolve per indicator: a park's row for its
    leading industry over the county's row, the county's row for the rest."""
    from landbank.domain.standards.indicators import Indicator
    from landbank.services.standards.rows import standard_for
    from landbank.store.models import LandStandard

    _make(engine)
    with Session(engine) as s:
        assert s.execute(select(func.count()).select_from(LandStandard)).scalar_one() == len(
            STANDARD_ROWS
        )
        county = s.execute(select(Region.id).where(col(Region.name) == "辉县市")).scalar_one()
        park = s.execute(select(Park.id).where(col(Park.name) == "辉县市产业集聚区")).scalar_one()
        machines = standard_for(s, county, park, "装备制造")
        food = standard_for(s, county, park, "食品加工")
    intensity = machines.get(Indicator.INVESTMENT_INTENSITY)
    assert intensity is not None
    assert intensity.threshold.low == 300
    assert "辉县市产业集聚区" in intensity.source
    tax = machines.get(Indicator.TAX_PER_MU)
    assert tax is not None
    assert tax.threshold.low == 12  # the county's row fills what the park's left blank
    other = food.get(Indicator.INVESTMENT_INTENSITY)
    assert other is not None
    assert other.threshold.low == 200
