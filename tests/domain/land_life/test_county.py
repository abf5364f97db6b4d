"""The county's tallies (parcels and hectares per 低效 class and 闲置) and the 增存挂钩 effect
both ways."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from landbank.domain.land_life.county import county_summaries, plan_effect
from landbank.domain.land_life.facts import ParcelLife
from landbank.domain.land_life.low_efficiency import LowEfficiency

AS_OF = date(2026, 6, 1)
_ids = iter(range(1, 10_000))


def parcel(county: str, area_mu: float, **kw: Any) -> ParcelLife:
    values: dict[str, Any] = {
        "id": next(_ids),
        "code": "P",
        "county": county,
        "area_mu": area_mu,
        "status": "已竣工投产",
    }
    values.update(kw)
    return ParcelLife(**values)


def test_tallies_and_plan_effect_both_ways():
    parcels = [
        # 城关县: one 批而未供 (45 亩 = 3 公顷), one 闲置 (30 亩 = 2 公顷, price 1,000 → fee 200),
        # one taken back (15 亩), one lapsed approval, one in production.
        parcel(
            "城关县",
            45.0,
            status="可供",
            approval_date=date(2023, 1, 1),
            reserve_date=date(2023, 3, 1),
        ),
        parcel(
            "城关县", 30.0, status="已交地", agreed_start_date=date(2025, 3, 1), price_wan=1000.0
        ),
        parcel("城关县", 15.0, status="已出让/划拨", agreed_start_date=date(2024, 1, 1)),
        parcel("城关县", 60.0, status="可供", approval_date=date(2023, 1, 1)),
        parcel("城关县", 20.0),
        # 获嘉县: clean (a recent supply, not yet due; one unknown).
        parcel("获嘉县", 20.0, status="已交地", agreed_start_date=date(2026, 1, 1)),
        parcel("获嘉县", 10.0, status="已交地"),
    ]
    summaries = county_summaries(parcels, AS_OF)
    assert list(summaries) == ["城关县", "获嘉县"]
    cg = summaries["城关县"]
    assert cg.approved_not_supplied.count == 1
    assert cg.approved_not_supplied.hectares == pytest.approx(3.0)
    assert cg.idle.count == 2
    assert cg.idle.area_mu == pytest.approx(45.0)
    assert cg.take_back.count == 1
    assert cg.fees_wan == pytest.approx(200.0)
    assert cg.lapsed.count == 1
    assert cg.lapsed.hectares == pytest.approx(4.0)
    assert cg.low[LowEfficiency.SUPPLIED_NOT_USED].count == 2  # the idle ones are 供而未用 too
    assert cg.low[LowEfficiency.BUILT_NOT_PRODUCING].count == 0
    cut = plan_effect(cg, 100.0)
    assert not cut.cleared
    assert cut.factor == pytest.approx(0.8)
    assert cut.adjusted_ha == pytest.approx(80.0)
    assert cut.change_text == "−20%"
    assert cut.reason == (
        "城关县：批而未供 1 宗 3.00 公顷、闲置土地 2 宗 3.00 公顷 未清零，"
        "下一年度新增建设用地计划 −20%（100.00 → 80.00 公顷）"
    )

    hj = summaries["获嘉县"]
    assert hj.idle.cleared
    assert hj.approved_not_supplied.cleared
    assert hj.idle_unknown.count == 1
    bonus = plan_effect(hj, 50.0)
    assert bonus.cleared
    assert bonus.factor == pytest.approx(1.1)
    assert bonus.adjusted_ha == pytest.approx(55.0)
    assert bonus.reason == (
        "获嘉县：批而未供、闲置土地均已清零，下一年度新增建设用地计划 +10%（50.00 → 55.00 公顷）"
    )


def test_either_left_is_a_cut():
    only_stock = county_summaries(
        [parcel("A县", 15.0, status="已挂牌", reserve_date=date(2020, 1, 1))], AS_OF
    )["A县"]
    assert plan_effect(only_stock).factor == pytest.approx(0.8)
    assert plan_effect(only_stock).adjusted_ha is None
    only_idle = county_summaries(
        [parcel("B县", 15.0, status="已交地", agreed_start_date=date(2025, 1, 1))], AS_OF
    )["B县"]
    assert only_idle.approved_not_supplied.cleared
    assert plan_effect(only_idle).factor == pytest.approx(0.8)
    assert plan_effect(only_idle).reason == (
        "B县：闲置土地 1 宗 1.00 公顷 未清零，下一年度新增建设用地计划 −20%"
    )
