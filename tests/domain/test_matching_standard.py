"""标准地 in matching (issue 16 item 2): each indicator that applies to a parcel is a hard
constraint on the area supplied; 需补充 keeps a parcel but never as 优先推荐; the parcel's own
thresholds override the table; the arrays agree with the domain's checks."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from landbank.domain.matching import MatchLabel, SiteTable, explain, match_projects, match_sites
from landbank.domain.matching.standard import site_checks, standard_masks
from landbank.domain.site_facts import Requirements, requirements_of_project
from landbank.domain.standards import Indicator, StandardRow, Threshold, Verdict, verdict
from landbank.domain.standards.checks import ProjectFigures
from tests.domain.test_matching import TODAY, building, codes, parcel

COUNTY = StandardRow("辉县市", None, None, {Indicator.INVESTMENT_INTENSITY: Threshold(250.0)})
PROJECT = Requirements(
    project_id=1, project_name="精密铸件", land_mu=30.0, industry="装备制造",
    home_region_id=1, investment_wan=5400.0,
)  # fmt: skip


def test_an_indicator_not_met_rejects_the_parcel_with_its_reason() -> None:
    site = parcel(1, 30)
    c = explain(PROJECT, site, TODAY, standards=[COUNTY])
    standard = c.criterion("standard")
    assert (standard.label, standard.hard, standard.passed, standard.mark) == (
        "标准地指标", True, False, "✗"
    )
    assert standard.reason.startswith(
        "固定资产投资强度 需≥250.00 万元/亩，本项目在该地块为 180.00 万元/亩"
        "（总投资 5,400.00 万元 ÷ 30.00 亩）"
    )
    assert c.hard_failures == [standard]
    assert c.standard_verdict is Verdict.REJECTED
    result = match_sites(PROJECT, SiteTable([site], [COUNTY]), TODAY)
    assert result.candidates == ()
    assert result.rejected == {"未达标准地指标": 1}
    # Without the table the same parcel is offered (no indicator of the project applies).
    assert codes(match_sites(PROJECT, [site], TODAY)) == ["P-001"]
    # On the area supplied: 5,400 万元 on 21.6 亩 is 250.00, met — the parcel, not the need
    # (20 亩 here), decides.
    small, need = parcel(2, 21.6), replace(PROJECT, land_mu=20.0)
    assert codes(match_sites(need, SiteTable([small], [COUNTY]), TODAY)) == ["P-002"]
    assert explain(need, small, TODAY, standards=[COUNTY]).criterion("standard").mark == "✓"


def test_a_missing_figure_is_needs_supplement_and_never_top_class() -> None:
    """A row asking 亩均产出 of a project without 预计年产值: △, shown, at most 可以考虑, ranked
    after a parcel of lower score that is 优先推荐."""
    output = StandardRow("辉县市", None, "装备制造", {Indicator.OUTPUT_PER_MU: Threshold(100.0)})
    project = replace(PROJECT, investment_wan=9000.0)
    exact = parcel(1, 30, target_industry="装备制造")  # area, industry, location all 1.0
    other = parcel(2, 33, target_industry=None, region_id=1)  # scores less, 优先推荐
    table = SiteTable([exact, replace(other, region_id=2, region_name="卫辉市")], [output])
    result = match_sites(project, table, TODAY)
    first, second = result.candidates
    assert first.sites[0].code == "P-002"
    assert first.label is MatchLabel.STRONG
    assert second.sites[0].code == "P-001"
    assert second.score > first.score
    assert second.label is MatchLabel.CLOSE_CALL
    assert second.standard_verdict is Verdict.INCOMPLETE
    standard = second.criterion("standard")
    assert (standard.mark, standard.passed) == ("△", True)
    assert standard.reason.startswith("需补充：亩均产出 需≥100.00 万元/亩，项目未填预计年产值；")
    assert standard.reason.endswith("；需补充前结论最高为“可以考虑”")
    assert result.rejected == {}
    # With the figure given it is judged: 3,600 万元 on 30 亩 is 120 ≥ 100, 优先推荐 again.
    figures = ProjectFigures(expected_output_wan=3600.0)
    given_output = replace(project, figures=figures)
    assert match_sites(given_output, table, TODAY).candidates[0].sites[0].code == "P-001"


def test_the_parcels_own_thresholds_override_the_table() -> None:
    # The county asks 250; the parcel's own record 150: 180 万元/亩 passes, its source 地块.
    own = parcel(1, 30, min_intensity_wan_per_mu=150.0)
    c = explain(PROJECT, own, TODAY, standards=[COUNTY])
    assert c.criterion("standard").mark == "✓"
    [check] = [x for x in c.checks if x.indicator is Indicator.INVESTMENT_INTENSITY]
    assert (check.requirement, check.source, check.figure) == ("≥150.00 万元/亩", "地块", 180.0)
    # …and stricter: 300 of its own against the county's 250 rejects 270.
    strict = parcel(2, 20, min_intensity_wan_per_mu=300.0)
    reason = explain(PROJECT, strict, TODAY, standards=[COUNTY]).criterion("standard").reason
    assert reason.startswith("固定资产投资强度 需≥300.00 万元/亩，本项目在该地块为 270.00 万元/亩")
    # The issue 11 case: 370 万元 of tax on the 15 亩 supplied is 24.67 < 30 (not 370 ÷ 11).
    food = requirements_of_project(
        {"id": 2, "name": "面制品", "req_land_mu": 11.0, "total_investment_wan": 4600.0,
         "expected_tax_wan": 370.0, "region_id": 1, "industry": "食品加工"}
    )  # fmt: skip
    site = parcel(3, 15, min_intensity_wan_per_mu=200.0, min_tax_per_mu_wan=30.0)
    assert explain(food, site, TODAY).criterion("standard").reason.startswith(
        "亩均税收 需≥30.00 万元/亩，本项目在该地块为 24.67 万元/亩（预计年税收 370.00 万元 ÷ 15.00 亩）"
    )
    # Figures changed in the dialog count: 50 万元/亩 of the need × 11 亩 = 550 on 15 亩.
    edited = replace(food, tax_per_mu_wan=50.0)
    assert explain(edited, site, TODAY).criterion("standard").mark == "✓"
    # A building is not judged by 标准地 (a condition of land supply).
    floor = Requirements(project_id=2, factory_m2=5000, investment_wan=10.0)
    held = building(4, 5000, min_intensity_wan_per_mu=200.0)
    judged = explain(floor, held, TODAY, standards=[COUNTY])
    assert judged.checks == ()
    assert "standard" not in {x.key for x in judged.criteria}


def test_the_standard_is_the_projects_industry_in_the_parcels_park() -> None:
    rows = [
        COUNTY,
        StandardRow("辉县市", "孟庄园", None, {Indicator.TAX_PER_MU: Threshold(20.0)}),
        StandardRow("辉县市", "孟庄园", "装备制造", {Indicator.INVESTMENT_INTENSITY: Threshold(150.0)}),
        StandardRow("辉县市", None, "食品加工", {Indicator.INVESTMENT_INTENSITY: Threshold(400.0)}),
    ]
    in_park = parcel(1, 30, park_id=10, park_name="孟庄园", target_industry="食品加工")
    project = replace(PROJECT, tax_wan=900.0)
    c = explain(project, in_park, TODAY, standards=rows)
    by = {x.indicator: x for x in c.checks}
    # The project's industry (装备制造), not the parcel's target (食品加工) picks the rows.
    assert by[Indicator.INVESTMENT_INTENSITY].source == "辉县市·孟庄园·装备制造"
    assert by[Indicator.INVESTMENT_INTENSITY].requirement == "≥150.00 万元/亩"
    assert by[Indicator.TAX_PER_MU].source == "辉县市·孟庄园·全部产业"
    assert c.criterion("standard").mark == "✓"
    # Outside the park: the county's 250 applies and rejects 180.
    outside = replace(in_park, id=2, code="P-002", park_id=None, park_name="")
    assert explain(project, outside, TODAY, standards=rows).criterion("standard").mark == "✗"


def test_only_planning_indicators_are_commitments() -> None:
    c = explain(replace(PROJECT, investment_wan=None), parcel(1, 30), TODAY)
    standard = c.criterion("standard")
    assert standard.mark == "○"
    assert standard.passed is True
    assert standard.reason == (
        "承诺：建筑系数 ≥30.0 %、绿地率 ≤20.0 %、行政办公及生活服务设施用地比例 ≤7.0 %"
        "（由项目在设计中承诺，出让合同约定）"
    )
    assert c.label is MatchLabel.STRONG


def test_a_site_to_projects_match_rejects_by_each_projects_standard() -> None:
    site = parcel(1, 30)
    rich = replace(PROJECT, project_id=2, project_name="大投资", investment_wan=9000.0)
    ranked, rejected = match_projects(site, [PROJECT, rich], TODAY, standards=[COUNTY])
    assert [m.requirements.project_name for m in ranked] == ["大投资"]
    assert rejected == {"未达标准地指标": 1}


# ------------------------------------------------------------------ arrays = domain

ROWS = [
    StandardRow("辉县市", None, None, {Indicator.INVESTMENT_INTENSITY: Threshold(200.0),
                                     Indicator.FLOOR_AREA_RATIO: Threshold(1.0, 2.0)}),
    StandardRow("辉县市", "孟庄园", "装备制造", {Indicator.TAX_PER_MU: Threshold(15.0),
                                          Indicator.GREEN_RATIO: Threshold(high=15.0)}),
    StandardRow("卫辉市", None, "装备制造", {Indicator.OUTPUT_PER_MU: Threshold(300.0),
                                       Indicator.VALUE_ADDED_PER_ENERGY: Threshold(2.0),
                                       Indicator.LABOUR_PRODUCTIVITY: Threshold(30.0)}),
]  # fmt: skip
PLACES = [(1, "辉县市", None, ""), (1, "辉县市", 10, "孟庄园"), (2, "卫辉市", None, "")]
maybe = st.none() | st.sampled_from([0.0, 150.0, 250.0]) | st.floats(0, 500)
parcel_strategy = st.builds(
    lambda i, area, place, intensity, tax, far_min, far_max, green: parcel(
        i, area, region_id=PLACES[place][0], region_name=PLACES[place][1],
        park_id=PLACES[place][2], park_name=PLACES[place][3], min_intensity_wan_per_mu=intensity,
        min_tax_per_mu_wan=tax, far_min=far_min, far_max=far_max, green_ratio_pct=green,
    ),
    st.integers(0, 10_000),
    st.sampled_from([0.0, 10.0, 21.6, 30.0]) | st.floats(0, 300),
    st.integers(0, 2),
    maybe, maybe,
    st.none() | st.sampled_from([0.0, 1.2]),
    st.none() | st.sampled_from([0.0, 1.8]),
    st.none() | st.sampled_from([0.0, 10.0, 25.0]),
)  # fmt: skip
figure = st.none() | st.sampled_from([0.0, 5400.0]) | st.floats(0, 100_000)
project_strategy = st.builds(
    lambda industry, invest, tax, output, va, energy, jobs, floor_area, green: Requirements(
        project_id=1, industry=industry, investment_wan=invest, tax_wan=tax,
        figures=ProjectFigures(expected_output_wan=output, value_added_wan=va, energy_tce=energy,
                               jobs=jobs, floor_area_m2=floor_area, green_area_m2=green),
    ),
    st.sampled_from([None, "装备制造", "食品加工"]),
    figure, figure, figure, figure, figure, figure, figure, figure,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(req=project_strategy, sites=st.lists(parcel_strategy, max_size=12, unique_by=lambda s: s.id))
def test_the_arrays_agree_with_the_domains_checks(req: Requirements, sites: list) -> None:  # type: ignore[type-arg]
    table = SiteTable(sites, ROWS)
    masks = standard_masks(req, table, np.ones(len(sites), dtype=bool))
    for i, site in enumerate(sites):
        checks = site_checks(req, site, ROWS)
        assert bool(masks.known[i]) == bool(checks), site
        judged = verdict(checks)
        assert bool(masks.failed[i]) == (judged is Verdict.REJECTED), (site, checks)
        assert bool(masks.missing[i]) == (judged is Verdict.INCOMPLETE), (site, checks)
