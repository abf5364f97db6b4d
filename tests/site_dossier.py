"""Sites with an outline (红线) and photos for the tests of completeness, the 招商手册 and the
推介单: written straight into the tables (the outline import and the attachments have
services of their own, tested on their own)."""

from __future__ import annotations

import hashlib
import json
import math
import struct
import zlib
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.store.models import TABLES, Attachment
from landbank.store.uuids import new_uuid

CENTRE = (113.90, 35.30)  # 辉县市, near 孟庄镇

FULL_PARCEL: dict[str, Any] = {
    "boundaries": "东至纬三路，西至纬二路，南至经五路，北至规划路",
    "far_min": 1.0,
    "far_max": 2.5,
    "height_limit_m": 24.0,
    "building_density_pct": 40.0,
    "price_wan": 1200.0,
    "contact_person": "张三",
    "contact_phone": "0373-5551234",
}
FULL_FACTORY: dict[str, Any] = {
    "longitude": 113.905,
    "latitude": 35.302,
    "rent_yuan_m2_month": 8.5,
    "contact_phone": "13800000000",
    "ceiling_height_m": 9.0,
    "floor_load_kn_m2": 10.0,
    "power_kva": 800.0,
}


def square_outline(area_mu: float, centre: tuple[float, float] = CENTRE) -> str:
    """A square of ``area_mu`` 亩 around ``centre`` as GeoJSON in lon/lat (near enough)."""
    side_m = math.sqrt(area_mu * 10000.0 / 15.0)
    lon, lat = centre
    dlat = side_m / 2 / 111_320.0
    dlon = side_m / 2 / (111_320.0 * math.cos(math.radians(lat)))
    ring = [
        [lon - dlon, lat - dlat], [lon + dlon, lat - dlat], [lon + dlon, lat + dlat],
        [lon - dlon, lat + dlat], [lon - dlon, lat - dlat],
    ]  # fmt: skip
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def set_outline(
    session: Session,
    parcel_id: int,
    outline_area_mu: float,
    *,
    centre: tuple[float, float] = CENTRE,
) -> None:
    table = TABLES[RecordKind.PARCEL].__table__  # type: ignore[attr-defined]
    session.execute(
        update(table)
        .where(table.c.id == parcel_id)
        .values(
            outline_geojson=square_outline(outline_area_mu, centre),
            outline_area_mu=outline_area_mu,
            outline_source="测试.txt",
        )
    )


def add_attachment(
    session: Session,
    kind: RecordKind,
    record_id: int,
    data: bytes,
    *,
    category: str = "照片",
    media_type: str = "image/png",
    file_name: str = "现场.png",
) -> None:
    record = session.get(TABLES[kind], record_id)
    assert record is not None
    row = {
        "uuid": new_uuid(), "record_kind": kind.value, "record_id": record_id,
        "record_uuid": record.uuid, "region_id": getattr(record, "region_id", None),
        "category": category, "file_name": file_name, "media_type": media_type,
        "size_bytes": len(data), "sha256": hashlib.sha256(data).hexdigest(), "data": data,
        "created_by": "测试员",
    }  # fmt: skip
    session.execute(insert(Attachment.__table__), [row])  # type: ignore[attr-defined]


def png_bytes(
    width: int = 64, height: int = 48, rgb: tuple[int, int, int] = (70, 160, 110)
) -> bytes:
    """A plain PNG of one colour with a darker diagonal (a photo stands in for a photo)."""
    rows = []
    for y in range(height):
        line = bytearray([0])  # filter: none
        for x in range(width):
            dark = abs(x * height - y * width) < width + height
            line += bytes(c // 3 if dark else c for c in rgb)
        rows.append(bytes(line))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"".join(rows)))
        + chunk(b"IEND", b"")
    )


def seed_sites(session: Session) -> dict[str, int]:
    """辉县市 with three 净地 parcels — HX-FULL complete (outline 100.4 亩 for 100 亩, a photo),
    HX-BARE with a phone only (and a 红线图, which is no photo), HX-OFF complete but its outline
    118.60 亩 for 117.35 亩 (1.07 % off) — and an idle factory F-1 complete but for a photo."""
    from landbank.services.records.saving import create_record

    ids: dict[str, int] = {}
    region = create_record(
        session, RecordKind.REGION, {"name": "辉县市", "kind": "县", "city": "新乡市"}, user="t"
    )
    base = {"region_id": region.id, "readiness": "净地(可供)", "status": "可供"}
    for code, area, extra in (
        ("HX-FULL", 100.0, FULL_PARCEL),
        ("HX-BARE", 80.0, {"contact_phone": "0373-1"}),
        ("HX-OFF", 117.35, FULL_PARCEL),
    ):
        values = {**base, "code": code, "area_mu": area, "name": f"{code} 地块", **extra}
        record = create_record(session, RecordKind.PARCEL, values, user="t")
        assert record.id is not None
        ids[code] = record.id
    factory = create_record(
        session,
        RecordKind.FACTORY,
        {"code": "F-1", "name": "1号楼", "region_id": region.id, "status": "闲置",
         "floor_area_m2": 6000.0, "idle_area_m2": 6000.0, **FULL_FACTORY},
        user="t",
    )  # fmt: skip
    assert factory.id is not None
    ids["F-1"] = factory.id
    set_outline(session, ids["HX-FULL"], 100.4)
    set_outline(session, ids["HX-OFF"], 118.60)
    for code in ("HX-FULL", "HX-OFF"):
        add_attachment(session, RecordKind.PARCEL, ids[code], png_bytes(320, 240))
    add_attachment(session, RecordKind.PARCEL, ids["HX-BARE"], png_bytes(), category="红线图")
    return ids
