"""The store's 资料完整度 and 红线面积不符 (SQL) agree with the domain's rules, record by record:
many random parcels and factories, every value a rule looks at drawn from its edge cases
(empty, spaces, zero, negative, exactly 1 % off), on SQLite and on PostgreSQL."""

from __future__ import annotations

import random
from typing import Any

from sqlalchemy import Engine, insert

from landbank.domain.completeness import (
    COMPLETENESS_KEY,
    completeness,
    outline_area_mismatch,
)
from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.completeness import completeness_of_ids, photo_ids
from landbank.store.engine import session_scope
from landbank.store.models import Attachment, Factory, LandParcel
from landbank.store.queries import RecordFilter, SortOrder, count_records, fetch_page

TEXTS = [None, "", " ", "   ", "\t", "\u3000", "东至路", " 有 "]
NUMBERS = [None, 0.0, -1.0, 1e-9, 0.5, 2.5, 24.0, 1200.0]
OUTLINES = [None, "", '{"type": "Polygon", "coordinates": [[[113.9, 35.3]]]}']
CATEGORIES = ["照片", "红线图", "规划条件", "其他"]
GOOD_TEXTS = ["东至路", " 有 ", "\u3000"]
GOOD_NUMBERS = [1e-9, 0.5, 2.5, 24.0]


