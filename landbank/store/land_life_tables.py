"""The columns of a parcel's life after supply and a project's design, and the table of the
yearly figures of the firm on a supplied parcel (issue 16 items 4–6, migration 0008).

Kept apart from :mod:`landbank.store.models` (which imports them: ``LandParcel`` and ``Project``
take the two column sets, ``land_yield`` is registered with the other tables) so that module
stays one screen of tables. Units as everywhere: 亩, m², 万元; 投资 figures here are **without
the land price** (国土资源部令第53号 第三十条 counts the investment so); the committed 投资强度
is what the contract states, land price included as the 控制指标 count it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from landbank.store.uuids import new_uuid


def _now() -> datetime:
    return datetime.now(UTC)


class ParcelLifeColumns(SQLModel):
    """A supplied parcel's dates and figures (批准日期 also before supply: 批而未供)."""

    approval_date: date | None = None  # 农用地转用/土地征收 批准日期
    production_start_date: date | None = None  # 投产日期
    developed_area_mu: float | None = None  # 已开发面积 (已动工开发建设用地面积)
    contract_investment_wan: float | None = None  # 合同约定投资, 不含地价
    investment_made_wan: float | None = None  # 已完成投资, 不含地价
    stopped_since: date | None = None  # 停工日期 (cleared when work resumes)
    government_cause: bool | None = None  # 政府原因延误 (53号 第八条)
    built_floor_area_m2: float | None = None  # 已建计容建筑面积
    committed_intensity_wan_per_mu: float | None = None  # 承诺投资强度 (含地价)
    committed_tax_per_mu_wan: float | None = None  # 承诺亩均税收


class ProjectDesignColumns(SQLModel):
    """A project's expected yearly figures and its design, read by the 标准地 checks
    (:func:`landbank.domain.standards.checks.project_figures`)."""

    expected_value_added_wan: float | None = None  # 预计年增加值
    emission_t: float | None = None  # 预计年排放量 (吨)
    rd_expense_wan: float | None = None  # 研发经费 (万元/年)
    expected_revenue_wan: float | None = None  # 预计年营业收入
    design_floor_area_m2: float | None = None  # 设计计容建筑面积
    design_footprint_m2: float | None = None  # 设计基底面积
    design_green_area_m2: float | None = None  # 设计绿地面积
    design_admin_land_m2: float | None = None  # 设计行政办公及生活服务设施用地


class LandYield(SQLModel, table=True):
    """年度经营数据: what the firm on a supplied parcel reported for one calendar year. One row
    per parcel and year. ``region_id`` is the parcel's county (the server's row-level security
    decides by it). Changes are audited on the parcel (field 年度经营数据)."""

    __tablename__ = "land_yield"
    __table_args__ = (
        UniqueConstraint("parcel_id", "year", name="uq_land_yield_parcel_year"),
        {"sqlite_autoincrement": True},
    )
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=_now, sa_type=DateTime(timezone=True))
    parcel_id: int = Field(foreign_key="parcel.id", index=True, ondelete="RESTRICT")
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="RESTRICT")
    year: int
    tax_wan: float | None = None  # 税收
    revenue_wan: float | None = None  # 销售收入
    output_wan: float | None = None  # 产值
    value_added_wan: float | None = None  # 增加值
    energy_tce: float | None = None  # 能耗 (吨标煤)
    emission_t: float | None = None  # 排放 (吨)
    employees: int | None = None  # 从业人数
    rd_expense_wan: float | None = None  # 研发经费
    notes: str | None = Field(default=None, max_length=500)
