"""Storing what the record dialog holds (landbank.services.records.saving): a new record, or
only the fields the clerk changed, against the version the dialog loaded; and, after a
conflict, which of the clerk's changes survive the record as stored now."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import (
    create_record,
    get_record,
    record_values,
    update_record,
)
from landbank.ui.context import AppContext


def same(a: Any, b: Any) -> bool:
    """Equal values, an empty text counting as no value."""
    return (None if a == "" else a) == (None if b == "" else b)


def changed_values(values: Mapping[str, Any], old: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if not same(v, old.get(k))}


def store_record(
    ctx: AppContext,
    kind: RecordKind,
    record_id: int | None,
    values: Mapping[str, Any],
    *,
    old: Mapping[str, Any] | None,
    version: int | None,
) -> int:
    """Create the record (``record_id`` None) or update the fields changed since ``old``;
    returns its id. Raises what create_record / update_record raise (ConflictError when
    another clerk saved it since ``version``)."""
    with ctx.write_session() as session:
        if record_id is None:
            record = create_record(session, kind, values, user=ctx.user, source="界面")
        else:
            assert old is not None
            assert version is not None
            record = update_record(
                session,
                kind,
                record_id,
                changed_values(values, old),
                expected_version=version,
                user=ctx.user,
                source="界面",
            )
        saved_id = record.id
    assert saved_id is not None
    return int(saved_id)


def load_stored(ctx: AppContext, kind: RecordKind, record_id: int) -> tuple[dict[str, Any], int]:
    """The record's values as stored now, and its version."""
    with ctx.session() as session:
        record = get_record(session, kind, record_id)
        return record_values(kind, record), record.version


def keep_mine(
    mine: Mapping[str, Any], old: Mapping[str, Any], fresh: Mapping[str, Any]
) -> tuple[dict[str, Any], list[str]]:
    """Of the clerk's changes ``mine`` (since ``old``): those kept over the ``fresh`` record,
    and the fields lost because the other clerk changed them to something else."""
    theirs = {k for k, v in fresh.items() if not same(v, old.get(k))}
    kept: dict[str, Any] = {}
    lost: list[str] = []
    for key, value in mine.items():
        if key in theirs and not same(fresh.get(key), value):
            lost.append(key)
        else:
            kept[key] = value
    return kept, lost
