"""Many new records of one kind at once (a file import), checked and audited exactly as
:func:`landbank.services.records.create_record` does one, but written in batches."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, field_map
from landbank.domain.validation import RecordErrors, validate_record
from landbank.services.lookups import CachedNameLookup
from landbank.services.records import (
    _UNIQUE_KEYS,
    ValidationFailed,
    _editable,
    _reference_errors,
    _snapshot,
    _uniqueness_errors,
    record_label,
    resolve_references,
)
from landbank.store.models import TABLES, AuditAction, AuditEntry, utc_now


class RecordBatch:
    """Create many records of one kind (a file import): each row gets the checks and the
    audit entry of :func:`create_record`, but references and duplicates are looked up in
    memory (loaded once, reloaded on a miss) and rows and audit entries are written with one
    ``INSERT`` per :meth:`write` instead of ORM objects flushed one by one.

    :meth:`add` validates a row (raises :class:`ValidationFailed`) and queues it; :meth:`write`
    inserts the queued rows. A caller that changes the table another way (``update_record`` …)
    must :meth:`write` before and :meth:`remember` the values it saved after, so duplicates
    stay exact: a key seen before is checked against the database itself.
    """

    def __init__(self, session: Session, kind: RecordKind, *, user: str, source: str) -> None:
        self.session = session
        self.kind = kind
        self.user = user
        self.source = source[:300]
        self.table = TABLES[kind]
        self.specs = field_map(kind)
        self.lookup = CachedNameLookup(session)
        self._keys: dict[tuple[str, ...], set[tuple[Any, ...]]] = {}
        core = self.table.__table__  # type: ignore[attr-defined]
        for _, columns in _UNIQUE_KEYS[kind]:
            stmt = select(*(core.c[c] for c in columns))
            self._keys[columns] = {tuple(r) for r in session.execute(stmt)}
        # Each column's default as the model would give it (uuid, version, timestamps …).
        self._factories: dict[str, Callable[[], Any]] = {}
        self._defaults: dict[str, Any] = {}
        for name, info in self.table.model_fields.items():
            if name == "id":
                continue
            if info.default_factory is not None:
                self._factories[name] = info.default_factory  # type: ignore[assignment]
            else:  # a required column has none: NULL, refused by the database
                self._defaults[name] = None if info.is_required() else info.get_default()
        self._pending: list[tuple[dict[str, Any], str, str]] = []

    @property
    def pending(self) -> int:
        """Records checked and queued, not yet written."""
        return len(self._pending)

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

    # ------------------------------------------------------------ checks (as create_record)

    def _uniqueness_errors(self, values: Mapping[str, Any]) -> dict[str, str]:
        if not self.known(values):
            return {}
        self.write()  # a key seen before: ask the database, as create_record does
        return _uniqueness_errors(self.session, self.kind, values, None)

    def add(self, values: Mapping[str, Any]) -> None:
        """Check ``values`` as :func:`create_record` does and queue the new record.
        Raises :class:`ValidationFailed`."""
        data = {spec.key: None for spec in FIELDS[self.kind] if not spec.read_only}
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
        row: dict[str, Any] = {}
        for name, default in self._defaults.items():
            value = data.get(name)
            row[name] = value if value is not None else default
        for name, factory in self._factories.items():
            value = data.get(name)
            row[name] = value if value is not None else factory()
        label = record_label(self.kind, data, self.lookup.names.regions)
        self._pending.append((row, label, _snapshot(self.session, self.kind, data, self.lookup)))
        self.remember(data)

    # ------------------------------------------------------------ writing

    def write(self) -> None:
        """Insert the queued records and their audit entries (``create`` with the snapshot)."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        core = self.table.__table__  # type: ignore[attr-defined]
        self.session.flush()
        rows = [row for row, _, _ in pending]
        self.session.execute(insert(core), rows)
        # The new ids by uuid: one query (SQLite cannot return executemany's ids in order).
        uuids = [row["uuid"] for row in rows]
        stmt = select(core.c.uuid, core.c.id).where(core.c.uuid.in_(uuids))
        found = {u: i for u, i in self.session.execute(stmt)}
        ids = [found[u] for u in uuids]
        audit = AuditEntry.__table__  # type: ignore[attr-defined]
        self.session.execute(
            insert(audit),
            [
                {
                    "at": utc_now(),
                    "user": self.user,
                    "action": AuditAction.CREATE,
                    "record_kind": self.kind.value,
                    "record_id": record_id,
                    "record_uuid": row["uuid"],
                    "record_label": label[:200],
                    "field": None,
                    "old_value": None,
                    "new_value": snapshot,
                    "source": self.source,
                    "record_version": row["version"],
                }
                for record_id, (row, label, snapshot) in zip(ids, pending, strict=True)
            ],
        )
