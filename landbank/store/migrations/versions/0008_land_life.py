"""a parcel's life after supply, a project's design, and the yearly figures (issue 16 items 4–6)

parcel: approval_date (批准日期), production_start_date (投产日期), developed_area_mu (已开发面积),
contract_investment_wan and investment_made_wan (合同约定投资, 已完成投资: without the land
price), stopped_since (停工日期), government_cause (政府原因延误), built_floor_area_m2 (已建计容建筑
面积), committed_intensity_wan_per_mu and committed_tax_per_mu_wan (承诺投资强度, 承诺亩均税收).
project: the expected 增加值, 排放量, 研发经费, 营业收入 and the design's 计容建筑面积, 基底面积,
绿地面积, 行政办公及生活服务设施用地 (the 标准地 checks read them). land_yield: one row per
parcel and year of what its firm reported (税收, 销售收入, 产值, 增加值, 能耗, 排放, 从业人数,
研发经费), with the parcel's county for the server's row-level security.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PARCEL_COLUMNS = (
    ("approval_date", sa.Date()),
    ("production_start_date", sa.Date()),
    ("developed_area_mu", sa.Float()),
    ("contract_investment_wan", sa.Float()),
    ("investment_made_wan", sa.Float()),
    ("stopped_since", sa.Date()),
    ("government_cause", sa.Boolean()),
    ("built_floor_area_m2", sa.Float()),
    ("committed_intensity_wan_per_mu", sa.Float()),
    ("committed_tax_per_mu_wan", sa.Float()),
)
PROJECT_COLUMNS = (
    "expected_value_added_wan",
    "emission_t",
    "rd_expense_wan",
    "expected_revenue_wan",
    "design_floor_area_m2",
    "design_footprint_m2",
    "design_green_area_m2",
    "design_admin_land_m2",
)
YIELD_FIGURES = (
    "tax_wan",
    "revenue_wan",
    "output_wan",
    "value_added_wan",
    "energy_tce",
    "emission_t",
)


def upgrade() -> None:
    for name, kind in PARCEL_COLUMNS:
        op.add_column("parcel", sa.Column(name, kind, nullable=True))
    for name in PROJECT_COLUMNS:
        op.add_column("project", sa.Column(name, sa.Float(), nullable=True))
    op.create_table(
        "land_yield",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        *(sa.Column(name, sa.Float(), nullable=True) for name in YIELD_FIGURES),
        sa.Column("employees", sa.Integer(), nullable=True),
        sa.Column("rd_expense_wan", sa.Float(), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(["parcel_id"], ["parcel.id"], ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sa.UniqueConstraint("parcel_id", "year", name="uq_land_yield_parcel_year"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_land_yield_parcel_id", "land_yield", ["parcel_id"])
    op.create_index("ix_land_yield_region_id", "land_yield", ["region_id"])


def downgrade() -> None:
    op.drop_index("ix_land_yield_region_id", table_name="land_yield")
    op.drop_index("ix_land_yield_parcel_id", table_name="land_yield")
    op.drop_table("land_yield")
    with op.batch_alter_table("project") as batch:
        for name in reversed(PROJECT_COLUMNS):
            batch.drop_column(name)
    with op.batch_alter_table("parcel") as batch:
        for name, _kind in reversed(PARCEL_COLUMNS):
            batch.drop_column(name)
