"""A project on a parcel: each indicator's arithmetic on the parcel's area, the hard rejection
and its reason, the △ case, the commitments, the parcel's planning conditions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landbank.domain.standards import (
    CheckStatus,
    Indicator,
    ProjectFigures,
    StandardRow,
    Threshold,
    Verdict,
    applicable_standard,
    check_project_on_parcel,
    parcel_condition_notes,
    project_figures,
    rejection_reason,
    verdict,
)
from landbank.domain.standards.checks import check_indicator, computation
from landbank.domain.standards.table import ResolvedIndicator

I = Indicator  # noqa: E741


def only(
    indicator: Indicator, low: float | None = None, high: float | None = None
) -> ResolvedIndicator:
    return ResolvedIndicator(indicator, Threshold(low, high), "城关县·全部产业", "城关县·全部产业")


def test_investment_intensity_rejected_on_the_parcels_area():
    figures = ProjectFigures(total_investment_wan=5400.0)
    check = check_indicator(only(I.INVESTMENT_INTENSITY, 250), figures, 30.0)
    assert check.status is CheckStatus.FAILED
    assert check.mark == "✗"
    assert check.figure == pytest.approx(180.0)
    assert check.reason == (
        "固定资产投资强度 需≥250.00 万元/亩，本项目在该地块为 180.00 万元/亩"
        "（总投资 5,400.00 万元 ÷ 30.00 亩）"
    )
    # The same project on a 20-亩 parcel: 270 万元/亩.
    check = check_indicator(only(I.INVESTMENT_INTENSITY, 250), figures, 20.0)
    assert check.status is CheckStatus.PASSED
    assert check.reason == (
        "固定资产投资强度 270.00 万元/亩，符合 ≥250.00 万元/亩（总投资 5,400.00 万元 ÷ 20.00 亩）"
    )


@pytest.mark.parametrize(
    ("indicator", "figures", "area_mu", "expected"),
    [
        (I.TAX_PER_MU, ProjectFigures(expected_tax_wan=600.0), 30.0, 20.0),
        (I.OUTPUT_PER_MU, ProjectFigures(expected_output_wan=12_000.0), 30.0, 400.0),
        (
            I.VALUE_ADDED_PER_ENERGY,
            ProjectFigures(value_added_wan=3000.0, energy_tce=1500.0),
            30.0,
            2.0,
        ),
        (
            I.VALUE_ADDED_PER_EMISSION,
            ProjectFigures(value_added_wan=3000.0, emission_t=60.0),
            30.0,
            50.0,
        ),
        (I.RD_SHARE, ProjectFigures(rd_expense_wan=300.0, revenue_wan=10_000.0), 30.0, 3.0),
        (I.LABOUR_PRODUCTIVITY, ProjectFigures(value_added_wan=3000.0, jobs=100), 30.0, 30.0),
        (I.FLOOR_AREA_RATIO, ProjectFigures(floor_area_m2=24_000.0), 30.0, 1.2),
        (I.BUILDING_COVERAGE, ProjectFigures(footprint_m2=8_000.0), 30.0, 40.0),
        (I.GREEN_RATIO, ProjectFigures(green_area_m2=2_000.0), 30.0, 10.0),
        (I.ADMIN_SHARE, ProjectFigures(admin_land_m2=1_000.0), 30.0, 5.0),
    ],
)
def test_each_indicators_arithmetic(
    indicator: Indicator, figures: ProjectFigures, area_mu: float, expected: float
):
    how = computation(indicator, figures, area_mu)
    assert how is not None
    assert how.figure == pytest.approx(expected)
    # Exactly on the bound passes; a hair beyond (at the shown precision) fails.
    step = 10.0**-indicator.decimals
    if indicator.kind.name == "CEILING":
        assert (
            check_indicator(only(indicator, high=expected), figures, area_mu).status
            is CheckStatus.PASSED
        )
        failed = check_indicator(only(indicator, high=expected - step), figures, area_mu)
    else:
        assert (
            check_indicator(only(indicator, expected), figures, area_mu).status
            is CheckStatus.PASSED
        )
        failed = check_indicator(only(indicator, expected + step), figures, area_mu)
    assert failed.status is CheckStatus.FAILED
    assert failed.reason.startswith(f"{indicator.label} 需")
    assert indicator.with_unit(expected) in failed.reason


def test_energy_reason_names_both_figures():
    figures = ProjectFigures(value_added_wan=3000.0, energy_tce=2000.0)
    check = check_indicator(only(I.VALUE_ADDED_PER_ENERGY, 2.0), figures, 30.0)
    assert check.status is CheckStatus.FAILED
    assert check.reason == (
        "单位能耗增加值 需≥2.00 万元/吨标煤，本项目在该地块为 1.50 万元/吨标煤"
        "（增加值 3,000.00 万元 ÷ 能耗 2,000 吨标煤）"
    )


def test_range_fails_on_either_side():
    far = only(I.FLOOR_AREA_RATIO, 1.0, 2.0)
    low = check_indicator(far, ProjectFigures(floor_area_m2=10_000.0), 30.0)  # 0.50
    high = check_indicator(far, ProjectFigures(floor_area_m2=50_000.0), 30.0)  # 2.50
    assert low.status is high.status is CheckStatus.FAILED
    assert (
        low.reason
        == "容积率 需1.00–2.00，本项目在该地块为 0.50（计容建筑面积 10,000 m² ÷ 用地 20,000 m²）"
    )


def test_missing_figure_is_triangle_not_rejection():
    rows = [
        StandardRow(
            "城关县",
            values={
                I.INVESTMENT_INTENSITY: Threshold(250.0),
                I.TAX_PER_MU: Threshold(20.0),
                I.VALUE_ADDED_PER_ENERGY: Threshold(2.0),
            },
        )
    ]
    standard = applicable_standard(rows, "城关县")
    figures = ProjectFigures(total_investment_wan=9000.0, expected_tax_wan=900.0, energy_tce=0.0)
    checks = check_project_on_parcel(standard, figures, 30.0)
    by = {c.indicator: c for c in checks}
    assert by[I.INVESTMENT_INTENSITY].status is CheckStatus.PASSED
    assert by[I.TAX_PER_MU].status is CheckStatus.PASSED
    energy = by[I.VALUE_ADDED_PER_ENERGY]
    assert energy.status is CheckStatus.MISSING
    assert energy.mark == "△"
    assert energy.reason == "单位能耗增加值 需≥2.00 万元/吨标煤，项目未填增加值、能耗，需补充"
    # Plan indicators without a design are commitments, not △.
    assert by[I.BUILDING_COVERAGE].status is CheckStatus.COMMITMENT
    assert (
        by[I.BUILDING_COVERAGE].reason == "建筑系数 需≥30.0 %，由项目在设计中承诺（出让合同约定）"
    )
    assert verdict(checks) is Verdict.INCOMPLETE
    assert rejection_reason(checks) == ""
    # A 不符 outweighs a △.
    checks = check_project_on_parcel(standard, ProjectFigures(total_investment_wan=6000.0), 30.0)
    assert verdict(checks) is Verdict.REJECTED
    assert rejection_reason(checks) == (
        "固定资产投资强度 需≥250.00 万元/亩，本项目在该地块为 200.00 万元/亩（总投资 6,000.00 万元 ÷ 30.00 亩）"
    )
    full = ProjectFigures(
        total_investment_wan=9000.0,
        expected_tax_wan=900.0,
        value_added_wan=4000.0,
        energy_tce=1000.0,
    )
    assert verdict(check_project_on_parcel(standard, full, 30.0)) is Verdict.MEETS


def test_parcel_without_area_is_triangle():
    check = check_indicator(only(I.TAX_PER_MU, 20), ProjectFigures(expected_tax_wan=100.0), 0.0)
    assert check.status is CheckStatus.MISSING
    assert "地块面积" in check.reason


def test_shown_precision_decides():
    # 7,499.9 万元 ÷ 30 亩 = 249.9967 shows as 250.00: it passes, never “250.00 < 250.00”.
    check = check_indicator(
        only(I.INVESTMENT_INTENSITY, 250), ProjectFigures(total_investment_wan=7499.9), 30.0
    )
    assert check.status is CheckStatus.PASSED
    check = check_indicator(
        only(I.INVESTMENT_INTENSITY, 250), ProjectFigures(total_investment_wan=7499.8), 30.0
    )
    assert check.status is CheckStatus.FAILED
    assert "249.99 万元/亩" in check.reason


def test_project_figures_from_record():
    figures = project_figures(
        {
            "total_investment_wan": 5400,
            "expected_tax_wan": None,
            "energy_tce": "1200",
            "expected_jobs": 80,
        }
    )
    assert figures == ProjectFigures(total_investment_wan=5400.0, energy_tce=1200.0, jobs=80.0)


def test_parcel_condition_notes():
    rows = [StandardRow("城关县", values={I.FLOOR_AREA_RATIO: Threshold(1.0, 2.0)})]
    standard = applicable_standard(rows, "城关县")
    assert parcel_condition_notes(standard, far_min=0.7, far_max=1.8, green_ratio_pct=25.0) == [
        "地块规划条件容积率 0.70–1.80 超出标准 1.00–2.00（城关县·全部产业），以地块规划条件为准",
        "地块规划条件绿地率 25.0 % 高于上限 ≤20.0 %（国家标准）",
    ]
    assert parcel_condition_notes(standard, far_min=1.2, far_max=2.0, green_ratio_pct=20.0) == []


@given(
    investment=st.floats(1.0, 1e6, allow_nan=False),
    area=st.floats(0.5, 5000.0, allow_nan=False),
    floor=st.integers(1, 2000).map(float),
)
def test_intensity_verdict_agrees_with_the_text(investment: float, area: float, floor: float):
    check = check_indicator(
        only(I.INVESTMENT_INTENSITY, floor), ProjectFigures(total_investment_wan=investment), area
    )
    shown = round(investment / area, 2)
    assert (check.status is CheckStatus.PASSED) == (float(f"{investment / area:.2f}") >= floor)
    assert abs(shown - (check.figure or 0)) < 0.006
    assert f"{investment / area:,.2f} 万元/亩" in check.reason
