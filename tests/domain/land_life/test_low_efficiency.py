"""Each 低效 class on its boundary day, the approval's lapse, and one class a parcel."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest

from landbank.domain.land_life.facts import ParcelLife, YearFigures
from landbank.domain.land_life.low_efficiency import (
    LowEfficiency,
    approval_lapse_date,
    approval_lapsed,
    built_far,
    low_efficiency,
)

DAY = timedelta(days=1)
L = LowEfficiency


def parcel(**kw: Any) -> ParcelLife:
    values: dict[str, Any] = {"id": 1, "code": "CG-001", "county": "城关县", "area_mu": 30.0}
    values.update(kw)
    return ParcelLife(**values)


def kind(p: ParcelLife, day: date) -> LowEfficiency | None:
    got = low_efficiency(p, day)
    return None if got is None else got.kind


def test_approved_not_supplied_two_years():
    p = parcel(status="可供", approval_date=date(2023, 5, 10), reserve_date=date(2023, 8, 1))
    assert kind(p, date(2025, 5, 10)) is None  # the last day of the two years
    got = low_efficiency(p, date(2025, 5, 11))
    assert got is not None
    assert got.kind is L.APPROVED_NOT_SUPPLIED
    assert got.since == date(2025, 5, 11)
    assert got.reason == "2023-05-10 批准，满两年未供地（可供）"
    # Without an approval date, from the reserve date.
    reserved = replace(p, approval_date=None)
    assert kind(reserved, date(2025, 8, 1)) is None
    assert kind(reserved, date(2025, 8, 2)) is L.APPROVED_NOT_SUPPLIED
    # Listed is still not supplied; supplied is no longer 批而未供.
    assert kind(replace(p, status="已挂牌"), date(2026, 1, 1)) is L.APPROVED_NOT_SUPPLIED
    assert kind(replace(p, status="已出让/划拨"), date(2026, 1, 1)) is None
    # Neither date: nothing to count from.
    assert kind(parcel(status="可供"), date(2030, 1, 1)) is None


def test_approval_lapses_when_not_carried_out():
    p = parcel(status="可供", approval_date=date(2024, 2, 29))
    assert approval_lapse_date(date(2024, 2, 29)) == date(2026, 3, 1)
    assert not approval_lapsed(p, date(2026, 2, 28))
    assert approval_lapsed(p, date(2026, 3, 1))
    assert kind(p, date(2026, 3, 1)) is None  # lapsed, not 批而未供
    # Taken in on the last day: carried out, so 批而未供 instead.
    taken = replace(p, reserve_date=date(2026, 2, 28))
    assert not approval_lapsed(taken, date(2026, 3, 1))
    assert kind(taken, date(2026, 3, 1)) is L.APPROVED_NOT_SUPPLIED
    # Taken in after the lapse: still lapsed.
    assert approval_lapsed(replace(p, reserve_date=date(2026, 3, 1)), date(2026, 4, 1))


def test_supplied_not_used():
    p = parcel(status="已交地", agreed_start_date=date(2025, 4, 1))
    assert kind(p, date(2025, 4, 1)) is None  # may still start today
    got = low_efficiency(p, date(2025, 4, 2))
    assert got is not None
    assert got.kind is L.SUPPLIED_NOT_USED
    assert got.reason == "已供地，约定 2025-04-01 动工，至今未动工"
    # No agreed start: one full year after the handover.
    handed = parcel(status="已交地", actual_handover_date=date(2025, 1, 15))
    assert kind(handed, date(2026, 1, 15)) is None
    assert kind(handed, date(2026, 1, 16)) is L.SUPPLIED_NOT_USED
    # Started: not 供而未用.
    started = replace(p, actual_start_date=date(2025, 5, 1), status="已开工")
    assert kind(started, date(2025, 6, 1)) is None


def test_used_not_fully():
    p = parcel(
        status="已开工",
        actual_start_date=date(2024, 1, 1),
        agreed_completion_date=date(2025, 12, 31),
    )
    assert kind(p, date(2025, 12, 31)) is None
    assert kind(p, date(2026, 1, 1)) is L.USED_NOT_FULLY
    stopped = replace(p, stopped_since=date(2024, 9, 1))
    assert kind(stopped, date(2024, 8, 31)) is None
    got = low_efficiency(stopped, date(2024, 9, 1))
    assert got is not None
    assert got.kind is L.USED_NOT_FULLY
    assert got.reason == "已动工，2024-09-01 起中止建设"


def test_used_not_fully_by_built_far():
    base = parcel(
        status="已竣工投产",
        actual_start_date=date(2023, 1, 1),
        actual_completion_date=date(2024, 6, 30),
        far_min=1.0,
        built_floor_area_m2=19_990.0,  # on 20,000 m²: 0.9995 shows 1.00
    )
    assert built_far(base) == pytest.approx(0.9995)
    assert kind(base, date(2025, 1, 1)) is None
    low = replace(base, built_floor_area_m2=19_800.0)  # 0.99
    got = low_efficiency(low, date(2025, 1, 1))
    assert got is not None
    assert got.kind is L.USED_NOT_FULLY
    assert got.reason == (
        "建成容积率 0.99（计容建筑面积 19,800 m² ÷ 用地 20,000 m²）低于规划下限 1.00"
    )
    # Also not in production a year on: still the earlier class.
    idle_too = replace(low, status="已开工", production_start_date=None)
    assert kind(idle_too, date(2026, 1, 1)) is L.USED_NOT_FULLY


def test_built_not_producing():
    p = parcel(
        status="已开工",
        actual_start_date=date(2023, 1, 1),
        actual_completion_date=date(2024, 6, 30),
    )
    assert kind(p, date(2025, 6, 30)) is None
    got = low_efficiency(p, date(2025, 7, 1))
    assert got is not None
    assert got.kind is L.BUILT_NOT_PRODUCING
    assert got.reason == "2024-06-30 竣工，满一年未投产"
    assert kind(replace(p, production_start_date=date(2025, 7, 1)), date(2025, 7, 1)) is None
    # 已竣工投产 without a 投产日期: in production.
    assert kind(replace(p, status="已竣工投产"), date(2026, 1, 1)) is None


def test_below_commitment():
    p = parcel(
        status="已竣工投产",
        actual_start_date=date(2022, 3, 1),
        actual_completion_date=date(2023, 5, 1),
        production_start_date=date(2023, 6, 1),
        price_wan=1500.0,
        investment_made_wan=6000.0,  # + 1,500 地价 = 7,500 ÷ 30 = 250.00
        committed_intensity_wan_per_mu=250.0,
        committed_tax_per_mu_wan=20.0,
        reported=(
            YearFigures(2023, tax_wan=100.0),  # the first, partial year: not judged
            YearFigures(2024, tax_wan=600.0),  # 20.00: meets
            YearFigures(2025, tax_wan=599.0),  # 19.97: below
        ),
    )
    assert kind(p, date(2025, 12, 31)) is None  # 2025 not over yet: 2024 is judged
    got = low_efficiency(p, date(2026, 1, 1))
    assert got is not None
    assert got.kind is L.BELOW_COMMITMENT
    assert got.since == date(2026, 1, 1)
    assert got.reason == (
        "2025 年亩均税收 19.97 万元/亩（税收 599.00 万元 ÷ 30.00 亩）低于承诺 20.00 万元/亩"
    )
    short = replace(p, investment_made_wan=5999.0, reported=())
    got = low_efficiency(short, date(2024, 1, 1))
    assert got is not None
    assert got.kind is L.BELOW_COMMITMENT
    assert got.reason == (
        "投资强度 249.97 万元/亩（已完成投资 5,999.00 万元 + 地价 1,500.00 万元 ÷ 30.00 亩）"
        "低于承诺 250.00 万元/亩"
    )
    # Only the partial first year reported: nothing judged on tax.
    first = replace(p, reported=(YearFigures(2023, tax_wan=0.0),))
    assert kind(first, date(2024, 3, 1)) is None
