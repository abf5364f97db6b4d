"""The 闲置与低效用地 section of ``landbank quota`` (issue 16 item 5): per county the parcels and
hectares of 闲置 land and of each 低效 class on the quota's ``--as-of`` day, and the 增存挂钩
effect on next year's new construction-land plan — as a text table (:func:`land_life_text`)
and as JSON (:func:`land_life_json`, the key ``land_life`` of ``quota --json``).

JSON keys (docs/standards.md): per county ``region_id``, ``county``; ``idle_count``,
``idle_hectares``, ``idle_ids`` (闲置, 应收回 included); ``take_back_count`` /
``take_back_hectares`` / ``take_back_ids`` (of which 应收回); ``idle_unknown_count`` (无法判定);
``idle_fees_wan`` (土地闲置费 due); ``low_efficiency``: one object per class keyed by its name
(批而未供, 供而未用, 用而未尽, 建而未投, 投而未达标) with ``count``, ``hectares``, ``ids``;
``lapsed_count`` / ``lapsed_ids`` (approvals lapsed); ``plan_effect``: ``cleared`` (bool),
``change_pct`` (+10 or −20), ``factor`` (1.1 or 0.8), ``not_cleared`` (the names left:
批而未供, 闲置), ``reason``. Hectares are rounded to 4 places (1 m²).

The land-life services are imported by the functions that use them, when a command runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from landbank.domain.land_life.county import Tally
    from landbank.services.land_life.status import CountyLandLife, LandLifeReport

IDLE_LABEL = "闲置"


def _tally(prefix: str, tally: Tally, *, ids: bool = True) -> dict[str, Any]:
    out: dict[str, Any] = {
        f"{prefix}_count": tally.count,
        f"{prefix}_hectares": round(tally.hectares, 4),
    }
    if ids:
        out[f"{prefix}_ids"] = list(tally.ids)
    return out


def not_cleared(county: CountyLandLife) -> list[str]:
    """Which of 批而未供 and 闲置 are left on the day (empty: both cleared)."""
    from landbank.domain.land_life.low_efficiency import LowEfficiency

    summary = county.summary
    pairs = [(LowEfficiency.APPROVED_NOT_SUPPLIED.value, summary.approved_not_supplied)]
    pairs.append((IDLE_LABEL, summary.idle))
    return [label for label, tally in pairs if not tally.cleared]


def county_json(county: CountyLandLife) -> dict[str, Any]:
    summary = county.summary
    effect = county.effect
    return {
        "region_id": county.region_id,
        "county": summary.county,
        **_tally("idle", summary.idle),
        **_tally("take_back", summary.take_back),
        **_tally("idle_unknown", summary.idle_unknown, ids=False),
        "idle_fees_wan": round(summary.fees_wan, 2),
        "low_efficiency": {
            kind.value: {
                "count": tally.count,
                "hectares": round(tally.hectares, 4),
                "ids": list(tally.ids),
            }
            for kind, tally in summary.low.items()
        },
        **_tally("lapsed", summary.lapsed, ids=True),
        "plan_effect": {
            "cleared": effect.cleared,
            "change_pct": round((effect.factor - 1.0) * 100),
            "factor": round(effect.factor, 2),
            "not_cleared": not_cleared(county),
            "reason": effect.reason,
        },
    }


def land_life_json(report: LandLifeReport) -> dict[str, Any]:
    return {
        "as_of": report.as_of.isoformat(),
        "parcels_judged": report.judged,
        "counties": [county_json(c) for c in report.counties],
    }


def _cell(tally: Tally) -> str:
    return "—" if tally.count == 0 else f"{tally.count} 宗 {tally.hectares:,.2f} 公顷"


def land_life_text(report: LandLifeReport) -> str:
    """The section: a table of the counties, then each county's 增存挂钩 reason."""
    from landbank.cli.quota_text import table
    from landbank.domain.land_life.low_efficiency import LowEfficiency

    classes = tuple(LowEfficiency)
    headers = ("县区", "闲置土地", *(k.value for k in classes), "明年新增建设用地计划")
    rows = []
    for county in report.counties:
        summary = county.summary
        cells = [summary.county, _cell(summary.idle)]
        cells += [_cell(summary.low[k]) for k in classes]
        left = "、".join(not_cleared(county))
        cells.append(county.effect.change_text + (f"（{left}未清零）" if left else "（均已清零）"))
        rows.append(cells)
    right = (False, *(True,) * (1 + len(classes)), False)
    lines = [
        f"闲置与低效用地（截至 {report.as_of.isoformat()}，宗数与公顷，1 公顷 = 15 亩）",
        "",
        table(headers, rows, right) if rows else "（账中没有县区）",
        "",
        "增存挂钩：批而未供与闲置土地均清零的，下一年度新增建设用地计划 +10%；任一未清零的 −20%。",
    ]
    lines += [f"  {c.effect.reason}" for c in report.counties if not c.effect.cleared]
    return "\n".join(lines)
