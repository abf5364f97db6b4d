from datetime import date

import pytest

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, field_by_label, field_map
from landbank.domain.units import Quantity, UnitError, format_number, parse_number
from landbank.domain.validation import FieldError, coerce, parse_date, validate_record


@pytest.mark.parametrize(
    ("text", "quantity", "expected"),
    [
        ("120", Quantity.LAND, 120.0),
        ("120亩", Quantity.LAND, 120.0),
        ("１２０", Quantity.LAND, 120.0),  # full-width digits
        ("2.5公顷", Quantity.LAND, 37.5),
        ("约 1.2万㎡", Quantity.FLOOR, 12000.0),
        ("1,234.5 平方米", Quantity.FLOOR, 1234.5),
        ("3亿元", Quantity.MONEY, 30000.0),
        ("8 m", Quantity.PLAIN, 8.0),
        ("", Quantity.LAND, None),
    ],
)
def test_parse_number(text: str, quantity: Quantity, expected: float | None) -> None:
    result = parse_number(text, quantity)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


def test_parse_number_refuses_a_unit_of_another_dimension_and_garbage() -> None:
    with pytest.raises(UnitError, match="不适用"):
        parse_number("120亩", Quantity.LENGTH)
    with pytest.raises(UnitError, match="单位“m”不适用于此项（应为 亩）"):
        parse_number("8m", Quantity.LAND)
    with pytest.raises(UnitError, match="单位“%”不适用"):
        parse_number("50%", Quantity.FLOOR)
    with pytest.raises(UnitError, match="不是有效的数字"):
        parse_number("一百二十", Quantity.LAND)


def test_format_number() -> None:
    assert format_number(24310.5) == "24,310.5"
    assert format_number(2000.0) == "2,000"
    assert format_number(None) == ""


@pytest.mark.parametrize("text", ["2017/1/3", "2017-01-03", "2017.1.3", "2017年1月3日", "２０１７年01月03日"])
def test_parse_date(text: str) -> None:
    assert parse_date(text) == date(2017, 1, 3)


def test_parse_date_refuses_impossible_dates() -> None:
    with pytest.raises(FieldError, match="不是有效的日期"):
        parse_date("2017-02-30")


def test_coerce_by_field_type() -> None:
    parcel = field_map(RecordKind.PARCEL)
    factory = field_map(RecordKind.FACTORY)
    assert coerce(parcel["area_mu"], "10公顷") == 150.0
    assert coerce(parcel["status"], "可供") == "可供"
    assert coerce(factory["dual_power"], "是") is True
    assert coerce(factory["floors"], "3") == 3
    assert coerce(parcel["code"], "  HX  001 ") == "HX 001"
    with pytest.raises(FieldError, match="可选"):
        coerce(parcel["status"], "卖了")
    with pytest.raises(FieldError, match="整数"):
        coerce(factory["floors"], "2.5")


def _parcel(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "code": "HX-001",
        "region_id": 1,
        "area_mu": 120.0,
        "readiness": "拟收储",
        "status": "可供",
    }
    values.update(changes)
    return values


def test_valid_parcel_has_no_errors() -> None:
    assert not validate_record(RecordKind.PARCEL, _parcel())


def test_required_range_and_cross_field_reasons() -> None:
    errors = validate_record(
        RecordKind.PARCEL, _parcel(code=None, area_mu=-3.0, far_min=2.0, far_max=1.2)
    ).by_field
    assert errors["code"] == "必填"
    assert "不能小于 0亩" in errors["area_mu"]
    assert "容积率上限 1.2 小于下限 2" in errors["far_max"]


def test_supplied_parcel_must_be_net_land() -> None:
    errors = validate_record(RecordKind.PARCEL, _parcel(status="已出让/划拨")).by_field
    assert "尚未达到净地" in errors["status"]
    assert not validate_record(RecordKind.PARCEL, _parcel(status="已出让/划拨", readiness="净地(可供)"))


def test_ladder_checked_against_the_stored_record() -> None:
    old = _parcel()
    errors = validate_record(RecordKind.PARCEL, _parcel(readiness="净地(可供)"), old=old).by_field
    assert "不能从“拟收储”直接变为“净地(可供)”" in errors["readiness"]


def test_factory_idle_area_rules() -> None:
    base = {"code": "F1", "name": "1#", "region_id": 1, "status": "闲置", "floor_area_m2": 5000.0}
    assert "须填写闲置面积" in validate_record(RecordKind.FACTORY, base).by_field["idle_area_m2"]
    too_big = {**base, "idle_area_m2": 6000.0}
    assert "不能大于建筑面积" in validate_record(RecordKind.FACTORY, too_big).by_field["idle_area_m2"]


