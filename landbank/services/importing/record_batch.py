"""Many new records of one kind at once (a file import), checked exactly as
:func:`landbank.services.records.saving.create_record` checks one, but column by column, written
through the database driver, and audited with one entry for each block written together."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, REFERENCE_TYPES, FieldType, field_map
from landbank.domain.validation import RecordErrors, validate_columns, validate_record
from landbank.services.records.checks import (
    UNIQUE_KEYS,
    reference_errors,
    resolve_references,
    uniqueness_errors,
)
from landbank.services.records.history import block_label
from landbank.services.records.lookups import CachedNameLookup
from landbank.services.records.saving import ValidationFailed, editable_values
from landbank.store.bulk import insert_columns, reserve_ids
from landbank.store.models import TABLES, AuditAction, AuditEntry, utc_now
from landbank.store.uuids import new_uuid, new_uuids


@dataclass
class CheckedColumns:
    """New records checked together (:meth:`RecordBatch.check`): ``columns`` holds every
    editable field (references resolved to ids, a field the input lacks as ``None``),
    ``ok[i]`` whether row ``i`` passes every check :meth:`RecordBatch.add` makes."""

    columns: dict[str, Sequence[Any]]
    count: int
    ok: list[bool]


class RecordBatch:
    """Create many records of one kind (a file import): each row gets the checks of
    :func:`create_record`, but references and duplicates are looked up in memory (loaded
    once, reloaded on a miss) and the rows are written with one statement per :meth:`write`
    (``executemany`` / ``COPY``, see :mod:`landbank.store.bulk`) instead of ORM objects
    flushed one by one. Each :meth:`write` audits its records with one ``create`` entry for
    the block of ids it wrote (``AuditEntry.last_record_id``); the history of each record
    shows it as its own (:func:`landbank.services.records.history.history`).

    Rows come one at a time (:meth:`add`: checked as :func:`create_record` checks, raises
    :class:`ValidationFailed`) or column by column (:meth:`check`, then :meth:`queue` the rows
    that passed: each field checked once per distinct value). :meth:`write` inserts the queued
    rows in the order they were queued. A caller that changes the table another way
    (``update_record`` …) must :meth:`write` before and :meth:`remember` the values it saved
    after, so duplicates stay exact: a key seen before is checked against the database itself.
    """

    def __init__(self, session: Session, kind: RecordKind, *, user: str, source: str) -> None:
        self.session = session
        self.kind = kind
        self.user = user
        self.source = source[:300]
        self.table = TABLES[kind]
        self.specs = field_map(kind)
        self.editable = [spec for spec in FIELDS[kind] if not spec.read_only]
        self.lookup = CachedNameLookup(session)
        self._keys: dict[tuple[str, ...], set[tuple[Any, ...]]] = {}
        core = self.table.__table__  # type: ignore[attr-defined]
        for _, columns in UNIQUE_KEYS[kind]:
            stmt = select(*(core.c[c] for c in columns))
            self._keys[columns] = {tuple(r) for r in session.execute(stmt)}
        # The other columns of a new row, as the model fills them (uuid, version, timestamps).
        self._system: dict[str, Callable[[], Any] | Any] = {}
        for name, info in self.table.model_fields.items():
            if name == "id" or name in self.specs:
                continue
            if info.default_factory is not None:
                self._system[name] = info.default_factory
            else:  # a required column has none: NULL, refused by the database
                self._system[name] = _Value(None if info.is_required() else info.get_default())
        # Queued rows, column by column.
        self._pending: dict[str, list[Any]] = {spec.key: [] for spec in self.editable}
        self._queued = 0
        # Per set of reference columns: their values on a row → (resolved, refused).
        self._refs: dict[tuple[str, ...], dict[tuple[Any, ...], tuple[tuple[Any, ...], bool]]] = {}

    @property
    def pending(self) -> int:
        """Records checked and queued, not yet written."""
        return self._queued

    def known(self, values: Mapping[str, Any]) -> bool:
        """Whether a unique key of ``values`` was seen (in the ledger or this batch)."""
        for key, columns in UNIQUE_KEYS[self.kind]:
            if (
                values.get(key) not in (None, "")
                and tuple(values.get(c) for c in columns) in self._keys[columns]
            ):
                return True
        return False

    def remember(self, values: Mapping[str, Any]) -> None:
        for key, columns in UNIQUE_KEYS[self.kind]:
            if values.get(key) not in (None, ""):
                self._keys[columns].add(tuple(values.get(c) for c in columns))

    # ------------------------------------------------------------ one row (as create_record)

    def _key_errors(self, values: Mapping[str, Any]) -> dict[str, str]:
        if not self.known(values):
            return {}
        self.write()  # a key seen before: ask the database, as create_record does
        return uniqueness_errors(self.session, self.kind, values, None)

    def add(self, values: Mapping[str, Any]) -> None:
        """Check ``values`` as :func:`create_record` does and queue the new record.
        Raises :class:`ValidationFailed`."""
        data = {spec.key: None for spec in self.editable}
        data.update(editable_values(self.kind, values))
        data, ref_errors = resolve_references(self.session, self.kind, data, self.lookup)
        errors = dict(validate_record(self.kind, data).by_field)
        for extra in (
            reference_errors(self.session, self.kind, data, self.lookup),
            self._key_errors(data),
        ):
            for key, reason in extra.items():
                errors.setdefault(key, reason)
        merged = {**ref_errors, **errors}
        if merged:
            raise ValidationFailed(self.kind, RecordErrors(merged))
        for key, column in self._pending.items():
            column.append(data[key])
        self._queued += 1
        self.remember(data)

    # ------------------------------------------------------------ many rows (column by column)

    def check(self, columns: Mapping[str, Sequence[Any]], count: int) -> CheckedColumns:
        """Check ``count`` new records given column by column (fields by key, references by
        name or id; a missing field is empty). Row ``i`` is ok when :meth:`add` would accept
        it: references found and consistent, every rule of :func:`validate_record`, no key
        already in the ledger, queued, or earlier among these rows. A row not ok is for
        :meth:`add` (or the duplicate policy) to decide, one by one. Nothing is queued."""
        unknown = set(columns) - set(self.specs)
        if unknown:
            raise KeyError(f"unknown fields for {self.kind}: {sorted(unknown)}")
        ok = [True] * count
        given = {k: v for k, v in columns.items() if not self.specs[k].read_only}
        resolved = self._resolve(given, count, ok)
        for index in validate_columns(self.kind, resolved, count):
            ok[index] = False
        for key, names in UNIQUE_KEYS[self.kind]:
            if key not in resolved:
                continue
            seen = self._keys[names]
            here: set[tuple[Any, ...]] = set()
            parts = [resolved.get(n) or [None] * count for n in names]
            for index, (value, unique) in enumerate(
                zip(resolved[key], zip(*parts, strict=True), strict=True)
            ):
                if value in (None, ""):
                    continue
                if unique in seen or unique in here:
                    ok[index] = False
                here.add(unique)
        full = {spec.key: resolved.get(spec.key) or [None] * count for spec in self.editable}
        return CheckedColumns(full, count, ok)

    def _resolve(
        self, columns: dict[str, Sequence[Any]], count: int, ok: list[bool]
    ) -> dict[str, Sequence[Any]]:
        """References by name → ids, each distinct combination of (park, its region …) resolved
        and checked once, exactly as :meth:`add` does; rows with a reference error not ok."""
        involved: list[str] = []
        for key in columns:
            spec = self.specs[key]
            if spec.type in REFERENCE_TYPES:
                involved.append(key)
                region_key = "preferred_region_id" if key == "preferred_park_id" else "region_id"
                if (
                    spec.type is FieldType.PARK
                    and region_key in columns
                    and region_key not in involved
                ):
                    involved.append(region_key)
        if not involved:
            return dict(columns)
        results = []
        cache = self._refs.setdefault(tuple(involved), {})
        for combination in zip(*(columns[k] for k in involved), strict=True):
            found = cache.get(combination)
            if found is None:
                mini = dict(zip(involved, combination, strict=True))
                resolved, errors = resolve_references(self.session, self.kind, mini, self.lookup)
                refused = bool(errors) or bool(
                    reference_errors(self.session, self.kind, resolved, self.lookup)
                )
                found = cache[combination] = (tuple(resolved[k] for k in involved), refused)
            results.append(found)
        out = dict(columns)
        for position, key in enumerate(involved):
            out[key] = [values[position] for values, _ in results]
        for index, (_, refused) in enumerate(results):
            if refused:
                ok[index] = False
        return out

    def queue(self, checked: CheckedColumns, rows: Sequence[int]) -> None:
        """Queue rows of ``checked`` that are ok (after anything queued before)."""
        if not rows:
            return
        assert all(checked.ok[i] for i in rows), "only rows that passed the checks"
        picked = {
            key: [values[i] for i in rows] if len(rows) != checked.count else list(values)
            for key, values in checked.columns.items()
        }
        for key, values in picked.items():
            self._pending[key].extend(values)
        self._queued += len(rows)
        for key, names in UNIQUE_KEYS[self.kind]:
            seen = self._keys[names]
            for value, unique in zip(
                picked[key], zip(*(picked[n] for n in names), strict=True), strict=True
            ):
                if value not in (None, ""):
                    seen.add(unique)

    # ------------------------------------------------------------ writing

    def write(self) -> None:
        """Insert the queued records and the ``create`` entry of their block."""
        count = self._queued
        if not count:
            return
        columns: dict[str, Sequence[Any]] = dict(self._pending)
        self._pending = {key: [] for key in self._pending}
        self._queued = 0
        # One moment for the rows of one statement (as the database's own now() would be).
        now = utc_now()
        for name, default in self._system.items():
            if isinstance(default, _Value):
                columns[name] = [default.value] * count
            elif default is new_uuid:
                columns[name] = new_uuids(count)
            elif default is utc_now:
                columns[name] = [now] * count
            else:
                columns[name] = [default() for _ in range(count)]
        self.session.flush()
        ids = reserve_ids(self.session.connection(), self.table, count)
        insert_columns(self.session, self.table, {"id": ids, **columns}, count)
        # One entry per run of consecutive ids: on PostgreSQL another clerk's save can take
        # an id of the sequence between two of ours, and a block must not cover their record.
        uuids = columns["uuid"]
        for first, last in consecutive_runs(ids):
            self.session.add(
                AuditEntry(
                    at=now,
                    user=self.user,
                    action=AuditAction.CREATE,
                    record_kind=self.kind.value,
                    record_id=ids[first],
                    last_record_id=ids[last],
                    record_uuid=uuids[first],
                    record_label=block_label(self.kind, last - first + 1),
                    record_version=1,
                    source=self.source,
                )
            )
        self.session.flush()


def consecutive_runs(ids: Sequence[int]) -> list[tuple[int, int]]:
    """(first, last) positions of each run of consecutive ascending ids in ``ids``."""
    runs: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(ids) + 1):
        if i == len(ids) or ids[i] != ids[i - 1] + 1:
            runs.append((start, i - 1))
            start = i
    return runs


@dataclass(frozen=True)
class _Value:
    """A plain default (not a factory)."""

    value: Any
