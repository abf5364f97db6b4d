"""The audit log entries a save writes: one per change, with the user, the source, the
record's label and version — and on create and delete a snapshot of the whole record."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, REFERENCE_TYPES
from landbank.services.records.labels import display_value
from landbank.services.records.lookups import NameLookup
from landbank.store.models import AuditEntry, RecordBase


def add_audit_entry(
    session: Session,
    kind: RecordKind,
    record: RecordBase,
    action: str,
    *,
    user: str,
    source: str,
    label: str,
    field: str | None = None,
    old: str | None = None,
    new: str | None = None,
    version: int,
) -> None:
    """Add one entry about ``record`` to the session (the caller flushes)."""
    assert record.id is not None
    session.add(
        AuditEntry(
            user=user,
            action=action,
            record_kind=kind.value,
            record_id=record.id,
            record_uuid=record.uuid,
            record_label=label[:200],
            field=field,
            old_value=old,
            new_value=new,
            source=source[:300],
            record_version=version,
        )
    )


# The city's shared settings (default quotas, the ledger's city and bureau) are audited too:
# entries of this kind, record_id 0, the setting named in record_label.
SETTING_KIND = "setting"


def add_setting_entry(
    session: Session,
    setting: str,
    *,
    field: str,
    old: str | None,
    new: str | None,
    user: str,
    source: str = "界面",
) -> None:
    """Add an entry about a change of a shared setting (the caller flushes); nothing when
    the value did not change."""
    if old == new:
        return
    session.add(
        AuditEntry(
            user=user[:100],
            action="update",
            record_kind=SETTING_KIND,
            record_id=0,
            record_uuid="",
            record_label=setting[:200],
            field=field[:64],
            old_value=old,
            new_value=new,
            source=source[:300],
            record_version=0,
        )
    )


def audit_snapshot(
    session: Session,
    kind: RecordKind,
    values: Mapping[str, Any],
    lookup: NameLookup | None = None,
) -> str:
    """The record as the audit log keeps it on create and delete: {label: value shown}."""
    lookup = lookup or NameLookup(session)
    shown: dict[str, str | None] = {}
    for spec in FIELDS[kind]:
        value = values.get(spec.key)
        if value in (None, ""):
            continue
        if spec.type in REFERENCE_TYPES:
            shown[spec.label] = lookup.name_of(spec.type, value) or f"#{value}"
        else:
            shown[spec.label] = display_value(spec, value)
    return json.dumps(shown, ensure_ascii=False)
