"""Many new records of one kind at once (a file import), checked and audited exactly as
:func:`landbank.services.records.create_record` does one, but checked column by column and
written through the database driver."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from json.encoder import encode_basestring
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, REFERENCE_TYPES, FieldSpec, FieldType, field_map
from landbank.domain.validation import RecordErrors, validate_columns, validate_record
from landbank.services.lookups import CachedNameLookup
from landbank.services.records import (
    _UNIQUE_KEYS,
    ValidationFailed,
    _editable,
    _reference_errors,
    _snapshot,
    _uniqueness_errors,
    display_value,
    record_label,
    resolve_references,
)
from landbank.store.bulk import insert_columns, new_uuids, reserve_ids
from landbank.store.models import TABLES, AuditAction, AuditEntry, new_uuid, utc_now

_NUMERIC = frozenset({bool, int, float})


def cache_safe(values: Iterable[Any]) -> bool:
    """Whether the values of a column can key one dict: ``True == 1 == 1.0`` would otherwise
    share an entry though they read differently (是 / 1)."""
    return len(set(map(type, values)) & _NUMERIC) <= 1


def _only_text(values: Iterable[Any]) -> bool:
    return set(map(type, values)) <= {str, type(None)}


@dataclass
class CheckedColumns:
    """New records checked together (:meth:`RecordBatch.check`): ``columns`` holds every
    editable field (references resolved to ids, a field the input lacks as ``None``),
    ``ok[i]`` whether row ``i`` passes every check :meth:`RecordBatch.add` makes."""

    columns: dict[str, Sequence[Any]]
    count: int
    ok: list[bool]


class RecordBatch:
    """Create many records of one kind (a file import): each row gets the checks and the
    audit entry of :func:`create_record`, but references and duplicates are looked up in
    memory (loaded once, reloaded on a miss) and rows and audit entries are written with one
    statement each per :meth:`write` (``executemany`` / ``COPY``, see
    :mod:`landbank.store.bulk`) instead of ORM objects flushed one by one.

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
        for _, columns in _UNIQUE_KEYS[kind]:
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
        # Queued rows, column by column, with their audit label and snapshot.
        self._pending: dict[str, list[Any]] = {spec.key: [] for spec in self.editable}
        self._labels: list[str] = []
        self._snapshots: list[str] = []
        # Per field: value → its '"label": "shown"' part of a snapshot ("" when not shown).
        self._parts: dict[str, dict[Any, str]] = {spec.key: {} for spec in FIELDS[kind]}
        # Per set of reference columns: their values on a row → (resolved, refused).
        self._refs: dict[tuple[str, ...], dict[tuple[Any, ...], tuple[tuple[Any, ...], bool]]] = {}

    @property
    def pending(self) -> int:
        """Records checked and queued, not yet written."""
        return len(self._labels)

    def known(self, values: Mapping[str, Any]) -> bool:
        """Whether a unique key of ``values`` was seen (in the ledger or this batch)."""
        for key, columns in _UNIQUE_KEYS[self.kind]:
            if values.get(key) not in (None, "") and tuple(values.get(c) for c in columns) in self._keys[columns]:
                return True
        return False

    def remember(self, values: Mapping[str, Any]) -> None:
        for key, columns in _UNIQUE_KEYS[self.kind]:
            if values.get(key) not in (None, ""):
                self._keys[columns].add(tuple(values.get(c) for c in columns))

    # ------------------------------------------------------------ one row (as create_record)

    def _uniqueness_errors(self, values: Mapping[str, Any]) -> dict[str, str]:
        if not self.known(values):
            return {}
        self.write()  # a key seen before: ask the database, as create_record does
        return _uniqueness_errors(self.session, self.kind, values, None)

    def add(self, values: Mapping[str, Any]) -> None:
        """Check ``values`` as :func:`create_record` does and queue the new record.
        Raises :class:`ValidationFailed`."""
        data = {spec.key: None for spec in self.editable}
        data.update(_editable(self.kind, values))
        data, ref_errors = resolve_references(self.session, self.kind, data, self.lookup)
        errors = dict(validate_record(self.kind, data).by_field)
        for extra in (
            _reference_errors(self.session, self.kind, data, self.lookup),
            self._uniqueness_errors(data),
        ):
            for key, reason in extra.items():
                errors.setdefault(key, reason)
        merged = {**ref_errors, **errors}
        if merged:
            raise ValidationFailed(self.kind, RecordErrors(merged))
        for key, column in self._pending.items():
            column.append(data[key])
        self._labels.append(record_label(self.kind, data, self.lookup.names.regions))
        self._snapshots.append(_snapshot(self.session, self.kind, data, self.lookup))
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
        for key, names in _UNIQUE_KEYS[self.kind]:
            if key not in resolved:
                continue
            seen = self._keys[names]
            here: set[tuple[Any, ...]] = set()
            parts = [resolved.get(n) or [None] * count for n in names]
            for index, (value, unique) in enumerate(zip(resolved[key], zip(*parts, strict=True), strict=True)):
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
                if spec.type is FieldType.PARK and region_key in columns and region_key not in involved:
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
                    _reference_errors(self.session, self.kind, resolved, self.lookup)
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
        self._labels.extend(self._record_labels(picked, len(rows)))
        self._snapshots.extend(self._record_snapshots(picked, len(rows)))
        for key, names in _UNIQUE_KEYS[self.kind]:
            seen = self._keys[names]
            for value, unique in zip(picked[key], zip(*(picked[n] for n in names), strict=True), strict=True):
                if value not in (None, ""):
                    seen.add(unique)

    def _record_labels(self, columns: Mapping[str, Sequence[Any]], count: int) -> list[str]:
        if self.kind is RecordKind.PARCEL:
            return [str(code or "") for code in columns["code"]]
        keys = [k for k in ("code", "name", "region_id", "year") if k in columns]
        names = self.lookup.names.regions
        return [
            record_label(self.kind, dict(zip(keys, values, strict=True)), names)
            for values in zip(*(columns[k] for k in keys), strict=True)
        ] if keys else [record_label(self.kind, {}, names)] * count

    def _record_snapshots(self, columns: Mapping[str, Sequence[Any]], count: int) -> list[str]:
        """What :func:`_snapshot` gives for each row: ``json.dumps`` of {label: value shown}
        for the filled fields, put together from one part per distinct value of a column."""
        parts: list[Sequence[str]] = []
        for spec in FIELDS[self.kind]:
            values = columns.get(spec.key)
            if values is None:
                continue
            distinct = set(values)
            if distinct <= {None, ""}:
                continue
            if not cache_safe(values):  # (not of distinct: 1 == 1.0 == True)
                parts.append([self._part(spec, value) for value in values])
                continue
            if spec.type is FieldType.TEXT and len(distinct) * 2 > count and _only_text(values):
                # Mostly different texts (codes, addresses): no cache; display_value(text) is
                # the text itself.
                prefix = f", {encode_basestring(spec.label)}: "
                parts.append([prefix + encode_basestring(v) if v else "" for v in values])
                continue
            cache = self._parts[spec.key]
            for value in distinct.difference(cache):
                cache[value] = self._part(spec, value)
            parts.append(list(map(cache.__getitem__, values)))
        if not parts:
            return ["{}"] * count
        # Each part starts with ", ": a row is its parts joined, less the first separator.
        return ["{" + row[2:] + "}" for row in map("".join, zip(*parts, strict=True))]

    def _part(self, spec: FieldSpec, value: Any) -> str:
        """', "label": "value shown"' as ``json.dumps(..., ensure_ascii=False)`` writes a
        field in a snapshot, or "" for an empty value (not shown)."""
        if value in (None, ""):
            return ""
        if spec.type in REFERENCE_TYPES:
            shown = self.lookup.name_of(spec.type, value) or f"#{value}"
        else:
            shown = display_value(spec, value)  # type: ignore[assignment]
        return f", {encode_basestring(spec.label)}: {encode_basestring(shown)}"

    # ------------------------------------------------------------ writing

    def write(self) -> None:
        """Insert the queued records and their audit entries (``create`` with the snapshot)."""
        count = len(self._labels)
        if not count:
            return
        columns: dict[str, Sequence[Any]] = dict(self._pending)
        labels, snapshots = self._labels, self._snapshots
        self._pending = {key: [] for key in self._pending}
        self._labels, self._snapshots = [], []
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
        versions = columns.get("version") or [1] * count
        insert_columns(
            self.session,
            AuditEntry,
            {
                "at": [now] * count,
                "user": [self.user] * count,
                "action": [AuditAction.CREATE] * count,
                "record_kind": [self.kind.value] * count,
                "record_id": ids,
                "record_uuid": columns["uuid"],
                "record_label": [label[:200] for label in labels],
                "record_version": versions,
                "field": [None] * count,
                "old_value": [None] * count,
                "new_value": snapshots,
                "source": [self.source] * count,
            },
            count,
        )


@dataclass(frozen=True)
class _Value:
    """A plain default (not a factory)."""

    value: Any
