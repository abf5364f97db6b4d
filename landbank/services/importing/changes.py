"""What an import changes in the ledger, record by record: the lists a clerk reads before the
next version of a township's ledger is applied.

``created`` and ``updated`` name each record by its code (a project by its name) and the sheet
row it comes from; an update lists each changed field with its old and new value as the
history shows them. ``missing`` are the records of the file's scope — the counties its rows
name, narrowed to the townships (parcels) or parks (factories) when every row gives one — that
the ledger has and the file no longer lists: never deleted by an import, listed for the clerk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.services.records.labels import display_value, record_label
from landbank.store.models import TABLES


@dataclass(frozen=True)
class FieldChange:
    field: str  # key
    label: str
    old: str | None  # as the history shows it
    new: str | None

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "label": self.label, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class RecordChange:
    code: str
    label: str
    sheet: str
    row: int
    fields: tuple[FieldChange, ...] = ()

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "label": self.label,
            "sheet": self.sheet,
            "row": self.row,
        }
        if self.fields:
            data["fields"] = [f.to_json() for f in self.fields]
        return data

    def describe(self) -> str:
        changed = "；".join(f"{f.label}：{f.old or '空'} → {f.new or '空'}" for f in self.fields)
        return f"{self.label}（工作表“{self.sheet}”第 {self.row} 行）" + (f"：{changed}" if changed else "")


@dataclass(frozen=True)
class MissingRecord:
    id: int
    code: str
    label: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "code": self.code, "label": self.label}


@dataclass
class ChangeList:
    updated: list[RecordChange] = field(default_factory=list)
    unchanged: int = 0
    missing: list[MissingRecord] = field(default_factory=list)
    # Created records as the import meets them, (code, name, sheet, row): made into
    # RecordChanges only when :attr:`created` is read (most imports only count them).
    _waiting: list[tuple[Any, Any, str, int]] = field(default_factory=list, repr=False)
    _created: list[RecordChange] = field(default_factory=list, repr=False)

    @property
    def created(self) -> list[RecordChange]:
        """The records the import creates, in the file's order."""
        if self._waiting:
            for code, name, sheet, row in self._waiting:
                text = str(code or "")
                self._created.append(RecordChange(text, change_label(text, name), sheet, row))
            self._waiting.clear()
        return self._created

    def to_json(self) -> dict[str, Any]:
        return {
            "created": [c.to_json() for c in self.created],
            "updated": [c.to_json() for c in self.updated],
            "unchanged": self.unchanged,
            "missing": [m.to_json() for m in self.missing],
        }

    def add_created(self, code: Any, name: Any, sheet: str, row: int) -> None:
        """A record the import creates (its code, and a factory's name for its label)."""
        self._waiting.append((code, name, sheet, row))

    def add_created_rows(self, rows: Sequence[tuple[Any, Any, str, int]]) -> None:
        """Records the import creates, each as (code, name, sheet, row)."""
        self._waiting.extend(rows)

    def add_updated(
        self,
        session: Session,
        kind: RecordKind,
        before: Mapping[str, Any],
        after: Mapping[str, Any],
        sheet: str,
        row: int,
    ) -> None:
        """A record the import changes: its fields from ``before`` to ``after``."""
        code = record_code(kind, after)
        name = after.get("name") if kind is RecordKind.FACTORY else None
        self.updated.append(
            RecordChange(code, change_label(code, name), sheet, row, field_changes(session, kind, before, after))
        )


def change_label(code: str, name: Any) -> str:
    """A record as the change lists name it: its code, a factory's with its name when that
    says more ("1# 一号车间")."""
    return f"{code} {name}" if name and name != code else code


def record_code(kind: RecordKind, values: Mapping[str, Any]) -> str:
    """What names a record in these lists: its code, a project its name."""
    key = "name" if kind is RecordKind.PROJECT else "code"
    return str(values.get(key) or "")


def field_changes(
    session: Session, kind: RecordKind, before: Mapping[str, Any], after: Mapping[str, Any]
) -> tuple[FieldChange, ...]:
    """The fields whose value differs, shown as the history shows them."""
    specs = field_map(kind)
    changes = []
    for key, spec in specs.items():
        old, new = before.get(key), after.get(key)
        if old != new:
            changes.append(
                FieldChange(
                    key,
                    spec.label,
                    display_value(spec, old, session),
                    display_value(spec, new, session),
                )
            )
    return tuple(changes)


@dataclass
class Scope:
    """The part of the ledger a file stands for: its counties, and per county the townships
    (parcels) or parks (factories) when every row of that county gives one."""

    regions: set[int] = field(default_factory=set)
    narrowed: dict[int, set[Any]] = field(default_factory=dict)
    _open: set[int] = field(default_factory=set)  # counties with a row not narrowing

    def add(self, region_id: Any, part: Any) -> None:
        if not isinstance(region_id, int):
            return
        self.regions.add(region_id)
        if part is None:
            self._open.add(region_id)
        else:
            self.narrowed.setdefault(region_id, set()).add(part)

    def parts(self, region_id: int) -> set[Any] | None:
        return None if region_id in self._open else self.narrowed.get(region_id)


def scope_column(kind: RecordKind) -> str | None:
    return {RecordKind.PARCEL: "township", RecordKind.FACTORY: "park_id"}.get(kind)


def ledger_high_water(session: Session, kind: RecordKind) -> int:
    """The highest id of the kind before the import: records above it are the import's own
    (or saved meanwhile by another clerk) and never listed as missing."""
    table = TABLES[kind].__table__  # type: ignore[attr-defined]
    return int(session.execute(select(func.max(table.c.id))).scalar() or 0)


def missing_records(
    session: Session, kind: RecordKind, scope: Scope, matched: Iterable[int], high_water: int
) -> list[MissingRecord]:
    """Records of ``scope`` (ids up to ``high_water``) that no row of the file matched — when
    the file is a version of what the ledger holds, i.e. some row matched a record of it (a
    first import of a township's ledger lists nothing)."""
    seen = set(matched)
    if not scope.regions or not seen:
        return []
    table = TABLES[kind].__table__  # type: ignore[attr-defined]
    part_key = scope_column(kind)
    name = table.c.code if "code" in table.c else table.c.name
    columns = [table.c.id, table.c.region_id, name, table.c.name]
    columns.append(table.c[part_key] if part_key else table.c.id)
    stmt = (
        select(*columns)
        .where(table.c.region_id.in_(sorted(scope.regions)), table.c.id <= high_water)
        .order_by(table.c.id)
    )
    result = []
    for record_id, region_id, code, title, part in session.execute(stmt):
        if record_id in seen:
            continue
        parts = scope.parts(region_id) if part_key else None
        if parts is not None and part not in parts:
            continue
        values = {"code": code, "name": title}
        result.append(MissingRecord(record_id, str(code or ""), record_label(kind, values)))
    return result
