"""闲置土地 under 国土资源部令第53号《闲置土地处置办法》(2012) for one supplied parcel on a day.

Rules (periods counted as in :mod:`landbank.domain.land_life.facts`: the state begins the day
after the period's last day)
    未动工开发: not started one full year after the agreed start date (约定动工开发日期) →
    闲置, 土地闲置费 = 20 % of the 出让/划拨价款 (第十四条一); two full years → 应收回 (无偿收回,
    第十四条二). A start on the last day of the year is in time.
    开发不足中止: started, but the developed land under 1/3 of the area (strictly under: exactly
    1/3 is not 不足) or the investment made under 25 % of the total (both without the land
    price), and construction stopped (中止) a full year → 闲置; two full years stopped →
    应收回 (the same 第十四条 applied from the day it stopped).
    Government cause (第八条: planning changed, land not handed over as agreed …): still
    闲置, but disposed of by agreement (第十二条): no fee, not taken back.
States
    未供地 (the rules do not apply yet), 正常, 闲置, 应收回, 无法判定 (a date or figure the rule
    needs is missing: the reason names it). A parcel started late keeps 正常 with a reason
    saying it was 闲置 and the fee was due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from landbank.domain.land_life.facts import ParcelLife, fmt_date, full_from, period_end

IDLE_FEE_SHARE = 0.20  # 土地闲置费: 20 % of the land price
DEVELOPED_SHARE = 3  # 不足三分之一: developed × 3 < area
INVESTMENT_SHARE = 4  # 不足百分之二十五: made × 4 < total


class IdleState(StrEnum):
    NOT_SUPPLIED = "未供地"
    NORMAL = "正常"
    IDLE = "闲置"
    TAKE_BACK = "应收回"
    UNKNOWN = "无法判定"


class IdleRule(StrEnum):
    NOT_STARTED = "未动工开发"
    STOPPED = "开发不足中止"


@dataclass(frozen=True)
class IdleAssessment:
    state: IdleState
    reason: str
    rule: IdleRule | None = None
    idle_from: date | None = None  # first day of 闲置
    take_back_from: date | None = None  # first day it may be taken back
    fee_wan: float | None = None  # 土地闲置费 due (闲置, or a late start), when the price is known

    @property
    def is_idle(self) -> bool:
        """闲置 in the county's count: 闲置 and 应收回."""
        return self.state in (IdleState.IDLE, IdleState.TAKE_BACK)


def idle_fee(price_wan: float | None) -> float | None:
    return None if price_wan is None else price_wan * IDLE_FEE_SHARE


def _fee_text(fee: float | None) -> str:
    return "（出让价款未登记）" if fee is None else f" {fee:,.2f} 万元"


def _judged(p: ParcelLife, as_of: date, start: date, rule: IdleRule, what: str) -> IdleAssessment:
    """The one-year / two-year ladder counted from ``start`` (agreed start, or the stop)."""
    idle_from, take_back = full_from(start, 1), full_from(start, 2)
    if as_of < idle_from:
        return IdleAssessment(
            IdleState.NORMAL,
            f"{what}，{fmt_date(period_end(start, 1))}（含）前{_remedy(rule)}不构成闲置",
            rule,
            idle_from,
            take_back,
        )
    if p.government_cause:
        return IdleAssessment(
            IdleState.IDLE,
            f"{what}满一年，属政府原因（第八条）：协商处置（第十二条），不征缴闲置费、不无偿收回",
            rule,
            idle_from,
        )
    fee = idle_fee(p.price_wan)
    if as_of >= take_back:
        return IdleAssessment(
            IdleState.TAKE_BACK,
            f"{what}满两年（{fmt_date(take_back)} 起），可无偿收回国有建设用地使用权",
            rule,
            idle_from,
            take_back,
        )
    return IdleAssessment(
        IdleState.IDLE,
        f"{what}满一年（{fmt_date(idle_from)} 起），征缴土地闲置费（出让价款的 20%）"
        f"{_fee_text(fee)}；{fmt_date(period_end(start, 2))} 后仍未{_remedy(rule)}可无偿收回",
        rule,
        idle_from,
        take_back,
        fee,
    )


