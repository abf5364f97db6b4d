"""Matching projects to sites: every criterion, the edges, and no candidate breaking a hard rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from landbank.domain.enums import RecordKind
from landbank.domain.matching import (
    MARK_LEGEND,
    MatchLabel,
    SiteTable,
    building_cost_measure,
    explain,
    industry_fit,
    label_for,
    legend_lines,
    match_projects,
    match_sites,
)
from landbank.domain.site_facts import (
    Requirements,
    Site,
    available_floor_area,
    requirements_of_project,
)

TODAY = date(2026, 11, 24)
NET = "净地(可供)"


def parcel(id_: int, area: float, **kw: object) -> Site:
    values: dict[str, object] = {
        "kind": RecordKind.PARCEL,
        "id": id_,
        "code": f"P-{id_:03d}",
        "name": "",
        "region_id": 1,
        "park_id": None,
        "area": area,
        "status": "可供",
        "readiness": NET,
        "region_name": "辉县市",
    }
    values.update(kw)
    return Site(**values)  # type: ignore[arg-type]


def building(id_: int, area: float, **kw: object) -> Site:
    values: dict[str, object] = {
        "kind": RecordKind.FACTORY,
        "id": id_,
        "code": f"F-{id_:03d}",
        "name": f"{id_}号厂房",
        "region_id": 1,
        "park_id": 10,
        "area": area,
        "status": "闲置",
        "region_name": "辉县市",
        "park_name": "孟庄园",
    }
    values.update(kw)
    return Site(**values)  # type: ignore[arg-type]


LAND = Requirements(project_id=1, project_name="矿山机械", land_mu=100, home_region_id=1)
FLOOR = Requirements(project_id=1, project_name="显示模组", factory_m2=10_000, home_region_id=1)


def reasons(candidate: object) -> dict[str, str]:
    return {c.key: c.reason for c in candidate.criteria}  # type: ignore[attr-defined]


def codes(result: object) -> list[str]:
    return [c.sites[0].code for c in result.candidates]  # type: ignore[attr-defined]


# ------------------------------------------------------------------ requirements


def test_requirements_of_a_project_derive_intensity_and_tax_per_mu() -> None:
    req = requirements_of_project(
        {"id": 3, "name": "X", "req_land_mu": 50.0, "total_investment_wan": 15_000.0,
         "expected_tax_wan": 900.0, "region_id": 2}
    )  # fmt: skip
    assert req.investment_intensity_wan_per_mu == 300.0
    assert req.tax_per_mu_wan == 18.0
    assert req.site_kinds() == (RecordKind.PARCEL,)
    assert requirements_of_project({"req_factory_m2": 5.0}).site_kinds() == (RecordKind.FACTORY,)


def test_available_floor_area_follows_occupancy() -> None:
    assert available_floor_area("已入驻", 5000, None) == 0
    assert available_floor_area("部分入驻", 5000, 1200) == 1200
    assert available_floor_area("闲置", 5000, None) == 0
    assert available_floor_area("已建成", 5000, None) == 5000
    assert available_floor_area("已建成", 5000, 3000) == 3000
    assert available_floor_area("在建", 5000, None) == 5000


# ------------------------------------------------------------------ hard constraints


def test_empty_requirements_rank_every_offered_site_of_both_kinds() -> None:
    result = match_sites(Requirements(), [parcel(1, 50), building(2, 3000)], TODAY)
    assert result.considered == 2
    assert result.fitting == 2
    assert {c.kind for c in result.candidates} == {RecordKind.PARCEL, RecordKind.FACTORY}
    # Nothing asked: only readiness counts (ready now beats still being built).
    assert [c.score for c in result.candidates] == [100.0, 100.0]
    assert {c.criteria[-1].key for c in result.candidates} == {"timing"}
    built_later = building(3, 3000, status="在建")
    assert explain(Requirements(), built_later, TODAY).score == 50.0


def test_too_small_is_out_and_counted_with_its_reason() -> None:
    result = match_sites(LAND, [parcel(1, 89.9), parcel(2, 90.0)], TODAY)
    assert codes(result) == ["P-002"]
    assert result.rejected == {"面积不足": 1}
    why = explain(LAND, parcel(1, 89.9), TODAY)
    assert why.hard_failures[0].reason == "89.90 亩，不足需求 100.00 亩 的 90%"


def test_a_parcel_not_yet_net_land_is_out_unless_needed_far_ahead() -> None:
    raw = parcel(1, 100, readiness="三通一平")
    assert match_sites(LAND, [raw], TODAY).candidates == ()
    assert explain(LAND, raw, TODAY).hard_failures[0].reason == "地块尚未达到净地（现为“三通一平”）"
    later = replace(LAND, needed_by=TODAY + timedelta(days=365))
    [candidate] = match_sites(later, [raw], TODAY).candidates
    assert candidate.criterion("timing").score == pytest.approx(0.3)  # two rungs to go
    assert candidate.criterion("timing").mark == "✗"


def test_reserved_for_another_project_is_refused_with_its_name() -> None:
    locked = parcel(
        1, 100, status="意向锁定", reserved_project_id=9, reserved_project_name="比亚迪",
        reserved_until=TODAY + timedelta(days=10),
    )  # fmt: skip
    result = match_sites(LAND, [locked], TODAY)
    assert result.candidates == ()
    assert result.rejected == {"已锁定、已出让或无空余面积": 1}
    reason = explain(LAND, locked, TODAY).hard_failures[0].reason
    assert reason == "已为项目“比亚迪”意向锁定（至 2026-12-04）"


def test_an_expired_reservation_frees_the_site_and_says_so() -> None:
    expired = parcel(
        1, 100, status="意向锁定", reserved_project_id=9, reserved_project_name="比亚迪",
        reserved_until=TODAY - timedelta(days=1),
    )  # fmt: skip
    [candidate] = match_sites(LAND, [expired], TODAY).candidates
    assert reasons(candidate)["status"] == "原为项目“比亚迪”锁定，已于 2026-11-23 过期"
    # The last day of a reservation still holds.
    today_end = replace(expired, reserved_until=TODAY)
    assert match_sites(LAND, [today_end], TODAY).candidates == ()


def test_a_site_reserved_for_this_project_stays_offered() -> None:
    mine = parcel(1, 100, status="意向锁定", reserved_project_id=1, reserved_until=TODAY)
    [candidate] = match_sites(LAND, [mine], TODAY).candidates
    assert reasons(candidate)["status"] == "已为本项目意向锁定（至 2026-11-24）"


def test_a_lock_without_a_registered_project_is_not_offered() -> None:
    assert match_sites(LAND, [parcel(1, 100, status="意向锁定")], TODAY).candidates == ()


def test_supplied_parcels_and_full_buildings_are_out() -> None:
    sites = [parcel(1, 100, status="已出让/划拨"), building(2, 0, status="已入驻")]
    result = match_sites(Requirements(), sites, TODAY)
    assert result.candidates == ()
    assert explain(LAND, sites[0], TODAY).hard_failures[0].reason == "已出让/划拨，不再可供"


def test_building_specs_below_the_need_are_out_unknown_ones_are_not() -> None:
    req = replace(FLOOR, ceiling_height_m=8.0, floor_load_kn_m2=30.0, power_kva=630.0)
    low = building(1, 10_000, ceiling_height_m=6.0)
    weak = building(2, 10_000, floor_load_kn_m2=20.0)
    unknown = building(3, 10_000)
    result = match_sites(req, [low, weak, unknown], TODAY, combinations=False)
    assert codes(result) == ["F-003"]
    assert result.rejected == {"层高不足": 1, "承重不足": 1}
    assert explain(req, low, TODAY).hard_failures[0].reason == "层高 6 m < 要求 8 m"
    marks = {c.key: c.mark for c in result.candidates[0].criteria}
    assert marks["ceiling"] == "—"  # not registered: not assessed, not refused
    assert reasons(result.candidates[0])["ceiling"] == "层高未登记（要求 8 m）"


def test_forbidden_industry_matches_nothing() -> None:
    req = replace(LAND, industry_class="禁止")
    result = match_sites(req, [parcel(1, 100)], TODAY)
    assert result.candidates == ()
    assert result.notes == ("项目属于禁止类产业（招商项目产业目录），不予匹配。",)
    assert explain(req, parcel(1, 100), TODAY).hard_failures[0].reason == "产业属于禁止类"


def test_a_project_that_only_rents_takes_no_parcel() -> None:
    req = Requirements(rent_or_buy="租赁")
    result = match_sites(req, [parcel(1, 100), building(2, 3000)], TODAY)
    assert [c.kind for c in result.candidates] == [RecordKind.FACTORY]
    assert result.rejected == {"项目只租赁，地块须出让": 1}


def test_nothing_fits_says_so() -> None:
    result = match_sites(LAND, [parcel(1, 10)], TODAY)
    assert result.candidates == ()
    assert result.notes == ("没有满足全部硬性条件的地块或厂房。",)


# ------------------------------------------------------------------ soft criteria


def test_exact_fit_scores_full_marks_and_is_strong() -> None:
    req = replace(LAND, industry="装备制造", preferred_park_id=10, needed_by=TODAY)
    site = parcel(1, 100, target_industry="装备制造", park_id=10, park_name="孟庄园")
    [c] = match_sites(req, [site], TODAY).candidates
    assert c.score == 100.0
    assert c.label is MatchLabel.STRONG
    assert reasons(c)["area"] == "100.00 亩，需 100.00 亩：面积合适"
    assert reasons(c)["location"] == "位于意向园区 辉县市·孟庄园"


def test_too_small_is_worse_than_somewhat_too_large() -> None:
    small = parcel(1, 95)
    large = parcel(2, 112)
    result = match_sites(LAND, [small, large], TODAY)
    assert codes(result) == ["P-002", "P-001"]
    assert reasons(result.candidates[0])["area"] == "112.00 亩，需 100.00 亩：面积偏大 12%"
    assert reasons(result.candidates[1])["area"] == "95.00 亩，需 100.00 亩：面积偏小 5%"


def test_area_score_falls_with_oversize() -> None:
    sizes = [100, 110, 150, 300, 1000]
    scores = [explain(LAND, parcel(1, a), TODAY).criterion("area").score for a in sizes]
    assert scores[0] == scores[1] == 1.0
    assert scores == sorted(scores, reverse=True)
    assert scores[2] == pytest.approx(0.6 + 0.4 * (1 - (150 / 110 - 1) / 0.5), abs=0.2)


def test_a_land_range_widens_the_ideal_band() -> None:
    req = replace(LAND, land_max_mu=150)
    assert explain(req, parcel(1, 150), TODAY).criterion("area").score == 1.0
    assert reasons(explain(req, parcel(1, 150), TODAY))["area"] == "150.00 亩，需 100.00–150.00 亩：面积合适"
    assert explain(req, parcel(1, 180), TODAY).criterion("area").score < 1.0


def test_industry_fit_levels() -> None:
    assert industry_fit("装备制造", "装备制造") == 1.0
    assert industry_fit("高端装备制造", "装备制造") == 1.0
    assert industry_fit("食品加工、冷链", "冷链/物流") == 0.8
    assert industry_fit("装备制造", "") == 0.6
    assert industry_fit("装备制造", "食品加工") == 0.2
    req = replace(LAND, industry="装备制造")
    other = explain(req, parcel(1, 100, target_industry="食品加工"), TODAY)
    assert other.score == 80.0  # (30 + 0.2 × 20 + 15 + 15) / 80
    assert other.label is MatchLabel.CLOSE_CALL  # another industry: never 优先推荐
    assert reasons(other)["industry"] == (
        "目标产业“食品加工”，项目为“装备制造”；产业不符，结论最高为“可以考虑”"
    )
    weak = explain(req, parcel(1, 100, target_industry="食品加工", region_id=2), TODAY)
    assert weak.label is MatchLabel.CLOSE_CALL  # 71.3: the cap changes nothing, says nothing
    assert reasons(weak)["industry"] == "目标产业“食品加工”，项目为“装备制造”"


def test_location_prefers_park_then_county_then_home() -> None:
    req = replace(LAND, preferred_region_id=2, preferred_park_id=20)
    sites = [
        parcel(1, 100, region_id=3),  # elsewhere
        parcel(2, 100, region_id=1),  # 承办县区
        parcel(3, 100, region_id=2),  # preferred county
        parcel(4, 100, region_id=2, park_id=20),  # preferred park
    ]
    assert codes(match_sites(req, sites, TODAY)) == ["P-004", "P-003", "P-002", "P-001"]


def test_a_building_under_construction_scores_by_its_completion_date() -> None:
    req = replace(FLOOR, needed_by=date(2027, 6, 30))
    on_time = building(1, 10_000, status="在建", ready_date=date(2027, 3, 1))
    late = building(2, 10_000, status="在建", ready_date=date(2027, 12, 1))
    ready = building(3, 10_000)
    result = match_sites(req, [late, on_time, ready], TODAY, combinations=False)
    assert codes(result) == ["F-003", "F-001", "F-002"]
    assert reasons(result.candidates[2])["timing"] == (
        "在建，预计 2027-12-01 竣工，晚于需用日期 2027-06-30"
    )


# A parcel's own 准入门槛 are its 标准地 override, judged as hard constraints on the area
# supplied: tests/domain/test_matching_standard.py.


def test_a_site_of_another_industry_is_never_strongly_recommended() -> None:
    """Issue 11: the demo's 15 亩 纺织服装 parcel was 优先推荐 for a food and a logistics project
    alike. It stays a candidate, below every 优先推荐 site, whatever its score."""
    textile = parcel(16, 15, target_industry="纺织服装", min_intensity_wan_per_mu=200.0,
                     min_tax_per_mu_wan=20.0)  # fmt: skip
    food = Requirements(project_id=1, project_name="面制品", land_mu=11, industry="食品加工",
                        home_region_id=1, investment_wan=4600.0, tax_wan=370.0)  # fmt: skip
    logistics = replace(food, project_name="冷链物流园", industry="现代物流",
                        investment_wan=3800.0, tax_wan=390.0)  # fmt: skip
    for req in (food, logistics):
        [c] = match_sites(req, [textile], TODAY).candidates
        assert c.label is not MatchLabel.STRONG, (req.project_name, c.score)
    # The right size and no thresholds to miss: 80 points, and the label is capped all the same.
    plain = replace(textile, area=11.0, min_intensity_wan_per_mu=None, min_tax_per_mu_wan=None)
    [c] = match_sites(food, [plain], TODAY).candidates
    assert (c.score, c.label) == (80.0, MatchLabel.CLOSE_CALL)
    assert c.criterion("industry").mark == "✗"
    assert c.criterion("industry").reason.endswith("；产业不符，结论最高为“可以考虑”")
    # A site of no stated industry (0.6) or a related one (0.8) is not capped; it ranks first
    # though it scores less, and the top-1 cut keeps it.
    open_site = replace(plain, id=17, code="P-017", target_industry=None, region_id=2)
    best = explain(food, open_site, TODAY)
    assert (best.score, best.label) == (78.8, MatchLabel.STRONG)
    assert codes(match_sites(food, [plain, open_site], TODAY)) == ["P-017", "P-016"]
    assert codes(match_sites(food, [plain, open_site], TODAY, top=1)) == ["P-017"]


def test_legend_explains_every_mark_and_label() -> None:
    marks, standard, labels = legend_lines(blank=True)
    assert marks == (
        "图例：✓ 满足　△ 部分满足　✗ 不满足　— 无法判断（场地未登记该项）　空白 不涉及；"
        "评分项 ✓ ≥ 80%，△ 50%–80%，✗ < 50%"
    )
    assert standard == (
        "标准地指标（仅地块；按项目产业取所在县区、园区的标准，地块自身门槛优先）："
        "✓ 各项指标达标　✗ 不符，不予推荐　△ 需补充（项目缺少数据，不列为优先推荐）　"
        "○ 承诺（规划指标，由项目在设计中承诺）；厂房不按标准地判断"
    )
    assert labels == (
        "结论：75 分及以上优先推荐（目标产业不符或标准地需补充的除外），55 分及以上可以考虑，"
        "其余勉强"
    )
    assert "空白" not in legend_lines()[0]
    assert {mark for mark, _ in MARK_LEGEND} == {"✓", "△", "✗", "—"}


# ------------------------------------------------------------------ pinned weights

# A project and five parcels written out: every criterion's value and every total below was
# worked by hand from the module's table (weights 面积 30, 产业 20, 区位 15, 交付时间 15,
# 价格/租金 10). Changing a weight or a curve changes a figure here. Until issue 16 the
# parcels' own 投资强度/亩均税收 were a sixth criterion (准入门槛, weight 10); they are now the
# parcel's 标准地 override, a hard constraint: P-001 (25 < 30 万元/亩) and P-004 (333.33 < 400
# 万元/亩) are rejected with their reasons, and their values are pinned through explain().
PINNED = Requirements(
    project_id=7, project_name="速冻食品", land_mu=20.0, industry="食品加工", home_region_id=1,
    preferred_region_id=2, investment_wan=6000.0, tax_wan=500.0,
    needed_by=TODAY + timedelta(days=200),
)  # fmt: skip
PINNED_SITES = [
    # 20 亩 in the preferred county, same industry, 净地; 300 ≥ 250 but 25 < 30 万元/亩; 50 万元/亩.
    parcel(1, 20, region_id=2, target_industry="食品加工", min_intensity_wan_per_mu=250.0,
           min_tax_per_mu_wan=30.0, price_wan=1000.0),
    # 25 亩 in the preferred county, another industry; 240 ≥ 200; the cheapest, 40 万元/亩.
    parcel(2, 25, region_id=2, target_industry="纺织服装", min_intensity_wan_per_mu=200.0,
           price_wan=1000.0),
    # 22 亩 elsewhere, no stated industry, 七通一平 (one rung short); the dearest, 60 万元/亩.
    parcel(3, 22, region_id=3, readiness="七通一平", price_wan=1320.0),
    # 18 亩 (90 % of the need) in the preferred county, 五通一平; 333.33 < 400; no price.
    parcel(4, 18, region_id=2, target_industry="食品加工", readiness="五通一平",
           min_intensity_wan_per_mu=400.0),
    # 30 亩 elsewhere, same industry, 净地; no thresholds, no price.
    parcel(5, 30, region_id=3, target_industry="食品加工"),
]  # fmt: skip


def test_pinned_case_every_criterion_and_total() -> None:
    result = match_sites(PINNED, PINNED_SITES, TODAY)
    got = {}
    for c in result.candidates:
        values = {x.key: x.score for x in c.criteria if not x.hard}
        got[c.sites[0].code] = (c.score, c.label.value, values)
    big = 1 - 0.8 * (25 / 20 / 1.1 - 1)  # 25 亩 for 20: 13.6 % above the band's top (22 亩)
    wide = 1 - 0.8 * (30 / 20 / 1.1 - 1)  # 30 亩 for 20: 36.4 % above the band's top
    expected = {
        # (30·0.7273·… + 20·1 + 15·0.3 + 15·1) / 80 = 75.97 (no price)
        "P-005": (76.0, "优先推荐", {"area": wide, "industry": 1.0, "location": 0.3,
                  "timing": 1.0}),
        # (30·0.8909 + 20·0.2 + 15·0.8 + 15·1 + 10·1) / 90 = 75.25, capped (another industry)
        "P-002": (75.3, "可以考虑", {"area": big, "industry": 0.2, "location": 0.8,
                  "timing": 1.0, "cost": 1.0}),
        # (30·1 + 20·0.6 + 15·0.3 + 15·0.5 + 10·0.5) / 90 = 65.56 (P-001 out: P-003 dearest)
        "P-003": (65.6, "可以考虑", {"area": 1.0, "industry": 0.6, "location": 0.3,
                  "timing": 0.5, "cost": 0.5}),
    }  # fmt: skip
    assert list(got) == list(expected)  # by label, then score: the capped P-002 after P-005
    for code, (score, label, values) in expected.items():
        assert got[code][:2] == (score, label), code
        assert got[code][2] == pytest.approx(values, rel=1e-12, abs=1e-12), code
    # The totals, unrounded, from the values and the weights as written above.
    totals = [
        (30 * wide + 20 + 15 * 0.3 + 15) / 80,
        (30 * big + 20 * 0.2 + 15 * 0.8 + 15 + 10) / 90,
        (30 + 20 * 0.6 + 15 * 0.3 + 15 * 0.5 + 10 * 0.5) / 90,
    ]
    assert [round(x * 100, 4) for x in totals] == [75.9659, 75.2525, 65.5556]
    assert result.fitting == 3
    assert result.rejected == {"未达标准地指标": 2}
    # The two rejected, explained: the reason names the indicator, the required and the
    # offered figure with its arithmetic on the parcel's own 亩; the other criteria still pinned.
    one, four = explain(PINNED, PINNED_SITES[0], TODAY), explain(PINNED, PINNED_SITES[3], TODAY)
    assert one.criterion("standard").mark == "✗"
    assert one.criterion("standard").reason.startswith(
        "亩均税收 需≥30.00 万元/亩，本项目在该地块为 25.00 万元/亩（预计年税收 500.00 万元 ÷ 20.00 亩）；"
        "承诺："
    )
    assert four.criterion("standard").reason.startswith(
        "固定资产投资强度 需≥400.00 万元/亩，本项目在该地块为 333.33 万元/亩"
        "（总投资 6,000.00 万元 ÷ 18.00 亩）；承诺："
    )
    assert {x.key: x.score for x in four.criteria if not x.hard} == pytest.approx(
        {"area": 0.3, "industry": 1.0, "location": 0.8, "timing": 0.4}
    )
    assert {x.key: x.score for x in one.criteria if not x.hard} == pytest.approx(
        {"area": 1.0, "industry": 1.0, "location": 0.8, "timing": 1.0}
    )
    # P-002 meets its own 投资强度 (240 ≥ 200): ✓, with the national planning floors as 承诺.
    two = result.candidates[1].criterion("standard")
    assert two.mark == "✓"
    assert two.reason == (
        "固定资产投资强度 240.00 万元/亩，符合 ≥200.00 万元/亩（总投资 6,000.00 万元 ÷ 25.00 亩）；"
        "承诺：建筑系数 ≥30.0 %、绿地率 ≤20.0 %、行政办公及生活服务设施用地比例 ≤7.0 %"
        "（由项目在设计中承诺，出让合同约定）"
    )


def test_price_is_relative_among_the_candidates() -> None:
    cheap = parcel(1, 100, price_wan=800.0)
    dear = parcel(2, 100, price_wan=1600.0)
    result = match_sites(LAND, [dear, cheap], TODAY)
    assert codes(result) == ["P-001", "P-002"]
    assert result.candidates[0].criterion("cost").score == 1.0
    assert result.candidates[1].criterion("cost").score == 0.5
    assert reasons(result.candidates[0])["cost"] == "地价 8.00 万元/亩，候选中较低"


def test_ties_keep_the_closer_fit_then_the_code() -> None:
    sites = [parcel(3, 105), parcel(2, 100), parcel(1, 100)]
    assert codes(match_sites(LAND, sites, TODAY)) == ["P-001", "P-002", "P-003"]


def test_top_n_cuts_the_list_but_counts_every_fit() -> None:
    sites = [parcel(i, 100 + i) for i in range(1, 31)]
    result = match_sites(LAND, sites, TODAY, top=5)
    assert len(result.candidates) == 5
    assert result.fitting == 30


def test_labels_by_score() -> None:
    assert label_for(75) is MatchLabel.STRONG
    assert label_for(74.9) is MatchLabel.CLOSE_CALL
    assert label_for(55) is MatchLabel.CLOSE_CALL
    assert label_for(54.9) is MatchLabel.WEAK
    assert label_for(100, industry_mismatch=True) is MatchLabel.CLOSE_CALL
    assert label_for(54.9, industry_mismatch=True) is MatchLabel.WEAK


# ------------------------------------------------------------------ combinations


def test_buildings_of_one_park_are_combined_when_none_is_big_enough() -> None:
    sites = [
        building(1, 6000), building(2, 4500), building(3, 3000), building(4, 2000),
        building(5, 8000, park_id=11, park_name="别园"),  # alone in its park, too small
    ]  # fmt: skip
    result = match_sites(FLOOR, sites, TODAY)
    [combo] = result.candidates
    assert combo.is_combination
    assert [s.code for s in combo.sites] == ["F-001", "F-002"]  # 10,500 m²: the least excess
    assert combo.title == "孟庄园组合：F-001＋F-002"
    assert reasons(combo)["size"].startswith("2 栋合计 10,500 m² ≥ 需 10,000 m²")


def test_no_combination_where_a_single_building_is_big_enough() -> None:
    sites = [building(1, 12_000), building(2, 6000), building(3, 5000)]
    result = match_sites(FLOOR, sites, TODAY)
    assert [len(c.sites) for c in result.candidates] == [1]


def test_a_combination_never_includes_a_building_failing_a_hard_rule() -> None:
    req = replace(FLOOR, ceiling_height_m=8.0)
    sites = [
        building(1, 6000, ceiling_height_m=9.0),
        building(2, 5000, ceiling_height_m=6.0),
        building(3, 4500, ceiling_height_m=8.0),
    ]
    [combo] = match_sites(req, sites, TODAY).candidates
    assert [s.code for s in combo.sites] == ["F-001", "F-003"]


def test_combinations_need_enough_space_in_the_park() -> None:
    assert match_sites(FLOOR, [building(1, 4000), building(2, 4000)], TODAY).candidates == ()


# ------------------------------------------------------------------ site → projects


def test_site_to_projects_ranks_the_projects_that_could_take_it() -> None:
    site = building(1, 8000, target_industry="食品加工", ceiling_height_m=9.0)
    projects = [
        Requirements(project_id=1, project_name="冷链", factory_m2=7500, industry="食品加工"),
        Requirements(project_id=2, project_name="面料", factory_m2=7000, industry="纺织"),
        Requirements(project_id=3, project_name="大厂", factory_m2=20_000),
        Requirements(project_id=4, project_name="要地", land_mu=50),
        Requirements(project_id=5, project_name="高厂房", factory_m2=8000, ceiling_height_m=12),
    ]
    ranked, rejected = match_projects(site, projects, TODAY)
    assert [m.requirements.project_name for m in ranked] == ["冷链", "面料"]
    assert rejected == {"面积不足": 1, "层高不足": 1}


# ------------------------------------------------------------------ property


INDUSTRIES = [None, "食品加工", "纺织服装", "冷链/物流"]
site_strategy = st.builds(
    lambda i, kind, area, status, readiness, ceiling, reserved, days, industry: (
        parcel(i, area, status=status[0], readiness=readiness, target_industry=industry,
               reserved_project_id=reserved, reserved_until=TODAY + timedelta(days=days))
        if kind == "p"
        else building(i, area, status=status[1], ceiling_height_m=ceiling,
                      reserved_project_id=reserved, reserved_until=TODAY + timedelta(days=days),
                      park_id=10 + i % 3, target_industry=industry)
    ),
    st.integers(0, 10_000),
    st.sampled_from("pf"),
    st.floats(0, 30_000),
    st.sampled_from([("可供", "闲置"), ("意向锁定", "已建成"), ("已挂牌", "部分入驻"),
                     ("已出让/划拨", "在建"), ("可供", "已入驻")]),
    st.sampled_from(["拟收储", "三通一平", NET]),
    st.none() | st.floats(3, 15),
    st.none() | st.integers(1, 3),
    st.integers(-30, 30),
    st.sampled_from(INDUSTRIES),
)
req_strategy = st.builds(
    Requirements,
    project_id=st.integers(1, 3),
    land_mu=st.none() | st.floats(1, 500),
    factory_m2=st.none() | st.floats(100, 30_000),
    ceiling_height_m=st.none() | st.floats(3, 15),
    needed_by=st.none() | st.dates(TODAY, TODAY + timedelta(days=800)),
    rent_or_buy=st.none() | st.sampled_from(["租赁", "购买", "均可"]),
    home_region_id=st.just(1),
    industry=st.sampled_from(INDUSTRIES),
)


def _violations(req: Requirements, site: Site) -> list[str]:
    """The hard rules, written out independently of the vectorised code."""
    found = []
    kinds = req.site_kinds()
    if site.kind not in kinds:
        found.append("kind")
    locked_by_other = (
        site.reserved_project_id not in (None, req.project_id)
        and (site.reserved_until is None or site.reserved_until >= TODAY)
    )
    if locked_by_other:
        found.append("locked")
    if site.kind is RecordKind.PARCEL:
        if site.status not in ("可供", "意向锁定"):
            found.append("status")
        if (
            site.status == "意向锁定"
            and site.reserved_project_id is None
            and (site.reserved_until is None or site.reserved_until >= TODAY)
        ):
            found.append("unregistered lock")
        if site.readiness != NET and not (
            req.needed_by and req.needed_by >= TODAY + timedelta(days=180)
        ):
            found.append("not net land")
        if req.land_mu and site.area < 0.9 * req.land_mu:
            found.append("small")
        if req.rent_or_buy == "租赁":
            found.append("rent only")
    else:
        if site.area <= 0:
            found.append("full")
        if req.factory_m2 and site.area < 0.9 * req.factory_m2:
            found.append("small")
        if req.ceiling_height_m and site.ceiling_height_m is not None and (
            site.ceiling_height_m < req.ceiling_height_m
        ):
            found.append("ceiling")
    return found


@settings(max_examples=150, deadline=None)
@given(req=req_strategy, sites=st.lists(site_strategy, max_size=25, unique_by=lambda s: s.id))
def test_no_candidate_breaks_a_hard_constraint(req: Requirements, sites: list[Site]) -> None:
    result = match_sites(req, SiteTable(sites), TODAY, top=50)
    for candidate in result.candidates:
        assert not candidate.hard_failures
        for site in candidate.sites:
            broken = _violations(req, site)
            if candidate.is_combination:
                broken = [b for b in broken if b != "small"]
            assert broken == [], (site, broken)
        if candidate.is_combination:
            assert req.factory_m2 is not None
            assert candidate.area >= req.factory_m2
            assert len({s.park_id for s in candidate.sites}) == 1
        assert 0 <= candidate.score <= 100
        industry = next((c for c in candidate.criteria if c.key == "industry"), None)
        mismatch = industry is not None and industry.mark == "✗"
        assert candidate.label is label_for(candidate.score, industry_mismatch=mismatch)
        # The score is the weighted mean of the soft criteria the candidate shows.
        soft = [c for c in candidate.criteria if not c.hard]
        if soft:
            mean = sum(c.score * c.weight for c in soft) / sum(c.weight for c in soft)  # type: ignore[operator]
            assert candidate.score == pytest.approx(mean * 100, abs=0.051)
    singles = [c for c in result.candidates if not c.is_combination]
    fitting = [s for s in sites if not _violations(req, s)]
    assert result.fitting == len(fitting)
    assert len(singles) == min(len(fitting), 50) or any(c.is_combination for c in result.candidates)
    # Best first: by label, then by score; a shorter list is the head of the longer one.
    order = [MatchLabel.STRONG, MatchLabel.CLOSE_CALL, MatchLabel.WEAK]
    keys = [(order.index(c.label), -c.score) for c in result.candidates]
    assert keys == sorted(keys)
    head = match_sites(req, SiteTable(sites), TODAY, top=3).candidates
    assert [c.title for c in head] == [c.title for c in result.candidates[:3]]


def test_building_cost_compares_like_with_like() -> None:
    """Rents against rents, prices against prices; a renting project does not judge a
    building for sale only by its price."""
    renting = replace(FLOOR, factory_m2=5000, rent_or_buy="租赁")
    sites = [
        building(1, 5000, rent_yuan_m2_month=8.0),
        building(2, 5000, rent_yuan_m2_month=20.0),
        building(3, 5000, price_wan=1500.0),
    ]
    result = match_sites(renting, sites, TODAY, combinations=False)
    cost = {c.sites[0].code: c.criterion("cost") for c in result.candidates if any(
        x.key == "cost" for x in c.criteria)}  # fmt: skip
    assert cost["F-001"].score == 1.0
    assert cost["F-002"].score == 0.5
    assert "F-003" not in cost  # for sale only: not judged on cost for a renting project
    # No preference: rent where there is one, and the reason names the figure scored.
    either = replace(FLOOR, factory_m2=5000)
    a = building(1, 5000, rent_yuan_m2_month=30.0, price_wan=500.0)
    b = building(2, 5000, rent_yuan_m2_month=10.0, price_wan=1500.0)
    ranked = match_sites(either, [a, b], TODAY, combinations=False).candidates
    why = {c.sites[0].code: c.criterion("cost").reason for c in ranked}
    assert why == {
        "F-001": "租金 30.00 元/m²/月，候选中较高",
        "F-002": "租金 10.00 元/m²/月，候选中较低",
    }
    assert building_cost_measure("购买", True, True) == "price"
    assert building_cost_measure("租赁", False, True) is None


def test_a_combination_says_which_building_was_not_checked() -> None:
    req = replace(FLOOR, ceiling_height_m=8.0)
    sites = [building(1, 6000, ceiling_height_m=10.0), building(2, 5000)]
    [combo] = match_sites(req, sites, TODAY).candidates
    ceiling = combo.criterion("ceiling")
    assert ceiling.mark == "—"
    assert ceiling.reason == "F-002 未登记层高，其余满足"
