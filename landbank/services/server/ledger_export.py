"""``landbank server export-ledger``: a county's part of the city's ledger as a new SQLite
ledger (issue 14 item 7, the way back from :mod:`landbank.services.server.ledger_transfer`).

The file holds the county, its parks, its projects, parcels, factories and quotas with their
reservations and their files (attachments, :mod:`.ledger_attachments`), the parcels' yearly
figures (:mod:`.ledger_yields`), its 标准地 rows and 亩均效益 scheme with the city's default
scheme (:mod:`.ledger_standards`), the history (audit_log) of those records and of the county, the city's default
quotas and the ledger's city and bureau. Ids and uuids are the city's, so references need no
remapping and importing the file back finds the same records (by uuid). A county or park
another county's record names (a project's preferred county or park) comes along so the
reference holds; a reservation by another county's project is released (cleared, a parcel back to 可供) and
counted (that project is not the county's to keep).

Any login may export (everyone reads the whole city); the file is written under a temporary
name beside the target and renamed when complete, and an existing file is never overwritten.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, insert, or_, select

from landbank.domain.enums import ParcelStatus, RecordKind
from landbank.services.server.ledger_rows import RECORD_KINDS, pick_region, read_rows, table_of
from landbank.services.server.ledger_standards import read_part
from landbank.services.server.setup import ServerError
from landbank.store.models import TABLES, AuditEntry, LedgerInfo, Park, QuotaDefault, Region


@dataclass
class ExportReport:
    region: str
    path: Path
    counts: dict[RecordKind, int] = field(default_factory=dict)
    history: int = 0
    cleared: int = 0  # reservations by another county's project
    attachments: int = 0  # files of the county's records
    yields: int = 0  # yearly figures of the county's parcels
    standards: int = 0  # the county's 标准地 rows
    schemes: int = 0  # its 亩均效益 scheme and the city's default
    seconds: float = 0.0


def export_ledger(url: str, region: str, path: Path) -> ExportReport:
    """Write the part of the city ledger at ``url`` that belongs to ``region`` to a new SQLite
    ledger at ``path`` (see the module doc)."""
    from landbank.services.server.ledger_standards import write_part
    from landbank.services.server.ledger_yields import copy_out
    from landbank.store.engine import read_session, write_session
    from landbank.store.migrate import open_database

    started = time.perf_counter()
    if path.exists():
        raise ServerError(f"文件已存在：{path}（不覆盖已有的台账，请换一个文件名）")
    if not path.parent.is_dir():
        raise ServerError(f"文件夹不存在：{path.parent}")
    source = open_database(url)
    try:
        with read_session(source) as session:
            conn = session.connection()
            regions = {
                int(r.id): str(r.name)
                for r in conn.execute(select(table_of(Region).c.id, table_of(Region).c.name))
            }
            city = str(conn.execute(select(table_of(LedgerInfo).c.city)).scalar() or "")
            region_id = pick_region(regions, region, city)
            part = _Part(conn, region_id)
    finally:
        source.dispose()
    report = ExportReport(regions[region_id], path)
    part_file = path.with_name(path.name + ".part")
    part_file.unlink(missing_ok=True)
    target = open_database(f"sqlite:///{part_file}")
    try:
        with write_session(target) as session:
            part.write(session.connection(), report)
            write_part(session.connection(), part.attached)  # 标准地, 亩均效益
            report.standards = len(part.attached.standards)
            report.schemes = len(part.attached.schemes)
            report.attachments = _export_files(url, session.connection(), part)
            parcels = [int(r["id"]) for r in part.rows[RecordKind.PARCEL]]
            report.yields = copy_out(url, session.connection(), parcels)
    except BaseException:
        target.dispose()
        part_file.unlink(missing_ok=True)
        raise
    target.dispose()
    for leftover in (part_file.with_name(part_file.name + s) for s in ("-wal", "-shm")):
        leftover.unlink(missing_ok=True)
    os.replace(part_file, path)
    report.seconds = time.perf_counter() - started
    return report


def _export_files(url: str, target: Connection, part: _Part) -> int:
    """The files of the county's own records (read from the city in small batches)."""
    from landbank.services.server.ledger_attachments import export_files
    from landbank.store.migrate import open_database

    own = {
        kind: {int(r["id"]) for r in rows if r.get("region_id") == part.region_id}
        for kind, rows in part.rows.items()
    }
    source = open_database(url)
    try:
        return export_files(source, target, own)
    finally:
        source.dispose()


