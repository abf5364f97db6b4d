"""matching and quotas: factory reservations, land need ranges, park targets, city defaults

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel  # noqa: F401
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Adding a foreign key rebuilds the SQLite table: keep it AUTOINCREMENT (ids never reused).
    with op.batch_alter_table(
        "factory", schema=None, table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.add_column(sa.Column("reserved_project_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reserved_until", sa.Date(), nullable=True))
        batch_op.create_foreign_key(
            "fk_factory_reserved_project_id_project",
            "project",
            ["reserved_project_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.add_column(sa.Column("req_land_max_mu", sa.Float(), nullable=True))
    with op.batch_alter_table("park", schema=None) as batch_op:
        batch_op.add_column(sa.Column("target_projects_500m", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("target_projects_100m", sa.Integer(), nullable=True))
    op.create_table(
        "quota_default",
        sa.Column("region_kind", sqlmodel.sql.sqltypes.AutoString(length=4), nullable=False),
        sa.Column("land_target_mu", sa.Float(), nullable=False),
        sa.Column("factory_target_m2", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.PrimaryKeyConstraint("region_kind"),
    )


def downgrade() -> None:
    op.drop_table("quota_default")
    with op.batch_alter_table("park", schema=None) as batch_op:
        batch_op.drop_column("target_projects_100m")
        batch_op.drop_column("target_projects_500m")
    with op.batch_alter_table("project", schema=None) as batch_op:
        batch_op.drop_column("req_land_max_mu")
    with op.batch_alter_table("factory", schema=None) as batch_op:
        batch_op.drop_constraint("fk_factory_reserved_project_id_project", type_="foreignkey")
        batch_op.drop_column("reserved_until")
        batch_op.drop_column("reserved_project_id")
