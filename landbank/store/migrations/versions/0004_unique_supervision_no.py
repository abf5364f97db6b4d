"""parcel: 电子监管号 unique where given, in the database too

The app refuses a second parcel with the same 电子监管号 before saving, but two clerks on one
PostgreSQL server saving the same number at the same moment would both pass that check. A
partial unique index (empty numbers left out) makes the second save fail instead. The plain
index stays for lookups by number: SQLite does not use a partial index whose condition it
cannot prove from "supervision_no = ?" (it cannot prove "<> ''"), and the app stores an empty
number as '' as well as NULL. A ledger that already holds a number twice is not upgraded: the
message names the numbers and their parcels, and the database stays as it was.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-24
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from landbank.store.engine import DatabaseError

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GIVEN = "supervision_no IS NOT NULL AND supervision_no <> ''"


def upgrade() -> None:
    bind = op.get_bind()
    twice = bind.execute(
        sa.text(
            f"SELECT supervision_no, code FROM parcel WHERE {_GIVEN} AND supervision_no IN ("
            f"SELECT supervision_no FROM parcel WHERE {_GIVEN} "
            "GROUP BY supervision_no HAVING count(*) > 1) ORDER BY supervision_no, id"
        )
    ).all()
    if twice:
        holders: dict[str, list[str]] = {}
        for number, code in twice:
            holders.setdefault(number, []).append(code)
        listed = "；".join(f"“{n}”：地块 {'、'.join(codes)}" for n, codes in list(holders.items())[:10])
        more = f"等 {len(holders)} 个" if len(holders) > 10 else ""
        raise DatabaseError(
            f"数据库中有重复的电子监管号（{listed}{more}），本版本的 landbank 要求电子监管号不重复。"
            "数据库未作任何改动。请用原来版本的 landbank 打开并修改这些地块的电子监管号后再试。"
        )
    op.create_index(
        "uq_parcel_supervision_no",
        "parcel",
        ["supervision_no"],
        unique=True,
        sqlite_where=sa.text(_GIVEN),
        postgresql_where=sa.text(_GIVEN),
    )


def downgrade() -> None:
    op.drop_index("uq_parcel_supervision_no", table_name="parcel")
