"""The dates and counts a clerk may sensibly ask for: what a command's day (``--today``,
``--as-of``) and a deadline (a reservation's ``--until``) may be, and the bounds of counts
(how many rows, how many entries).

A day outside the horizon is a typing slip (“9999-12-31”, “0001-01-01”), never a plan: the
ledgers begin with the land reserves of the 1990s, and nothing is planned or locked more than
:data:`HORIZON_YEARS` years ahead (a reservation is weeks to months). Keeping days inside it
also keeps every computed day (a pace, an alert a year after a start) inside what ``date``
can hold.
"""

from __future__ import annotations

from datetime import date

EARLIEST_DAY = date(1990, 1, 1)
HORIZON_YEARS = 30

MAX_ROWS = 1_000_000  # a listing's --limit: more than any ledger holds, less than SQL's INTEGER
MAX_ENTRIES = 1_000_000  # a record's history shown


class OutOfHorizon(ValueError):
    """A day outside the sensible horizon; ``str()`` is the Chinese reason."""


def latest_day(today: date) -> date:
    """The last day a plan or a lock may name: :data:`HORIZON_YEARS` years after ``today``
    (29 February becomes 28 February when that year has none)."""
    year = today.year + HORIZON_YEARS
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


def check_day(day: date, today: date, what: str = "日期") -> date:
    """``day`` when it lies between :data:`EARLIEST_DAY` and :func:`latest_day`; raises
    :class:`OutOfHorizon` naming ``what`` and the range otherwise."""
    last = latest_day(today)
    if not EARLIEST_DAY <= day <= last:
        raise OutOfHorizon(
            f"{what}“{day.isoformat()}”超出合理范围（应在 {EARLIEST_DAY.isoformat()} 至 "
            f"{last.isoformat()} 之间）"
        )
    return day


def check_deadline(day: date, today: date, what: str = "截止日期") -> date:
    """A deadline (a reservation's end): not before ``today``, not past :func:`latest_day`."""
    last = latest_day(today)
    if day < today:
        raise OutOfHorizon(f"{what} {day.isoformat()} 早于今天 {today.isoformat()}")
    if day > last:
        raise OutOfHorizon(
            f"{what}“{day.isoformat()}”太远：最晚为 {last.isoformat()}（{HORIZON_YEARS} 年内）"
        )
    return day
