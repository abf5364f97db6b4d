"""The text ``landbank quota`` prints: every region of the year in a table — targets, done,
completion rate, pace status, rank, 三率 and alerts — with the city's total, park targets and
alerts by kind (:func:`city_text`); one region month by month with what remains
(:func:`region_text`). A rate without a denominator shows “—”.

The quota rules are imported by the functions that use them, when a command runs.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from landbank.domain.quota.alerts import Alert
    from landbank.domain.quota.city_report import CityQuotaReport
    from landbank.domain.quota.progress import IndicatorProgress, MonthlyPoint, RegionProgress
    from landbank.domain.quota.projects import ParkTargetProgress, ThreeRates
    from landbank.services.quota.region_detail import RegionDetail


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    """Rows under their headers in columns as wide as their widest cell (a CJK character counts
    two), the columns marked in ``right`` aligned right."""
    from landbank.services.records.listing import display_width, pad

    widths = [
        max([display_width(h)] + [display_width(r[i]) for r in rows]) for i, h in enumerate(headers)
    ]
    lines = ["  ".join(pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    for row in rows:
        cells = (pad(c, w, right=r) for c, w, r in zip(row, widths, right, strict=True))
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def num(value: float, decimals: int = 2) -> str:
    """1234.5 → "1,234.5" (at most ``decimals`` places, trailing zeros dropped); 0 → "0"."""
    from landbank.domain.units import format_number

    return format_number(value, decimals) or "0"


def _status(indicator: IndicatorProgress) -> str:
    return indicator.status.value


_REGION_HEADERS = (
    "排名",
    "县区",
    "收储目标(亩)",
    "已收储(亩)",
    "完成率",
    "进度",
    "厂房目标(m²)",
    "已竣工(m²)",
    "完成率",
    "进度",
    "综合",
    "履约率",
    "开工率",
    "资金到位率",
    "预警(条)",
)
_REGION_RIGHT = (True, False, True, True, True, False, True, True, True, False, False) + (True,) * 4


def _region_cells(progress: RegionProgress, alerts: int) -> list[str]:
    from landbank.domain.quota.pace import format_pct

    rank = "" if progress.rank is None else str(progress.rank)
    rates = progress.rates
    return [
        rank,
        progress.name,
        num(progress.land.target),
        num(progress.land.done),
        format_pct(progress.land.percent),
        _status(progress.land),
        num(progress.factory.target, 0),
        num(progress.factory.done, 0),
        format_pct(progress.factory.percent),
        _status(progress.factory),
        progress.status.value,
        format_pct(rates.performance_pct),
        format_pct(rates.start_pct),
        format_pct(rates.funds_pct),
        str(alerts),
    ]


def city_text(report: CityQuotaReport) -> str:
    from landbank.domain.quota.region_targets import TargetSource

    per_region: dict[int, int] = {}
    for alert in report.alerts:
        per_region[alert.region_id] = per_region.get(alert.region_id, 0) + 1
    rows = [_region_cells(p, per_region.get(p.region_id or -1, 0)) for p in report.regions]
    total = _region_cells(report.total, len(report.alerts))
    total[0] = ""
    rows.append(total)
    lines = [
        f"{report.year} 年度指标进度（{report.pace.describe()}）",
        "",
        table(_REGION_HEADERS, rows, _REGION_RIGHT),
        "",
        "进度：完成进度 ≥ 应完成的 90% 为正常，≥ 70% 为滞后，其余为严重滞后；"
        "排名按收储与厂房完成率（各以 100% 封顶）的平均值。",
    ]
    defaults = [p.name for p in report.regions if p.targets.source is not TargetSource.EXPLICIT]
    if defaults:
        lines.append(f"未单独设定 {report.year} 年指标、按默认指标计算：{'、'.join(defaults)}")
    lines += ["", _rates_text(report.year, report.total.rates)]
    lines += _parks_text(report.parks)
    lines += ["", _alerts_summary(report.alerts)]
    return "\n".join(lines)


def _rates_text(year: int, rates: ThreeRates) -> str:
    from landbank.domain.quota.pace import format_pct

    n = rates.contracts
    return (
        f"三率（{year} 年新签合同项目 {n} 个）：合同履约率 {format_pct(rates.performance_pct)}"
        f"（{len(rates.performing_ids)}/{n}），项目开工率 {format_pct(rates.start_pct)}"
        f"（{len(rates.started_ids)}/{n}），资金到位率 {format_pct(rates.funds_pct)}"
        f"（到位 {num(rates.funds_in_place_wan)} / 合同 {num(rates.contract_investment_wan)} 万元）"
    )


def _parks_text(parks: Sequence[ParkTargetProgress]) -> list[str]:
    from landbank.domain.quota.projects import DEFAULT_PARK_TARGET_100M, DEFAULT_PARK_TARGET_500M

    if not parks:
        return []
    signed = sum(1 for p in parks if p.signed_met)
    landed = sum(1 for p in parks if p.landed_met)
    lines = [
        f"园区招商目标（默认每个园区 ≥5亿元项目 {DEFAULT_PARK_TARGET_500M} 个、"
        f"≥1亿元项目 {DEFAULT_PARK_TARGET_100M} 个，≥1亿含≥5亿）："
        f"{len(parks)} 个园区，签约达标 {signed} 个，落地达标 {landed} 个"
    ]
    rows = [
        [
            p.name,
            f"{len(p.signed_500m_ids)}/{p.target_500m}",
            f"{len(p.signed_100m_ids)}/{p.target_100m}",
            f"{len(p.landed_500m_ids)}/{p.target_500m}",
            f"{len(p.landed_100m_ids)}/{p.target_100m}",
            "是" if p.signed_met else "否",
            "是" if p.landed_met else "否",
        ]
        for p in parks
    ]
    headers = ("园区", "签约≥5亿", "签约≥1亿", "落地≥5亿", "落地≥1亿", "签约达标", "落地达标")
    lines.append(table(headers, rows, (False, True, True, True, True, False, False)))
    return lines


def _alerts_summary(alerts: Sequence[Alert]) -> str:
    from landbank.domain.quota.alerts import AlertSeverity, count_alerts

    if not alerts:
        return "预警：无"
    severities = "，".join(
        f"{s.value} {n}" for s in AlertSeverity if (n := sum(1 for a in alerts if a.severity is s))
    )
    kinds = "、".join(f"{k.value} {n}" for k, n in count_alerts(alerts).items() if n)
    return f"预警 {len(alerts)} 条：{severities}（{kinds}）"


def _indicator_line(name: str, unit: str, item: IndicatorProgress, decimals: int) -> str:
    from landbank.domain.quota.pace import format_pct

    if item.target <= 0:
        return f"{name}：无指标，已完成 {num(item.done, decimals)} {unit}"
    return (
        f"{name}：目标 {num(item.target, decimals)} {unit}，已完成 {num(item.done, decimals)} {unit}"
        f"（{format_pct(item.percent)}），应完成 {num(item.expected, decimals)} {unit}，"
        f"尚差 {num(item.remaining, decimals)} {unit} — {item.status.value}"
    )


def region_text(detail: RegionDetail, report: CityQuotaReport) -> str:
    p = detail.progress
    rank = f"第 {p.rank} 名 / {detail.ranked_regions}" if p.rank is not None else "不参加排名"
    lines = [
        f"{p.name} {detail.year} 年度指标进度（{detail.pace.describe()}）：{rank}，"
        f"综合 {p.status.value}（指标来源：{p.targets.source.value}）",
        _indicator_line("收储土地", "亩", p.land, 2),
        _indicator_line("标准厂房", "m²", p.factory, 0),
        "",
        table(
            (
                "月份",
                "当月收储(亩)",
                "累计收储(亩)",
                "应完成(亩)",
                "当月竣工(m²)",
                "累计竣工(m²)",
                "应完成(m²)",
            ),
            [_month_cells(m) for m in p.monthly],
            (False, *(True,) * 6),
        ),
        "",
        f"计入本年度：地块 {len(detail.parcels)} 个 {num(p.land.done)} 亩，"
        f"厂房 {len(detail.factories)} 栋 {num(p.factory.done, 0)} m²（--json 列出明细）",
        f"尚可计入：拟收储地块 {len(detail.candidate_parcels)} 个 "
        f"{num(detail.candidate_land_mu)} 亩，在建厂房 {len(detail.candidate_factories)} 栋 "
        f"{num(detail.candidate_factory_m2, 0)} m²",
        f"待招商：净地 {len(detail.stock.parcels)} 宗 {num(detail.stock.land_mu)} 亩，"
        f"闲置厂房 {len(detail.stock.factories)} 栋 {num(detail.stock.idle_m2, 0)} m²",
        "",
        _rates_text(detail.year, p.rates),
        "项目：" + "，".join(f"{s.stage} {s.count}" for s in detail.pipeline),
    ]
    lines += _parks_text(detail.parks)
    lines += ["", _alerts_summary(detail.alerts)]
    lines += [f"  [{a.severity.value}] {a.message}" for a in detail.alerts]
    return "\n".join(lines)


def _month_cells(m: MonthlyPoint) -> list[str]:
    return [
        f"{m.month}月",
        num(m.land_mu),
        num(m.land_cumulative_mu),
        num(m.land_expected_mu),
        num(m.factory_m2, 0),
        num(m.factory_cumulative_m2, 0),
        num(m.factory_expected_m2, 0),
    ]
