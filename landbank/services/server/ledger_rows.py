"""The rows of a ledger for :mod:`landbank.services.server.ledger_transfer` and
:mod:`landbank.services.server.ledger_export`: a SQLite ledger read from a temporary copy, a
county picked by name (the gazetteer's short names too), labels for the report, and the unique
values (codes, names, years) an imported record must not repeat."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Connection, Engine, Table, select
from sqlmodel import SQLModel

from landbank.domain.enums import RecordKind
from landbank.services.importing.gazetteer_data import gazetteer
from landbank.services.server.setup import ServerError
from landbank.store.models import TABLES, Attachment, AuditEntry, LedgerInfo, as_utc

TIMES = ("created_at", "updated_at")
SOURCE_MAX = 300


# Records of a county, in the order their references need (a parcel names its project).
RECORD_KINDS = (RecordKind.PROJECT, RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.QUOTA)
# Columns naming another record: column -> the kind it names.
REFERENCES: dict[RecordKind, dict[str, RecordKind]] = {
    RecordKind.PARK: {"region_id": RecordKind.REGION},
    RecordKind.PROJECT: {
        "region_id": RecordKind.REGION,
        "park_id": RecordKind.PARK,
        "preferred_region_id": RecordKind.REGION,
        "preferred_park_id": RecordKind.PARK,
    },
    RecordKind.PARCEL: {
        "region_id": RecordKind.REGION,
        "park_id": RecordKind.PARK,
        "reserved_project_id": RecordKind.PROJECT,
    },
    RecordKind.FACTORY: {
        "region_id": RecordKind.REGION,
        "park_id": RecordKind.PARK,
        "reserved_project_id": RecordKind.PROJECT,
    },
    RecordKind.QUOTA: {"region_id": RecordKind.REGION},
}
# References that may be cleared when their record is neither imported nor in the city.
OPTIONAL = {
    "park_id": "所在园区",
    "reserved_project_id": "意向锁定的项目",
    "preferred_region_id": "意向县区",
    "preferred_park_id": "意向园区",
}


@dataclass
class TransferReport:
    """What an import did (or, on a dry run or with clashes, would do)."""

    source: str
    database: str
    dry_run: bool = False
    regions: list[str] = field(default_factory=list)  # "获嘉县 → 获嘉县（城市库已有）"
    added: dict[RecordKind, int] = field(default_factory=dict)
    same: dict[RecordKind, int] = field(default_factory=dict)  # already there, unchanged
    history: int = 0
    history_left: int = 0  # entries of deleted records, counties' names, settings
    attachments: int = 0  # files of the records copied
    attachments_same: int = 0  # files the city holds already (skipped)
    standards: int = 0  # 标准地 rows copied (:mod:`.ledger_standards`)
    standards_same: int = 0  # … the city holds with the same values (skipped)
    schemes: int = 0  # 亩均效益 schemes copied
    schemes_same: int = 0  # … the city holds the same (skipped)
    clashes: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0

    @property
    def total_added(self) -> int:
        return sum(self.added.values())

    @property
    def anything_new(self) -> bool:
        """Records, history, 标准地 rows or schemes to write."""
        return bool(self.total_added or self.history or self.standards or self.schemes)

    def table_lines(self) -> list[str]:
        """The 标准地 table and the 亩均效益 schemes, as the report names them."""
        lines = [f"标准地指标 {self.standards} 行（跳过 {self.standards_same}）"]
        lines.append(f"亩均效益评价方法 {self.schemes} 个")
        if self.schemes_same:
            lines[-1] += f"（跳过 {self.schemes_same}）"
        return lines


def table_of(model: type[SQLModel]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


@contextmanager
def sqlite_copy(path: Path) -> Iterator[Engine]:
    """An engine on a temporary copy of the ledger file at ``path``, at this landbank's schema
    (the file itself untouched); :class:`ServerError` for a missing or foreign file."""
    from landbank.store.engine import DatabaseError
    from landbank.store.migrate import open_database

    if not path.is_file():
        raise ServerError(f"台账文件不存在：{path}")
    with tempfile.TemporaryDirectory(prefix="landbank-import-") as folder:
        copy = Path(folder) / "ledger.sqlite3"
        try:
            source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
            try:
                target = sqlite3.connect(copy)
                with target:
                    source.backup(target)
                target.close()
            finally:
                source.close()
        except sqlite3.DatabaseError as exc:
            raise ServerError(f"“{path.name}”不是 landbank 的台账文件（{exc}）") from None
        try:
            engine = open_database(f"sqlite:///{copy}")
        except DatabaseError as exc:
            raise ServerError(f"无法读取台账文件 {path.name}：{exc}") from None
        try:
            yield engine
        finally:
            engine.dispose()


def read_rows(conn: Connection, table: Table) -> list[dict[str, Any]]:
    order = table.c.id if "id" in table.c else next(iter(table.c))
    return [dict(row) for row in conn.execute(select(table).order_by(order)).mappings()]


@dataclass
class Ledger:
    """The rows of a ledger by kind, keyed by id; its city."""

    rows: dict[RecordKind, dict[int, dict[str, Any]]]
    audit: list[dict[str, Any]]
    city: str
    attachments: list[dict[str, Any]] = field(default_factory=list)  # without their bytes


def read_attachments(conn: Connection) -> list[dict[str, Any]]:
    """Every attachment of a ledger without its bytes."""
    table = table_of(Attachment)
    columns = ("id", "uuid", "record_kind", "record_id", "sha256")
    stmt = select(*(table.c[c] for c in columns)).order_by(table.c.id)
    return [dict(row) for row in conn.execute(stmt).mappings()]


def read_ledger(engine: Engine) -> Ledger:
    with engine.connect() as conn:
        rows = {
            kind: {int(r["id"]): r for r in read_rows(conn, table_of(model))}
            for kind, model in TABLES.items()
        }
        audit = read_rows(conn, table_of(AuditEntry))
        info = conn.execute(select(table_of(LedgerInfo).c.city)).scalar()
        files = read_attachments(conn)
    return Ledger(rows, audit, str(info or ""), files)


def pick_region(names: Mapping[int, str], wanted: str, city: str) -> int:
    """The id of the region ``wanted`` names among ``names`` (exact, else the gazetteer's
    reading of both); :class:`ServerError` listing the regions when none or several fit."""
    exact = [i for i, n in names.items() if n == wanted]
    if exact:
        return exact[0]
    county = county_name(wanted, city)
    found = [i for i, n in names.items() if county is not None and county_name(n, city) == county]
    if len(found) == 1:
        return found[0]
    known = "、".join(sorted(names.values())) or "（没有县区）"
    raise ServerError(f"台账中没有县区“{wanted}”（有：{known}）")


def county_name(name: str, city: str) -> str | None:
    match = gazetteer().resolve(name, city=city or None)
    return match.county.name if match.county is not None else None


def label(kind: RecordKind, row: Mapping[str, Any], regions: Mapping[int, str]) -> str:
    region = regions.get(int(row.get("region_id") or 0), "")
    if kind is RecordKind.QUOTA:
        return f"{region} {row['year']} 年度指标"
    if kind is RecordKind.PROJECT or kind is RecordKind.PARK:
        return f"{kind.label}“{row['name']}”（{region}）"
    return f"{kind.label} {row['code']}（{region}）"


# ---------------------------------------------------------------- the import


def copied_row(row: Mapping[str, Any]) -> dict[str, Any]:
    copied = {k: v for k, v in row.items() if k != "id"}
    for column in TIMES:
        if copied.get(column) is not None:
            copied[column] = as_utc(copied[column])
    return copied


def runs(ids: list[int]) -> list[list[int]]:
    """Consecutive runs of sorted ``ids``: [1, 2, 3, 7] -> [[1, 2, 3], [7]]."""
    runs: list[list[int]] = []
    for i in ids:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


class Keys:
    """The city's unique values of one kind, and those of the file met so far."""

    def __init__(self, conn: Connection, kind: RecordKind) -> None:
        self.kind = kind
        table = table_of(TABLES[kind])
        self.seen: dict[tuple[Any, ...], str] = {}
        columns = {
            RecordKind.PARCEL: ("region_id", "code", "supervision_no"),
            RecordKind.FACTORY: ("region_id", "code"),
            RecordKind.PROJECT: ("region_id", "name", "credit_code"),
            RecordKind.QUOTA: ("region_id", "year"),
        }[kind]
        for row in conn.execute(select(*(table.c[c] for c in columns))).mappings():
            for key in self._keys(dict(row), int(row["region_id"])):
                self.seen[key] = "城市库"

    def _keys(self, row: Mapping[str, Any], region_id: int) -> list[tuple[Any, ...]]:
        match self.kind:
            case RecordKind.PARCEL:
                keys: list[tuple[Any, ...]] = [("code", region_id, row["code"])]
                if row["supervision_no"]:
                    keys.append(("supervision_no", row["supervision_no"]))
                return keys
            case RecordKind.FACTORY:
                return [("code", region_id, row["code"])]
            case RecordKind.PROJECT:
                keys = [("name", row["name"])]
                if row["credit_code"]:
                    keys.append(("credit_code", row["credit_code"]))
                return keys
            case _:
                return [("year", region_id, row["year"])]

    def clashes(
        self, row: Mapping[str, Any], region_id: int, regions: Mapping[int, str]
    ) -> list[str]:
        found = []
        for key in self._keys(row, region_id):
            where = self.seen.get(key)
            if where is not None:
                found.append(_CLASH[key[0]].format(value=key[-1], where=where))
            else:
                self.seen[key] = "本台账"
        return found