class Draw:
    """Values drawn for one record: one in five from present values only (a complete site)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.good = rng.random() < 0.2

    def text(self) -> str | None:
        return self.rng.choice(GOOD_TEXTS if self.good else TEXTS)

    def number(self) -> float | None:
        return self.rng.choice(GOOD_NUMBERS if self.good else NUMBERS)


def _outline_area(rng: random.Random, area: float) -> float | None:
    choice = rng.randrange(6)
    if choice == 0:
        return None
    if choice == 1:
        return area * 1.01  # on the boundary (in floating point, either side)
    if choice == 2:
        return area * 0.99
    if choice == 3:
        return area + 0.01 * area  # the boundary as the rule computes it
    return area * (1 + rng.uniform(-0.03, 0.03))


def _parcel(d: Draw, i: int, region_id: int) -> LandParcel:
    area = d.rng.choice([0.0, 1.0, 100.0, 117.35, d.rng.uniform(0.1, 500)])
    outline_area = area if d.good else _outline_area(d.rng, area)
    return LandParcel(
        code=f"P{i:04d}", region_id=region_id, area_mu=area, readiness="净地(可供)", status="可供",
        outline_geojson=OUTLINES[-1] if d.good else d.rng.choice(OUTLINES),
        outline_area_mu=outline_area, boundaries=d.text(), far_min=d.number(),
        far_max=d.number(), height_limit_m=d.number(), building_density_pct=d.number(),
        price_wan=d.number(), contact_phone=d.text(), contact_person=d.rng.choice(TEXTS),
    )  # fmt: skip


def _factory(d: Draw, i: int, region_id: int) -> Factory:
    return Factory(
        code=f"F{i:04d}", name=f"{i}号楼", region_id=region_id, status="闲置",
        floor_area_m2=5000.0, longitude=113.9 if d.good else d.rng.choice([None, 0.0, 113.9]),
        latitude=35.3 if d.good else d.rng.choice([None, 35.3]), price_wan=d.number(),
        rent_yuan_m2_month=d.number(), contact_phone=d.text(), ceiling_height_m=d.number(),
        floor_load_kn_m2=d.number(), power_kva=d.number(),
    )  # fmt: skip


def _attachment(kind: RecordKind, record_id: int, category: str, n: int) -> dict[str, Any]:
    return {
        "uuid": f"{kind.value}-{record_id}-{n}", "record_kind": kind.value,
        "record_id": record_id, "record_uuid": "-", "category": category, "file_name": "a.jpg",
        "media_type": "image/jpeg", "size_bytes": 1, "sha256": "0" * 64, "data": b"x",
        "created_by": "t",
    }  # fmt: skip


def _attachments(
    rng: random.Random, kind: RecordKind, ids: list[int], good: set[int]
) -> list[dict[str, Any]]:
    rows = []
    for record_id in ids:
        categories = [rng.choice(CATEGORIES) for _ in range(rng.choice([0, 0, 1, 2]))]
        if record_id in good:
            categories.append("照片")
        rows += [_attachment(kind, record_id, c, n) for n, c in enumerate(categories)]
    return rows


def _seed(engine: Engine, parcels: int, factories: int, seed: int) -> None:
    rng = random.Random(seed)
    with session_scope(engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t")
        assert region.id is not None
        rid = region.id
        made: dict[RecordKind, list[tuple[Draw, Any]]] = {
            RecordKind.PARCEL: [],
            RecordKind.FACTORY: [],
        }
        for i in range(parcels):
            d = Draw(rng)
            made[RecordKind.PARCEL].append((d, _parcel(d, i, rid)))
        for i in range(factories):
            d = Draw(rng)
            made[RecordKind.FACTORY].append((d, _factory(d, i, rid)))
        s.add_all([record for records in made.values() for _, record in records])
        s.flush()
        rows = []
        for kind, records in made.items():
            good = {int(r.id) for d, r in records if d.good}
            rows += _attachments(rng, kind, [int(r.id) for _, r in records], good)
        # Another kind's photo under a parcel's id must not count for the parcel.
        rows += _attachments(rng, RecordKind.PROJECT, list(range(1, 60)), set(range(1, 60)))
        s.execute(insert(Attachment.__table__), rows)  # type: ignore[attr-defined]


def _domain(engine: Engine, kind: RecordKind) -> dict[int, Any]:
    with session_scope(engine) as s:
        rows = fetch_page(s, kind, limit=100_000)
        photos = photo_ids(s, kind, [r["id"] for r in rows])
    return {r["id"]: (r, completeness(kind, r, has_photo=r["id"] in photos)) for r in rows}


def test_sql_and_domain_agree_on_random_sites(any_engine: Engine) -> None:
    _seed(any_engine, parcels=600, factories=400, seed=15)
    for kind in (RecordKind.PARCEL, RecordKind.FACTORY):
        judged = _domain(any_engine, kind)
        with session_scope(any_engine) as s:
            sql = completeness_of_ids(s, kind, judged)
            incomplete = {
                r["id"] for r in fetch_page(s, kind, RecordFilter(incomplete=True), limit=10**6)
            }
            ordered = fetch_page(s, kind, sort=SortOrder(COMPLETENESS_KEY), limit=10**6)
            down = fetch_page(
                s, kind, sort=SortOrder(COMPLETENESS_KEY, descending=True), limit=10**6
            )
        for record_id, (row, result) in judged.items():
            assert sql[record_id] == result.pct == row[COMPLETENESS_KEY], (kind, row, result)
        assert incomplete == {i for i, (_, r) in judged.items() if not r.complete}
        assert 0 < len(incomplete) < len(judged)  # the draw has both
        assert len({r.pct for _, r in judged.values()}) >= 5
        scores = [judged[r["id"]][1].pct for r in ordered]
        assert scores == sorted(scores)
        assert len(ordered) == len(judged)
        assert [r["id"] for r in down] == [
            r["id"] for r in sorted(ordered, key=lambda r: (-r[COMPLETENESS_KEY], -r["id"]))
        ]


def test_outline_mismatch_filter_agrees_with_the_domain(any_engine: Engine) -> None:
    _seed(any_engine, parcels=500, factories=0, seed=2)
    judged = _domain(any_engine, RecordKind.PARCEL)
    with session_scope(any_engine) as s:
        flagged = {
            r["id"]
            for r in fetch_page(
                s, RecordKind.PARCEL, RecordFilter(outline_mismatch=True), limit=10**6
            )
        }
        both = count_records(
            s, RecordKind.PARCEL, RecordFilter(outline_mismatch=True, incomplete=True)
        )
        # A kind without an outline ignores the flag (the filter bar never offers it there).
        factories = count_records(s, RecordKind.FACTORY, RecordFilter(outline_mismatch=True))
    expected = {
        i
        for i, (row, _) in judged.items()
        if outline_area_mismatch(row["area_mu"], row["outline_area_mu"])
    }
    assert flagged == expected
    assert 0 < len(expected) < len(judged)
    assert both == len(expected)  # a mismatch is always missing 红线面积核对
    assert factories == 0


def test_a_page_of_other_kinds_has_no_completeness(engine: Engine) -> None:
    with session_scope(engine) as s:
        create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t")
        rows = fetch_page(s, RecordKind.REGION)
    assert rows
    assert COMPLETENESS_KEY not in rows[0]
