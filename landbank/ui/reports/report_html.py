"""The printed 年度指标 reports (issue 5) as parts (:mod:`.html_parts`): pure functions from
the report dataclasses of :mod:`landbank.services.quota.region_detail` to titles, paragraphs and
tables, for the internal audience of the bureau.

No Qt here: :mod:`landbank.ui.reports.report_pdf` lays the parts out on A4 pages and paints
the footer (page n of N); a chart is an ``<img>`` whose ``src`` names an image the PDF writer
adds to the document as a resource.

Every quantity is formatted by :func:`landbank.domain.units.format_quantity` (亩 and 万元 two
decimals, m² whole), rates by :func:`format_pct`, so a test can compare the PDF's text with
the service's figures.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

from landbank.domain.quota.city_report import CityQuotaReport
from landbank.domain.quota.pace import PaceStatus, format_pct
from landbank.domain.quota.progress import IndicatorProgress, MonthlyPoint, RegionProgress
from landbank.services.identity import BureauIdentity
from landbank.services.land_life.status import LandLifeReport
from landbank.services.quota.region_detail import FactoryRow, ParcelRow, RegionDetail
from landbank.ui.reports.html_parts import (
    LIGHT_COLOURS,
    Block,
    Cell,
    Part,
    Row,
    Wrap,
    cell,
    day,
    heading,
    note,
    para,
    q,
    qu,
    row,
    signature,
    status_cell,
    table,
    title,
)

CHART_WIDTH_PX = 660  # the chart's width on the page, in CSS pixels (1/96 inch): ≈ 175 mm
CHART_HEIGHT_PX = 330


# ---------------------------------------------------------------- 年度指标进度通报


def quota_title(report: CityQuotaReport, place: str = "全市") -> str:
    return f"{place or '全市'} {report.year} 年度收储工业用地和标准厂房建设指标进度通报"


QUOTA_HEADERS = (
    "县区",
    "收储目标(亩)",
    "已收储(亩)",
    "完成率",
    "厂房目标(m²)",
    "已建成(m²)",
    "完成率",
    "进度",
    "排名",
)


def _rate_cell(item: IndicatorProgress) -> Cell:
    return status_cell(item.status, format_pct(item.percent), right=True)


def quota_row(progress: RegionProgress, *, total: bool = False) -> Row:
    """One region's row (or the total row) of the progress table."""
    rank = "" if progress.rank is None or total else str(progress.rank)
    cells = [
        cell(progress.name, bold=total),
        cell(q(progress.land.target, "亩"), right=True),
        cell(q(progress.land.done, "亩"), right=True),
        _rate_cell(progress.land),
        cell(q(progress.factory.target, "m²"), right=True),
        cell(q(progress.factory.done, "m²"), right=True),
        _rate_cell(progress.factory),
        status_cell(progress.status),
        cell(rank, right=True),
    ]
    return row(cells, total=total)


def quota_parts(report: CityQuotaReport, *, place: str, identity: BureauIdentity,
                printed: date, chart_src: str | None = None,
                land_life: LandLifeReport | None = None) -> list[Part]:  # fmt: skip
    """The 年度指标进度通报: pace, every region's progress with its light and rank, the total,
    the chart (when ``chart_src`` names one), the notes, the alerts' count and the 落款."""
    parts: list[Part] = [
        title(
            quota_title(report, place),
            report.as_of,
            report.pace.describe(),
            identity=identity,
            printed=printed,
            place=place,
        ),
        table(
            QUOTA_HEADERS,
            [quota_row(p) for p in report.regions] + [quota_row(report.total, total=True)],
        ),
        note(
            "进度：完成进度达到应完成的 90% 为正常（绿），70% 以上为滞后（黄），以下为严重滞后"
            "（红）；县区进度取两项中较差者。排名按收储与厂房完成率（各以 100% 封顶）的平均值。"
        ),
    ]
    if chart_src:
        parts.append(
            Block(
                f'<p align="center"><img src="{escape(chart_src)}" width="{CHART_WIDTH_PX}" '
                f'height="{CHART_HEIGHT_PX}"></p>'
            )
        )
    red = [p.name for p in report.regions if p.status is PaceStatus.FAR_BEHIND]
    if red:
        parts.append(para(f"严重滞后的县区：{'、'.join(red)}。"))
    parts.append(para(_alerts_line(report)))
    if land_life is not None:  # 闲置与低效用地 (issue 16 item 5)
        from landbank.ui.reports.land_life_html import land_life_parts

        parts += land_life_parts(land_life)
    parts.append(signature(identity, printed))
    return parts


def _alerts_line(report: CityQuotaReport) -> str:
    if not report.alerts:
        return "预警：无。"
    return f"预警：共 {len(report.alerts)} 条（详见各县区进度明细）。"


# ---------------------------------------------------------------- one region


def region_place(detail: RegionDetail, city: str = "") -> str:
    """The region, after its city when the ledger knows it: “新乡市辉县市”."""
    name = detail.progress.name
    return city + name if city and not name.startswith(city) else name


def region_title(detail: RegionDetail, city: str = "") -> str:
    """“新乡市辉县市 2026 年度…进度明细”."""
    return f"{region_place(detail, city)} {detail.year} 年度收储工业用地和标准厂房建设指标进度明细"


MONTH_HEADERS = (
    "月份",
    "当月收储(亩)",
    "累计收储(亩)",
    "应完成(亩)",
    "当月建成(m²)",
    "累计建成(m²)",
    "应完成(m²)",
)


