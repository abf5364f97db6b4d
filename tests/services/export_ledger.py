"""A small ledger for the export and template tests, saved through the record services."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record

# Text a clerk might type that Excel would take for a formula (or a CSV importer for a command).
DANGEROUS = (
    '=HYPERLINK("http://evil.example/","点我")',
    "=1+1",
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "=cmd|'/c calc'!A1",
)


def build_ledger(session: Session) -> dict[str, int]:
    """Two regions with a park each; parcels (five of them carrying formula-like text), two
    factories, two projects (one reserving a parcel is not needed). Returns ids by name."""
    ids: dict[str, int] = {}

    def add(kind: RecordKind, values: dict[str, object]) -> int:
        record = create_record(session, kind, values, user="测试员")
        assert record.id is not None
        return record.id

    ids["辉县市"] = add(RecordKind.REGION, {"name": "辉县市", "kind": "县", "city": "新乡市"})
    ids["红旗区"] = add(RecordKind.REGION, {"name": "红旗区", "kind": "区", "city": "新乡市"})
    ids["辉县市产业集聚区"] = add(
        RecordKind.PARK, {"name": "辉县市产业集聚区", "region_id": ids["辉县市"]}
    )
    ids["红旗区高新园"] = add(RecordKind.PARK, {"name": "红旗区高新园", "region_id": ids["红旗区"]})
    parcels = [
        ("HX-001", "辉县市", "辉县市产业集聚区", 120.5, "可供", date(2026, 3, 5), "新能源"),
        ("HX-002", "辉县市", None, 1280.125, "意向锁定", date(2025, 11, 20), "装备制造"),
        ("HQ-001", "红旗区", "红旗区高新园", 56.25, "可供", None, "电子信息"),
        ("HQ-002", "红旗区", None, 300.0, "已挂牌", date(2026, 1, 5), "新能源"),
    ]
    for code, region, park, area, status, reserved, industry in parcels:
        ids[code] = add(
            RecordKind.PARCEL,
            {
                "code": code,
                "name": f"{code} 地块",
                "region_id": ids[region],
                "park_id": ids[park] if park else None,
                "area_mu": area,
                "net_area_mu": area - 0.5,
                "readiness": "净地(可供)",
                "status": status,
                "target_industry": industry,
                "reserve_date": reserved,
                "count_year": 2026,
                "far_min": 1.2,
                "far_max": 2.5,
                "price_wan": 1234567.89,
                "location": "工业大道东侧",
                "contact_phone": "03733012345",
                "notes": "第一行\n第二行 <b>&amp;</b>",
            },
        )
    for i, text in enumerate(DANGEROUS):
        ids[f"D-{i}"] = add(
            RecordKind.PARCEL,
            {
                "code": f"D-{i}",
                "name": text,
                "region_id": ids["辉县市"],
                "area_mu": 10.0 + i,
                "readiness": "拟收储",
                "status": "可供",
                "location": text,
                "target_industry": text,
                "notes": text,
            },
        )
    for code, status, area, dual in (
        ("F-1", "闲置", 12000.0, True),
        ("F-2", "已入驻", 8000.5, False),
    ):
        ids[code] = add(
            RecordKind.FACTORY,
            {
                "code": code,
                "name": f"{code} 栋",
                "region_id": ids["辉县市"],
                "park_id": ids["辉县市产业集聚区"],
                "status": status,
                "floor_area_m2": area,
                "idle_area_m2": area if status == "闲置" else 0.0,
                "dual_power": dual,
                "floors": 3,
                "completion_date": date(2024, 6, 30),
            },
        )
    for name, stage, invest in (("锂电池项目", "签约", 52000.0), ("智能装备", "线索", 8000.0)):
        ids[name] = add(
            RecordKind.PROJECT,
            {
                "name": name,
                "region_id": ids["红旗区"],
                "preferred_park_id": ids["红旗区高新园"],
                "stage": stage,
                "industry": "新能源",
                "total_investment_wan": invest,
                "req_land_mu": 80.0,
                "expected_jobs": 350,
                "problems": "用地指标\n尚未落实",
            },
        )
    session.flush()
    return ids
