"""audit log: one entry for a block of records created together; the indexes no query reads go

An import of 100,000 parcels wrote 100,000 audit entries, each with a copy of its record
(~440 bytes): the log grew twice as large as the parcels themselves and took a third of the
import's time. Records created together by one import now share one ``create`` entry that
stands for the ids ``record_id`` … ``last_record_id`` (found through ``ix_audit_block``); the
record's values at creation are its values with its later changes undone, which the history
shows as before (:func:`landbank.services.records.history.history`).

The indexes on the time and on the record's UUID go: every change writes an audit entry, so
each index on the log is paid for on every save, and the history, the conflict check and the
quota report find entries by (record_kind, record_id); the log's order is its ids.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BLOCKS = sa.text("last_record_id IS NOT NULL")


def upgrade() -> None:
    op.drop_index("ix_audit_log_record_uuid", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.add_column("audit_log", sa.Column("last_record_id", sa.Integer(), nullable=True))
    op.create_index(
        "ix_audit_block",
        "audit_log",
        ["record_kind", "last_record_id"],
        unique=False,
        sqlite_where=_BLOCKS,
        postgresql_where=_BLOCKS,
    )


def downgrade() -> None:
    # Blocks become one entry per record again only by hand: refuse rather than lose them.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM audit_log WHERE last_record_id IS NOT NULL")).scalar():
        raise RuntimeError("the audit log holds import blocks; a downgrade would lose them")
    op.drop_index("ix_audit_block", table_name="audit_log")
    # Dropping a column rebuilds the SQLite table: keep it AUTOINCREMENT (ids never reused).
    with op.batch_alter_table("audit_log", table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_column("last_record_id")
    op.create_index("ix_audit_log_at", "audit_log", ["at"], unique=False)
    op.create_index("ix_audit_log_record_uuid", "audit_log", ["record_uuid"], unique=False)