class _Part:
    """The rows of one county, read from the city's ledger."""

    def __init__(self, conn: Connection, region_id: int) -> None:
        self.rows: dict[RecordKind, list[dict[str, Any]]] = {}
        for kind in (RecordKind.PARK, *RECORD_KINDS):
            table = table_of(TABLES[kind])
            self.rows[kind] = [
                dict(r)
                for r in conn.execute(
                    select(table).where(table.c.region_id == region_id).order_by(table.c.id)
                ).mappings()
            ]
        projects = self.rows[RecordKind.PROJECT]
        region_ids = {region_id} | {
            int(p["preferred_region_id"]) for p in projects if p["preferred_region_id"]
        }
        own_parks = {int(p["id"]) for p in self.rows[RecordKind.PARK]}
        other_parks = {
            int(p["preferred_park_id"])
            for p in projects
            if p["preferred_park_id"] and int(p["preferred_park_id"]) not in own_parks
        }
        if other_parks:
            park = table_of(Park)
            extra = [
                dict(r)
                for r in conn.execute(select(park).where(park.c.id.in_(other_parks))).mappings()
            ]
            self.rows[RecordKind.PARK] += extra
            region_ids |= {int(p["region_id"]) for p in extra}
        region = table_of(Region)
        self.rows[RecordKind.REGION] = [
            dict(r)
            for r in conn.execute(
                select(region).where(region.c.id.in_(region_ids)).order_by(region.c.id)
            ).mappings()
        ]
        self.region_id = region_id
        self.audit = self._history(conn)
        self.info = read_rows(conn, table_of(LedgerInfo))
        self.defaults = read_rows(conn, table_of(QuotaDefault))
        parks = {int(p["id"]) for p in self.rows[RecordKind.PARK]}
        self.attached = read_part(conn, region_id, parks)

    def _history(self, conn: Connection) -> list[dict[str, Any]]:
        audit = table_of(AuditEntry)
        ids = {kind: {int(r["id"]) for r in rows} for kind, rows in self.rows.items()}
        ids[RecordKind.REGION] = {self.region_id}
        wanted = []
        for kind, own in ids.items():
            if not own:
                continue
            low, high = min(own), max(own)
            rows = conn.execute(
                select(audit)
                .where(audit.c.record_kind == kind.value)
                .where(
                    or_(
                        audit.c.record_id.between(low, high),
                        audit.c.last_record_id.between(low, high),
                        (audit.c.record_id < low) & (audit.c.last_record_id > high),
                    )
                )
            ).mappings()
            for row in rows:
                last = row["last_record_id"]
                span = range(row["record_id"], (last if last is not None else row["record_id"]) + 1)
                if kind is RecordKind.REGION or any(i in own for i in span):
                    wanted.append(dict(row))
        return sorted(wanted, key=lambda r: int(r["id"]))

    def write(self, conn: Connection, report: ExportReport) -> None:
        own_projects = {int(p["id"]) for p in self.rows[RecordKind.PROJECT]}
        for kind in (RecordKind.REGION, RecordKind.PARK, *RECORD_KINDS):
            rows = self.rows[kind]
            for row in rows:
                project = row.get("reserved_project_id")
                if project is not None and int(project) not in own_projects:
                    row["reserved_project_id"] = None  # released, as release_site would
                    row["reserved_until"] = None
                    if row.get("status") == ParcelStatus.RESERVED.value:
                        row["status"] = ParcelStatus.AVAILABLE.value
                    report.cleared += 1
            if rows:
                conn.execute(insert(table_of(TABLES[kind])), rows)
            report.counts[kind] = len(rows)
        conn.execute(table_of(LedgerInfo).delete())
        for table, rows in (
            (table_of(LedgerInfo), self.info),
            (table_of(QuotaDefault), self.defaults),
        ):
            if rows:
                conn.execute(insert(table), rows)
        if self.audit:
            audit = table_of(AuditEntry)
            conn.execute(
                insert(audit), [{k: v for k, v in r.items() if k != "id"} for r in self.audit]
            )
        report.history = len(self.audit)
