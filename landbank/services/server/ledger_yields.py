"""The yearly figures of a county's parcels (table ``land_yield``, issue 16) on their way into
the city's ledger (``server import-ledger``, :mod:`.ledger_transfer`) and out of it (``server
export-ledger``, :mod:`.ledger_export`).

They go with their parcels. Into the city: the figures of every parcel the import adds or
matches, pointing at the city's id of the parcel and its county; a row whose uuid the city holds
is skipped (importing twice changes nothing); a year the city already holds for that parcel
under another row keeps the city's figures and is named in the report's notes. Out of the city:
the figures of the county's parcels, ids and uuids kept as the records' are.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from landbank.domain.enums import RecordKind
from landbank.services.server.ledger_rows import read_rows, table_of
from landbank.store.models import LandParcel, LandYield, as_utc

CHUNK = 900


def _chunks(ids: list[Any]) -> list[list[Any]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def copy_in(
    source: Engine, conn: Connection, parcel_ids: Mapping[int, int], labels: Mapping[int, str]
) -> list[str]:
    """Copy the file's yearly figures of the parcels ``parcel_ids`` maps (the file's id → the
    city's) once the records are written; the notes for the report (``labels``: the file's
    parcel id → its code, for a year kept)."""
    table = table_of(LandYield)
    with source.connect() as src:
        rows = [r for r in read_rows(src, table) if int(r["parcel_id"]) in parcel_ids]
    if not rows:
        return []
    parcels = table_of(LandParcel)
    city_ids = sorted({parcel_ids[int(r["parcel_id"])] for r in rows})
    region: dict[int, int] = {}
    held: set[tuple[int, int]] = set()
    known: set[str] = set()
    for part in _chunks(city_ids):
        stmt = select(parcels.c.id, parcels.c.region_id).where(parcels.c.id.in_(part))
        region.update({int(i): int(r) for i, r in conn.execute(stmt)})
        stmt = select(table.c.parcel_id, table.c.year).where(table.c.parcel_id.in_(part))
        held.update((int(p), int(y)) for p, y in conn.execute(stmt))
    for part in _chunks([str(r["uuid"]) for r in rows]):
        stmt = select(table.c.uuid).where(table.c.uuid.in_(part))
        known.update(str(u) for u in conn.execute(stmt).scalars())
    values: list[dict[str, Any]] = []
    kept: list[str] = []
    for row in rows:
        if str(row["uuid"]) in known:
            continue
        city_parcel = parcel_ids[int(row["parcel_id"])]
        if (city_parcel, int(row["year"])) in held:
            kept.append(f"{labels.get(int(row['parcel_id']), city_parcel)} {row['year']}年")
            continue
        copied = {k: v for k, v in row.items() if k != "id"}
        copied.update(
            parcel_id=city_parcel, region_id=region[city_parcel],
            created_at=as_utc(row["created_at"]), updated_at=as_utc(row["updated_at"]),
        )  # fmt: skip
        values.append(copied)
    if values:
        conn.execute(insert(table), values)
    notes = [f"年度经营数据并入 {len(values)} 行"] if values else []
    if kept:
        notes.append(f"城市库已有的年度经营数据，保留城市库的数值：{'、'.join(kept)}")
    return notes


def copy_out(url: str, target: Connection, parcel_ids: Collection[int]) -> int:
    """Copy the city's yearly figures of the county's parcels into the exported ledger
    (``target``), ids kept; how many."""
    from landbank.store.migrate import open_database

    table = table_of(LandYield)
    source = open_database(url)
    try:
        with source.connect() as conn:
            rows = []
            for part in _chunks(sorted(parcel_ids)):
                stmt = select(table).where(table.c.parcel_id.in_(part)).order_by(table.c.id)
                rows += [dict(r) for r in conn.execute(stmt).mappings()]
    finally:
        source.dispose()
    if rows:
        target.execute(insert(table), rows)
    return len(rows)


def parcel_labels(rows: Mapping[RecordKind, Mapping[int, Mapping[str, Any]]]) -> dict[int, str]:
    """The file's parcel id → its code (the report names a kept year by it)."""
    return {i: str(r.get("code", i)) for i, r in rows.get(RecordKind.PARCEL, {}).items()}
