"""``landbank server import-ledger``: a county's own SQLite ledger joins the city's PostgreSQL
ledger (issue 14 item 7); the way back is :mod:`landbank.services.server.ledger_export`. The
rules as clerks read them are in docs/server.md (县区单机台账并入城市库); in short:

- regions are matched by name, gazetteer short name or uuid (created when missing), parks by
  uuid or name within the county; projects, parcels, factories, quotas, reservations, files
  (:mod:`.ledger_attachments`), parcels' yearly figures (:mod:`.ledger_yields`), the 标准地
  table and 亩均效益 scheme (:mod:`.ledger_standards`) and the history of those are copied;
- ids are remapped and every reference follows; uuids are kept, so a record the city holds
  unchanged is skipped (importing twice changes nothing) and one changed on either side is a
  clash; any clash (code, 电子监管号, 统一社会信用代码, project name, a year's quota) refuses it
  all, listed in the report;
- one transaction as the owner role (:func:`~landbank.services.server.setup.owner_url`); the
  file is read from a temporary copy brought to this schema; ``dry_run`` rolls back after the
  same checks and gives the same report.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from landbank.domain.enums import ParcelStatus, RecordKind
from landbank.services.server.ledger_attachments import plan_files, write_files
from landbank.services.server.ledger_rows import (
    OPTIONAL,
    RECORD_KINDS,
    REFERENCES,
    SOURCE_MAX,
    Keys,
    Ledger,
    TransferReport,
    copied_row,
    county_name,
    label,
    pick_region,
    read_ledger,
    refused_on_write,
    runs,
    sqlite_copy,
    table_of,
)
from landbank.services.server.ledger_standards import plan_attached, write_attached
from landbank.services.server.ledger_yields import copy_in, parcel_labels
from landbank.services.server.setup import ServerError, admin_connection, owner_url, server_address
from landbank.store.models import TABLES, AuditEntry, LedgerInfo, Region, as_utc

# ---------------------------------------------------------------- the import

# n new ids of a table, in order, from its own sequence (a clerk's insert meanwhile takes others).
NEW_IDS = text(
    "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n) ORDER BY 1"
)


def import_ledger(
    path: Path, url: str, *, region: str | None = None, dry_run: bool = False
) -> TransferReport:
    """Copy the county ledger at ``path`` into the city database at ``url`` (a superuser's
    address; see the module doc). Clashes refuse it all (``report.written`` False)."""
    started = time.perf_counter()
    address = server_address(url)
    report = TransferReport(path.name, str(address.database), dry_run=dry_run)
    with admin_connection(url) as conn:  # a superuser, and a server that answers
        with conn.cursor() as cur:
            cur.execute("SELECT to_regclass('public.landbank_user') IS NOT NULL")
            row = cur.fetchone()
        if not row or not row[0]:
            raise ServerError(
                f"数据库 {report.database} 还没有初始化：请先运行 landbank server init --db …"
            )
    with sqlite_copy(path) as source_engine:  # open until the files are copied
        ledger = read_ledger(source_engine)
        _run(url, report, ledger, source_engine, region, dry_run)
    report.seconds = time.perf_counter() - started
    return report


def _run(
    url: str,
    report: TransferReport,
    ledger: Ledger,
    source: Engine,
    region: str | None,
    dry_run: bool,
) -> None:
    from landbank.services.server.roles import role_names
    from landbank.store.engine import for_writing, make_engine
    from landbank.store.migrate import head_revision, stored_revision

    engine = make_engine(owner_url(url, role_names(report.database)))
    try:
        revision = stored_revision(engine)
        if revision != head_revision():
            raise ServerError(
                f"城市数据库的结构为 {revision}，本程序需要 {head_revision()}："
                "请先运行 landbank server upgrade --db …"
            )
        with for_writing(engine).connect() as conn, conn.begin() as transaction:
            plan = _Plan(conn, ledger, report, region, source)
            plan.match()
            if report.clashes or dry_run:
                transaction.rollback()
            else:
                try:
                    plan.write()
                except IntegrityError as exc:  # a clerk saved the same code meanwhile
                    transaction.rollback()
                    report.clashes.append(refused_on_write(exc))
                    report.added.clear()
                    report.history = report.attachments = report.standards = report.schemes = 0
                else:
                    transaction.commit()
                    report.written = True
    except DBAPIError as exc:
        raise ServerError(f"数据库服务器拒绝了导入，未作改动：{_first_line(exc)}") from None
    finally:
        engine.dispose()


def _first_line(exc: DBAPIError) -> str:
    text = str(exc.orig if exc.orig is not None else exc).strip()
    return (text.splitlines() or [type(exc).__name__])[0]


class _Plan:
    """The matching of one file's records to the city's, then their writing."""

    def __init__(
        self,
        conn: Connection,
        ledger: Ledger,
        report: TransferReport,
        region: str | None,
        source: Engine,
    ) -> None:
        self.conn, self.source = conn, source
        self.ledger = ledger
        self.report = report
        self.source_regions = {i: str(r["name"]) for i, r in ledger.rows[RecordKind.REGION].items()}
        city_info = conn.execute(select(table_of(LedgerInfo).c.city)).scalar()
        self.city = str(city_info or ledger.city or "")
        self.chosen: set[int] = (
            {pick_region(self.source_regions, region, self.city)}
            if region
            else set(self.source_regions)
        )
        self.ids: dict[RecordKind, dict[int, int]] = {kind: {} for kind in TABLES}
        self.new_regions: dict[int, dict[str, Any]] = {}
        self.new: dict[RecordKind, list[dict[str, Any]]] = {kind: [] for kind in TABLES}
        self.cleared: set[tuple[RecordKind, int, str]] = set()  # (kind, file's id, column)
        self.city_regions = {
            int(r.id): str(r.name)
            for r in conn.execute(select(table_of(Region).c.id, table_of(Region).c.name))
        }

    # -------------------------------------------------- matching

    def selected(self, kind: RecordKind) -> list[dict[str, Any]]:
        return [r for r in self.ledger.rows[kind].values() if r["region_id"] in self.chosen]

    def match(self) -> None:
        for region_id in sorted(self.chosen):
            self._region(region_id, create=True)
        self._parks()
        for kind in RECORD_KINDS:
            self._records(kind)
        self._check_references()
        self._history()
        self.files = plan_files(self.conn, self.ledger, self.new, self.ids, self.report)
        self.attached = plan_attached(self.conn, self.source, self, self.report)  # 标准地…

    def _check_references(self) -> None:
        """Every reference of a record to add names a record imported, matched or found in
        the city by uuid; else an optional one (a park, a reservation, a preference) is
        cleared with a note, and a county is a clash."""
        imported = self._imported()
        for kind in (RecordKind.PARK, *RECORD_KINDS):
            for row in self.new[kind]:
                for column, target in REFERENCES[kind].items():
                    value = row[column]
                    if value is None or int(value) in imported[target]:
                        continue
                    if int(value) in self.ids[target]:
                        continue
                    if target is RecordKind.REGION and self._region(int(value), create=False):
                        continue
                    source = self.ledger.rows[target].get(int(value))
                    found = self._by_uuid(target, [source["uuid"]]) if source else {}
                    if found:
                        self.ids[target][int(value)] = int(next(iter(found.values()))["id"])
                        continue
                    what = label(kind, row, self.source_regions)
                    if column not in OPTIONAL:
                        self.report.clashes.append(f"{what}：所属县区不在导入范围内")
                        continue
                    self.cleared.add((kind, int(row["id"]), column))
                    self.report.notes.append(
                        f"{what}：{OPTIONAL[column]}不在导入范围内，城市库中也没有，已清空"
                    )

    def _by_uuid(self, kind: RecordKind, uuids: Iterable[str]) -> dict[str, dict[str, Any]]:
        table = table_of(TABLES[kind])
        wanted = list(uuids)
        found: dict[str, dict[str, Any]] = {}
        for start in range(0, len(wanted), 1000):
            chunk = wanted[start : start + 1000]
            rows = self.conn.execute(select(table).where(table.c.uuid.in_(chunk))).mappings()
            found.update({str(r["uuid"]): dict(r) for r in rows})
        return found

    def _region(self, source_id: int, *, create: bool) -> int | None:
        """The city's id of the file's region ``source_id`` (matched, or created when
        ``create``; a new region gets a negative placeholder until written)."""
        if source_id in self.ids[RecordKind.REGION]:
            return self.ids[RecordKind.REGION][source_id]
        row = self.ledger.rows[RecordKind.REGION][source_id]
        name = str(row["name"])
        city_id: int | None = None
        same = self._by_uuid(RecordKind.REGION, [row["uuid"]])
        if same:
            city_id = int(next(iter(same.values()))["id"])
        elif name in self.city_regions.values():
            city_id = next(i for i, n in self.city_regions.items() if n == name)
        else:
            county = county_name(name, self.city)
            fits = [
                i
                for i, n in self.city_regions.items()
                if county is not None and county_name(n, self.city) == county
            ]
            city_id = fits[0] if len(fits) == 1 else None
        if city_id is not None:
            city_name = self.city_regions[city_id]
            if city_name == name:
                self.report.regions.append(f"{name}（城市库已有）")
            else:
                self.report.regions.append(f"{name} → 城市库的“{city_name}”（名称不同，同一县区）")
                self.report.notes.append(
                    f"县区名称不同：台账写“{name}”，城市库为“{city_name}”，按城市库的名称"
                )
        elif create:
            city_id = -(len(self.new_regions) + 1)
            self.new_regions[city_id] = row
            self.report.regions.append(f"{name}（城市库没有，新建）")
        if city_id is not None:
            self.ids[RecordKind.REGION][source_id] = city_id
        return city_id

    def _parks(self) -> None:
        parks = self.selected(RecordKind.PARK)
        same = self._by_uuid(RecordKind.PARK, [p["uuid"] for p in parks])
        table = table_of(TABLES[RecordKind.PARK])
        city_parks = {
            (int(r.region_id), str(r.name)): int(r.id)
            for r in self.conn.execute(select(table.c.id, table.c.region_id, table.c.name))
        }
        for park in parks:
            region_id = self._region(int(park["region_id"]), create=True)
            assert region_id is not None
            found = same.get(str(park["uuid"]))
            if found is not None:
                self.ids[RecordKind.PARK][park["id"]] = int(found["id"])
                self._count_same(RecordKind.PARK)
                if found["name"] != park["name"]:
                    self.report.notes.append(
                        f"园区名称不同：台账写“{park['name']}”，城市库为“{found['name']}”（同一园区），按城市库的名称"
                    )
            elif (region_id, park["name"]) in city_parks:
                self.ids[RecordKind.PARK][park["id"]] = city_parks[(region_id, park["name"])]
                self.report.notes.append(f"园区“{park['name']}”城市库已有（按名称对应）")
            else:
                self._add(RecordKind.PARK, park)

    def _count_same(self, kind: RecordKind) -> None:
        self.report.same[kind] = self.report.same.get(kind, 0) + 1

    def _add(self, kind: RecordKind, row: dict[str, Any]) -> None:
        self.new[kind].append(row)
        self.report.added[kind] = self.report.added.get(kind, 0) + 1

    def _records(self, kind: RecordKind) -> None:
        rows = self.selected(kind)
        same = self._by_uuid(kind, [r["uuid"] for r in rows])
        keys = Keys(self.conn, kind)
        for row in rows:
            what = label(kind, row, self.source_regions)
            found = same.get(str(row["uuid"]))
            if found is not None:
                if found["version"] == row["version"] and as_utc(found["updated_at"]) == as_utc(
                    row["updated_at"]
                ):
                    self.ids[kind][row["id"]] = int(found["id"])
                    self._count_same(kind)
                else:
                    self.report.clashes.append(
                        f"{what}：城市库中的同一记录（相同 uuid）与台账不同（城市库第 {found['version']} 版，"
                        f"台账第 {row['version']} 版），两边各有改动，不自动合并"
                    )
                continue
            region_id = self.ids[RecordKind.REGION][row["region_id"]]
            for clash in keys.clashes(row, region_id, self.city_regions):
                self.report.clashes.append(f"{what}：{clash}")
            self._add(kind, row)

    def _imported(self) -> dict[RecordKind, set[int]]:
        """The file's ids of the records this import adds, by kind (a county it creates
        too: its history comes along)."""
        imported = {kind: {int(r["id"]) for r in self.new[kind]} for kind in TABLES}
        imported[RecordKind.REGION] = {int(r["id"]) for r in self.new_regions.values()}
        return imported

    def _entries(self) -> Iterator[tuple[dict[str, Any], RecordKind, list[int]]]:
        """The file's history entries of imported records, each with the file's ids of
        those records it stands for; counts the entries left behind."""
        imported = self._imported()
        for entry in self.ledger.audit:
            kind = RecordKind(entry["record_kind"]) if entry["record_kind"] in TABLES else None
            first, last = int(entry["record_id"]), entry["last_record_id"]
            span = range(first, int(last) + 1) if last is not None else range(first, first + 1)
            ids = [i for i in span if kind is not None and i in imported[kind]]
            if kind is None or not ids:
                self.report.history_left += 1
                continue
            yield entry, kind, ids

    def _history(self) -> None:
        self.report.history = sum(1 for _ in self._entries())

    # -------------------------------------------------- writing

    def write(self) -> None:
        region_table = table_of(Region)
        for placeholder, row in sorted(self.new_regions.items(), reverse=True):
            values = copied_row(row)
            new_id = self.conn.execute(
                insert(region_table).returning(region_table.c.id), values
            ).scalar_one()
            for source_id, city_id in self.ids[RecordKind.REGION].items():
                if city_id == placeholder:
                    self.ids[RecordKind.REGION][source_id] = int(new_id)
        for kind in (RecordKind.PARK, *RECORD_KINDS):
            self._insert(kind)
        write_files(self.source, self.conn, self.ledger, self.files, self.ids)
        labels = parcel_labels(self.ledger.rows)  # the parcels' yearly figures follow them
        self.report.notes += copy_in(self.source, self.conn, self.ids[RecordKind.PARCEL], labels)
        self._write_history()
        write_attached(self.conn, self.attached, self.ids, self.report.source)

    def _reference(self, kind: RecordKind, row: Mapping[str, Any], column: str) -> Any:
        value = row[column]
        if value is None or (kind, int(row["id"]), column) in self.cleared:
            return None
        return self.ids[REFERENCES[kind][column]][int(value)]

    def _insert(self, kind: RecordKind) -> None:
        rows = self.new[kind]
        if not rows:
            return
        table = table_of(TABLES[kind])
        # Ids from the table's sequence first, then a plain executemany (pipelined by
        # psycopg): an INSERT … RETURNING of many wide rows spends its time building the query.
        new_ids = self.conn.execute(NEW_IDS, {"table": table.name, "n": len(rows)}).scalars().all()
        for row, new_id in zip(rows, new_ids, strict=True):
            self.ids[kind][int(row["id"])] = int(new_id)
        values = []
        for row in rows:
            copied = copied_row(row)
            copied["id"] = self.ids[kind][int(row["id"])]
            for column in REFERENCES[kind]:
                copied[column] = self._reference(kind, row, column)
            if (kind, int(row["id"]), "reserved_project_id") in self.cleared:
                copied["reserved_until"] = None  # released, as release_site would
                if copied.get("status") == ParcelStatus.RESERVED.value:
                    copied["status"] = ParcelStatus.AVAILABLE.value
            values.append(copied)
        self.conn.execute(insert(table), values)

    def _write_history(self) -> None:
        table = table_of(AuditEntry)
        entries = []
        left = self.report.history_left
        for entry, kind, ids in self._entries():
            for run in runs(sorted(self.ids[kind][i] for i in ids)):
                copied = {
                    k: v for k, v in entry.items() if k not in ("id", "record_id", "last_record_id")
                }
                copied["at"] = as_utc(entry["at"])
                copied["record_id"] = run[0]
                copied["last_record_id"] = run[-1] if entry["last_record_id"] is not None else None
                copied["source"] = f"导入台账 {self.report.source}：{entry['source']}"[:SOURCE_MAX]
                entries.append(copied)
        self.report.history_left = left
        if entries:
            self.conn.execute(insert(table), entries)
