"""The indicator table: the most specific row per indicator bound with fallbacks, the national
floors, the parcel's override, the table's own checks."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from landbank.domain.standards import (
    NATIONAL_DEFAULTS,
    Indicator,
    StandardRow,
    Threshold,
    applicable_standard,
    parcel_override,
    validate_rows,
    with_parcel_override,
)

I = Indicator  # noqa: E741
COUNTY, PARK, INDUSTRY = "城关县", "高新园区", "新材料"


def row(
    park: str | None = None, industry: str | None = None, county: str = COUNTY, **values: Threshold
) -> StandardRow:
    return StandardRow(county, park, industry, {I.by_key(k): v for k, v in values.items()})


def test_national_floors_alone():
    standard = applicable_standard([], COUNTY)
    assert {r.indicator for r in standard} == set(NATIONAL_DEFAULTS)
    coverage = standard.get(I.BUILDING_COVERAGE)
    assert coverage is not None
    assert coverage.threshold == Threshold(low=30.0)
    assert coverage.source == "国家标准"
    assert standard.get(I.ADMIN_SHARE).requirement == "≤7.0 %"  # type: ignore[union-attr]
    assert standard.get(I.GREEN_RATIO).requirement == "≤20.0 %"  # type: ignore[union-attr]
    assert standard.get(I.INVESTMENT_INTENSITY) is None  # blank until the county sets it


def test_most_specific_row_wins_per_indicator_with_fallback():
    rows = [
        row(investment_intensity_wan_per_mu=Threshold(200), tax_per_mu_wan=Threshold(15)),
        row(park=PARK, investment_intensity_wan_per_mu=Threshold(250)),
        row(industry=INDUSTRY, investment_intensity_wan_per_mu=Threshold(280)),
        row(park=PARK, industry=INDUSTRY, investment_intensity_wan_per_mu=Threshold(300)),
    ]
    s = applicable_standard(rows, COUNTY, PARK, INDUSTRY)
    assert s.get(I.INVESTMENT_INTENSITY).threshold.low == 300  # type: ignore[union-attr]
    assert s.get(I.INVESTMENT_INTENSITY).source == "城关县·高新园区·新材料"  # type: ignore[union-attr]
    # The park+industry row leaves 亩均税收 blank: the county's stays.
    assert s.get(I.TAX_PER_MU).threshold.low == 15  # type: ignore[union-attr]
    assert s.get(I.TAX_PER_MU).source == "城关县·全部产业"  # type: ignore[union-attr]
    # Without the park+industry row: the county's industry row beats the park-wide row.
    s = applicable_standard(rows[:3], COUNTY, PARK, INDUSTRY)
    assert s.get(I.INVESTMENT_INTENSITY).threshold.low == 280  # type: ignore[union-attr]
    # Another industry in the park: the park-wide row.
    s = applicable_standard(rows, COUNTY, PARK, "纺织")
    assert s.get(I.INVESTMENT_INTENSITY).threshold.low == 250  # type: ignore[union-attr]
    # Outside the park, no industry given: the county's.
    s = applicable_standard(rows, COUNTY, None, None)
    assert s.get(I.INVESTMENT_INTENSITY).threshold.low == 200  # type: ignore[union-attr]
    # Another county: nothing of these rows.
    assert applicable_standard(rows, "获嘉县", PARK, INDUSTRY).get(I.INVESTMENT_INTENSITY) is None


def test_range_bounds_fall_back_separately():
    rows = [row(far=Threshold(1.0, 2.0)), row(park=PARK, far=Threshold(low=1.2))]
    far = applicable_standard(rows, COUNTY, PARK).get(I.FLOOR_AREA_RATIO)
    assert far is not None
    assert far.threshold == Threshold(1.2, 2.0)
    assert far.source == "城关县·高新园区·全部产业、城关县·全部产业"
    assert far.requirement == "1.20–2.00"


def test_national_floor_binds_over_a_looser_row():
    rows = [row(green_ratio_pct=Threshold(high=25.0), building_coverage_pct=Threshold(40.0))]
    s = applicable_standard(rows, COUNTY)
    green = s.get(I.GREEN_RATIO)
    assert green is not None
    assert green.threshold.high == 20.0
    assert green.source == "国家标准"
    assert green.notes == ("城关县·全部产业设定的绿地率 25.0 % 高于国家标准，按 20.0 % 计",)
    coverage = s.get(I.BUILDING_COVERAGE)
    assert coverage is not None
    assert coverage.threshold.low == 40.0  # stricter than 30 %: the county's
    assert coverage.source == "城关县·全部产业"


def test_parcel_override_wins_and_keeps_the_rest():
    rows = [
        row(
            investment_intensity_wan_per_mu=Threshold(250),
            tax_per_mu_wan=Threshold(20),
            far=Threshold(1.0, 2.0),
        )
    ]
    standard = applicable_standard(rows, COUNTY)
    override = parcel_override(
        {
            "min_investment_intensity_wan_per_mu": 320,
            "min_tax_per_mu_wan": None,
            "far_min": 0.7,
            "far_max": "",
            "green_ratio_pct": 15,
        }
    )
    assert override == {
        I.INVESTMENT_INTENSITY: Threshold(low=320.0),
        I.FLOOR_AREA_RATIO: Threshold(low=0.7),
        I.GREEN_RATIO: Threshold(high=15.0),
    }
    s = with_parcel_override(standard, override)
    assert s.get(I.INVESTMENT_INTENSITY).threshold.low == 320  # type: ignore[union-attr]
    assert s.get(I.INVESTMENT_INTENSITY).source == "地块"  # type: ignore[union-attr]
    assert s.get(I.TAX_PER_MU).threshold.low == 20  # type: ignore[union-attr]
    assert s.get(I.FLOOR_AREA_RATIO).threshold == Threshold(0.7, 2.0)  # type: ignore[union-attr]
    assert s.get(I.GREEN_RATIO).threshold.high == 15.0  # type: ignore[union-attr]
    assert with_parcel_override(standard, {}) is standard
    # 0 sets no floor (as matching reads it); a 绿地率 of 0 is a ceiling.
    zeros = {"min_investment_intensity_wan_per_mu": 0, "far_min": 0.0, "green_ratio_pct": 0}
    assert parcel_override(zeros) == {I.GREEN_RATIO: Threshold(high=0.0)}


def test_validate_rows_names_row_and_reason():
    rows = [
        StandardRow(COUNTY, None, None, {I.FLOOR_AREA_RATIO: Threshold(2.0, 1.0)}, "第 2 行"),
        StandardRow(COUNTY, " ", "", {I.GREEN_RATIO: Threshold(high=25.0)}, "第 3 行"),
        StandardRow(COUNTY, PARK, None, {I.TAX_PER_MU: Threshold(-1.0, 5.0)}, "第 4 行"),
        StandardRow(COUNTY, PARK, None, {I.ADMIN_SHARE: Threshold(high=120.0)}, "第 5 行"),
    ]
    assert validate_rows(rows) == [
        "第 2 行（城关县·全部产业）：容积率下限 2.00 高于上限 1.00",
        "第 3 行（城关县·全部产业）：与第 2 行重复（同一县区、园区和产业）",
        "第 3 行（城关县·全部产业）：绿地率 25.0 % 高于国家标准 20.0 %，将按国家标准计",
        "第 4 行（城关县·高新园区·全部产业）：亩均税收 -1.00 不能为负数",
        "第 4 行（城关县·高新园区·全部产业）：亩均税收只设下限（≥），不设上限",
        "第 5 行（城关县·高新园区·全部产业）：与第 4 行重复（同一县区、园区和产业）",
        "第 5 行（城关县·高新园区·全部产业）：行政办公及生活服务设施用地比例 120.0% 超过 100%",
        "第 5 行（城关县·高新园区·全部产业）：行政办公及生活服务设施用地比例 120.0 % 高于国家标准 7.0 %，将按国家标准计",
    ]
    assert validate_rows([row(investment_intensity_wan_per_mu=Threshold(250))]) == []


# Property: each bound is the most specific row's that sets it, whatever the rows' order.

_value = st.one_of(st.none(), st.integers(1, 500).map(float))
_row = st.builds(
    lambda park, industry, v: row(
        park=park, industry=industry, investment_intensity_wan_per_mu=Threshold(v)
    ),
    st.sampled_from([None, PARK, "其他园区"]),
    st.sampled_from([None, INDUSTRY, "纺织"]),
    _value,
)


@given(st.lists(_row, max_size=8))
def test_resolution_is_the_most_specific_non_blank(rows: list[StandardRow]):
    got = applicable_standard(rows, COUNTY, PARK, INDUSTRY).get(I.INVESTMENT_INTENSITY)
    for rank in ((PARK, INDUSTRY), (None, INDUSTRY), (PARK, None), (None, None)):
        values = [
            r.values[I.INVESTMENT_INTENSITY].low
            for r in rows
            if (r.park, r.industry) == rank and r.values[I.INVESTMENT_INTENSITY].low is not None
        ]
        if values:
            assert got is not None
            assert got.threshold.low == values[-1]  # the later of equals
            return
    assert got is None
