"""The title of a ledger list, exported or printed: “新乡市 收储地块台账（辉县市，供应状态：可供，
共 12 条；导出于 2026-11-24）” — the city, the kind, what the filter keeps, the count and the
day."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.services.identity import ledger_identity
from landbank.settings import Settings
from landbank.store.queries import AREA_COLUMN, STATUS_COLUMN, Names, RecordFilter, load_names

KIND_TITLES: dict[RecordKind, str] = {
    RecordKind.PARCEL: "收储地块台账",
    RecordKind.FACTORY: "标准厂房台账",
    RecordKind.PROJECT: "招商项目台账",
    RecordKind.QUOTA: "年度目标台账",
    RecordKind.REGION: "县区名录",
    RecordKind.PARK: "园区名录",
}


def default_title(
    kind: RecordKind,
    names: Names,
    flt: RecordFilter,
    count: int,
    today: date | None = None,
    *,
    city: str = "",
    action: str = "导出",
) -> str:
    """“新乡市 收储地块台账（辉县市，供应状态：可供，共 12 条；导出于 2026-11-24）”: the
    ``city`` (else the county of a county's own ledger, else 全市), the kind, then what the
    filter keeps, the count and the day of the ``action`` (导出, 打印)."""
    today = today or date.today()
    scope = city
    if not scope and len(names.regions) == 1:  # a county's own ledger
        scope = next(iter(names.regions.values()))
    conditions = describe_filter(kind, names, flt)
    if conditions == [scope]:  # the county's own ledger, filtered to itself
        conditions = []
    conditions.append(f"共 {count:,} 条")
    text = "，".join(conditions) + f"；{action}于 {today.isoformat()}"
    return f"{scope or '全市'} {KIND_TITLES[kind]}（{text}）"


def describe_filter(kind: RecordKind, names: Names, flt: RecordFilter) -> list[str]:
    """What ``flt`` keeps, in words: ["辉县市、红旗区", "供应状态：可供", "搜索“电池”"]."""
    conditions = []
    if flt.region_ids:
        conditions.append("、".join(names.regions.get(r, "?") for r in flt.region_ids))
    if flt.park_ids:
        conditions.append("园区：" + "、".join(names.parks.get(p, "?") for p in flt.park_ids))
    specs = field_map(kind)
    if flt.statuses and kind in STATUS_COLUMN:
        conditions.append(f"{specs[STATUS_COLUMN[kind]].label}：" + "、".join(flt.statuses))
    if flt.industry.strip():
        conditions.append(f"产业：{flt.industry.strip()}")
    if flt.search.strip():
        conditions.append(f"搜索“{' '.join(flt.search.split())}”")
    if (flt.area_min is not None or flt.area_max is not None) and kind in AREA_COLUMN:
        spec = specs[AREA_COLUMN[kind]]
        low, high = flt.area_min, flt.area_max
        if low is not None and high is not None:
            span = f"{low:g}–{high:g}"
        else:
            span = f"≥{low:g}" if low is not None else f"≤{high:g}"
        conditions.append(f"{spec.label} {span} {spec.unit}".strip())
    if flt.year is not None and kind is RecordKind.QUOTA:
        conditions.append(f"{flt.year}年度")
    if flt.ids is not None:
        conditions.append("指标所列记录")
    return conditions


def list_title(
    session: Session,
    kind: RecordKind,
    flt: RecordFilter,
    count: int,
    *,
    names: Names | None = None,
    action: str = "导出",
    today: date | None = None,
) -> str:
    """:func:`default_title` with the ledger's city (:func:`ledger_identity`)."""
    city = ledger_identity(session, Settings()).city  # the clerk's settings play no part
    return default_title(
        kind, names or load_names(session), flt, count, today, city=city, action=action
    )