def test_every_field_label_is_unique_per_kind_and_found_by_header() -> None:
    for kind, specs in FIELDS.items():
        labels = [s.label for s in specs]
        assert len(labels) == len(set(labels)), kind
        for spec in specs:
            assert field_by_label(kind, spec.header) is spec


def test_absurd_numbers_are_refused_not_stored() -> None:
    with pytest.raises(UnitError, match="数值过大"):
        parse_number("9" * 400, Quantity.MONEY)
    jobs = field_map(RecordKind.PROJECT)["expected_jobs"]
    with pytest.raises(FieldError, match="数值过大"):
        coerce(jobs, "99999999999999999999")
    assert coerce(jobs, "3000000000") == 3_000_000_000  # parses, but no INTEGER column holds it
    errors = validate_record(
        RecordKind.PROJECT,
        {"name": "x", "region_id": 1, "stage": "线索", "expected_jobs": 3_000_000_000},
    ).by_field
    assert errors["expected_jobs"] == "数值过大"


def test_settings_file_that_is_not_an_object_is_ignored(tmp_path: object) -> None:
    from landbank.settings import Settings

    Settings.path().parent.mkdir(parents=True, exist_ok=True)
    Settings.path().write_text("[1, 2, 3]", encoding="utf-8")
    assert Settings.load() == Settings()


# ---------------------------------------------------------------- every unit of a dimension


@pytest.mark.parametrize(
    ("text", "quantity", "expected"),
    [
        # Land takes floor-space units: 1 亩 = 10000/15 m².
        ("20000平方米", Quantity.LAND, 30.0),
        ("20000平米", Quantity.LAND, 30.0),
        ("20000㎡", Quantity.LAND, 30.0),
        ("20000m²", Quantity.LAND, 30.0),
        ("20000m2", Quantity.LAND, 30.0),
        ("2万平方米", Quantity.LAND, 30.0),
        ("2万㎡", Quantity.LAND, 30.0),
        ("1平方公里", Quantity.LAND, 1500.0),
        # Floor space takes land units.
        ("30亩", Quantity.FLOOR, 20000.0),
        ("2公顷", Quantity.FLOOR, 20000.0),
        ("2hm²", Quantity.FLOOR, 20000.0),
        ("2ha", Quantity.FLOOR, 20000.0),
        ("1.2万㎡", Quantity.FLOOR, 12000.0),
        # Lengths.
        ("8", Quantity.LENGTH, 8.0),
        ("8米", Quantity.LENGTH, 8.0),
        ("8 m", Quantity.LENGTH, 8.0),
        ("8M", Quantity.LENGTH, 8.0),
        ("8公尺", Quantity.LENGTH, 8.0),
        ("850厘米", Quantity.LENGTH, 8.5),
        ("850cm", Quantity.LENGTH, 8.5),
        ("8500毫米", Quantity.LENGTH, 8.5),
        ("8500mm", Quantity.LENGTH, 8.5),
        # Floor loads.
        ("30kN/m²", Quantity.LOAD, 30.0),
        ("30kN/㎡", Quantity.LOAD, 30.0),
        ("30KN/M2", Quantity.LOAD, 30.0),
        ("30千牛/平方米", Quantity.LOAD, 30.0),
        ("2t/m²", Quantity.LOAD, 19.6133),
        ("2t/㎡", Quantity.LOAD, 19.6133),
        ("2吨/m²", Quantity.LOAD, 19.6133),
        ("2吨/㎡", Quantity.LOAD, 19.6133),
        ("2吨/平方米", Quantity.LOAD, 19.6133),
        ("500kg/m²", Quantity.LOAD, 4.903325),
        ("500公斤/平方米", Quantity.LOAD, 4.903325),
        # Power: kW is taken as kVA.
        ("630kVA", Quantity.POWER, 630.0),
        ("630KVA", Quantity.POWER, 630.0),
        ("630kva", Quantity.POWER, 630.0),
        ("630千伏安", Quantity.POWER, 630.0),
        ("2MVA", Quantity.POWER, 2000.0),
        ("2兆伏安", Quantity.POWER, 2000.0),
        ("630kW", Quantity.POWER, 630.0),
        ("630千瓦", Quantity.POWER, 630.0),
        # Money.
        ("12千元", Quantity.MONEY, 1.2),
        ("1.5亿", Quantity.MONEY, 15000.0),
        ("30000元", Quantity.MONEY, 3.0),
        # A plain number keeps the old leniency: tonnes and percent pass, units convert.
        ("5t", Quantity.PLAIN, 5.0),
        ("35%", Quantity.PLAIN, 35.0),
        ("8米", Quantity.PLAIN, 8.0),
        ("630kVA", Quantity.PLAIN, 630.0),
    ],
)
def test_every_unit_of_the_fields_dimension_converts(
    text: str, quantity: Quantity, expected: float
) -> None:
    assert parse_number(text, quantity) == pytest.approx(expected)


