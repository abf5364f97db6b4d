"""outlines, building locations and attachments (the site dossier)

parcel and park: outline_geojson (the 红线 as a GeoJSON geometry in longitude/latitude),
outline_area_mu (its area computed in a projected CRS), outline_source (the file it came from);
factory: longitude and latitude; attachment: photos and documents held by any record, in the
database itself so that backups and the city's server carry them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _outline_columns(table: str) -> None:
    op.add_column(table, sa.Column("outline_area_mu", sa.Float(), nullable=True))
    op.add_column(table, sa.Column("outline_source", sa.String(length=300), nullable=True))
    op.add_column(table, sa.Column("outline_geojson", sa.Text(), nullable=True))


def upgrade() -> None:
    _outline_columns("parcel")
    _outline_columns("park")
    op.add_column("factory", sa.Column("longitude", sa.Float(), nullable=True))
    op.add_column("factory", sa.Column("latitude", sa.Float(), nullable=True))
    op.create_table(
        "attachment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("record_kind", sa.String(length=10), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("record_uuid", sa.String(length=36), nullable=False),
        sa.Column("region_id", sa.Integer(), nullable=True),
        sa.Column("category", sa.String(length=10), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["region_id"], ["region.id"], ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("uuid"),
        sqlite_autoincrement=True,
    )
    op.create_index("ix_attachment_record", "attachment", ["record_kind", "record_id"])


def downgrade() -> None:
    op.drop_index("ix_attachment_record", table_name="attachment")
    op.drop_table("attachment")
    with op.batch_alter_table("factory") as batch:
        batch.drop_column("latitude")
        batch.drop_column("longitude")
    for table in ("park", "parcel"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("outline_geojson")
            batch.drop_column("outline_source")
            batch.drop_column("outline_area_mu")