_CLASH = {
    "code": "编号 {value} 在{where}的本县区已有另一条记录",
    "supervision_no": "电子监管号 {value} 在{where}中已被另一地块使用",
    "name": "项目名称“{value}”在{where}中已有另一个项目",
    "credit_code": "统一社会信用代码 {value} 在{where}中已被另一个项目使用",
    "year": "{value} 年度指标在{where}的本县区已有",
}


_CONSTRAINTS = {
    "uq_parcel_region_code": "地块编号",
    "uq_factory_region_code": "厂房编号",
    "uq_parcel_supervision_no": "电子监管号",
    "project_credit_code_key": "统一社会信用代码",
    "uq_quota_region_year": "年度指标的年度",
    "uq_park_region_name": "园区名称",
    "region_name_key": "县区名称",
    "uq_land_standard_key": "标准地指标行（县区、园区、产业）",
    "efficiency_scheme_scope_key_key": "县区的亩均效益评价方法",
}


def refused_on_write(exc: Exception) -> str:
    """A unique value the checks did not see (a clerk saved it while the import ran)."""
    diag = getattr(getattr(exc, "orig", None), "diag", None)
    what = _CONSTRAINTS.get(str(getattr(diag, "constraint_name", "") or ""), "编号或名称")
    return f"写入时城市库中已有相同的{what}：可能是导入期间有人刚保存了它；请重新试运行查看冲突"
