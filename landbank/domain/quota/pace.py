"""The calendar's pace of a year and the status it gives an indicator (DOMAIN.md, 篇3 四(三)).

Pace
    Linear by day of the year: on day d of a year of n days, d/n of the target is expected
    (31 Dec: 100 %). A past year expects 100 %, a future year 0 %. Nothing is judged during
    the first :data:`GRACE_DAYS` days of the year (status 未到考核时点).
Status of one indicator
    done ≥ target → 已完成; done ≥ 90 % of what the pace expects → 正常; ≥ 70 % → 滞后;
    below → 严重滞后. Once the year is over, a target not reached is at best 滞后 (never
    正常). A target of 0 → 无指标. A region's status is the worst of its indicators.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from landbank.domain.quota.facts import days_in_year

GRACE_DAYS = 31  # no pace status during January: nothing is due yet
ON_TRACK_RATIO = 0.9  # done ≥ 90 % of the expected pace: 正常
BEHIND_RATIO = 0.7  # ≥ 70 %: 滞后; below: 严重滞后
_EPSILON = 1e-9


class PaceStatus(StrEnum):
    DONE = "已完成"
    ON_TRACK = "正常"
    BEHIND = "滞后"
    FAR_BEHIND = "严重滞后"
    NOT_DUE = "未到考核时点"
    NO_TARGET = "无指标"

    @property
    def light(self) -> str | None:
        """Traffic light for reports: green / amber / red, ``None`` when there is nothing to
        judge."""
        return _LIGHTS.get(self)

    @property
    def severity(self) -> int:
        """Higher is worse; a region's status is its indicators' worst."""
        return _STATUS_SEVERITY[self]


_LIGHTS = {
    PaceStatus.DONE: "green",
    PaceStatus.ON_TRACK: "green",
    PaceStatus.BEHIND: "amber",
    PaceStatus.FAR_BEHIND: "red",
}
_STATUS_SEVERITY = {
    PaceStatus.NO_TARGET: 0,
    PaceStatus.DONE: 1,
    PaceStatus.NOT_DUE: 2,
    PaceStatus.ON_TRACK: 3,
    PaceStatus.BEHIND: 4,
    PaceStatus.FAR_BEHIND: 5,
}


@dataclass(frozen=True)
class Pace:
    """How much of a year's target the calendar expects by ``as_of``."""

    year: int
    as_of: date
    fraction: float  # 0 … 1
    due: bool  # past the grace days: progress can be judged
    closed: bool  # the year is over

    @property
    def percent(self) -> float:
        return self.fraction * 100

    def month_end_fraction(self, month: int) -> float:
        """The share expected by the end of ``month`` (the pace line of a monthly chart)."""
        return month_end_fraction(self.year, month)

    def describe(self) -> str:
        if self.closed:
            return f"{self.year} 年度已结束，应完成全年目标"
        if self.as_of.year < self.year:
            return f"{self.year} 年度尚未开始"
        return f"截至 {self.as_of.isoformat()}，时序进度 {format_pct(self.percent)}"


def month_end_fraction(year: int, month: int) -> float:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last.timetuple().tm_yday / days_in_year(year)


def pace_for(year: int, as_of: date, *, grace_days: int = GRACE_DAYS) -> Pace:
    if as_of.year > year:
        return Pace(year, as_of, 1.0, due=True, closed=True)
    if as_of.year < year:
        return Pace(year, as_of, 0.0, due=False, closed=False)
    day = as_of.timetuple().tm_yday
    return Pace(year, as_of, day / days_in_year(year), due=day > grace_days, closed=False)


def pace_status(done: float, target: float, pace: Pace) -> PaceStatus:
    if target <= 0:
        return PaceStatus.NO_TARGET
    if done >= target - _EPSILON:
        return PaceStatus.DONE
    if not pace.due:
        return PaceStatus.NOT_DUE
    ratio = done / (target * pace.fraction)
    if ratio >= ON_TRACK_RATIO - _EPSILON and not pace.closed:
        return PaceStatus.ON_TRACK
    if ratio >= BEHIND_RATIO - _EPSILON:
        return PaceStatus.BEHIND
    return PaceStatus.FAR_BEHIND


def format_pct(value: float | None, decimals: int = 1) -> str:
    """87.5 → "87.5%"; no rate (zero denominator) → "—"."""
    if value is None:
        return "—"
    return f"{value:.{decimals}f}%"
