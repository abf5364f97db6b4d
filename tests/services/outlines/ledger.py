"""A small ledger for the outline tests: two counties, parcels (one code in both counties),
a factory and a park."""

from __future__ import annotations

from sqlalchemy import Engine, func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.engine import session_scope
from landbank.store.models import AuditEntry, Factory, LandParcel, Park


def make_ledger(engine: Engine, parcels: dict[str, float] | None = None) -> None:
    """辉县市 and 获嘉县; parcels code → 收储面积 in 辉县市 (default HX-001 90 亩, HX-002 80 亩),
    DUP-1 in both counties, factory CF-1, park 辉县市产业集聚区."""
    with session_scope(engine) as s:
        for name in ("辉县市", "获嘉县"):
            create_record(
                s, RecordKind.REGION, {"name": name, "kind": "县", "city": "新乡市"}, user="管理员"
            )
        create_record(
            s, RecordKind.PARK, {"name": "辉县市产业集聚区", "region_id": "辉县市"}, user="管理员"
        )
        for code, area in (
            parcels if parcels is not None else {"HX-001": 90.0, "HX-002": 80.0}
        ).items():
            _parcel(s, code, "辉县市", area)
        _parcel(s, "DUP-1", "辉县市", 90.0)
        _parcel(s, "DUP-1", "获嘉县", 90.0)
        create_record(
            s,
            RecordKind.FACTORY,
            {
                "code": "CF-1",
                "name": "1号厂房",
                "region_id": "辉县市",
                "status": "已建成",
                "floor_area_m2": 5000,
            },
            user="管理员",
        )


def _parcel(s: Session, code: str, county: str, area: float) -> None:
    create_record(
        s,
        RecordKind.PARCEL,
        {
            "code": code,
            "name": f"{code}地块",
            "region_id": county,
            "area_mu": area,
            "readiness": "拟收储",
            "status": "可供",
        },
        user="管理员",
    )


def state(engine: Engine) -> tuple[object, ...]:
    """What an import may change: audit entries, versions and outlines of every record."""
    with session_scope(engine) as s:
        parcels = tuple(
            s.execute(
                select(LandParcel.version, LandParcel.outline_geojson, LandParcel.outline_area_mu)
            )
        )
        parks = tuple(s.execute(select(Park.version, Park.outline_geojson)))
        factories = tuple(s.execute(select(Factory.version, Factory.longitude, Factory.latitude)))
        audit = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return parcels, parks, factories, audit


def parcel(engine: Engine, code: str, county: str = "辉县市") -> LandParcel:
    from landbank.store.models import Region

    with session_scope(engine) as s:
        row = s.execute(
            select(LandParcel)
            .join(Region, Region.id == LandParcel.region_id)
            .where(LandParcel.code == code, Region.name == county)  # type: ignore[arg-type]
        ).scalar_one()
        s.expunge(row)
        return row
