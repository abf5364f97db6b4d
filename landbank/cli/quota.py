"""``landbank quota`` and ``landbank quota-defaults``: the year's quota figures from the shell.

``quota --year Y`` prints every region — targets, done, completion rate, pace status, rank,
三率 and alerts — and the city's total, park targets and alerts by kind; ``--region R`` prints
one region month by month with what remains. ``--json`` gives the same figures with the unit
in every key (``land_done_mu``, ``factory_target_m2``, ``funds_in_place_wan``); a rate without
a denominator is ``null`` (shown “—” in text).

``quota-defaults`` shows the default targets per kind of region (the city's own where set,
else the policy's) and sets them with ``--county-land`` … ``--district-factory`` (units may be
written: “1500亩”, “100公顷”, “12万平方米”), or ``--reset`` back to the policy.

Exit codes: 0 done; 2 bad input (unknown region, bad number or date) with a Chinese message.

``landbank.cli`` imports this module to add the commands: the quota rules and services and
SQLAlchemy are imported by the functions that use them, when a command runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

from landbank.cli.common import DB_HELP, CliError, open_engine, print_json, region_id_by_name
from landbank.cli.quota_json import city_json, region_json
from landbank.domain.enums import RegionKind

if TYPE_CHECKING:
    from landbank.domain.quota.alerts import Alert
    from landbank.domain.quota.city_report import CityQuotaReport
    from landbank.domain.quota.progress import IndicatorProgress, MonthlyPoint, RegionProgress
    from landbank.domain.quota.projects import ParkTargetProgress, ThreeRates
    from landbank.domain.units import Quantity
    from landbank.services.quota.defaults import QuotaDefaultInfo
    from landbank.services.quota.report import RegionDetail


def _year(text: str) -> int:
    if not text.strip().isdigit() or not 2000 <= int(text) <= 2100:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年度（2000–2100）")
    return int(text)


def _day(text: str) -> date:
    from landbank.domain.validation import FieldError, parse_date

    try:
        return parse_date(text)
    except FieldError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_quota_parsers(subparsers: Any) -> None:
    """Add ``quota`` and ``quota-defaults`` to the ``landbank`` command's subparsers."""
    p = subparsers.add_parser(
        "quota",
        help="年度指标进度（收储、标准厂房、三率、预警）",
        description=(
            "年度指标进度：各县区收储土地(亩)和标准厂房(m²)的目标、完成、完成率、时序进度状态和排名，"
            "以及三率、园区招商目标和预警。--region 显示一个县区的逐月进度和剩余任务。"
            "时序进度按日历线性计算；完成进度达到应完成的 90% 为“正常”，70% 以上为“滞后”，"
            "以下为“严重滞后”；1 月份不作评价。"
        ),
    )
    p.add_argument("--db", metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP)
    p.add_argument("--year", type=_year, required=True, metavar="年度", help="指标年度")
    p.add_argument("--region", metavar="县区", help="只显示该县区的详细进度")
    p.add_argument("--as-of", type=_day, metavar="日期", help="按哪一天评价进度和预警（默认今天）")
    p.add_argument("--json", action="store_true", help="输出 JSON（键名带单位）")

    p = subparsers.add_parser(
        "quota-defaults",
        help="查看或设置各类县区的默认年度指标",
        description=(
            "查看或设置本市各类县区的默认年度指标（某县区某年没有单独设定年度指标时使用）。"
            "不带选项时显示当前默认值；政策默认：县(市) 收储 2000 亩、标准厂房 120000 m²，"
            "区 1200 亩、60000 m²。数值可带单位，如 1500亩、100公顷、12万平方米。"
        ),
    )
    p.add_argument("--db", metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP)
    p.add_argument("--county-land", metavar="亩", help="县(市)收储目标（亩）")
    p.add_argument("--county-factory", metavar="m²", help="县(市)标准厂房目标（m²）")
    p.add_argument("--district-land", metavar="亩", help="区收储目标（亩）")
    p.add_argument("--district-factory", metavar="m²", help="区标准厂房目标（m²）")
    p.add_argument(
        "--reset",
        choices=("county", "district", "all"),
        help="恢复政策默认值：county 县(市)、district 区、all 全部",
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")


def run_quota(args: argparse.Namespace) -> int:
    """Run ``quota`` or ``quota-defaults`` (whichever ``args.command`` names)."""
    if args.command == "quota-defaults":
        return _run_defaults(args)
    from sqlmodel import Session

    from landbank.services.quota.report import city_report, region_detail

    as_of = args.as_of or date.today()
    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            region_id = region_id_by_name(session, args.region)
            report = city_report(session, args.year, as_of=as_of)
            if region_id is None:
                if args.json:
                    print_json(city_json(report))
                else:
                    print(city_text(report))
                return 0
            detail = region_detail(session, args.year, region_id, as_of=as_of, report=report)
            if args.json:
                print_json(region_json(detail, report))
            else:
                print(region_text(detail, report))
    finally:
        engine.dispose()
    return 0


# ---------------------------------------------------------------- text


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
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


def _n(value: float, decimals: int = 2) -> str:
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
        _n(progress.land.target),
        _n(progress.land.done),
        format_pct(progress.land.percent),
        _status(progress.land),
        _n(progress.factory.target, 0),
        _n(progress.factory.done, 0),
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
        _table(_REGION_HEADERS, rows, _REGION_RIGHT),
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
        f"（到位 {_n(rates.funds_in_place_wan)} / 合同 {_n(rates.contract_investment_wan)} 万元）"
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
    lines.append(_table(headers, rows, (False, True, True, True, True, False, False)))
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
        return f"{name}：无指标，已完成 {_n(item.done, decimals)} {unit}"
    return (
        f"{name}：目标 {_n(item.target, decimals)} {unit}，已完成 {_n(item.done, decimals)} {unit}"
        f"（{format_pct(item.percent)}），应完成 {_n(item.expected, decimals)} {unit}，"
        f"尚差 {_n(item.remaining, decimals)} {unit} — {item.status.value}"
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
        _table(
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
        f"计入本年度：地块 {len(detail.parcels)} 个 {_n(p.land.done)} 亩，"
        f"厂房 {len(detail.factories)} 栋 {_n(p.factory.done, 0)} m²（--json 列出明细）",
        f"尚可计入：拟收储地块 {len(detail.candidate_parcels)} 个 "
        f"{_n(detail.candidate_land_mu)} 亩，在建厂房 {len(detail.candidate_factories)} 栋 "
        f"{_n(detail.candidate_factory_m2, 0)} m²",
        f"待招商：净地 {len(detail.stock.parcels)} 宗 {_n(detail.stock.land_mu)} 亩，"
        f"闲置厂房 {len(detail.stock.factories)} 栋 {_n(detail.stock.idle_m2, 0)} m²",
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
        _n(m.land_mu),
        _n(m.land_cumulative_mu),
        _n(m.land_expected_mu),
        _n(m.factory_m2, 0),
        _n(m.factory_cumulative_m2, 0),
        _n(m.factory_expected_m2, 0),
    ]


# ---------------------------------------------------------------- defaults


_KINDS = {"county": RegionKind.COUNTY, "district": RegionKind.DISTRICT}


def _amount(text: str | None, quantity: Quantity, option: str) -> float | None:
    if text is None:
        return None
    from landbank.domain.units import UnitError, parse_number

    try:
        value = parse_number(text, quantity)
    except UnitError as exc:
        raise CliError(f"{option}：{exc}") from None
    if value is None or value < 0:
        raise CliError(f"{option}：应为不小于 0 的数（{quantity.value}）")
    return value


def _run_defaults(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.domain.units import Quantity
    from landbank.services.quota.defaults import (
        QuotaInputError,
        quota_defaults,
        reset_quota_default,
        set_quota_default,
    )
    from landbank.settings import Settings

    changes = {
        RegionKind.COUNTY: (
            _amount(args.county_land, Quantity.LAND, "--county-land"),
            _amount(args.county_factory, Quantity.FLOOR, "--county-factory"),
        ),
        RegionKind.DISTRICT: (
            _amount(args.district_land, Quantity.LAND, "--district-land"),
            _amount(args.district_factory, Quantity.FLOOR, "--district-factory"),
        ),
    }
    setting = any(v is not None for pair in changes.values() for v in pair)
    if setting and args.reset:
        raise CliError("--reset 不能与设定数值的选项同时使用")
    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            try:
                if args.reset:
                    kinds = list(_KINDS.values()) if args.reset == "all" else [_KINDS[args.reset]]
                    for kind in kinds:
                        reset_quota_default(session, kind)
                user = Settings.load().effective_user
                for kind, (land, floor) in changes.items():
                    if land is not None or floor is not None:
                        set_quota_default(
                            session, kind, land_target_mu=land, factory_target_m2=floor, user=user
                        )
            except QuotaInputError as exc:
                raise CliError(str(exc)) from None
            session.commit()
            infos = quota_defaults(session)
    finally:
        engine.dispose()
    if args.json:
        print_json([_default_json(i) for i in infos])
        return 0
    rows = [
        [
            i.kind.label,
            _n(i.land_target_mu),
            _n(i.factory_target_m2, 0),
            "本市设定" if i.city else "政策默认",
            i.updated_by or "",
            i.updated_at.astimezone().strftime("%Y-%m-%d %H:%M") if i.updated_at else "",
        ]
        for i in infos
    ]
    headers = ("县区类型", "收储目标(亩)", "标准厂房目标(m²)", "来源", "修改人", "修改时间")
    if setting or args.reset:
        print("已更新默认年度指标。")
    print(_table(headers, rows, (False, True, True, False, False, False)))
    print("某县区某年单独设定的年度指标优先于以上默认值。")
    return 0


def _default_json(info: QuotaDefaultInfo) -> dict[str, Any]:
    return {
        "region_kind": info.kind.value,
        "land_target_mu": info.land_target_mu,
        "factory_target_m2": info.factory_target_m2,
        "source": "city" if info.city else "policy",
        "updated_by": info.updated_by,
        "updated_at": info.updated_at.isoformat() if info.updated_at else None,
    }