def test_conversions_are_exact_where_the_decimal_is() -> None:
    assert parse_number("12千元", Quantity.MONEY) == 1.2  # not 1.2000000000000002
    assert parse_number("20000平方米", Quantity.LAND) == 30.0
    assert parse_number("30亩", Quantity.FLOOR) == 20000.0


@pytest.mark.parametrize(
    ("text", "quantity", "message"),
    [
        ("5亩", Quantity.LENGTH, "单位“亩”不适用于此项（应为 m）"),
        ("5平方米", Quantity.LENGTH, "单位“平方米”不适用于此项（应为 m）"),
        ("8m", Quantity.FLOOR, "单位“m”不适用于此项（应为 m²）"),
        ("8米", Quantity.LAND, "单位“米”不适用于此项（应为 亩）"),
        ("2t/㎡", Quantity.FLOOR, "单位“t/m2”不适用于此项（应为 m²）"),
        ("30kN/m²", Quantity.LENGTH, "单位“kN/m2”不适用于此项（应为 m）"),
        ("630kVA", Quantity.LOAD, "单位“kVA”不适用于此项（应为 kN/m²）"),
        ("8m", Quantity.POWER, "单位“m”不适用于此项（应为 kVA）"),
        ("5万元", Quantity.POWER, "单位“万元”不适用于此项（应为 kVA）"),
        ("5亩", Quantity.MONEY, "单位“亩”不适用于此项（应为 万元）"),
        ("5t", Quantity.LOAD, "单位“t”不适用于此项（应为 kN/m²）"),
    ],
)
def test_units_of_another_dimension_are_refused(
    text: str, quantity: Quantity, message: str
) -> None:
    with pytest.raises(UnitError) as caught:
        parse_number(text, quantity)
    assert str(caught.value) == message


@pytest.mark.parametrize("text", ["5abc", "m", "5kN", "5/", "1e5", "五米"])
def test_text_that_is_no_number_in_a_unit_is_refused(text: str) -> None:
    with pytest.raises(UnitError, match="不是有效的数字"):
        parse_number(text, Quantity.LENGTH)


def test_the_fields_of_heights_loads_and_power_have_their_quantity() -> None:
    parcel = field_map(RecordKind.PARCEL)
    factory = field_map(RecordKind.FACTORY)
    project = field_map(RecordKind.PROJECT)
    assert parcel["height_limit_m"].quantity is Quantity.LENGTH
    assert factory["ceiling_height_m"].quantity is Quantity.LENGTH
    assert project["req_ceiling_height_m"].quantity is Quantity.LENGTH
    assert factory["floor_load_kn_m2"].quantity is Quantity.LOAD
    assert project["req_floor_load_kn_m2"].quantity is Quantity.LOAD
    assert factory["power_kva"].quantity is Quantity.POWER
    assert project["req_power_kva"].quantity is Quantity.POWER
    for specs in FIELDS.values():
        for spec in specs:
            if spec.quantity is not Quantity.PLAIN:  # the unit shown is the canonical one
                assert spec.unit == spec.quantity.value, spec.key
    assert coerce(factory["ceiling_height_m"], "850厘米") == pytest.approx(8.5)
    assert coerce(factory["floor_load_kn_m2"], "2吨/㎡") == pytest.approx(19.6133)
    assert coerce(factory["power_kva"], "2MVA") == 2000.0
    assert coerce(parcel["area_mu"], "20000平方米") == pytest.approx(30.0)
    assert coerce(factory["floor_area_m2"], "30亩") == pytest.approx(20000.0)
    with pytest.raises(FieldError, match="应为 m"):
        coerce(factory["ceiling_height_m"], "8亩")


def test_one_format_per_unit() -> None:
    from landbank.domain.units import format_quantity

    assert [format_quantity(v, "亩") for v in (15, 63.7, 90.11)] == ["15.00", "63.70", "90.11"]
    assert format_quantity(1234.5, "万元") == "1,234.50"
    assert format_quantity(12345.6, "m²") == "12,346"
    assert format_quantity(-0.001, "亩") == "0.00"
    assert format_quantity(7.5, "m") == "7.5"
    assert format_quantity(None, "亩") == ""