def _remedy(rule: IdleRule) -> str:
    return "动工" if rule is IdleRule.NOT_STARTED else "复工"


def idle_state(p: ParcelLife, as_of: date) -> IdleAssessment:
    """The 53号 state of parcel ``p`` on ``as_of`` (see the module docstring)."""
    if not p.supplied:
        return IdleAssessment(IdleState.NOT_SUPPLIED, "尚未供地，不适用闲置土地认定")
    if p.completed(as_of):
        return IdleAssessment(IdleState.NORMAL, "已竣工")
    agreed = p.agreed_start_date
    if not p.started(as_of):
        if agreed is None:
            return IdleAssessment(
                IdleState.UNKNOWN, "约定开工日期未登记，无法认定是否闲置", IdleRule.NOT_STARTED
            )
        what = f"约定 {fmt_date(agreed)} 动工，未动工开发"
        return _judged(p, as_of, agreed, IdleRule.NOT_STARTED, what)
    stopped = _stopped(p, as_of)
    if stopped is not None:
        return stopped
    late = _late_start_note(p)
    return IdleAssessment(
        IdleState.NORMAL, "已动工" + late, fee_wan=idle_fee(p.price_wan) if late else None
    )


def _late_start_note(p: ParcelLife) -> str:
    agreed, actual = p.agreed_start_date, p.actual_start_date
    if agreed is None or actual is None or actual < full_from(agreed, 1):
        return ""
    return (
        f"（{fmt_date(actual)} 动工，晚于约定 {fmt_date(agreed)} 满一年：动工前已构成闲置，"
        f"应征缴土地闲置费{_fee_text(idle_fee(p.price_wan))}）"
    )


def development_shortfall(p: ParcelLife) -> tuple[bool | None, str]:
    """Whether the developed area is under 1/3 or the investment under 25 % (None: neither
    figure known, or the known one is not short and the other unknown), and the figures as
    text."""
    parts: list[str] = []
    short: list[bool] = []
    if p.developed_area_mu is not None and p.area_mu > 0:
        short.append(p.developed_area_mu * DEVELOPED_SHARE < p.area_mu)
        parts.append(
            f"已开发 {p.developed_area_mu:,.2f} 亩，占 {p.developed_area_mu / p.area_mu:.1%}"
        )
    if p.investment_made_wan is not None and p.total_investment_wan:
        short.append(p.investment_made_wan * INVESTMENT_SHARE < p.total_investment_wan)
        parts.append(
            f"已投资 {p.investment_made_wan:,.2f} 万元，占 "
            f"{p.investment_made_wan / p.total_investment_wan:.1%}"
        )
    text = "，".join(parts)
    if any(short):
        return True, text
    if len(short) == 2:
        return False, text
    return None, text


def _stopped(p: ParcelLife, as_of: date) -> IdleAssessment | None:
    """The 开发不足中止 rule, when construction has stopped."""
    since = p.stopped_since
    if since is None or since > as_of:
        return None
    short, figures = development_shortfall(p)
    stopped = f"{fmt_date(since)} 起中止开发建设"
    if short is False:
        return IdleAssessment(
            IdleState.NORMAL,
            f"{stopped}，但{figures}，均未低于三分之一、25%，不构成闲置",
            IdleRule.STOPPED,
        )
    if short is None:
        if as_of < full_from(since, 1):
            return None
        known = f"（{figures}）" if figures else ""
        return IdleAssessment(
            IdleState.UNKNOWN,
            f"{stopped}满一年，需补充已开发面积和已完成投资{known}以认定是否闲置",
            IdleRule.STOPPED,
        )
    what = f"已动工但{figures}，{stopped}"
    return _judged(p, as_of, since, IdleRule.STOPPED, what)
