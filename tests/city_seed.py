"""Two counties of a city with a parcel each, written by the superuser before any clerk logs
in — for the tests of what each clerk's app offers (issue 14 item 5)."""

from __future__ import annotations

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.engine import make_engine, write_session

COUNTIES = (("hj", "获嘉县"), ("hx", "辉县市"))
PARCEL = {"area_mu": 30.0, "readiness": "净地(可供)", "status": "可供"}


def seed_two_counties(url: str) -> dict[str, int]:
    """获嘉县 and 辉县市, a parcel HJ-1 / HX-1 and a project each; ids by "hj", "hj.parcel",
    "hj.project" …"""
    admin = make_engine(url)
    ids: dict[str, int] = {}
    try:
        with write_session(admin) as s:
            for short, name in COUNTIES:
                region = create_record(s, RecordKind.REGION, {"name": name, "kind": "县"}, user="t")
                assert region.id is not None
                ids[short] = region.id
                parcel = create_record(
                    s,
                    RecordKind.PARCEL,
                    {"region_id": region.id, "code": f"{short.upper()}-1", **PARCEL},
                    user="t",
                )
                project = create_record(
                    s,
                    RecordKind.PROJECT,
                    {"region_id": region.id, "name": f"{name}项目", "stage": "在谈", "req_land_mu": 25.0},
                    user="t",
                )
                assert parcel.id is not None
                assert project.id is not None
                ids[f"{short}.parcel"], ids[f"{short}.project"] = parcel.id, project.id
    finally:
        admin.dispose()
    return ids
