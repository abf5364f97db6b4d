"""What a 推介 needs (issue 15 part 6) and the 红线面积 check (part 2), in the domain."""

from __future__ import annotations

import pytest

from landbank.domain.completeness import (
    ITEMS,
    Completeness,
    applies_to,
    completeness,
    mismatch_text,
    outline_area_mismatch,
    outline_difference_pct,
    score_pct,
)
from landbank.domain.enums import RecordKind

FULL_PARCEL = {
    "outline_geojson": '{"type": "Polygon", "coordinates": []}',
    "area_mu": 117.35,
    "outline_area_mu": 118.0,
    "boundaries": "东至纬三路，西至纬二路",
    "far_max": 2.5,
    "height_limit_m": 24.0,
    "building_density_pct": 40.0,
    "price_wan": 1200.0,
    "contact_phone": "0373-1234567",
}
FULL_FACTORY = {
    "longitude": 113.9,
    "latitude": 35.3,
    "rent_yuan_m2_month": 8.5,
    "contact_phone": "13800000000",
    "ceiling_height_m": 9.0,
    "floor_load_kn_m2": 10.0,
    "power_kva": 800.0,
}


def test_outline_mismatch_is_over_one_percent_of_the_registered_area() -> None:
    assert not outline_area_mismatch(100.0, 101.0)  # exactly 1 %: agrees
    assert outline_area_mismatch(100.0, 101.01)
    assert outline_area_mismatch(100.0, 98.9)
    assert not outline_area_mismatch(117.35, 118.5)  # 0.98 %
    assert outline_area_mismatch(117.35, 118.60)  # 1.07 %
    assert not outline_area_mismatch(None, 118.6)
    assert not outline_area_mismatch(117.35, None)
    assert outline_area_mismatch(0.0, 0.5)
    assert outline_difference_pct(0.0, 0.5) is None


def test_mismatch_text_names_both_areas_and_the_difference() -> None:
    assert mismatch_text(117.35, 118.60) == "红线面积 118.60 亩，与收储面积 117.35 亩相差 1.07 %"
    assert mismatch_text(0.0, 2.5) == "红线面积 2.50 亩，与收储面积 0.00 亩相差 2.50 亩"


def test_score_rounds_half_up_and_reaches_100_only_when_complete() -> None:
    assert score_pct(7, 9) == 78  # 77.8
    assert score_pct(1, 8) == 13  # 12.5 → 13
    assert score_pct(0, 9) == 0
    assert score_pct(9, 9) == 100
    assert all(score_pct(n - 1, n) < 100 for n in range(1, 200))
    assert score_pct(0, 0) == 100


def test_a_full_parcel_and_a_full_factory_are_complete() -> None:
    parcel = completeness(RecordKind.PARCEL, FULL_PARCEL, has_photo=True)
    assert parcel == Completeness(tuple(i.label for i in ITEMS[RecordKind.PARCEL]), ())
    assert parcel.pct == 100
    assert parcel.complete
    assert parcel.missing_text() == ""
    factory = completeness(RecordKind.FACTORY, FULL_FACTORY, has_photo=True)
    assert factory.complete
    assert len(factory.applying) == 7
    assert "四至" not in factory.applying  # does not apply to a building


def test_missing_items_are_listed_in_order() -> None:
    values = {**FULL_PARCEL, "boundaries": "   ", "price_wan": 0.0, "outline_area_mu": 118.6}
    result = completeness(RecordKind.PARCEL, values, has_photo=False)
    assert result.missing == ("红线面积核对", "四至", "价格", "照片")
    assert result.pct == score_pct(5, 9) == 56
    assert result.missing_text() == "缺红线面积核对、四至、价格、照片"


def test_a_parcel_without_outline_fails_both_outline_items() -> None:
    values = {**FULL_PARCEL, "outline_geojson": None, "outline_area_mu": None}
    result = completeness(RecordKind.PARCEL, values, has_photo=True)
    assert result.missing == ("红线", "红线面积核对")


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"far_max": None}, ("容积率",)),
        ({"far_max": None, "far_min": 1.2}, ()),  # either bound is a 容积率
        ({"contact_phone": ""}, ("联系人/电话",)),
        ({"contact_phone": None, "contact_person": "张三"}, ("联系人/电话",)),  # a name alone
        ({"outline_geojson": ""}, ("红线",)),
        ({"height_limit_m": 0.0}, ("限高",)),
    ],
)
def test_parcel_items(change: dict[str, object], missing: tuple[str, ...]) -> None:
    values = {**FULL_PARCEL, **change}
    assert completeness(RecordKind.PARCEL, values, has_photo=True).missing == missing


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"latitude": None}, ("位置",)),
        ({"rent_yuan_m2_month": None}, ("价格或租金",)),
        ({"rent_yuan_m2_month": None, "price_wan": 900.0}, ()),
        ({"power_kva": None, "floor_load_kn_m2": None}, ("承重", "电力")),
    ],
)
def test_factory_items(change: dict[str, object], missing: tuple[str, ...]) -> None:
    values = {**FULL_FACTORY, **change}
    assert completeness(RecordKind.FACTORY, values, has_photo=True).missing == missing


def test_only_sites_have_a_completeness() -> None:
    assert applies_to(RecordKind.PARCEL)
    assert applies_to(RecordKind.FACTORY)
    assert not applies_to(RecordKind.PROJECT)
    with pytest.raises(KeyError):
        completeness(RecordKind.PROJECT, {}, has_photo=False)
