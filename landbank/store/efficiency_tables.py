"""The 亩均效益评价 scheme of a county (issue 16 item 6, migration 0009).

Kept apart from :mod:`landbank.store.models` (which imports it, so the table is registered with
the others) so that module stays one screen of tables. One row per county; ``region_id`` NULL
is the city's default, used by every county without a row of its own. ``scope_key`` is
``region_id`` or 0 for the city's row and is unique: a unique ``region_id`` would never clash
on NULLs, and an expression index cannot be reflected from SQLite. The weights and the fixed base
values are JSON objects keyed by the indicator's Chinese name (``{"亩均税收": 45, …}``): the
indicators are the domain's (:class:`landbank.domain.land_life.efficiency.Measure`), a scheme
names only those it scores, and a column each would have to change with every published scheme.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Text
from sqlmodel import Field, SQLModel

from landbank.store.uuids import new_uuid


def _now() -> datetime:
    return datetime.now(UTC)


class EfficiencyScheme(SQLModel, table=True):
    """评价方法: the preset it started from, the weights (sum 100), the multiple of the county's
    previous-year average that makes each base value unless ``bases_json`` fixes it."""

    __tablename__ = "efficiency_scheme"
    __table_args__ = ({"sqlite_autoincrement": True},)
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    updated_by: str = Field(default="", max_length=100)
    region_id: int | None = Field(default=None, foreign_key="region.id", ondelete="RESTRICT")
    scope_key: int = Field(unique=True)  # region_id, 0 for the city's default
    preset: str = Field(max_length=20)  # 黄岩 / 淮安2024
    weights_json: str = Field(sa_type=Text)  # {"亩均税收": 45.0, …}
    base_multiple: float = Field(default=1.0)
    bases_json: str = Field(default="{}", sa_type=Text)  # fixed base values, by indicator
    max_ratio: float | None = None  # cap of figure ÷ base (None: none)
