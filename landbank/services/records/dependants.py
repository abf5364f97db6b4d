"""What still holds a record, so that deleting it is refused first (naming how many of each):
a county's parks, records, quotas and 标准地 rows, a park's records and rows, a parcel's yearly
figures, the sites reserved for a project. The database would otherwise refuse the delete
(foreign keys RESTRICT) or clear the references by itself (ON DELETE SET NULL), unaudited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.store.models import (
    AnnualQuota,
    EfficiencyScheme,
    Factory,
    LandParcel,
    LandStandard,
    LandYield,
    Park,
    Project,
)

DEPENDANTS: dict[RecordKind, list[tuple[Any, str, str]]] = {
    RecordKind.REGION: [
        (Park, "region_id", "园区"),
        (LandParcel, "region_id", "地块"),
        (Factory, "region_id", "厂房"),
        (Project, "region_id", "项目"),
        (AnnualQuota, "region_id", "年度指标"),
        (Project, "preferred_region_id", "以其为意向县区的项目"),
        (LandStandard, "region_id", "标准地指标行"),
        (EfficiencyScheme, "region_id", "亩均效益评价方法"),
    ],
    RecordKind.PARK: [
        (LandParcel, "park_id", "地块"),
        (Factory, "park_id", "厂房"),
        (Project, "park_id", "项目"),
        (Project, "preferred_park_id", "以其为意向园区的项目"),
        (LandStandard, "park_id", "标准地指标行"),
    ],
    RecordKind.PARCEL: [(LandYield, "parcel_id", "年度经营数据")],
    # The database would clear these references by itself (ON DELETE SET NULL), unaudited.
    RecordKind.PROJECT: [
        (LandParcel, "reserved_project_id", "为其意向锁定的地块"),
        (Factory, "reserved_project_id", "为其意向锁定的厂房"),
    ],
}


def dependants_of(session: Session, kind: RecordKind, record_id: int) -> list[str]:
    """“3 个地块”, “1 个标准地指标行” …: what still holds the record ``record_id`` of ``kind``."""
    users = []
    for table, column, name in DEPENDANTS.get(kind, []):
        n = session.execute(
            select(func.count()).select_from(table).where(getattr(table, column) == record_id)
        ).scalar_one()
        if n:
            users.append(f"{n} 个{name}")
    return users
