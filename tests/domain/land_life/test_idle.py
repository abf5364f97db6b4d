"""国土资源部令第53号 on its boundary days: the day before, the day and the day after each
period's end, 29 February, the 开发不足中止 rule at exactly 1/3 and 25 %, government cause."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landbank.domain.land_life.facts import ParcelLife, full_from, period_end
from landbank.domain.land_life.idle import IdleRule, IdleState, idle_state

DAY = timedelta(days=1)


def parcel(**kw: Any) -> ParcelLife:
    values: dict[str, Any] = {
        "id": 1,
        "code": "CG-001",
        "county": "城关县",
        "area_mu": 30.0,
        "status": "已交地",
        "price_wan": 900.0,
        "agreed_start_date": date(2024, 3, 1),
    }
    values.update(kw)
    return ParcelLife(**values)


def test_periods_and_29_february():
    assert period_end(date(2024, 3, 1), 1) == date(2025, 3, 1)
    assert full_from(date(2024, 3, 1), 1) == date(2025, 3, 2)
    assert period_end(date(2024, 2, 29), 1) == date(2025, 2, 28)
    assert full_from(date(2024, 2, 29), 1) == date(2025, 3, 1)
    assert full_from(date(2024, 2, 29), 4) == date(2028, 3, 1)  # 2028-02-29 exists
    assert full_from(date(2023, 12, 31), 1) == date(2025, 1, 1)


def test_not_started_one_year_boundary():
    p = parcel()
    last = date(2025, 3, 1)  # the year's last day: a start today is in time
    before, on, after = (idle_state(p, d) for d in (last - DAY, last, last + DAY))
    assert before.state is on.state is IdleState.NORMAL
    assert on.reason == "约定 2024-03-01 动工，未动工开发，2025-03-01（含）前动工不构成闲置"
    assert after.state is IdleState.IDLE
    assert after.rule is IdleRule.NOT_STARTED
    assert after.idle_from == date(2025, 3, 2)
    assert after.fee_wan == pytest.approx(180.0)
    assert after.reason == (
        "约定 2024-03-01 动工，未动工开发满一年（2025-03-02 起），征缴土地闲置费（出让价款的 20%）"
        " 180.00 万元；2026-03-01 后仍未动工可无偿收回"
    )
    # Started on the last day: never idle.
    started = replace(p, actual_start_date=last, status="已开工")
    assert idle_state(started, last + DAY * 400).state is IdleState.NORMAL


def test_not_started_two_years_boundary():
    p = parcel()
    last = date(2026, 3, 1)
    assert idle_state(p, last - DAY).state is IdleState.IDLE
    assert idle_state(p, last).state is IdleState.IDLE
    after = idle_state(p, last + DAY)
    assert after.state is IdleState.TAKE_BACK
    assert after.take_back_from == date(2026, 3, 2)
    assert after.fee_wan is None
    assert after.reason == (
        "约定 2024-03-01 动工，未动工开发满两年（2026-03-02 起），可无偿收回国有建设用地使用权"
    )


def test_29_february_agreed_start():
    p = parcel(agreed_start_date=date(2024, 2, 29))
    assert idle_state(p, date(2025, 2, 28)).state is IdleState.NORMAL
    assert idle_state(p, date(2025, 3, 1)).state is IdleState.IDLE
    assert idle_state(p, date(2026, 2, 28)).state is IdleState.IDLE
    assert idle_state(p, date(2026, 3, 1)).state is IdleState.TAKE_BACK


def test_not_supplied_unknown_completed_and_price_missing():
    assert idle_state(parcel(status="已挂牌"), date(2030, 1, 1)).state is IdleState.NOT_SUPPLIED
    unknown = idle_state(parcel(agreed_start_date=None), date(2030, 1, 1))
    assert unknown.state is IdleState.UNKNOWN
    assert unknown.reason == "约定开工日期未登记，无法认定是否闲置"
    done = parcel(actual_start_date=date(2024, 3, 1), actual_completion_date=date(2025, 1, 1))
    assert idle_state(done, date(2030, 1, 1)).state is IdleState.NORMAL
    no_price = idle_state(parcel(price_wan=None), date(2025, 6, 1))
    assert no_price.state is IdleState.IDLE
    assert no_price.fee_wan is None
    assert "（出让价款未登记）" in no_price.reason
    # A start recorded for a later day has not happened yet.
    future = parcel(actual_start_date=date(2025, 6, 1))
    assert idle_state(future, date(2025, 5, 1)).state is IdleState.IDLE
    assert idle_state(future, date(2025, 6, 1)).state is IdleState.NORMAL


def test_late_start_keeps_the_fee():
    late = parcel(actual_start_date=date(2025, 3, 2), status="已开工")
    got = idle_state(late, date(2025, 6, 1))
    assert got.state is IdleState.NORMAL
    assert got.fee_wan == pytest.approx(180.0)
    assert "晚于约定 2024-03-01 满一年" in got.reason
    in_time = idle_state(replace(late, actual_start_date=date(2025, 3, 1)), date(2025, 6, 1))
    assert in_time.reason == "已动工"
    assert in_time.fee_wan is None


def test_government_cause_no_fee_no_take_back():
    got = idle_state(parcel(government_cause=True), date(2027, 1, 1))
    assert got.state is IdleState.IDLE
    assert got.fee_wan is None
    assert got.take_back_from is None
    assert "第八条" in got.reason


def stopped(**kw: Any) -> ParcelLife:
    values: dict[str, Any] = {
        "status": "已开工",
        "actual_start_date": date(2024, 2, 1),
        "stopped_since": date(2024, 6, 1),
        "developed_area_mu": 5.0,  # 1/6 of 30 亩
        "investment_made_wan": 1000.0,
        "total_investment_wan": 3000.0,
    }
    values.update(kw)
    return parcel(**values)


def test_stopped_underdeveloped_boundaries():
    p = stopped()
    last = date(2025, 6, 1)
    assert idle_state(p, last).state is IdleState.NORMAL
    idle = idle_state(p, last + DAY)
    assert idle.state is IdleState.IDLE
    assert idle.rule is IdleRule.STOPPED
    assert idle.idle_from == date(2025, 6, 2)
    assert idle.reason.startswith(
        "已动工但已开发 5.00 亩，占 16.7%，已投资 1,000.00 万元，占 33.3%，2024-06-01 起中止开发建设满一年"
    )
    assert idle_state(p, date(2026, 6, 1)).state is IdleState.IDLE
    assert idle_state(p, date(2026, 6, 2)).state is IdleState.TAKE_BACK
    # Not yet stopped on the day: normal.
    assert idle_state(p, date(2024, 5, 31)).reason == "已动工"


def test_stopped_shares_at_exactly_one_third_and_25_percent():
    day = date(2026, 1, 1)
    # Exactly 1/3 developed and exactly 25 % invested: not 不足.
    even = stopped(developed_area_mu=10.0, investment_made_wan=750.0)
    got = idle_state(even, day)
    assert got.state is IdleState.NORMAL
    assert "不构成闲置" in got.reason
    assert idle_state(stopped(developed_area_mu=9.99, investment_made_wan=750.0), day).state is (
        IdleState.IDLE
    )
    assert idle_state(stopped(developed_area_mu=10.0, investment_made_wan=749.99), day).state is (
        IdleState.IDLE
    )
    # One figure short is enough, even when the other is unknown.
    assert idle_state(stopped(investment_made_wan=None), day).state is IdleState.IDLE
    # Neither known: cannot tell after a year; before a year nothing to say.
    blind = stopped(developed_area_mu=None, investment_made_wan=None)
    assert idle_state(blind, day).state is IdleState.UNKNOWN
    assert idle_state(blind, date(2025, 6, 1)).state is IdleState.NORMAL


@given(
    agreed=st.dates(date(2000, 1, 1), date(2040, 12, 31)),
    offset=st.integers(-800, 800),
)
def test_state_follows_the_calendar(agreed: date, offset: int):
    day = agreed + timedelta(days=offset)
    state = idle_state(parcel(agreed_start_date=agreed), day).state
    one, two = full_from(agreed, 1), full_from(agreed, 2)
    expected = (
        IdleState.NORMAL if day < one else IdleState.IDLE if day < two else IdleState.TAKE_BACK
    )
    assert state is expected
    assert 365 <= (one - agreed).days - 1 <= 366
