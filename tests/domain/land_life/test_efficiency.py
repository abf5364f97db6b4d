"""亩均效益评价 on a small county: bases from last year's averages, scores, classes by rank
(ties, T firms, counties of 1, 10 and 20 firms), the D flag."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landbank.domain.land_life.efficiency import (
    D_CLASS_NOTE,
    HUAIAN,
    HUANGYAN,
    EfficiencyClass,
    FirmYear,
    Measure,
    Scheme,
    class_of_rank,
    county_bases,
    investor_flags,
    measure,
    rate_firms,
    score_firm,
)

AS_OF = date(2026, 3, 31)
C = EfficiencyClass


def firm(name: str, **kw: Any) -> FirmYear:
    values: dict[str, Any] = {"firm": name, "county": "城关县", "area_mu": 50.0}
    values.update(kw)
    return FirmYear(**values)


def test_presets_weigh_100():
    assert sum(HUANGYAN.weights.values()) == pytest.approx(100)
    assert sum(HUAIAN.weights.values()) == pytest.approx(100)
    assert HUAIAN.weights[Measure.TAX_PER_MU] == 45
    assert HUANGYAN.weights[Measure.RD_SHARE] == 10


def test_measures():
    f = firm(
        "甲",
        tax_wan=1000.0,
        value_added_wan=5000.0,
        sales_wan=20_000.0,
        energy_tce=2500.0,
        emission_t=100.0,
        employees=200.0,
        rd_wan=600.0,
    )
    assert measure(f, Measure.TAX_PER_MU) == pytest.approx(20.0)
    assert measure(f, Measure.VALUE_ADDED_PER_MU) == pytest.approx(100.0)
    assert measure(f, Measure.SALES_PER_MU) == pytest.approx(400.0)
    assert measure(f, Measure.VALUE_ADDED_PER_ENERGY) == pytest.approx(2.0)
    assert measure(f, Measure.VALUE_ADDED_PER_EMISSION) == pytest.approx(50.0)
    assert measure(f, Measure.LABOUR_PRODUCTIVITY) == pytest.approx(25.0)
    assert measure(f, Measure.RD_SHARE) == pytest.approx(3.0)
    assert (
        measure(firm("乙", value_added_wan=10.0, energy_tce=0.0), Measure.VALUE_ADDED_PER_ENERGY)
        is None
    )


def test_bases_are_aggregate_averages_times_multiple():
    last_year = [
        firm(
            "甲",
            area_mu=50.0,
            tax_wan=1000.0,
            sales_wan=10_000.0,
            value_added_wan=3000.0,
            energy_tce=1000.0,
        ),
        firm("乙", area_mu=150.0, tax_wan=1000.0, sales_wan=30_000.0),  # no energy figures
    ]
    bases = county_bases(last_year, HUAIAN)
    # Σ税收 2,000 ÷ Σ亩 200 = 10 万元/亩, × 2.
    assert bases[Measure.TAX_PER_MU] == pytest.approx(20.0)
    assert bases[Measure.SALES_PER_MU] == pytest.approx(400.0)
    assert bases[Measure.VALUE_ADDED_PER_ENERGY] == pytest.approx(6.0)
    assert county_bases([firm("丙")], HUAIAN) == {}


def test_score_formula_and_missing_figures():
    bases = {
        Measure.TAX_PER_MU: 20.0,
        Measure.SALES_PER_MU: 400.0,
        Measure.VALUE_ADDED_PER_ENERGY: 6.0,
    }
    f = firm("甲", tax_wan=1500.0, sales_wan=20_000.0)  # 30 万元/亩, 400 万元/亩, energy missing
    s = score_firm(f, HUAIAN, bases)
    assert s.parts[Measure.TAX_PER_MU] == pytest.approx(30 / 20 * 45)
    assert s.parts[Measure.SALES_PER_MU] == pytest.approx(35.0)
    assert s.parts[Measure.VALUE_ADDED_PER_ENERGY] == 0.0
    assert s.missing == (Measure.VALUE_ADDED_PER_ENERGY,)
    assert s.score == pytest.approx(67.5 + 35.0)
    capped = Scheme("封顶", HUAIAN.weights, max_ratio=1.2)
    assert score_firm(f, capped, bases).parts[Measure.TAX_PER_MU] == pytest.approx(1.2 * 45)
    refund = score_firm(firm("乙", tax_wan=-100.0), HUAIAN, bases)
    assert refund.parts[Measure.TAX_PER_MU] == 0.0


def test_classes_on_a_small_county():
    bases = {
        Measure.TAX_PER_MU: 10.0,
        Measure.SALES_PER_MU: 100.0,
        Measure.VALUE_ADDED_PER_ENERGY: 1.0,
    }
    firms = [
        firm(f"企业{i:02d}", tax_wan=50.0 * i, sales_wan=500.0 * i, investor=f"投资方{i:02d}")
        for i in range(1, 21)
    ]
    firms.append(firm("新企业", tax_wan=9999.0, production_start=date(2024, 4, 1)))
    ratings = rate_firms(firms, HUAIAN, AS_OF, bases)
    by = {r.firm.firm: r for r in ratings}
    counts = {cls: sum(r.cls is cls for r in ratings) for cls in C}
    assert counts == {C.A: 4, C.B: 8, C.C: 7, C.D: 1, C.T: 1}
    assert by["企业20"].cls is C.A
    assert by["企业20"].rank == 1
    assert by["企业20"].reason == f"得分 {by['企业20'].score.score:.2f}，县内第 1/20 名，A 类"  # type: ignore[union-attr]
    assert by["企业17"].cls is C.A
    assert by["企业16"].cls is C.B
    assert by["企业01"].cls is C.D
    assert by["企业02"].cls is C.C
    young = by["新企业"]
    assert young.cls is C.T
    assert young.rank is None
    assert young.reason == "2024-04-01 投产，不满两年，2026-04-02 起参评"
    # Two years are full at the end of 2026-04-01: ranked (and first) from 2026-04-02.
    on_the_day = {r.firm.firm: r for r in rate_firms(firms, HUAIAN, date(2026, 4, 1), bases)}
    assert on_the_day["新企业"].cls is C.T
    next_day = {r.firm.firm: r for r in rate_firms(firms, HUAIAN, date(2026, 4, 2), bases)}
    assert next_day["新企业"].cls is C.A
    assert investor_flags(ratings) == {"投资方01": D_CLASS_NOTE}
    assert [r.firm.firm for r in ratings][-1] == "新企业"
    notes = by["企业05"].notes
    assert notes == ("单位能耗增加值未报送，计 0 分",)


def test_ties_share_the_better_rank_and_one_firm_is_b():
    bases = {Measure.TAX_PER_MU: 10.0}
    firms = [firm("甲", tax_wan=500.0), firm("乙", tax_wan=500.0), firm("丙", tax_wan=100.0)]
    ratings = rate_firms(firms, HUAIAN, AS_OF, bases)
    assert [(r.firm.firm, r.rank, r.cls) for r in ratings] == [
        ("甲", 1, C.A),
        ("乙", 1, C.A),
        ("丙", 3, C.C),
    ]
    assert rate_firms([firms[0]], HUAIAN, AS_OF, bases)[0].cls is C.B
    with pytest.raises(ValueError, match="按县区分别评价"):
        rate_firms([*firms, firm("丁", county="获嘉县")], HUAIAN, AS_OF, bases)


def test_class_of_rank_ten_firms():
    assert [class_of_rank(r, 10).value for r in range(1, 11)] == list("AABBBBCCCC")


@given(st.integers(1, 400))
def test_class_shares_follow_the_percentiles(n: int):
    classes = [class_of_rank(r, n) for r in range(1, n + 1)]
    assert classes == sorted(classes, key=lambda c: "ABCD".index(c.value))
    a = classes.count(C.A)
    d = classes.count(C.D)
    assert abs(a - 0.2 * n) <= 1
    assert abs(d - 0.05 * n) <= 1
    assert abs(a + classes.count(C.B) - 0.6 * n) <= 1
