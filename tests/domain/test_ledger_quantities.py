"""Numbers as ledgers write them: a unit in the header or the cell, a note in brackets, one
value per storey, a range (refused), and what of the cell is kept for 备注."""

from __future__ import annotations

import pytest

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.domain.ledger_words import number_remark, parse_ledger_number
from landbank.domain.units import Quantity
from landbank.domain.validation import FieldError
from landbank.services.importing.columns import match_header

# (The header matching is the importer's: used here only to check its unit converts.)


@pytest.mark.parametrize(
    ("value", "quantity", "unit", "expected"),
    [
        ("20000平方米", Quantity.LAND, None, 30.0),
        ("20000", Quantity.LAND, "平方米", 30.0),
        (20000, Quantity.LAND, "平方米", 30.0),
        ("30", Quantity.FLOOR, "亩", 20000.0),
        (2.0, Quantity.FLOOR, "公顷", 20000.0),
        ("8", Quantity.LENGTH, "m", 8.0),
        ("850", Quantity.LENGTH, "cm", 8.5),
        ("2", Quantity.LOAD, "吨/m2", 19.6133),
        (2.0, Quantity.LOAD, "t/㎡", 19.6133),
        ("2", Quantity.POWER, "MVA", 2000.0),
        ("630", Quantity.POWER, "kW", 630.0),
        ("约 8米", Quantity.LENGTH, None, 8.0),
    ],
)
def test_units_of_the_fields_dimension_in_header_or_cell(
    value: object, quantity: Quantity, unit: str | None, expected: float
) -> None:
    assert parse_ledger_number(value, quantity, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("kind", "header", "cell", "expected"),
    [
        (RecordKind.FACTORY, "层高(m)", "8", 8.0),
        (RecordKind.FACTORY, "层高(米)", 8.0, 8.0),
        (RecordKind.FACTORY, "层高(cm)", "850", 8.5),
        (RecordKind.FACTORY, "承重(吨/㎡)", "2", 19.6133),
        (RecordKind.FACTORY, "楼面承重（t/m²）", 2.0, 19.6133),
        (RecordKind.FACTORY, "电力容量(KVA)", "630", 630.0),
        (RecordKind.FACTORY, "电力容量(MVA)", 2, 2000.0),
        (RecordKind.PARCEL, "用地面积(平方米)", "20000", 30.0),
        (RecordKind.PARCEL, "用地面积(平方米)", 20000.0, 30.0),
        (RecordKind.FACTORY, "建筑面积(万平方米)", "1.2", 12000.0),
        (RecordKind.FACTORY, "建筑面积(亩)", 3, 2000.0),
        (RecordKind.PROJECT, "需层高(cm)", "800", 8.0),
    ],
)
def test_a_header_unit_converts_bare_numbers(
    kind: RecordKind, header: str, cell: object, expected: float
) -> None:
    found = match_header(kind, header)
    assert found is not None
    spec, unit = found
    assert parse_ledger_number(cell, spec.quantity, unit) == pytest.approx(expected)


def test_a_header_unit_of_another_dimension_is_refused() -> None:
    with pytest.raises(FieldError, match="单位“亩”不适用于“层高”（应为 m）"):
        match_header(RecordKind.FACTORY, "层高(亩)")
    with pytest.raises(FieldError, match="不适用"):
        match_header(RecordKind.FACTORY, "电力容量(m)")


