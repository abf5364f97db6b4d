"""The field catalogue: one description of every ledger field, used by all layers.

A :class:`FieldSpec` names a field (the attribute of the store table and the JSON key, with the
unit in the key where there is one), its Chinese label and unit, its kind and its rules. Table
columns, edit dialogs, CLI output, clipboard paste and validation all read this catalogue, so a
field is described once.
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass
from enum import StrEnum

from landbank.domain.enums import (
    AcquisitionMethod,
    BuildMode,
    FactoryStatus,
    IndustryClass,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RecordKind,
    RegionKind,
    RentOrBuy,
)
from landbank.domain.units import Quantity


class FieldType(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    INT = "int"
    FLOAT = "float"
    DATE = "date"
    BOOL = "bool"
    CHOICE = "choice"  # one of ``choices`` (an enum)
    REGION = "region"  # foreign key to a region, shown by name
    PARK = "park"  # foreign key to a park, shown by name
    PROJECT = "project"  # foreign key to a project, shown by name


# Fields that hold the id of another record and are shown by its name.
REFERENCE_TYPES = frozenset({FieldType.REGION, FieldType.PARK, FieldType.PROJECT})


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    type: FieldType = FieldType.TEXT
    unit: str = ""
    quantity: Quantity = Quantity.PLAIN
    required: bool = False
    choices: builtins.type[StrEnum] | None = None  # 'type' is also a field name here
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    # Shown as a table column by default (others can be switched on in the header menu).
    visible: bool = True
    # Searched by the table's search box (text fields only).
    searchable: bool = False
    # Summed in the status bar.
    summed: bool = False
    # A status following a ladder (landbank.domain.ladders).
    ladder: bool = False
    # Kept by the system, never edited in a dialog.
    read_only: bool = False
    # What the label leaves unsaid (the dialog's tooltip): "不含土地价款".
    hint: str = ""

    @property
    def header(self) -> str:
        """Label with unit, as table headers and exports show it: "面积(亩)"."""
        return f"{self.label}({self.unit})" if self.unit else self.label


def _area(key: str, label: str, **kw: object) -> FieldSpec:
    return FieldSpec(key, label, FieldType.FLOAT, "亩", Quantity.LAND, minimum=0, **kw)  # type: ignore[arg-type]


def _floor(key: str, label: str, **kw: object) -> FieldSpec:
    return FieldSpec(key, label, FieldType.FLOAT, "m²", Quantity.FLOOR, minimum=0, **kw)  # type: ignore[arg-type]


def _money(key: str, label: str, **kw: object) -> FieldSpec:
    return FieldSpec(key, label, FieldType.FLOAT, "万元", Quantity.MONEY, minimum=0, **kw)  # type: ignore[arg-type]


def _date(key: str, label: str, **kw: object) -> FieldSpec:
    return FieldSpec(key, label, FieldType.DATE, **kw)  # type: ignore[arg-type]


def _text(key: str, label: str, **kw: object) -> FieldSpec:
    return FieldSpec(key, label, FieldType.TEXT, **kw)  # type: ignore[arg-type]


def _hidden_text(key: str, label: str, **kw: object) -> FieldSpec:
    return FieldSpec(key, label, FieldType.TEXT, visible=False, **kw)  # type: ignore[arg-type]


REGION_FIELDS: tuple[FieldSpec, ...] = (
    _text("name", "名称", required=True, searchable=True, max_length=50),
    FieldSpec("kind", "类型", FieldType.CHOICE, choices=RegionKind, required=True),
    _text("city", "所属市", max_length=50),
)

PARK_FIELDS: tuple[FieldSpec, ...] = (
    _text("name", "园区名称", required=True, searchable=True, max_length=100),
    FieldSpec("region_id", "所属县区", FieldType.REGION, required=True),
    FieldSpec(
        "target_projects_500m", "5亿元以上项目目标", FieldType.INT, "个", minimum=0, maximum=100
    ),
    FieldSpec(
        "target_projects_100m", "亿元以上项目目标", FieldType.INT, "个", minimum=0, maximum=100
    ),
    _hidden_text("notes", "备注", max_length=2000),
    _area("outline_area_mu", "红线面积", visible=False, read_only=True),
    _hidden_text("outline_source", "红线来源", max_length=300, read_only=True),
)

# After supply (issue 16 item 4; the rules in landbank.domain.land_life). 投资 without the land
# price (国土资源部令第53号 第三十条); the committed 投资强度 is the contract's (land price in).
NO_LAND_PRICE = "不含土地价款（国土资源部令第53号第三十条：闲置土地按此认定投资比例）"
PARCEL_LIFE_FIELDS: tuple[FieldSpec, ...] = (
    _date("approval_date", "批准日期", visible=False),
    _date("production_start_date", "投产日期", visible=False),
    _area("developed_area_mu", "已开发面积", visible=False),
    _money("contract_investment_wan", "合同约定投资", visible=False, hint=NO_LAND_PRICE),
    _money("investment_made_wan", "已完成投资", visible=False, hint=NO_LAND_PRICE),
    _date("stopped_since", "停工日期", visible=False),
    FieldSpec("government_cause", "政府原因延误", FieldType.BOOL, visible=False),
    _floor("built_floor_area_m2", "已建计容建筑面积", visible=False),
    FieldSpec(
        "committed_intensity_wan_per_mu", "承诺投资强度", FieldType.FLOAT, "万元/亩",
        minimum=0, maximum=100_000, visible=False, hint="出让合同约定的投资强度（含地价）",
    ),
    FieldSpec(
        "committed_tax_per_mu_wan", "承诺亩均税收", FieldType.FLOAT, "万元/亩",
        minimum=0, maximum=10_000, visible=False,
    ),
)

# What the 标准地 checks read of a project (landbank.domain.standards.checks.project_figures).
PROJECT_DESIGN_FIELDS: tuple[FieldSpec, ...] = (
    _money("expected_value_added_wan", "预计年增加值", visible=False),
    FieldSpec("emission_t", "预计年排放量", FieldType.FLOAT, "吨", minimum=0, visible=False),
    _money("rd_expense_wan", "研发经费", visible=False),
    _money("expected_revenue_wan", "预计年营业收入", visible=False),
    _floor("design_floor_area_m2", "设计计容建筑面积", visible=False),
    _floor("design_footprint_m2", "设计基底面积", visible=False),
    _floor("design_green_area_m2", "设计绿地面积", visible=False),
    _floor("design_admin_land_m2", "设计行政办公及生活服务设施用地", visible=False),
)

PARCEL_FIELDS: tuple[FieldSpec, ...] = (
    _text("code", "地块编号", required=True, searchable=True, max_length=64),
    _text("name", "地块名称", searchable=True),
    FieldSpec("region_id", "县区", FieldType.REGION, required=True),
    FieldSpec("park_id", "园区", FieldType.PARK),
    _hidden_text("township", "乡镇/街道", searchable=True, max_length=100),
    _text("location", "坐落", searchable=True),
    _hidden_text("boundaries", "四至", max_length=500),
    _area("area_mu", "收储面积", required=True, summed=True),
    # Computed from the outline (红线) by the outline import, never typed.
    _area("outline_area_mu", "红线面积", read_only=True),
    _hidden_text("outline_source", "红线来源", max_length=300, read_only=True),
    _area("net_area_mu", "净用地面积", visible=False, summed=True),
    FieldSpec(
        "readiness",
        "整理程度",
        FieldType.CHOICE,
        choices=ParcelReadiness,
        required=True,
        ladder=True,
    ),
    FieldSpec(
        "status", "供应状态", FieldType.CHOICE, choices=ParcelStatus, required=True, ladder=True
    ),
    _text("planned_use", "规划用途", max_length=50),
    _text("target_industry", "目标产业", searchable=True, max_length=100),
    _hidden_text("reserve_doc_no", "收储文号", max_length=100),
    _date("reserve_date", "收储日期"),
    FieldSpec("count_year", "计入年度", FieldType.INT, minimum=1990, maximum=2100, visible=False),
    FieldSpec(
        "acquisition_method", "收储方式", FieldType.CHOICE, choices=AcquisitionMethod, visible=False
    ),
    _hidden_text("land_source", "土地来源", max_length=100),
    FieldSpec("far_min", "容积率下限", FieldType.FLOAT, minimum=0, maximum=20, visible=False),
    FieldSpec("far_max", "容积率上限", FieldType.FLOAT, minimum=0, maximum=20, visible=False),
    FieldSpec(
        "building_density_pct",
        "建筑密度",
        FieldType.FLOAT,
        "%",
        minimum=0,
        maximum=100,
        visible=False,
    ),
    FieldSpec(
        "green_ratio_pct", "绿地率", FieldType.FLOAT, "%", minimum=0, maximum=100, visible=False
    ),
    FieldSpec(
        "height_limit_m",
        "限高",
        FieldType.FLOAT,
        "m",
        Quantity.LENGTH,
        minimum=0,
        maximum=1000,
        visible=False,
    ),
    FieldSpec(
        "min_investment_intensity_wan_per_mu",
        "投资强度≥",
        FieldType.FLOAT,
        "万元/亩",
        minimum=0,
        visible=False,
    ),
    FieldSpec(
        "min_tax_per_mu_wan", "亩均税收≥", FieldType.FLOAT, "万元/亩", minimum=0, visible=False
    ),
    _money("price_wan", "价格", visible=False),
    _hidden_text("supervision_no", "电子监管号", searchable=True, max_length=64),
    _hidden_text("holder", "受让单位", searchable=True),
    FieldSpec("reserved_project_id", "意向项目", FieldType.PROJECT, visible=False, read_only=True),
    _date("reserved_until", "锁定截止", visible=False, read_only=True),
    _date("agreed_handover_date", "约定交地日期", visible=False),
    _date("agreed_start_date", "约定开工日期", visible=False),
    _date("agreed_completion_date", "约定竣工日期", visible=False),
    _date("actual_handover_date", "实际交地日期", visible=False),
    _date("actual_start_date", "实际开工日期", visible=False),
    _date("actual_completion_date", "实际竣工日期", visible=False),
    _hidden_text("contact_person", "联系人", max_length=50),
    _hidden_text("contact_phone", "联系电话", max_length=50),
    FieldSpec(
        "notes", "备注", FieldType.LONG_TEXT, visible=False, searchable=True, max_length=2000
    ),
    *PARCEL_LIFE_FIELDS,
)

FACTORY_FIELDS: tuple[FieldSpec, ...] = (
    _text("code", "厂房编号", required=True, searchable=True, max_length=64),
    _text("name", "名称/栋号", required=True, searchable=True),
    FieldSpec("region_id", "县区", FieldType.REGION, required=True),
    FieldSpec("park_id", "园区", FieldType.PARK),
    _text("owner", "产权单位", searchable=True),
    FieldSpec("build_mode", "建设方式", FieldType.CHOICE, choices=BuildMode, visible=False),
    FieldSpec(
        "status", "状态", FieldType.CHOICE, choices=FactoryStatus, required=True, ladder=True
    ),
    _date("completion_date", "竣工日期"),
    FieldSpec("floors", "层数", FieldType.INT, "层", minimum=1, maximum=100),
    _floor("floor_area_m2", "建筑面积", required=True, summed=True),
    _floor("idle_area_m2", "闲置面积", summed=True),
    _date("idle_since", "闲置起始日期", visible=False),
    _hidden_text("idle_reason", "闲置原因", max_length=500),
    FieldSpec(
        "ceiling_height_m", "层高", FieldType.FLOAT, "m", Quantity.LENGTH, minimum=0, maximum=100
    ),
    FieldSpec(
        "floor_load_kn_m2",
        "楼面承重",
        FieldType.FLOAT,
        "kN/m²",
        Quantity.LOAD,
        minimum=0,
        maximum=1000,
        visible=False,
    ),
    _hidden_text("column_spacing", "柱距", max_length=50),
    FieldSpec("crane_t", "行车", FieldType.FLOAT, "t", minimum=0, maximum=1000, visible=False),
    FieldSpec(
        "power_kva", "电力容量", FieldType.FLOAT, "kVA", Quantity.POWER, minimum=0, visible=False
    ),
    FieldSpec("dual_power", "双路供电", FieldType.BOOL, visible=False),
    FieldSpec("loading_dock", "卸货平台", FieldType.BOOL, visible=False),
    _hidden_text("fire_rating", "消防等级", max_length=50),
    _hidden_text("environment", "环保条件", max_length=500),
    FieldSpec("rent_yuan_m2_month", "租金", FieldType.FLOAT, "元/m²/月", minimum=0, visible=False),
    _money("price_wan", "售价", visible=False),
    _text("target_industry", "入驻产业方向", searchable=True, max_length=100),
    FieldSpec("reserved_project_id", "意向项目", FieldType.PROJECT, visible=False, read_only=True),
    _date("reserved_until", "锁定截止", visible=False, read_only=True),
    _hidden_text("contact_person", "联系人", max_length=50),
    _hidden_text("contact_phone", "联系电话", max_length=50),
    FieldSpec(
        "notes", "备注", FieldType.LONG_TEXT, visible=False, searchable=True, max_length=2000
    ),
    # Where the building stands, in degrees (CGCS2000 = WGS84 to centimetres); China lies
    # within these ranges, so a longitude typed as the latitude is refused.
    FieldSpec("longitude", "经度", FieldType.FLOAT, "°", minimum=73, maximum=136, visible=False),
    FieldSpec("latitude", "纬度", FieldType.FLOAT, "°", minimum=3, maximum=54, visible=False),
)

PROJECT_FIELDS: tuple[FieldSpec, ...] = (
    _text("name", "项目名称", required=True, searchable=True),
    _text("investor", "投资方", searchable=True),
    _hidden_text("credit_code", "统一社会信用代码", searchable=True, max_length=18),
    FieldSpec("region_id", "承办县区", FieldType.REGION, required=True),
    FieldSpec("park_id", "落地园区", FieldType.PARK),
    _hidden_text("source", "项目来源", max_length=100),
    _text("industry", "产业", searchable=True, max_length=100),
    FieldSpec(
        "industry_class", "产业目录类别", FieldType.CHOICE, choices=IndustryClass, visible=False
    ),
    _money("total_investment_wan", "总投资", summed=True),
    FieldSpec("stage", "阶段", FieldType.CHOICE, choices=ProjectStage, required=True, ladder=True),
    _date("signed_date", "签约日期"),
    _money("contract_investment_wan", "合同投资", visible=False, summed=True),
    _money("funds_in_place_wan", "累计到位资金", visible=False, summed=True),
    _money("funds_in_place_year_wan", "本年到位资金", visible=False),
    _date("agreed_start_date", "约定开工日期", visible=False),
    _date("actual_start_date", "实际开工日期", visible=False),
    _date("agreed_completion_date", "约定竣工日期", visible=False),
    _date("actual_completion_date", "实际竣工日期", visible=False),
    _area("req_land_mu", "需用地"),
    _area("req_land_max_mu", "需用地上限", visible=False),
    _floor("req_factory_m2", "需厂房"),
    FieldSpec(
        "req_ceiling_height_m",
        "需层高",
        FieldType.FLOAT,
        "m",
        Quantity.LENGTH,
        minimum=0,
        maximum=100,
        visible=False,
    ),
    FieldSpec(
        "req_floor_load_kn_m2",
        "需承重",
        FieldType.FLOAT,
        "kN/m²",
        Quantity.LOAD,
        minimum=0,
        maximum=1000,
        visible=False,
    ),
    FieldSpec(
        "req_power_kva", "需电力", FieldType.FLOAT, "kVA", Quantity.POWER, minimum=0, visible=False
    ),
    FieldSpec("energy_tce", "能耗", FieldType.FLOAT, "吨标煤", minimum=0, visible=False),
    FieldSpec("preferred_region_id", "意向县区", FieldType.REGION, visible=False),
    FieldSpec("preferred_park_id", "意向园区", FieldType.PARK, visible=False),
    _date("needed_by", "需用地/厂房日期", visible=False),
    FieldSpec("rent_or_buy", "租赁/购买", FieldType.CHOICE, choices=RentOrBuy, visible=False),
    _money("expected_output_wan", "预计年产值", visible=False),
    _money("expected_tax_wan", "预计年税收", visible=False),
    FieldSpec("expected_jobs", "预计就业", FieldType.INT, "人", minimum=0, visible=False),
    _hidden_text("responsible_unit", "责任单位", max_length=100),
    _text("responsible_leader", "包联领导", max_length=50),
    FieldSpec(
        "problems",
        "问题与困难",
        FieldType.LONG_TEXT,
        visible=False,
        searchable=True,
        max_length=4000,
    ),
    FieldSpec(
        "notes", "备注", FieldType.LONG_TEXT, visible=False, searchable=True, max_length=2000
    ),
    *PROJECT_DESIGN_FIELDS,
)

QUOTA_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("region_id", "县区", FieldType.REGION, required=True),
    FieldSpec("year", "年度", FieldType.INT, required=True, minimum=2000, maximum=2100),
    _area("land_target_mu", "收储目标", required=True, summed=True),
    _floor("factory_target_m2", "标准厂房目标", required=True, summed=True),
    FieldSpec("notes", "备注", FieldType.LONG_TEXT, visible=False, max_length=2000),
)

FIELDS: dict[RecordKind, tuple[FieldSpec, ...]] = {
    RecordKind.REGION: REGION_FIELDS,
    RecordKind.PARK: PARK_FIELDS,
    RecordKind.PARCEL: PARCEL_FIELDS,
    RecordKind.FACTORY: FACTORY_FIELDS,
    RecordKind.PROJECT: PROJECT_FIELDS,
    RecordKind.QUOTA: QUOTA_FIELDS,
}


def field_map(kind: RecordKind) -> dict[str, FieldSpec]:
    return {spec.key: spec for spec in FIELDS[kind]}


def field_by_label(kind: RecordKind, label: str) -> FieldSpec | None:
    """Find a field by its label, header (label with unit) or key."""
    for spec in FIELDS[kind]:
        if label in (spec.key, spec.label, spec.header):
            return spec
    return None
