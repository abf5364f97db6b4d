"""Create, edit and delete ledger records: validated, audited, and safe against lost updates.

Every change goes through here — the GUI dialogs, clipboard paste, the CLI and the demo — so
each one is validated against :mod:`landbank.domain.validation`, written to the audit log with
the user and the source, and checked against the version the clerk started from: when another
clerk saved the same record in between, the save is refused with :class:`ConflictError`
listing who changed what, never a silent overwrite.

The checks are :mod:`landbank.services.records.checks`, the audit entries
:mod:`landbank.services.records.audit_log`, a record's label and shown values
:mod:`landbank.services.records.labels`; the transaction is handled here.

Functions take a session and flush; the caller commits (or rolls back: nothing is half-done).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, null, select, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, field_map
from landbank.domain.validation import RecordErrors
from landbank.services.records.audit_log import add_audit_entry, audit_snapshot
from landbank.services.records.checks import check_record, resolve_references
from landbank.services.records.dependants import dependants_of
from landbank.services.records.labels import display_value, load_record_label
from landbank.services.server.rights import is_refusal, refusal_reason
from landbank.store.models import (
    TABLES,
    AuditAction,
    AuditEntry,
    RecordBase,
    as_utc,
    utc_now,
)


class RecordError(Exception):
    """Base of the errors a clerk sees; ``str()`` is the Chinese message."""


class ValidationFailed(RecordError):
    def __init__(self, kind: RecordKind, errors: RecordErrors) -> None:
        super().__init__(errors.describe(kind))
        self.kind = kind
        self.errors = errors


class RecordNotFound(RecordError):
    pass


class DeleteRefused(RecordError):
    pass


class WriteRefused(RecordError):
    """The city server refused the write (row-level security, a grant): not a conflict."""


@dataclass(frozen=True)
class ChangeSince:
    """One change another clerk saved after this clerk opened the record."""

    user: str
    at: datetime
    field_label: str
    old_value: str | None
    new_value: str | None

    def describe(self) -> str:
        when = as_utc(self.at).astimezone().strftime("%Y-%m-%d %H:%M")
        return f"{self.user} 于 {when} 将“{self.field_label}”从“{self.old_value or '空'}”改为“{self.new_value or '空'}”"


class ConflictError(RecordError):
    def __init__(self, label: str, changes: list[ChangeSince], deleted: bool = False) -> None:
        if deleted:
            message = f"“{label}”已被其他用户删除，无法保存。"
        else:
            lines = "\n".join(f"· {c.describe()}" for c in changes) or "· （记录已被修改）"
            message = (
                f"“{label}”在您编辑期间已被其他用户修改，您的保存未执行：\n{lines}\n"
                "请重新打开该记录，核对后再修改。"
            )
        super().__init__(message)
        self.changes = changes
        self.deleted = deleted


def record_values(kind: RecordKind, record: RecordBase) -> dict[str, Any]:
    return {spec.key: getattr(record, spec.key) for spec in FIELDS[kind]}


# ---------------------------------------------------------------- create / update / delete


def editable_values(
    kind: RecordKind, values: Mapping[str, Any], *, managed: bool = False
) -> dict[str, Any]:
    specs = field_map(kind)
    unknown = set(values) - set(specs)
    if unknown:
        raise KeyError(f"unknown fields for {kind}: {sorted(unknown)}")
    return {k: v for k, v in values.items() if managed or not specs[k].read_only}


def create_record(
    session: Session,
    kind: RecordKind,
    values: Mapping[str, Any],
    *,
    user: str,
    source: str = "界面",
) -> RecordBase:
    """Validate and insert a record; audit it. Raises :class:`ValidationFailed`."""
    data = {spec.key: None for spec in FIELDS[kind] if not spec.read_only}
    data.update(editable_values(kind, values))
    data, ref_errors = resolve_references(session, kind, data)
    errors = check_record(session, kind, data)
    merged = {**ref_errors, **errors.by_field}
    if merged:
        raise ValidationFailed(kind, RecordErrors(merged))
    record = TABLES[kind].model_validate({k: v for k, v in data.items() if v is not None})
    session.add(record)
    try:
        session.flush()
    except DBAPIError as exc:
        if is_refusal(exc):  # "new row violates row-level security policy"
            label = str(data.get("code") or data.get("name") or kind.label)
            raise _refused(session, kind, label, data.get("region_id")) from exc
        raise
    add_audit_entry(
        session,
        kind,
        record,
        AuditAction.CREATE,
        user=user,
        source=source,
        label=load_record_label(session, kind, data),
        new=audit_snapshot(session, kind, data),
        version=record.version,
    )
    session.flush()
    return record


def get_record(session: Session, kind: RecordKind, record_id: int) -> RecordBase:
    record = session.get(TABLES[kind], record_id, populate_existing=True)
    if record is None:
        raise RecordNotFound(f"{kind.label}（编号 {record_id}）不存在，可能已被删除")
    return record


def _last_known_label(session: Session, kind: RecordKind, record_id: int) -> str:
    """The name a deleted record had, from its audit entries (its id when none is left)."""
    stmt = (
        select(col(AuditEntry.record_label))
        .where(
            col(AuditEntry.record_kind) == kind.value,
            col(AuditEntry.record_id) == record_id,
            col(AuditEntry.last_record_id).is_(None),  # a block's label is not this record's
        )
        .order_by(col(AuditEntry.id).desc())
        .limit(1)
    )
    label = session.execute(stmt).scalar_one_or_none()
    return label or f"{kind.label} #{record_id}"


def changes_since(
    session: Session, kind: RecordKind, record_id: int, version: int
) -> list[ChangeSince]:
    specs = field_map(kind)
    stmt = (
        select(AuditEntry)
        .where(
            col(AuditEntry.record_kind) == kind.value,
            col(AuditEntry.record_id) == record_id,
            col(AuditEntry.record_version) > version,
        )
        .order_by(col(AuditEntry.id))
    )
    result = []
    for entry in session.execute(stmt).scalars():
        label = specs[entry.field].label if entry.field in specs else (entry.field or "记录")
        result.append(ChangeSince(entry.user, entry.at, label, entry.old_value, entry.new_value))
    return result


def _refused(session: Session, kind: RecordKind, label: str, region_id: Any) -> WriteRefused:
    reason = refusal_reason(session.get_bind(), kind, region_id)
    return WriteRefused(f"未能保存{kind.label}“{label}”：{reason}（本次操作未执行）。")


def _guarded_write(
    session: Session, stmt: Any, kind: RecordKind, record_id: int, version: int, label: str
) -> None:
    """Run a version-guarded UPDATE/DELETE of one record. No row touched: read the row again
    — gone or at another version, another clerk saved (or deleted) it first
    (:class:`ConflictError`); still at the version read, the city server's row-level security
    kept this login from it (:class:`WriteRefused`, naming the county). A database busy with
    another clerk's write raises (``OperationalError``, described as busy by
    ``services.errors``) — on SQLite the write transaction has waited for the lock before
    reading, so the version it read is the one it writes over."""
    try:
        touched = session.execute(stmt).rowcount  # type: ignore[attr-defined]
    except DBAPIError as exc:
        if is_refusal(exc):  # moved to another county: the policy's WITH CHECK
            raise _refused(session, kind, label, None) from exc
        raise
    if touched == 1:
        return
    table = TABLES[kind]
    region: Any = getattr(table, "region_id", null())
    stmt = select(col(table.version), region).where(col(table.id) == record_id)
    row = session.execute(stmt).one_or_none()
    if row is None:
        raise ConflictError(label, [], deleted=True)
    if row[0] == version and session.get_bind().dialect.name == "postgresql":
        raise _refused(session, kind, label, row[1])
    raise ConflictError(label, changes_since(session, kind, record_id, version))


def update_record(
    session: Session,
    kind: RecordKind,
    record_id: int,
    values: Mapping[str, Any],
    *,
    expected_version: int,
    user: str,
    source: str = "界面",
    managed: bool = False,
    ladder_skips: bool = False,
) -> RecordBase:
    """Save the fields in ``values`` (others stay as they are) if the record is still at
    ``expected_version``. Raises :class:`ValidationFailed`, :class:`ConflictError`.

    Fields the system keeps (read-only in the catalogue, such as a site's reservation) are
    ignored unless ``managed`` is set — by the service that owns them. ``ladder_skips``: a
    status may jump forward over rungs (a file import of a ledger's later version)."""
    table = TABLES[kind]
    try:
        record = get_record(session, kind, record_id)
    except RecordNotFound:
        raise ConflictError(_last_known_label(session, kind, record_id), [], deleted=True) from None
    old = record_values(kind, record)
    label = load_record_label(session, kind, old)
    if record.version != expected_version:
        raise ConflictError(label, changes_since(session, kind, record_id, expected_version))
    edits = editable_values(kind, values, managed=managed)
    data, ref_errors = resolve_references(session, kind, {**old, **edits})
    errors = check_record(
        session, kind, data, old=old, record_id=record_id, ladder_skips=ladder_skips
    )
    merged = {**ref_errors, **errors.by_field}
    if merged:
        raise ValidationFailed(kind, RecordErrors(merged))
    changed = {k: v for k, v in data.items() if old.get(k) != v}
    if not changed:
        return record
    new_version = expected_version + 1
    stmt = (
        update(table)
        .where(table.id == record_id, table.version == expected_version)  # type: ignore[arg-type]
        .values(**changed, version=new_version, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    # Someone may have saved between our read and our write (the race the check above
    # can't see), or the server's row-level security keeps this login from the row.
    _guarded_write(session, stmt, kind, record_id, expected_version, label)
    specs = field_map(kind)
    for key, value in changed.items():
        add_audit_entry(
            session,
            kind,
            record,
            AuditAction.UPDATE,
            user=user,
            source=source,
            label=label,
            field=key,
            old=display_value(specs[key], old.get(key), session),
            new=display_value(specs[key], value, session),
            version=new_version,
        )
    session.flush()
    return get_record(session, kind, record_id)


def delete_record(
    session: Session,
    kind: RecordKind,
    record_id: int,
    *,
    expected_version: int | None,
    user: str,
    source: str = "界面",
) -> None:
    """Delete a record (the audit log keeps a snapshot of it). A region or park still used
    by records is refused with :class:`DeleteRefused` naming how many."""
    try:
        record = get_record(session, kind, record_id)
    except RecordNotFound:
        raise ConflictError(_last_known_label(session, kind, record_id), [], deleted=True) from None
    old = record_values(kind, record)
    label = load_record_label(session, kind, old)
    if expected_version is not None and record.version != expected_version:
        raise ConflictError(label, changes_since(session, kind, record_id, expected_version))
    users = dependants_of(session, kind, record_id)
    if users:
        raise DeleteRefused(f"“{label}”下还有 {'、'.join(users)}，不能删除。")
    version = record.version
    snapshot = audit_snapshot(session, kind, old)
    table = TABLES[kind]
    # Guarded like an update: a save another clerk made after this clerk's read is never
    # deleted unseen (PostgreSQL would otherwise delete by id alone). The DELETE runs before
    # the audit entry is added, so no autoflush can fail first and poison the session.
    stmt = (
        delete(table)
        .where(col(table.id) == record_id, col(table.version) == version)
        .execution_options(synchronize_session=False)
    )
    _guarded_write(session, stmt, kind, record_id, version, label)
    add_audit_entry(
        session,
        kind,
        record,
        AuditAction.DELETE,
        user=user,
        source=source,
        label=label,
        old=snapshot,
        version=version + 1,
    )
    session.expunge(record)
    session.flush()


UNDO_DELETE_SOURCE = "撤销删除"


def restore_deleted(
    session: Session,
    kind: RecordKind,
    snapshots: Sequence[Mapping[str, Any]],
    *,
    user: str,
) -> list[int]:
    """Create again records deleted a moment ago, from their values as :func:`record_values`
    gave them before the delete (undo). They get new ids; the audit log says 撤销删除. All or
    nothing for the caller's transaction: :class:`ValidationFailed` when one no longer fits
    (its code taken meanwhile, its county deleted)."""
    ids = []
    for values in snapshots:
        record = create_record(session, kind, values, user=user, source=UNDO_DELETE_SOURCE)
        assert record.id is not None
        ids.append(record.id)
    return ids
