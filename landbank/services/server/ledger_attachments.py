"""The files of a county's records (table ``attachment``) on their way into the city's ledger
(``server import-ledger``, :mod:`.ledger_transfer`) and out of it (``server export-ledger``,
:mod:`.ledger_export`).

Files go with their records: an attachment of a record the import adds, or of a record the
city already holds (the same uuid), is copied, pointing at the city's id of the record and
its county; one whose uuid the city already has, or whose bytes the record already holds
(same sha256), is skipped and counted. The bytes are read in small batches from the file
being imported (or the city's database) and written at once, so a county's photos never
sit in memory together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, insert, select

from landbank.domain.enums import RecordKind
from landbank.services.server.ledger_rows import Ledger, TransferReport, table_of
from landbank.store.models import Attachment

ATTACHING = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT, RecordKind.PARK)
BATCH = 20  # files read and written at once (at most 20 × 20 MB)


@dataclass
class PlannedFile:
    source_id: int
    kind: RecordKind
    record_id: int  # the file's id of the record


def plan_import(
    conn: Connection,
    files: Iterable[Mapping[str, Any]],
    records: Mapping[RecordKind, set[int]],
    city_records: Mapping[RecordKind, Mapping[int, int]],
) -> tuple[list[PlannedFile], int]:
    """The file's attachments to copy — those of ``records`` (the file's ids of the records
    added or matched, by kind) — and how many the city holds already (by uuid, or the same
    bytes on the same matched record: ``city_records`` maps the file's ids to the city's)."""
    table = table_of(Attachment)
    wanted = [
        f for f in files
        if f["record_kind"] in {k.value for k in ATTACHING}
        and int(f["record_id"]) in records[RecordKind(f["record_kind"])]
    ]  # fmt: skip
    known: set[str] = set()
    held: set[tuple[str, int, str]] = set()
    for start in range(0, len(wanted), 1000):
        chunk = wanted[start : start + 1000]
        rows = conn.execute(
            select(table.c.uuid).where(table.c.uuid.in_([str(f["uuid"]) for f in chunk]))
        )
        known.update(str(r[0]) for r in rows)
    for kind in ATTACHING:
        matched = list(set(city_records.get(kind, {}).values()))
        for start in range(0, len(matched), 1000):
            rows = conn.execute(
                select(table.c.record_id, table.c.sha256).where(
                    table.c.record_kind == kind.value,
                    table.c.record_id.in_(matched[start : start + 1000]),
                )
            )
            held.update((kind.value, int(r[0]), str(r[1])) for r in rows)
    planned, same = [], 0
    for f in wanted:
        kind = RecordKind(f["record_kind"])
        city_id = city_records.get(kind, {}).get(int(f["record_id"]))
        if str(f["uuid"]) in known or (
            city_id is not None and (kind.value, city_id, str(f["sha256"])) in held
        ):
            same += 1
            continue
        planned.append(PlannedFile(int(f["id"]), kind, int(f["record_id"])))
        if city_id is not None:
            held.add((kind.value, city_id, str(f["sha256"])))
    return planned, same


def copy_files(
    source: Engine,
    target: Connection,
    planned: list[PlannedFile],
    place: Callable[[PlannedFile], tuple[int, int | None]],
) -> int:
    """Copy the ``planned`` files' rows from ``source`` into ``target``, each at the record
    and county ``place`` gives (the city's record id, its county); returns how many."""
    table = table_of(Attachment)
    copied = 0
    with source.connect() as conn:
        for start in range(0, len(planned), BATCH):
            batch = {p.source_id: p for p in planned[start : start + BATCH]}
            rows = conn.execute(select(table).where(table.c.id.in_(list(batch)))).mappings()
            values = []
            for row in rows:
                record_id, region_id = place(batch[int(row["id"])])
                values.append(
                    {
                        **{k: v for k, v in row.items() if k != "id"},
                        "record_id": record_id,
                        "region_id": region_id,
                    }
                )
            if values:
                target.execute(insert(table), values)
                copied += len(values)
    return copied


def export_files(source: Engine, target: Connection, records: Mapping[RecordKind, set[int]]) -> int:
    """Copy the attachments of ``records`` (ids by kind, kept by the export) from the city's
    database into the county's new ledger, as they are; returns how many."""
    table = table_of(Attachment)
    ids: list[int] = []
    with source.connect() as conn:
        for kind in ATTACHING:
            own = sorted(records.get(kind, set()))
            for start in range(0, len(own), 1000):
                ids += [
                    int(r[0])
                    for r in conn.execute(
                        select(table.c.id).where(
                            table.c.record_kind == kind.value,
                            table.c.record_id.in_(own[start : start + 1000]),
                        )
                    )
                ]
        for start in range(0, len(ids), BATCH):
            rows = conn.execute(
                select(table).where(table.c.id.in_(ids[start : start + BATCH]))
            ).mappings()
            values = [dict(r) for r in rows]
            if values:
                target.execute(insert(table), values)
        conn.rollback()
    return len(ids)


def plan_files(
    conn: Connection,
    ledger: Ledger,
    new: Mapping[RecordKind, list[dict[str, Any]]],
    ids: Mapping[RecordKind, Mapping[int, int]],
    report: TransferReport,
) -> list[PlannedFile]:
    """The import's files: of the records it adds (``new``) or matched (``ids``); counted in
    ``report``."""
    records = {kind: {int(r["id"]) for r in new[kind]} | set(ids[kind]) for kind in ATTACHING}
    planned, same = plan_import(conn, ledger.attachments, records, ids)
    report.attachments, report.attachments_same = len(planned), same
    return planned


def write_files(
    source: Engine,
    conn: Connection,
    ledger: Ledger,
    planned: list[PlannedFile],
    ids: Mapping[RecordKind, Mapping[int, int]],
) -> None:
    """Copy the planned files once the records are written (``ids`` maps every record)."""

    def place(p: PlannedFile) -> tuple[int, int | None]:
        region = ledger.rows[p.kind][p.record_id]["region_id"]
        return ids[p.kind][p.record_id], ids[RecordKind.REGION].get(int(region))

    copy_files(source, conn, planned, place)
