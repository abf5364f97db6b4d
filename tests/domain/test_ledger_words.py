"""What clerks write: dates, numbers with units, region names, status words."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landbank.domain.enums import RegionKind
from landbank.domain.ledger_words import (
    factory_status,
    is_blank,
    parcel_ladders,
    parse_ledger_date,
    parse_ledger_number,
    project_stage,
    region_from_area,
    region_kind,
    region_name,
)
from landbank.domain.units import Quantity
from landbank.domain.validation import FieldError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017/1/3", date(2017, 1, 3)),
        ("2017-01-03", date(2017, 1, 3)),
        ("2017.1.3", date(2017, 1, 3)),
        ("2017年01月31日", date(2017, 1, 31)),
        ("２０１７年１月３１日", date(2017, 1, 31)),
        ("2017年1月", date(2017, 1, 1)),
        ("2017-01", date(2017, 1, 1)),
        ("2017-01-03 00:00:00", date(2017, 1, 3)),
        (42738, date(2017, 1, 3)),
        (42738.0, date(2017, 1, 3)),
        ("42738", date(2017, 1, 3)),
        (datetime(2017, 1, 3, 8, 30), date(2017, 1, 3)),
        (date(2017, 1, 3), date(2017, 1, 3)),
        ("", None),
        (None, None),
        ("—", None),
    ],
)
def test_dates_in_every_spelling(value: object, expected: date | None) -> None:
    assert parse_ledger_date(value) == expected


@pytest.mark.parametrize("value", ["2017/13/1", "明年", "2017年2月30日", -5, True])
def test_bad_dates_say_why(value: object) -> None:
    with pytest.raises(FieldError):
        parse_ledger_date(value)


@pytest.mark.parametrize(
    ("value", "quantity", "unit", "expected"),
    [
        ("1,234.5", Quantity.LAND, None, 1234.5),
        ("１２０", Quantity.LAND, None, 120.0),
        ("约 120亩", Quantity.LAND, None, 120.0),
        ("2.5公顷", Quantity.LAND, None, 37.5),
        ("2.5", Quantity.LAND, "公顷", 37.5),
        (2.5, Quantity.LAND, "公顷", 37.5),
        ("约 1.2万㎡", Quantity.FLOOR, None, 12000.0),
        ("3", Quantity.FLOOR, "万平方米", 30000.0),
        ("1500平方米", Quantity.FLOOR, None, 1500.0),
        ("1.5亿元", Quantity.MONEY, None, 15000.0),
        ("2", Quantity.MONEY, "亿元", 20000.0),
        ("-", Quantity.LAND, None, None),
        ("", Quantity.LAND, None, None),
    ],
)
def test_numbers_with_units_in_header_or_cell(
    value: object, quantity: Quantity, unit: str | None, expected: float | None
) -> None:
    assert parse_ledger_number(value, quantity, unit) == pytest.approx(expected)


def test_a_unit_of_another_quantity_is_refused() -> None:
    with pytest.raises(FieldError, match="单位"):
        parse_ledger_number("120亩", Quantity.FLOOR)
    with pytest.raises(FieldError):
        parse_ledger_number("很多", Quantity.LAND)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新乡市辉县市", "辉县市"),
        ("河南省新乡市红旗区", "红旗区"),
        ("辉县市", "辉县市"),
        ("荆州市沙市区", "沙市区"),
        ("市中区", "市中区"),
        ("兰州新区", "兰州新区"),
        (" 新乡市 原阳县 ", "原阳县"),
        ("海西蒙古族藏族自治州德令哈市", "德令哈市"),
    ],
)
def test_region_names_lose_their_city_prefix(text: str, expected: str) -> None:
    assert region_name(text) == expected


def test_region_kind_from_the_name() -> None:
    assert region_kind("辉县市") is RegionKind.COUNTY
    assert region_kind("原阳县") is RegionKind.COUNTY
    assert region_kind("红旗区") is RegionKind.DISTRICT
    assert region_kind("新乡市本级") is RegionKind.CITY
    assert region_kind("达拉特旗") is RegionKind.COUNTY
    assert region_from_area("青海省,海西蒙古族藏族自治州") == ("海西蒙古族藏族自治州", RegionKind.CITY)
    assert region_from_area("甘肃省,嘉峪关市") == ("嘉峪关市", RegionKind.CITY)
    assert region_from_area("") is None


def test_parcel_status_words_land_on_both_ladders() -> None:
    assert parcel_ladders(None, "已出让") == ("净地(可供)", "已出让/划拨")
    assert parcel_ladders(None, "划拨") == ("净地(可供)", "已出让/划拨")
    assert parcel_ladders("毛地", None) == ("已收储(毛地)", "可供")
    assert parcel_ladders("已收储", None) == ("已收储(毛地)", "可供")
    assert parcel_ladders(None, "净地") == ("净地(可供)", "可供")  # one 状态 column
    assert parcel_ladders("三通一平", "可供") == ("三通一平", "可供")
    assert parcel_ladders(None, "闲置") == ("净地(可供)", "已出让/划拨")
    assert parcel_ladders(None, "在建") == ("净地(可供)", "已开工")
    # What the clerk wrote for readiness stands; validation then names the conflict.
    assert parcel_ladders("毛地", "已出让") == ("已收储(毛地)", "已出让/划拨")
    assert parcel_ladders(None, None) == (None, None)
    with pytest.raises(FieldError, match="地块状态"):
        parcel_ladders(None, "不知道")


def test_factory_and_project_words() -> None:
    assert factory_status("闲置") == "闲置"
    assert factory_status("空置") == "闲置"
    assert factory_status("部分入驻") == "部分入驻"
    assert factory_status("已入驻") == "已入驻"
    assert factory_status("在建") == "在建"
    assert project_stage("洽谈中") == "在谈"
    assert project_stage("已签约") == "签约"
    assert project_stage("在建") == "开工"
    assert project_stage("已投产") == "竣工投产"
    with pytest.raises(FieldError, match="厂房状态"):
        factory_status("很好")
    with pytest.raises(FieldError, match="项目阶段"):
        project_stage("很好")


def test_blank_words() -> None:
    assert is_blank(None)
    assert is_blank("  ")
    assert is_blank("无")
    assert is_blank("—")
    assert not is_blank("0")
    assert not is_blank(0)


@given(
    st.text(
        alphabet=st.sampled_from([" ", "\t", "\n", "\x0b", "\x1f", "-", "/", "n", "a", "u", "l", "o", "e", "N", "1", "X"]),
        max_size=9,
    )
)
def test_blank_ascii_text_is_the_empty_words_less_whitespace(text: str) -> None:
    """The quick way for ASCII (long and without whitespace: never blank) agrees with the rule."""
    squeezed = "".join(text.split()).lower()
    assert is_blank(text) == (squeezed in {"", "-", "--", "/", "null", "none", "n/a"})
