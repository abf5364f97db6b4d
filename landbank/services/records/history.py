"""The history of a record as the clerk reads it: its audit entries, oldest first — a record
created in a block (a file import) shown with an entry of its own."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, or_, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, field_map
from landbank.services.records.audit_log import audit_snapshot
from landbank.services.records.labels import load_record_label
from landbank.services.records.saving import record_values
from landbank.store.models import TABLES, AuditAction, AuditEntry


def history(session: Session, kind: RecordKind, record_id: int) -> list[AuditEntry]:
    """The audit entries of one record, oldest first.

    A record created in a block (a file import: one ``create`` entry for ids ``record_id`` …
    ``last_record_id``) gets that entry as its own: a copy, not in the session, with its id,
    UUID and label, and its values at creation as a ``create`` entry of one record holds them
    — its values now (or when deleted) with the later changes undone. References show the
    names they have now."""
    entry_id = col(AuditEntry.record_id)
    last_id = col(AuditEntry.last_record_id)
    stmt = (
        select(AuditEntry)
        .where(
            col(AuditEntry.record_kind) == kind.value,
            or_(
                and_(entry_id == record_id, last_id.is_(None)),
                and_(last_id >= record_id, entry_id <= record_id),
            ),
        )
        .order_by(col(AuditEntry.id))
    )
    entries = list(session.execute(stmt).scalars())
    if any(e.last_record_id is not None for e in entries):
        return [_as_own_entry(session, kind, record_id, e, entries) for e in entries]
    return entries


def block_label(kind: RecordKind, count: int) -> str:
    """The label of a block entry (records created together)."""
    return f"{count} 条{kind.label}"


def _as_own_entry(
    session: Session, kind: RecordKind, record_id: int, entry: AuditEntry, entries: Sequence[AuditEntry]
) -> AuditEntry:
    if entry.last_record_id is None:
        return entry
    assert entry.id is not None
    later = [e for e in entries if e.id is not None and e.id > entry.id]
    deleted = next((e for e in later if e.action == AuditAction.DELETE), None)
    record = session.get(TABLES[kind], record_id)
    specs = field_map(kind)
    shown: dict[str, Any] = {}
    if record is not None:
        values = record_values(kind, record)
        shown = json.loads(audit_snapshot(session, kind, values))
        label, uuid = load_record_label(session, kind, values), record.uuid
    elif deleted is not None:
        shown = json.loads(deleted.old_value or "{}")
        label, uuid = deleted.record_label, deleted.record_uuid
    else:  # neither here nor deleted through the app: no values to show, its own id
        label, uuid = f"{kind.label} #{record_id}", ""
    known = record is not None or deleted is not None
    for change in reversed(later):
        if change.action != AuditAction.UPDATE or change.field not in specs:
            continue
        name = specs[change.field].label
        if change.old_value in (None, ""):
            shown.pop(name, None)
        else:
            shown[name] = change.old_value
    ordered = {spec.label: shown[spec.label] for spec in FIELDS[kind] if spec.label in shown}
    return AuditEntry(
        id=entry.id,
        at=entry.at,
        user=entry.user,
        action=entry.action,
        record_kind=entry.record_kind,
        record_id=record_id,
        record_uuid=uuid,
        record_label=label[:200],
        record_version=entry.record_version,
        new_value=json.dumps(ordered, ensure_ascii=False) if known else None,
        source=entry.source,
    )


# Audit fields that are no catalogue field: the outline itself (services/outlines/saving.py).
SYSTEM_FIELD_LABELS = {"outline": "红线"}


def field_label(kind: RecordKind, key: str | None) -> str:
    if key is None:
        return ""
    spec = field_map(kind).get(key)
    return spec.label if spec else SYSTEM_FIELD_LABELS.get(key, key)
