"""Finding the header row and mapping columns: catalogue labels, synonyms, units, repeats,
remembered mappings."""

from __future__ import annotations

import pytest

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS
from landbank.domain.validation import FieldError
from landbank.services.importing.columns import (
    find_header_row,
    map_columns,
    match_header,
    remember_mapping,
    remembered_mapping,
    synonyms,
)


@pytest.mark.parametrize("kind", [RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT])
def test_catalogue_headers_map_to_their_own_fields(kind: RecordKind) -> None:
    """landbank's own exports and templates ("收储面积(亩)", "县区", "园区") import back."""
    specs = [s for s in FIELDS[kind] if not s.read_only]
    mapping = map_columns(kind, [s.header for s in specs])
    assert mapping.keys() == [s.key for s in specs]
    assert mapping.duplicates == []
    assert mapping.ignored == []
    assert all(c.unit is None for c in mapping.columns)


@pytest.mark.parametrize(
    ("header", "key", "unit"),
    [
        ("宗地编号", "code", None),
        ("地块编号", "code", None),
        ("编号", "code", None),
        ("面积(公顷)", "area_mu", "公顷"),
        ("面积（公顷）", "area_mu", "公顷"),
        ("宗地面积", "area_mu", None),
        ("用地面积(亩)", "area_mu", "亩"),
        ("收储面积（平方米）", "area_mu", "平方米"),  # an area like 亩: converted
        ("收储面积（万元）", None, None),  # refused below: money is not land
        ("受让人", "holder", None),
        ("土地使用权人", "holder", None),
        ("县（市、区）", "region_id", None),
        ("*地块编号：", "code", None),
        ("成交价格(亿元)", "price_wan", "亿元"),
    ],
)
def test_synonyms_and_units(header: str, key: str | None, unit: str | None) -> None:
    if key is None:
        with pytest.raises(FieldError, match="不适用"):
            match_header(RecordKind.PARCEL, header)
        return
    found = match_header(RecordKind.PARCEL, header)
    assert found is not None
    assert (found[0].key, found[1]) == (key, unit)


def test_factory_and_project_synonyms() -> None:
    assert (m := match_header(RecordKind.FACTORY, "建筑面积(万平方米)"))
    assert m[1] == "万平方米"
    assert (m := match_header(RecordKind.FACTORY, "产权人"))
    assert m[0].key == "owner"
    assert (m := match_header(RecordKind.PROJECT, "统一社会信用代码"))
    assert m[0].key == "credit_code"
    assert (m := match_header(RecordKind.PROJECT, "总投资(亿元)"))
    assert m[1] == "亿元"
    assert match_header(RecordKind.PARCEL, "序号") is None
    assert all(synonyms()[k] for k in (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT))


def test_header_row_is_found_below_titles() -> None:
    rows: list[list[object]] = [
        ["2017年收储地块台账", None, None],
        [None, None, "单位：亩"],
        [],
        ["序号", "宗地编号", "县区", "面积(亩)"],
        [1, "A-1", "辉县市", 10],
    ]
    assert find_header_row(RecordKind.PARCEL, rows) == 3  # type: ignore[arg-type]
    assert find_header_row(RecordKind.PARCEL, [["a", "b"], [1, 2]]) is None


def test_a_repeated_header_uses_the_later_column() -> None:
    mapping = map_columns(RecordKind.PARCEL, ["地块编号", "土地用途", "县区", "土地用途"])
    assert mapping.keys() == ["code", None, "region_id", "planned_use"]
    assert mapping.duplicates == ["土地用途"]
    assert mapping.by_key()["planned_use"].index == 3


def test_chosen_mapping_overrides_and_is_remembered() -> None:
    headers = ["编号", "位置", "面积(公顷)", "其他"]
    assert remembered_mapping(RecordKind.PARCEL, headers) is None
    chosen: list[str | None] = ["code", "township", "area_mu", None]
    remember_mapping(RecordKind.PARCEL, headers, chosen)
    assert remembered_mapping(RecordKind.PARCEL, headers) == chosen
    assert remembered_mapping(RecordKind.FACTORY, headers) is None  # per kind
    assert remembered_mapping(RecordKind.PARCEL, [*headers, "x"]) is None
    mapping = map_columns(RecordKind.PARCEL, headers, chosen)
    assert mapping.keys() == chosen
    assert mapping.by_key()["area_mu"].unit == "公顷"  # the header's unit still converts


def test_two_header_rows_are_joined_only_when_they_name_more_fields() -> None:
    from landbank.services.importing.columns import two_row_header

    top = ["序号", "地块编号", "县区", "容积率", None, "约定时间", None, None]
    sub = [None, None, None, "下限", "上限", "交地", "开工", "竣工"]
    assert two_row_header(RecordKind.PARCEL, top, sub, [(3, 4), (5, 7)]) == [
        "序号",
        "地块编号",
        "县区",
        "容积率下限",
        "容积率上限",
        "约定交地时间",
        "约定开工时间",
        "约定竣工时间",
    ]
    assert two_row_header(RecordKind.PARCEL, top[:3], [1, "A-1", "辉县市"]) is None  # data
    assert two_row_header(RecordKind.PARCEL, top[:3], ["一", "A-1", "辉县市"]) is None


def test_a_column_set_to_not_imported_is_listed_as_ignored() -> None:
    """The clerk's （不导入） on a column naming a field lists it, as a header naming none."""
    headers = ["序号", "地块编号", "县区", "受让人", "土地用途", "土地用途"]
    automatic = map_columns(RecordKind.PARCEL, headers)
    assert automatic.ignored == ["序号"]
    chosen = automatic.keys()
    chosen[3] = None  # 受让人 → （不导入）
    chosen[4] = "planned_use"  # both 土地用途 columns named: the later one is used
    mapping = map_columns(RecordKind.PARCEL, headers, chosen)
    assert mapping.keys()[3] is None
    assert mapping.ignored == ["序号", "受让人"]
    assert mapping.duplicates == ["土地用途"]  # the earlier 土地用途: listed as repeated only
    # The wizard passes back every column as shown: the earlier 土地用途 as （不导入） too.
    shown = map_columns(RecordKind.PARCEL, headers, [*chosen[:4], None, "planned_use"])
    assert shown.ignored == ["序号", "受让人", "土地用途"]
    assert shown.duplicates == []
