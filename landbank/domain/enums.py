"""Enumerations of the ledger: region kinds, status ladders, build modes.

Values are the Chinese words clerks write in their ledgers, so a value stored in the database,
printed by the CLI and shown in the GUI is the same word. English names are for code only.
"""

from __future__ import annotations

from enum import StrEnum


class RegionKind(StrEnum):
    """县/市 (county, incl. county-level city), 区 (district) or the city itself."""

    COUNTY = "县"
    DISTRICT = "区"
    CITY = "市"

    @property
    def label(self) -> str:
        return {"县": "县(市)", "区": "区", "市": "市(本级)"}[self.value]


class ParcelReadiness(StrEnum):
    """收储地块的整理程度 (readiness ladder), in order."""

    PLANNED = "拟收储"
    RESERVED_RAW = "已收储(毛地)"
    CLEARED = "征拆完成"
    THREE_CONNECTIONS = "三通一平"
    FIVE_CONNECTIONS = "五通一平"
    SEVEN_CONNECTIONS = "七通一平"
    NET_LAND = "净地(可供)"


class ParcelStatus(StrEnum):
    """地块的供应状态 (commercial ladder), in order."""

    AVAILABLE = "可供"
    RESERVED = "意向锁定"
    LISTED = "已挂牌"
    SUPPLIED = "已出让/划拨"
    HANDED_OVER = "已交地"
    STARTED = "已开工"
    IN_PRODUCTION = "已竣工投产"


class AcquisitionMethod(StrEnum):
    EXPROPRIATION = "征收"
    TAKE_BACK = "收回"
    PURCHASE = "收购"


class FactoryStatus(StrEnum):
    UNDER_CONSTRUCTION = "在建"
    BUILT = "已建成"
    IDLE = "闲置"
    PARTLY_OCCUPIED = "部分入驻"
    OCCUPIED = "已入驻"


class BuildMode(StrEnum):
    GOVERNMENT = "政府出资新建"
    JOINT = "社会资本参与合建"
    RENOVATION = "老旧厂房翻新利用"
    RELOCATION = "闲置厂房腾挪置换"


class ProjectStage(StrEnum):
    LEAD = "线索"
    NEGOTIATING = "在谈"
    SIGNED = "签约"
    ABOUT_TO_START = "拟开工"
    STARTED = "开工"
    IN_PRODUCTION = "竣工投产"
    TERMINATED = "终止"


class IndustryClass(StrEnum):
    """招商项目产业目录 class (篇1)."""

    ENCOURAGED = "鼓励"
    GENERAL = "一般"
    FORBIDDEN = "禁止"


class RentOrBuy(StrEnum):
    RENT = "租赁"
    BUY = "购买"
    EITHER = "均可"


class RecordKind(StrEnum):
    """The kinds of record a ledger holds; values are the table names."""

    REGION = "region"
    PARK = "park"
    PARCEL = "parcel"
    FACTORY = "factory"
    PROJECT = "project"
    QUOTA = "quota"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    RecordKind.REGION: "行政区",
    RecordKind.PARK: "园区",
    RecordKind.PARCEL: "地块",
    RecordKind.FACTORY: "厂房",
    RecordKind.PROJECT: "项目",
    RecordKind.QUOTA: "年度指标",
}
