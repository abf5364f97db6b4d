"""The demo city's 标准地 indicator table: a few rows as counties publish them (a county-wide
row, stricter rows for a park's leading industry; districts stricter than counties), so that
matching on a new demo ledger rejects a site for an indicator and the 承诺书 has figures."""

from __future__ import annotations

from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.demo.writer import SOURCE, DemoWriter
from landbank.services.standards.saving import StandardInput, create_standard

I = Indicator  # noqa: E741 - the rows below read as a table
# (county, park or None, industry or None, {indicator: threshold})
ROWS: tuple[tuple[str, str | None, str | None, dict[Indicator, Threshold]], ...] = (
    ("辉县市", None, None, {I.INVESTMENT_INTENSITY: Threshold(200), I.TAX_PER_MU: Threshold(12)}),
    (
        "辉县市", "辉县市产业集聚区", "装备制造",
        {I.INVESTMENT_INTENSITY: Threshold(300), I.FLOOR_AREA_RATIO: Threshold(1.0, 2.5)},
    ),
    ("获嘉县", None, None, {I.INVESTMENT_INTENSITY: Threshold(180), I.TAX_PER_MU: Threshold(10)}),
    (
        "原阳县", "原阳县食品产业园", "食品加工",
        {I.INVESTMENT_INTENSITY: Threshold(150), I.OUTPUT_PER_MU: Threshold(300)},
    ),
    (
        "红旗区", None, None,
        {
            I.INVESTMENT_INTENSITY: Threshold(350), I.TAX_PER_MU: Threshold(25),
            I.OUTPUT_PER_MU: Threshold(500),
        },
    ),
    (
        "红旗区", "红旗区经济技术开发区", "生物医药",
        {I.INVESTMENT_INTENSITY: Threshold(400), I.VALUE_ADDED_PER_ENERGY: Threshold(2)},
    ),
    ("牧野区", None, None, {I.INVESTMENT_INTENSITY: Threshold(300), I.TAX_PER_MU: Threshold(20)}),
)  # fmt: skip


class StandardMaker(DemoWriter):
    def standards(self) -> int:
        """The table's rows (audited like a clerk's, source 演示数据); how many."""
        for county, park, industry, values in ROWS:
            given = StandardInput(
                self.region_ids[county],
                self.park_ids[park] if park else None,
                industry,
                values,
            )
            create_standard(self.session, given, user=self.user, source=SOURCE)
        return len(ROWS)