@pytest.mark.parametrize(
    ("value", "quantity", "unit", "expected"),
    [
        ("0.8（二层）", Quantity.LOAD, None, 0.8),
        ("0.8(二层)", Quantity.LENGTH, None, 0.8),
        ("3(一层)", Quantity.LENGTH, None, 3.0),
        ("3(一层)", Quantity.LENGTH, "m", 3.0),
        ("100（含代征道路）", Quantity.LAND, None, 100.0),
        ("约 1.2万㎡（含地下）", Quantity.FLOOR, None, 12000.0),
        ("2（公顷）", Quantity.LAND, None, 30.0),  # a unit in brackets is the unit
        ("8【檐口】", Quantity.LENGTH, None, 8.0),
    ],
)
def test_a_note_in_brackets_after_the_number_is_passed_over(
    value: str, quantity: Quantity, unit: str | None, expected: float
) -> None:
    assert parse_ledger_number(value, quantity, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "quantity", "unit", "expected"),
    [
        ("6/4.5", Quantity.LENGTH, None, 6.0),
        ("6／4.5", Quantity.LENGTH, None, 6.0),
        ("6/4.5/4.5", Quantity.LENGTH, None, 6.0),
        ("6m/4.5m", Quantity.LENGTH, None, 6.0),
        ("600/450", Quantity.LENGTH, "cm", 6.0),
        ("600/450cm", Quantity.LENGTH, None, 6.0),  # the unit of the last storey
        ("6(一层)/4.5(二层)", Quantity.LENGTH, None, 6.0),
        ("3/2", Quantity.LOAD, "吨/㎡", 29.41995),
        ("3t/㎡/2t/㎡", Quantity.LOAD, None, 29.41995),
        ("30/20", Quantity.LOAD, None, 30.0),
    ],
)
def test_a_height_or_a_load_per_storey_is_the_ground_floors(
    value: str, quantity: Quantity, unit: str | None, expected: float
) -> None:
    assert parse_ledger_number(value, quantity, unit) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "quantity"),
    [
        ("6/4.5", Quantity.LAND),
        ("6/4.5", Quantity.FLOOR),
        ("6/4.5", Quantity.MONEY),
        ("6/4.5", Quantity.POWER),
        ("6/4.5", Quantity.PLAIN),
        ("6(一层)/4.5(二层)", Quantity.FLOOR),
        ("3000㎡/2000㎡", Quantity.FLOOR),
    ],
)
def test_several_numbers_are_refused_for_anything_but_heights_and_loads(
    value: str, quantity: Quantity
) -> None:
    with pytest.raises(FieldError, match=r"是多个数.*请填写一个数"):
        parse_ledger_number(value, quantity)


def test_every_storey_must_read() -> None:
    with pytest.raises(FieldError, match="不是有效的数字"):
        parse_ledger_number("6/abc", Quantity.LENGTH)
    with pytest.raises(FieldError, match="单位“亩”不适用于此项（应为 m）"):
        parse_ledger_number("6/4.5亩", Quantity.LENGTH)


@pytest.mark.parametrize(
    ("value", "quantity"),
    [
        ("100-120亩", Quantity.LAND),
        ("100～120", Quantity.LAND),
        ("100~120", Quantity.LAND),
        ("100—120", Quantity.LAND),
        ("100至120亩", Quantity.LAND),
        ("100亩-120亩", Quantity.LAND),
        ("1.2万-1.5万㎡", Quantity.FLOOR),
        ("1000m²-1200m²", Quantity.FLOOR),
        ("6-8", Quantity.LENGTH),
        ("100-120亩（含道路）", Quantity.LAND),
    ],
)
def test_a_range_is_refused(value: str, quantity: Quantity) -> None:
    with pytest.raises(FieldError) as caught:
        parse_ledger_number(value, quantity)
    assert str(caught.value) == f"“{value}”是一个范围，请填写一个数"


def test_reasons_quote_the_cell_as_the_clerk_wrote_it() -> None:
    with pytest.raises(FieldError) as caught:
        parse_ledger_number("100～120", Quantity.LAND)
    assert str(caught.value) == "“100～120”是一个范围，请填写一个数"
    with pytest.raises(FieldError) as caught:
        parse_ledger_number("大约 很多", Quantity.LAND)
    assert str(caught.value) == "“大约 很多”不是有效的数字"
    with pytest.raises(FieldError) as caught:
        parse_ledger_number("１２０亩", Quantity.LENGTH)
    assert str(caught.value) == "单位“亩”不适用于此项（应为 m）"


def test_a_negative_number_is_not_a_range() -> None:
    assert parse_ledger_number("-5", Quantity.PLAIN) == -5.0


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.8（二层）", "0.8（二层）"),
        ("3(一层)", "3(一层)"),
        ("6/4.5", "6/4.5"),
        ("6／4.5", "6／4.5"),
        (" 100（含代征道路） ", "100（含代征道路）"),
        ("约117.35亩", None),
        ("117.35亩", None),
        ("约 1.2万㎡", None),
        ("1,234.5", None),
        ("１２０", None),
        ("2t/㎡", None),
        ("2（公顷）", None),
        ("35%", None),
        (117.35, None),
        (120, None),
        (None, None),
        ("", None),
        ("-", None),
    ],
)
def test_number_remark_keeps_what_the_cell_says_beyond_the_number(
    value: object, expected: str | None
) -> None:
    assert number_remark(value) == expected


def test_the_fields_read_through_the_ledger_the_same_way() -> None:
    factory = field_map(RecordKind.FACTORY)
    height = factory["ceiling_height_m"]
    assert parse_ledger_number("6/4.5", height.quantity) == 6.0
    area = factory["floor_area_m2"]
    with pytest.raises(FieldError, match="是多个数"):
        parse_ledger_number("6/4.5", area.quantity)
