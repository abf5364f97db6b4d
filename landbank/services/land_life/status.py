"""What the after-supply rules say, read from the ledger (issue 16 items 4–5): one parcel's
53号 state and 低效 class with their reasons (the record dialog's 土地利用状况, ``landbank
show``), and every county's tallies with the 增存挂钩 effect (the dashboard and the report of
part 5). The rules are the domain's (:mod:`landbank.domain.land_life`); this module only reads
the facts (:mod:`.facts`) and words the result.

``county_land_life`` reads one select of the needed columns (filtered in SQL to the parcels the
rules can judge) and the yearly figures of the supplied ones: 300,000 parcels (212,506 of
them judgeable) take 3.6 s on SQLite (``tests/services/land_life/test_status.py`` times 30,006). Each figure keeps the ids
of its parcels (:attr:`~landbank.domain.land_life.county.Tally.ids`), so a figure opens its
records through ``RecordFilter(ids=…)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.land_life.county import (
    CountySummary,
    PlanEffect,
    county_summaries,
    plan_effect,
)
from landbank.domain.land_life.facts import ParcelLife
from landbank.domain.land_life.idle import IdleAssessment, IdleRule, IdleState, idle_state
from landbank.domain.land_life.low_efficiency import (
    LowEfficiencyAssessment,
    approval_lapse_date,
    approval_lapsed,
    low_efficiency,
)
from landbank.services.land_life.facts import load_lives
from landbank.store.models import Region


class ParcelNotFound(LookupError):
    pass


@dataclass(frozen=True)
class ParcelLifeStatus:
    """One parcel on a day: its 53号 state, its 低效 class (None: not 低效), what the services
    noted about the figures, and the years it reported."""

    parcel: ParcelLife
    as_of: date
    idle: IdleAssessment
    low: LowEfficiencyAssessment | None
    lapsed: bool = False
    notes: tuple[str, ...] = ()

    @property
    def idle_text(self) -> str:
        """As the panel shows it: "闲置（自 2025-03-02；土地闲置费 20 % 即 60.00 万元）"."""
        return idle_text(self.idle)

    @property
    def low_text(self) -> str:
        if self.low is None:
            return "否"
        return f"{self.low.kind.value}（自 {self.low.since.isoformat()}）"

    def lines(self) -> list[str]:
        """The text of ``landbank show`` (and the JSON's ``lines``)."""
        out = [f"闲置土地认定（国土资源部令第53号）：{self.idle_text}", f"  {self.idle.reason}"]
        out.append(f"低效用地：{self.low_text}")
        if self.low is not None:
            out.append(f"  {self.low.reason}")
        if self.lapsed and self.parcel.approval_date is not None:
            lapse = approval_lapse_date(self.parcel.approval_date).isoformat()
            out.append(f"  批准文件自 {lapse} 起失效（满两年未实施）")
        out += [f"说明：{note}" for note in self.notes]
        return out

    def as_json(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "idle": {
                "state": self.idle.state.value,
                "text": self.idle_text,
                "reason": self.idle.reason,
                "rule": self.idle.rule.value if self.idle.rule else None,
                "idle_from": _iso(self.idle.idle_from),
                "take_back_from": _iso(self.idle.take_back_from),
                "fee_wan": self.idle.fee_wan,
            },
            "low_efficiency": None
            if self.low is None
            else {
                "class": self.low.kind.value,
                "since": self.low.since.isoformat(),
                "reason": self.low.reason,
            },
            "approval_lapsed": self.lapsed,
            "notes": list(self.notes),
            "years": [
                {"year": y.year, "tax_wan": y.tax_wan, "output_wan": y.output_wan}
                for y in self.parcel.reported
            ],
        }


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def idle_text(idle: IdleAssessment) -> str:
    """The state in one line, with its day and the fee (the reason says the rest)."""
    state = idle.state
    if state is IdleState.TAKE_BACK:
        rule = "满两年未动工" if idle.rule is IdleRule.NOT_STARTED else "中止开发满两年"
        since = f"，自 {idle.take_back_from.isoformat()}" if idle.take_back_from else ""
        return f"应收回（{rule}{since}）"
    if state is IdleState.IDLE:
        parts = [f"自 {idle.idle_from.isoformat()}"] if idle.idle_from else []
        if idle.fee_wan is not None:
            parts.append(f"土地闲置费 20 % 即 {idle.fee_wan:,.2f} 万元")
        elif "政府原因" in idle.reason:
            parts.append("政府原因，协商处置")
        else:
            parts.append("出让价款未登记，闲置费待定")
        return f"闲置（{'；'.join(parts)}）"
    return state.value


def parcel_life_status(session: Session, parcel_id: int, as_of: date) -> ParcelLifeStatus:
    """The after-supply state of one parcel on ``as_of``. Raises :class:`ParcelNotFound`."""
    loaded = load_lives(session, as_of, parcel_ids=[parcel_id])
    if not loaded.parcels:
        raise ParcelNotFound(f"地块（编号 {parcel_id}）不存在")
    parcel = loaded.parcels[0]
    return ParcelLifeStatus(
        parcel,
        as_of,
        idle_state(parcel, as_of),
        low_efficiency(parcel, as_of),
        approval_lapsed(parcel, as_of),
        tuple(loaded.notes.get(parcel_id, ())),
    )


@dataclass(frozen=True)
class CountyLandLife:
    """One county on the day: its tallies (each with the ids of its parcels) and the 增存挂钩
    effect on next year's plan."""

    region_id: int
    summary: CountySummary
    effect: PlanEffect


@dataclass(frozen=True)
class LandLifeReport:
    as_of: date
    counties: list[CountyLandLife] = field(default_factory=list)
    judged: int = 0  # parcels the rules looked at

    def by_name(self) -> dict[str, CountyLandLife]:
        return {c.summary.county: c for c in self.counties}


def county_land_life(
    session: Session,
    as_of: date,
    region_ids: Sequence[int] | None = None,
    *,
    plan_base_ha: dict[int, float] | None = None,
) -> LandLifeReport:
    """Every county's (or those of ``region_ids``) tallies on ``as_of``, in the order of their
    names; a county with nothing to count is listed too (cleared). ``plan_base_ha`` gives a
    county's next-year plan in 公顷 when known (the effect then says the adjusted figure)."""
    loaded = load_lives(session, as_of, region_ids=region_ids)
    summaries = county_summaries(loaded.parcels, as_of)
    stmt = select(col(Region.id), col(Region.name)).order_by(col(Region.name))
    if region_ids is not None:
        stmt = stmt.where(col(Region.id).in_(list(region_ids)))
    counties = []
    for region_id, name in session.execute(stmt):
        summary = summaries.get(name) or CountySummary(name)
        base = (plan_base_ha or {}).get(region_id)
        counties.append(CountyLandLife(region_id, summary, plan_effect(summary, base)))
    return LandLifeReport(as_of, counties, len(loaded.parcels))


def report_json(report: LandLifeReport) -> dict[str, Any]:
    """The counties' figures for ``--json`` and the dashboard: counts, hectares and ids."""

    def tally(t: Any) -> dict[str, Any]:
        return {"count": t.count, "hectares": round(t.hectares, 4), "ids": list(t.ids)}

    return {
        "as_of": report.as_of.isoformat(),
        "judged": report.judged,
        "counties": [
            {
                "region_id": c.region_id,
                "county": c.summary.county,
                "idle": tally(c.summary.idle),
                "take_back": tally(c.summary.take_back),
                "idle_unknown": tally(c.summary.idle_unknown),
                "fees_wan": round(c.summary.fees_wan, 2),
                "low_efficiency": {k.value: tally(t) for k, t in c.summary.low.items()},
                "lapsed": tally(c.summary.lapsed),
                "plan_change": c.effect.change_text,
                "plan_reason": c.effect.reason,
            }
            for c in report.counties
        ],
    }
