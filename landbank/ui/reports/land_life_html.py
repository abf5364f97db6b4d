"""The 闲置与低效用地 section of the 年度指标进度通报 (issue 16 item 5): per county the parcels
and hectares of 闲置 land and of each 低效 class on the report's day, and the 增存挂钩 effect
on next year's new construction-land plan (+10 % green, −20 % red naming what is not cleared).

Pure parts (:mod:`.html_parts`) from :class:`~landbank.services.land_life.status.LandLifeReport`;
the same table as the dashboard's panel and ``landbank quota``.
"""

from __future__ import annotations

from landbank.domain.land_life.county import Tally
from landbank.domain.land_life.low_efficiency import LowEfficiency
from landbank.services.land_life.status import CountyLandLife, LandLifeReport
from landbank.ui.reports.html_parts import LIGHT_COLOURS, Part, Row, cell, heading, note, row, table

CLASSES = tuple(LowEfficiency)
HEADERS = ("县区", "闲置土地", *(k.value for k in CLASSES), "明年新增建设用地计划")


def _figure(tally: Tally) -> str:
    if tally.count == 0:
        return "—"
    return f"{tally.count} 宗 {tally.hectares:,.2f} 公顷"


def _left(county: CountyLandLife) -> list[str]:
    summary = county.summary
    pairs = ((LowEfficiency.APPROVED_NOT_SUPPLIED.value, summary.approved_not_supplied),
             ("闲置", summary.idle))  # fmt: skip
    return [label for label, tally in pairs if not tally.cleared]


def _row(county: CountyLandLife) -> Row:
    summary = county.summary
    cells = [cell(summary.county), cell(_figure(summary.idle), right=True)]
    cells += [cell(_figure(summary.low[k]), right=True) for k in CLASSES]
    left = _left(county)
    bg, fg = LIGHT_COLOURS["green" if county.effect.cleared else "red"]
    why = f"（{'、'.join(left)}未清零）" if left else "（均已清零）"
    cells.append(cell(county.effect.change_text + why, bg=bg, fg=fg))
    return row(cells)


def land_life_parts(report: LandLifeReport) -> list[Part]:
    """A heading, the table of the counties, its notes and the reasons of the cuts."""
    parts: list[Part] = [
        heading(f"闲置与低效用地（截至 {report.as_of.isoformat()}）"),
        table(HEADERS, [_row(c) for c in report.counties]),
        note(
            "单位：宗、公顷（1 公顷 = 15 亩）。闲置土地按国土资源部令第53号认定（含应收回）；"
            "低效用地每宗按其所处最早阶段计一类。增存挂钩：批而未供与闲置土地均清零的，"
            "下一年度新增建设用地计划 +10%；任一未清零的 −20%。"
        ),
    ]
    cuts = [c.effect.reason for c in report.counties if not c.effect.cleared]
    if cuts:
        parts.append(note("；".join(cuts) + "。"))
    return parts