def _month_row(m: MonthlyPoint, as_of: date, year: int) -> Row:
    future = (year == as_of.year and m.month > as_of.month) or year > as_of.year
    judged = not future and m.month > 1  # January is not judged (the pace's grace days)
    cum_land = "" if future else q(m.land_cumulative_mu, "亩")
    cum_factory = "" if future else q(m.factory_cumulative_m2, "m²")
    land_bg = (
        LIGHT_COLOURS["red"][0]
        if judged and m.land_cumulative_mu + 1e-9 < m.land_expected_mu * 0.7
        else None
    )
    factory_bg = (
        LIGHT_COLOURS["red"][0]
        if judged and m.factory_cumulative_m2 + 1e-9 < m.factory_expected_m2 * 0.7
        else None
    )
    cells = [
        cell(f"{m.month}月", wrap=Wrap.NONE),
        cell("" if future else q(m.land_mu, "亩"), right=True),
        cell(cum_land, right=True, bg=land_bg),
        cell(q(m.land_expected_mu, "亩"), right=True),
        cell("" if future else q(m.factory_m2, "m²"), right=True),
        cell(cum_factory, right=True, bg=factory_bg),
        cell(q(m.factory_expected_m2, "m²"), right=True),
    ]
    return row(cells)


def _indicator_line(name: str, unit: str, item: IndicatorProgress) -> str:
    if item.target <= 0:
        return f"{name}：无指标，已完成 {qu(item.done, unit)}。"
    return (
        f"{name}：目标 {qu(item.target, unit)}，已完成 {qu(item.done, unit)}"
        f"（完成率 {format_pct(item.percent)}），应完成 {qu(item.expected, unit)}，"
        f"尚差 {qu(item.remaining, unit)}，{item.status.value}。"
    )


def _parcel_rows(rows: Sequence[ParcelRow]) -> list[Row]:
    return [
        row(
            [
                cell(r.code, wrap=Wrap.NONE),
                cell(r.name or ""),
                cell(r.park),
                cell(qu(r.area_mu, "亩"), right=True),
                cell(r.readiness, wrap=Wrap.NONE),
                cell(day(r.reserve_date), wrap=Wrap.NONE),
            ]
        )
        for r in rows
    ]


def _factory_rows(rows: Sequence[FactoryRow]) -> list[Row]:
    return [
        row(
            [
                cell(r.code, wrap=Wrap.NONE),
                cell(r.name),
                cell(r.park),
                cell(qu(r.floor_area_m2, "m²"), right=True),
                cell(r.status, wrap=Wrap.NONE),
                cell(day(r.completion_date), wrap=Wrap.NONE),
            ]
        )
        for r in rows
    ]


_PARCEL_HEADERS = ("编号", "名称", "园区", "面积", "整理状态", "收储日期")
_FACTORY_HEADERS = ("编号", "名称", "园区", "建筑面积", "状态", "竣工日期")


def region_parts(detail: RegionDetail, *, identity: BureauIdentity, printed: date) -> list[Part]:
    """One region's year: progress, month by month (cumulative against the pace), the parcels
    and factories counted, what remains (gap and candidates, stock) and the 落款."""
    p = detail.progress
    rank = (
        f"第 {p.rank} 名（共 {detail.ranked_regions} 个县区）"
        if p.rank is not None
        else "不参加排名"
    )
    parts: list[Part] = [
        title(
            region_title(detail, identity.city),
            detail.as_of,
            detail.pace.describe(),
            identity=identity,
            printed=printed,
            place=region_place(detail, identity.city),
        ),
        para(f"排名：{rank}；综合进度：{p.status.value}；指标来源：{p.targets.source.value}。"),
        para(_indicator_line("收储土地", "亩", p.land)),
        para(_indicator_line("标准厂房", "m²", p.factory)),
        heading("一、逐月进度（累计与时序应完成）"),
        table(MONTH_HEADERS, [_month_row(m, detail.as_of, detail.year) for m in p.monthly]),
        note(
            "应完成：按日历线性分解的全年目标（至月末）。累计不足应完成 70% 的月份标红"
            "（1 月份不作评价）。"
        ),
        heading(f"二、计入本年度的收储地块（{len(detail.parcels)} 宗，{qu(p.land.done, '亩')}）"),
        table(_PARCEL_HEADERS, _parcel_rows(detail.parcels)) if detail.parcels else para("无。"),
        heading(
            f"三、计入本年度的标准厂房（{len(detail.factories)} 栋，{qu(p.factory.done, 'm²')}）"
        ),
        table(_FACTORY_HEADERS, _factory_rows(detail.factories))
        if detail.factories
        else para("无。"),
        heading("四、剩余任务"),
        para(
            f"收储尚差 {qu(p.land.remaining, '亩')}；拟收储地块 {len(detail.candidate_parcels)} 宗 "
            f"{qu(detail.candidate_land_mu, '亩')}可计入。标准厂房尚差 "
            f"{qu(p.factory.remaining, 'm²')}；在建厂房 {len(detail.candidate_factories)} 栋 "
            f"{qu(detail.candidate_factory_m2, 'm²')}可计入。"
        ),
    ]
    if detail.candidate_parcels:
        parts.append(para("可计入的拟收储地块："))
        parts.append(table(_PARCEL_HEADERS, _parcel_rows(detail.candidate_parcels)))
    if detail.candidate_factories:
        parts.append(para("可计入的在建厂房："))
        parts.append(table(_FACTORY_HEADERS, _factory_rows(detail.candidate_factories)))
    parts.append(
        para(
            f"待招商：净地 {len(detail.stock.parcels)} 宗 {qu(detail.stock.land_mu, '亩')}，"
            f"闲置厂房 {len(detail.stock.factories)} 栋 {qu(detail.stock.idle_m2, 'm²')}。"
            f"预警 {len(detail.alerts)} 条。"
        )
    )
    parts.append(signature(identity, printed))
    return parts
