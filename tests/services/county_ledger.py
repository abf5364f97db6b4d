"""A county's own single-PC SQLite ledger, made through landbank's services as a clerk would:
its county, two parks, parcels, factories, projects, a quota, a reservation, an edit and a
deletion in its history (for the import into a city's ledger: tests and benchmarks)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.matching.reservations import reserve_sites
from landbank.services.records.saving import create_record, delete_record, update_record
from landbank.store.engine import write_session
from landbank.store.migrate import open_database

TODAY = date(2026, 11, 24)


def make_county_ledger(
    path: Path,
    *,
    county: str = "延津",
    prefix: str = "YJ",
    parcels: int = 40,
    factories: int = 8,
    projects: int = 4,
    project_names: tuple[str, ...] = (),
    codes: tuple[str, ...] = (),
) -> dict[str, int]:
    """Write the ledger at ``path``; returns the ids of some of its records. ``codes`` and
    ``project_names`` replace the first generated ones (to make clashes)."""
    engine: Engine = open_database(f"sqlite:///{path}")
    ids: dict[str, int] = {}
    try:
        with write_session(engine) as s:
            region = create_record(
                s, RecordKind.REGION, {"name": county, "kind": "县"}, user="王县"
            )
            ids["region"] = int(region.id or 0)
            parks = [
                int(create_record(s, RecordKind.PARK, {"name": name, "region_id": region.id},
                                  user="王县").id or 0)
                for name in (f"{county}产业集聚区", f"{county}食品产业园")
            ]  # fmt: skip
            names = [*project_names, *(f"{county}项目{i}" for i in range(1, projects + 1))]
            ids["projects"] = projects
            for i, name in enumerate(names[:projects], 1):
                project = create_record(
                    s,
                    RecordKind.PROJECT,
                    {"name": name, "region_id": region.id, "stage": "在谈",
                     "park_id": parks[i % 2], "preferred_park_id": parks[0],
                     "req_land_mu": 50.0},
                    user="王县",
                )  # fmt: skip
                ids.setdefault("project", int(project.id or 0))
            all_codes = [*codes, *(f"{prefix}2026-{i:03d}" for i in range(1, parcels + 1))]
            for i, code in enumerate(all_codes[:parcels], 1):
                parcel = create_record(
                    s,
                    RecordKind.PARCEL,
                    {"code": code, "region_id": region.id, "area_mu": 20.0 + i,
                     "readiness": "净地(可供)", "status": "可供",
                     "park_id": parks[i % 2] if i % 3 else None},
                    user="王县",
                )  # fmt: skip
                ids.setdefault("parcel", int(parcel.id or 0))
                ids["last_parcel"] = int(parcel.id or 0)
            for i in range(1, factories + 1):
                create_record(
                    s,
                    RecordKind.FACTORY,
                    {"code": f"{prefix}-F{i:02d}", "name": f"{i}号厂房", "region_id": region.id,
                     "park_id": parks[0], "status": "闲置", "floor_area_m2": 3000.0 + i,
                     "idle_area_m2": 3000.0},
                    user="王县",
                )  # fmt: skip
            create_record(
                s,
                RecordKind.QUOTA,
                {"region_id": region.id, "year": 2026, "land_target_mu": 300.0,
                 "factory_target_m2": 20000.0},
                user="王县",
            )  # fmt: skip
        with write_session(engine) as s:
            reserve_sites(s, ids["project"], [(RecordKind.PARCEL, ids["parcel"])], today=TODAY,
                          user="李县")  # fmt: skip
        with write_session(engine) as s:
            record = update_record(
                s, RecordKind.PARCEL, ids["last_parcel"], {"location": "城关镇北"},
                expected_version=1, user="李县",
            )  # fmt: skip
            ids["edited_version"] = record.version
        with write_session(engine) as s:
            gone = create_record(
                s, RecordKind.PARCEL,
                {"code": f"{prefix}-DEL", "region_id": region.id, "area_mu": 5.0,
                 "readiness": "净地(可供)", "status": "可供"},
                user="王县",
            )  # fmt: skip
            delete_record(s, RecordKind.PARCEL, int(gone.id or 0), expected_version=1, user="王县")
    finally:
        engine.dispose()
    return ids
