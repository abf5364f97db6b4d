"""What the CLI prints: JSON with English keys, aligned Chinese text tables."""

from __future__ import annotations

import json
from datetime import date

from landbank.domain.enums import RecordKind
from landbank.services.records.listing import (
    display_width,
    format_fields,
    format_table,
    record_to_json,
    truncate,
)
from landbank.store.queries import Names

NAMES = Names(
    regions={1: "辉县市", 2: "红旗区"},
    parks={5: "辉县市产业集聚区"},
    projects={9: "年产 5 万吨新能源电池正极材料项目"},
    park_region={5: 1},
)

PARCEL = {
    "id": 3,
    "uuid": "0f0e",
    "version": 2,
    "code": "HX2026-012",
    "name": None,
    "region_id": 1,
    "park_id": 5,
    "location": "辉县市孟庄镇南环路北侧",
    "area_mu": 1234.5,
    "readiness": "净地(可供)",
    "status": "意向锁定",
    "reserve_date": date(2026, 3, 5),
    "reserved_project_id": 9,
    "far_min": None,
    "notes": "第一行\n第二行",
}


def test_record_to_json_uses_english_keys_names_and_iso_dates() -> None:
    data = record_to_json(RecordKind.PARCEL, PARCEL, NAMES)
    assert data["id"] == 3
    assert data["uuid"] == "0f0e"
    assert data["version"] == 2
    assert data["area_mu"] == 1234.5
    assert data["region"] == "辉县市"
    assert data["park"] == "辉县市产业集聚区"
    assert data["reserved_project"] == "年产 5 万吨新能源电池正极材料项目"
    assert data["reserve_date"] == "2026-03-05"
    assert data["far_min"] is None
    assert data["holder"] is None  # absent from the row: null, not missing
    assert not any(key.endswith("_id") for key in data)
    json.dumps(data, ensure_ascii=False)  # serialisable as is

    project = record_to_json(
        RecordKind.PROJECT,
        {"id": 1, "name": "x", "region_id": 2, "preferred_region_id": None, "preferred_park_id": 5},
        NAMES,
    )
    assert project["region"] == "红旗区"
    assert project["preferred_region"] is None
    assert project["preferred_park"] == "辉县市产业集聚区"


def test_display_width_counts_cjk_as_two_columns() -> None:
    assert display_width("abc") == 3
    assert display_width("辉县市") == 6
    assert display_width("１２") == 4  # full-width digits
    assert display_width("面积(m²)") == 8
    assert truncate("辉县市孟庄镇南环路北侧", 9) == "辉县市孟…"
    assert display_width(truncate("辉县市孟庄镇南环路北侧", 9)) <= 9
    assert truncate("short", 9) == "short"


def test_format_table_aligns_columns_by_display_width() -> None:
    other = {**PARCEL, "id": 12, "code": "A1", "region_id": 2, "park_id": None, "area_mu": 15.0}
    text = format_table(RecordKind.PARCEL, [PARCEL, other], NAMES)
    lines = text.splitlines()
    header, rule, first, second = lines
    assert header.split()[:4] == ["ID", "地块编号", "地块名称", "县区"]
    assert "收储面积(亩)" in header
    assert "意向项目" not in header  # not a visible column
    assert "1,234.50" in first  # 亩: two decimals, as everywhere
    assert "红旗区" in second
    # The area column ends at the same display column on every line (right-aligned numbers).
    end_1 = display_width(first[: first.index("1,234.50") + len("1,234.50")])
    end_2 = display_width(second[: second.index("15.00 ") + len("15.00")])
    assert end_1 == end_2
    # Every column starts where its header starts.
    start = display_width(header[: header.index("县区")])
    assert display_width(second[: second.index("红旗区")]) == start
    assert set(rule) <= {"-", " "}


def test_format_table_with_chosen_keys_and_empty_rows() -> None:
    text = format_table(RecordKind.PARCEL, [], NAMES, keys=["code", "area_mu"], with_id=False)
    assert text.splitlines()[0].split() == ["地块编号", "收储面积(亩)"]
    regions = format_table(
        RecordKind.REGION, [{"id": 1, "name": "辉县市", "kind": "县", "city": "新乡市"}], NAMES
    )
    assert regions.splitlines()[2].split() == ["1", "辉县市", "县", "新乡市"]


def test_format_fields_lists_non_empty_fields_with_units() -> None:
    lines = format_fields(RecordKind.PARCEL, PARCEL, NAMES)
    text = "\n".join(lines)
    assert "收储面积(亩)" in text
    assert "1,234.5" in text
    assert "意向项目" in text
    assert "容积率下限" not in text  # empty
    notes = next(i for i, line in enumerate(lines) if line.startswith("备注"))
    assert lines[notes].endswith("第一行")
    assert lines[notes + 1].strip() == "第二行"
