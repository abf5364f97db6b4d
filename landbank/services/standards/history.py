"""The history of the 标准地 table as the clerk reads it: the audit entries of kind
``standard`` that :mod:`.saving` writes (新建/删除 with a snapshot, each changed bound old →
new), of one row or of the whole table — the latter also lists rows deleted since, whose
history is reachable nowhere else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.services.standards.rows import bound_label
from landbank.services.standards.saving import STANDARD_KIND
from landbank.store.models import AuditEntry, LandStandard


@dataclass(frozen=True)
class StandardChange:
    """One audit entry of the table: ``field`` is the column's header (“固定资产投资强度≥…”),
    empty for a whole row created or deleted (``old``/``new`` then the JSON snapshot)."""

    at: datetime
    user: str
    action: str  # AuditAction: create / update / delete
    row_id: int
    row: str  # the row's title then: “获嘉县·高新园区·新材料”
    field: str
    old: str
    new: str
    source: str
    deleted: bool  # the row is no longer in the table


def _changes(session: Session, entries: list[AuditEntry]) -> list[StandardChange]:
    live = set(session.execute(select(col(LandStandard.id))).scalars())
    return [
        StandardChange(
            at=e.at,
            user=e.user,
            action=e.action,
            row_id=e.record_id,
            row=e.record_label,
            field=bound_label(e.field) if e.field else "",
            old=e.old_value or "",
            new=e.new_value or "",
            source=e.source,
            deleted=e.record_id not in live,
        )
        for e in entries
    ]


def row_history(session: Session, standard_id: int) -> list[StandardChange]:
    """The changes of one row, newest first."""
    stmt = (
        select(AuditEntry)
        .where(
            col(AuditEntry.record_kind) == STANDARD_KIND,
            col(AuditEntry.record_id) == standard_id,
        )
        .order_by(col(AuditEntry.id).desc())
    )
    return _changes(session, list(session.execute(stmt).scalars()))


def table_history(
    session: Session, county: str | None = None, *, deleted_only: bool = False
) -> list[StandardChange]:
    """The changes of every row (of ``county``'s rows when given: the rows titled
    “县区·…” then), newest first; ``deleted_only``: only the rows deleted since, each
    change of theirs."""
    stmt = select(AuditEntry).where(col(AuditEntry.record_kind) == STANDARD_KIND)
    if county:
        stmt = stmt.where(
            (col(AuditEntry.record_label) == county)
            | col(AuditEntry.record_label).startswith(f"{county}·", autoescape=True)
        )
    changes = _changes(
        session, list(session.execute(stmt.order_by(col(AuditEntry.id).desc())).scalars())
    )
    return [c for c in changes if c.deleted] if deleted_only else changes


__all__ = ["StandardChange", "row_history", "table_history"]
