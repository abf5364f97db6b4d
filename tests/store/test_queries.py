"""Filtering, searching, sorting, paging and sums in SQL, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, inspect, select

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS
from landbank.services.records.saving import create_record
from landbank.store.engine import session_scope
from landbank.store.models import GEOMETRY_COLUMNS, TABLES, LandParcel
from landbank.store.queries import (
    RecordFilter,
    SortOrder,
    count_records,
    distinct_values,
    fetch_page,
    iter_pages,
    load_names,
    summarise,
)

SYSTEM_COLUMNS = {"id", "uuid", "version", "created_at", "updated_at"}


def test_tables_and_field_catalogue_agree(engine: Engine) -> None:
    inspector = inspect(engine)
    for kind, specs in FIELDS.items():
        columns = {c["name"] for c in inspector.get_columns(TABLES[kind].__tablename__)}  # type: ignore[arg-type]
        assert columns - SYSTEM_COLUMNS - GEOMETRY_COLUMNS == {s.key for s in specs}, kind


@pytest.fixture
def city(any_engine: Engine) -> Engine:
    parcels = [
        # code, region, park, area, status, industry, location
        ("HX-01", "辉县市", "辉县市产业集聚区", 120.0, "可供", "装备制造", "孟庄镇南环路北侧"),
        ("HX-02", "辉县市", "辉县市产业集聚区", 35.5, "意向锁定", "新能源电池", "孟庄镇"),
        ("HX-03", "辉县市", None, 300.0, "已挂牌", "装备制造", "百泉镇"),
        ("HQ-01", "红旗区", "红旗区经济技术开发区", 80.0, "可供", "生物医药", "新中大道东侧"),
        ("HQ-02", "红旗区", "红旗区经济技术开发区", 12.25, "可供", None, "50%_special"),
    ]
    with session_scope(any_engine) as s:
        for name, kind in (("辉县市", "县"), ("红旗区", "区")):
            create_record(s, RecordKind.REGION, {"name": name, "kind": kind}, user="t")
        for name, region in (("辉县市产业集聚区", "辉县市"), ("红旗区经济技术开发区", "红旗区")):
            create_record(s, RecordKind.PARK, {"name": name, "region_id": region}, user="t")
        for code, region, park, area, status, industry, location in parcels:
            create_record(
                s,
                RecordKind.PARCEL,
                {
                    "code": code, "region_id": region, "park_id": park, "area_mu": area,
                    "readiness": "净地(可供)", "status": status, "target_industry": industry,
                    "location": location,
                },
                user="t",
            )
    return any_engine


def _codes(engine: Engine, flt: RecordFilter, sort: SortOrder = SortOrder()) -> list[str]:
    with session_scope(engine) as s:
        return [row["code"] for row in fetch_page(s, RecordKind.PARCEL, flt, sort)]


def test_filters(city: Engine) -> None:
    with session_scope(city) as s:
        names = load_names(s)
    hx = next(i for i, n in names.regions.items() if n == "辉县市")
    assert _codes(city, RecordFilter(region_ids=(hx,))) == ["HX-01", "HX-02", "HX-03"]
    assert _codes(city, RecordFilter(statuses=("可供",))) == ["HX-01", "HQ-01", "HQ-02"]
    assert _codes(city, RecordFilter(industry="装备")) == ["HX-01", "HX-03"]
    assert _codes(city, RecordFilter(area_min=50, area_max=150)) == ["HX-01", "HQ-01"]
    assert _codes(city, RecordFilter(region_ids=(hx,), statuses=("可供", "已挂牌"), area_min=100)) == ["HX-01", "HX-03"]


def test_search_matches_text_columns_region_and_park_names(city: Engine) -> None:
    assert _codes(city, RecordFilter(search="孟庄")) == ["HX-01", "HX-02"]
    assert _codes(city, RecordFilter(search="红旗区")) == ["HQ-01", "HQ-02"]
    assert _codes(city, RecordFilter(search="集聚区 南环路")) == ["HX-01"]  # every word must match
    assert _codes(city, RecordFilter(search="50%")) == ["HQ-02"]  # LIKE wildcards are escaped
    assert _codes(city, RecordFilter(search="%")) == ["HQ-02"]
    assert _codes(city, RecordFilter(search="hx-0")) == ["HX-01", "HX-02", "HX-03"]  # any case


def test_a_search_without_cased_letters_is_a_plain_like_on_postgresql() -> None:
    """PostgreSQL's ILIKE takes twice the time of LIKE; a text with no letter that has a case
    (Chinese, digits) matches the same rows either way."""
    from sqlalchemy.dialects import postgresql

    from landbank.store.queries import contains

    code = LandParcel.__table__.c.code  # type: ignore[attr-defined]

    def sql(text: str) -> str:
        return str(select(code).where(contains(code, text)).compile(dialect=postgresql.dialect()))

    assert " LIKE " in sql("孟庄")
    assert " ILIKE " not in sql("孟庄")
    assert " LIKE " in sql("2024-01")
    assert " ILIKE " in sql("hx")
    assert " ILIKE " in sql("孟庄HX")


def test_sort_by_area_region_name_and_park_with_empty_values(city: Engine) -> None:
    assert _codes(city, RecordFilter(), SortOrder("area_mu", descending=True)) == ["HX-03", "HX-01", "HQ-01", "HX-02", "HQ-02"]
    # By region *name*, ties by id; the collation of Chinese differs between databases, so
    # only the grouping is fixed, not which region comes first.
    by_region = _codes(city, RecordFilter(), SortOrder("region_id"))
    assert by_region in (
        ["HQ-01", "HQ-02", "HX-01", "HX-02", "HX-03"],
        ["HX-01", "HX-02", "HX-03", "HQ-01", "HQ-02"],
    )
    assert _codes(city, RecordFilter(), SortOrder("region_id", descending=True)) != by_region
    by_park = _codes(city, RecordFilter(), SortOrder("park_id"))
    assert by_park[0] == "HX-03"  # the parcel without a park first (ascending)


def test_paging_and_count_and_sums(city: Engine) -> None:
    with session_scope(city) as s:
        page1 = fetch_page(s, RecordKind.PARCEL, RecordFilter(), SortOrder("area_mu"), offset=0, limit=2)
        page2 = fetch_page(s, RecordKind.PARCEL, RecordFilter(), SortOrder("area_mu"), offset=2, limit=2)
        assert [r["code"] for r in page1 + page2] == ["HQ-02", "HX-02", "HQ-01", "HX-01"]
        assert count_records(s, RecordKind.PARCEL) == 5
        assert count_records(s, RecordKind.PARCEL, RecordFilter(statuses=("可供",))) == 3
        summary = summarise(s, RecordKind.PARCEL, RecordFilter(statuses=("可供",)))
        assert summary.count == 3
        sums = summary.sums
        assert sums["area_mu"] == pytest.approx(212.25)
        assert sums["net_area_mu"] == 0
        nothing = summarise(s, RecordKind.PARCEL, RecordFilter(search="nothing-matches"))
        assert (nothing.count, nothing.sums["area_mu"]) == (0, 0)
        assert distinct_values(s, RecordKind.PARCEL, "target_industry") == sorted(["装备制造", "新能源电池", "生物医药"])


@pytest.mark.parametrize(
    "sort",
    [SortOrder("region_id"), SortOrder("region_id", descending=True), SortOrder("park_id"),
     SortOrder("area_mu", descending=True), SortOrder()],
)
def test_pages_of_one_query_hold_every_row_once_in_the_sort_order(city: Engine, sort: SortOrder) -> None:
    """The export's pages (one sorted query, read page by page) are the rows of the sorted
    list, each once, in pages of the size asked, the filter applied."""
    with session_scope(city) as s:
        whole = [r["code"] for r in fetch_page(s, RecordKind.PARCEL, RecordFilter(), sort, limit=100)]
        pages = list(iter_pages(s, RecordKind.PARCEL, RecordFilter(), sort, page_size=2))
        assert [len(p) for p in pages] == [2, 2, 1]
        assert [r["code"] for p in pages for r in p] == whole
        flt = RecordFilter(statuses=("可供",))
        filtered = [r["code"] for p in iter_pages(s, RecordKind.PARCEL, flt, sort, page_size=2) for r in p]
        assert filtered == [r["code"] for r in fetch_page(s, RecordKind.PARCEL, flt, sort)]
        assert len(filtered) == 3


def test_filter_by_ids_takes_more_ids_than_sqlite_takes_parameters(city: Engine) -> None:
    """A dashboard figure may stand for tens of thousands of records."""
    with session_scope(city) as s:
        first = s.execute(select(func.min(LandParcel.id))).scalar_one()
    many = (first, *range(100_000, 140_000))
    assert _codes(city, RecordFilter(ids=many)) == ["HX-01"]
    assert _codes(city, RecordFilter(ids=())) == []
