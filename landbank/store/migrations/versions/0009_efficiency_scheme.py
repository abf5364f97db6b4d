"""the 亩均效益评价 scheme of a county (issue 16 item 6)

efficiency_scheme: one row per county (region_id; NULL: the city's default, scope_key 0 —
scope_key is region_id or 0 and unique), the preset it started from (黄岩 / 淮安2024), the
weights and the fixed base values as JSON keyed by the indicator's Chinese name, the multiple
of the county's previous-year average that makes a base value, an optional cap of figure ÷
base, who changed it last and when.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "efficiency_scheme",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=100), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("scope_key", sa.Integer(), nullable=False),
        sa.Column("preset", sa.String(length=20), nullable=False),
        sa.Column("weights_json", sa.Text(), nullable=False),
        sa.Column("base_multiple", sa.Float(), nullable=False),
        sa.Column("bases_json", sa.Text(), nullable=False),
        sa.Column("max_ratio", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sa.UniqueConstraint("scope_key"),
        sqlite_autoincrement=True,
    )


def downgrade() -> None:
    op.drop_table("efficiency_scheme")
