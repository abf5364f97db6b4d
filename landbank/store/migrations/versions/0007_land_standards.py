"""the 标准地 indicator table (issue 16)

land_standard: a county's thresholds (投资强度, 容积率, 亩均税收 …), optionally for one park
and/or one industry; one row per (county, park or none, industry or none), enforced by a
unique index on expressions (a missing park compares as 0, a missing industry as '').

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BOUNDS = (
    "investment_intensity_min_wan_per_mu",
    "far_min",
    "far_max",
    "tax_per_mu_min_wan",
    "output_per_mu_min_wan",
    "value_added_per_tce_min_wan",
    "value_added_per_emission_min_wan",
    "rd_share_min_pct",
    "labour_productivity_min_wan",
    "building_coverage_min_pct",
    "green_ratio_max_pct",
    "admin_share_max_pct",
)


def upgrade() -> None:
    op.create_table(
        "land_standard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("park_id", sa.Integer(), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        *(sa.Column(name, sa.Float(), nullable=True) for name in BOUNDS),
        sa.Column("notes", sa.String(length=2000), nullable=True),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["park_id"], ["park.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_land_standard_region_id", "land_standard", ["region_id"])
    op.create_index(
        "uq_land_standard_key",
        "land_standard",
        [
            sa.text("region_id"),
            sa.text("coalesce(park_id, 0)"),
            sa.text("coalesce(industry, '')"),
        ],
        unique=True,
    )


def downgrade() -> None:
    op.drop_index("uq_land_standard_key", table_name="land_standard")
    op.drop_index("ix_land_standard_region_id", table_name="land_standard")
    op.drop_table("land_standard")
