"""The 招商项目报告 (issue 5) as parts (:mod:`.html_parts`), from
:func:`landbank.services.quota.report.projects_report`: the pipeline by stage, the 三率 with
their formulas, numerators and denominators (“—” for a zero denominator), the 三率 of each
region, the parks' big-project targets and the projects past their agreed start.

Money is formatted by :func:`landbank.domain.units.format_quantity` (万元, two decimals), rates
by :func:`format_pct`, so a test can find the service's figures in the PDF's text.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from landbank.domain.enums import ProjectStage
from landbank.domain.quota.pace import format_pct
from landbank.domain.quota.progress import RegionProgress
from landbank.domain.quota.projects import (
    BIG_PROJECT_WAN,
    LARGE_PROJECT_WAN,
    ParkTargetProgress,
    ThreeRates,
)
from landbank.services.identity import BureauIdentity
from landbank.services.quota.projects import ProjectRow, ProjectsReport
from landbank.ui.reports.html_parts import (
    LIGHT_COLOURS,
    Block,
    Cell,
    Part,
    Row,
    Table,
    Wrap,
    cell,
    chinese_ordinal,
    day,
    heading,
    note,
    para,
    q,
    qu,
    row,
    signature,
    table,
    table_with_head,
    th,
    title,
)

PROJECTS_UNIT = "单位：万元、个"
MET = "✓"
NOT_MET = "✗"


def projects_title(report: ProjectsReport, place: str = "全市") -> str:
    return f"{place or '全市'} {report.year} 年度招商项目报告"


def _wan(value: float) -> str:
    return qu(value, "万元")


# ---------------------------------------------------------------- pipeline


def _pipeline(report: ProjectsReport) -> Table:
    rows = [
        row(
            [
                cell(s.stage, wrap=Wrap.NONE),
                cell(str(s.count), right=True),
                cell(q(s.total_investment_wan, "万元"), right=True),
            ]
        )
        for s in report.pipeline
    ]
    live = [s for s in report.pipeline if s.stage != ProjectStage.TERMINATED.value]
    rows.append(
        row(
            [
                cell("合计（不含终止）", bold=True),
                cell(str(sum(s.count for s in live)), right=True),
                cell(q(sum(s.total_investment_wan for s in live), "万元"), right=True),
            ],
            total=True,
        )
    )
    return table(("阶段", "项目数(个)", "总投资(万元)"), rows)


# ---------------------------------------------------------------- 三率


RATE_FORMULAS = (
    ("合同履约率", "履约项目数 / 新签合同项目数"),
    ("项目开工率", "(开工 + 竣工投产) 项目数 / 新签合同项目数"),
    ("资金到位率", "到位资金 / 合同投资总额"),
)


def rate_rows(rates: ThreeRates) -> list[tuple[str, str, str, str, str]]:
    """(指标, 公式, 分子, 分母, 比率) of the 三率, as printed."""
    contracts = f"{rates.contracts} 个"
    values = (
        (f"{len(rates.performing_ids)} 个", contracts, format_pct(rates.performance_pct)),
        (f"{len(rates.started_ids)} 个", contracts, format_pct(rates.start_pct)),
        (
            _wan(rates.funds_in_place_wan),
            _wan(rates.contract_investment_wan),
            format_pct(rates.funds_pct),
        ),
    )
    return [
        (name, formula, *figures)
        for (name, formula), figures in zip(RATE_FORMULAS, values, strict=True)
    ]


def _rates(report: ProjectsReport) -> Table:
    rows = [
        row(
            [
                cell(name, wrap=Wrap.NONE),
                cell(formula, wrap=Wrap.TEXT),
                cell(top, right=True),
                cell(bottom, right=True),
                cell(value, right=True, bold=True),
            ]
        )
        for name, formula, top, bottom, value in rate_rows(report.total.rates)
    ]
    return table(("指标", "计算公式", "分子", "分母", "比率"), rows)


def _rates_note(report: ProjectsReport) -> Block:
    r = report.total.rates
    return note(
        f"新签合同项目：{report.year} 年内签约、阶段为签约及以后（含终止）的项目。履约项目：未终止，"
        f"且已开工（开工、竣工投产或有实际开工日期）或约定开工日期未到。其中已开工 "
        f"{len(r.started_ids)} 个，逾期未开工 {len(r.overdue_ids)} 个，终止 "
        f"{len(r.terminated_ids)} 个。资金到位率按有合同投资额的项目计算（到位资金为累计数，"
        f"其中本年到位 {_wan(r.funds_in_place_year_wan)}）。分母为零时比率记为“—”。"
    )


_REGION_RATE_HEADERS = (
    "县区",
    "新签合同(个)",
    "履约(个)",
    "履约率",
    "开工(个)",
    "开工率",
    "合同投资(万元)",
    "到位资金(万元)",
    "资金到位率",
)


def region_rate_cells(progress: RegionProgress) -> list[str]:
    """The texts of a region's row of the 三率 table, as printed."""
    r = progress.rates
    return [
        progress.name,
        str(r.contracts),
        str(len(r.performing_ids)),
        format_pct(r.performance_pct),
        str(len(r.started_ids)),
        format_pct(r.start_pct),
        q(r.contract_investment_wan, "万元"),
        q(r.funds_in_place_wan, "万元"),
        format_pct(r.funds_pct),
    ]


def _region_rates(report: ProjectsReport) -> Table:
    def line(progress: RegionProgress, total: bool = False) -> Row:
        texts = region_rate_cells(progress)
        return row(
            [cell(texts[0], bold=total)] + [cell(t, right=True) for t in texts[1:]], total=total
        )

    rows = [line(p) for p in report.regions]
    rows.append(line(report.total, total=True))
    return table(_REGION_RATE_HEADERS, rows)


# ---------------------------------------------------------------- park targets


def _mark(met: bool) -> Cell:
    bg, fg = LIGHT_COLOURS["green" if met else "red"]
    return cell(MET if met else NOT_MET, center=True, bg=bg, fg=fg)


def park_cells(park: ParkTargetProgress, region: str) -> list[str]:
    """The texts of a park's row (without the ✓/✗ marks), as printed."""
    return [
        park.name,
        region,
        str(park.target_500m),
        str(len(park.signed_500m_ids)),
        str(len(park.landed_500m_ids)),
        str(park.target_100m),
        str(len(park.signed_100m_ids)),
        str(len(park.landed_100m_ids)),
    ]


def _parks(report: ProjectsReport) -> Table:
    names = {p.region_id: p.name for p in report.regions if p.region_id is not None}
    head = [
        row(
            [
                th("园区", rowspan=2),
                th("县区", rowspan=2),
                th("≥5亿元项目（个）", colspan=3),
                th("≥1亿元项目（个）", colspan=3),
                th("达标", colspan=2),
            ]
        ),
        row([th(t) for t in ("目标", "签约", "落地", "目标", "签约", "落地", "签约", "落地")]),
    ]
    rows = []
    for park in report.parks:
        texts = park_cells(park, names.get(park.region_id, ""))
        rows.append(
            row(
                [cell(texts[0]), cell(texts[1])]
                + [cell(t, right=True) for t in texts[2:]]
                + [_mark(park.signed_met), _mark(park.landed_met)]
            )
        )
    return table_with_head(head, rows)


def _parks_note(report: ProjectsReport) -> Block:
    signed = sum(1 for p in report.parks if p.signed_met)
    landed = sum(1 for p in report.parks if p.landed_met)
    return note(
        f"共 {len(report.parks)} 个园区，签约达标 {signed} 个，落地达标 {landed} 个。"
        f"≥5亿元：总投资 ≥ {_wan(BIG_PROJECT_WAN)}；≥1亿元：总投资 ≥ {_wan(LARGE_PROJECT_WAN)}"
        f"（含 ≥5亿元项目）。签约：{report.year} 年签约且未终止；落地：{report.year} 年实际"
        f"开工（开工或竣工投产）。目标未设定时按每年 ≥5亿元 1 个、≥1亿元 3 个。"
        f"{MET} 达标，{NOT_MET} 未达标。"
    )


# ---------------------------------------------------------------- overdue projects


def _leader(p: ProjectRow) -> str:
    parts = [t for t in (p.responsible_unit, p.responsible_leader) if t]
    return " / ".join(parts) or "—"


def _overdue(rows: Sequence[ProjectRow]) -> Table:
    lines = []
    for i, p in enumerate(rows, 1):
        notes = [p.investor] if p.investor else []
        if p.problems:
            notes.append(f"问题：{p.problems}")
        invest = q(p.total_investment_wan, "万元") if p.total_investment_wan is not None else "—"
        lines.append(
            row(
                [
                    cell(str(i), right=True),
                    cell(p.name, bold=True, notes=notes),
                    cell(p.region),
                    cell(p.stage, wrap=Wrap.NONE),
                    cell(invest, right=True),
                    cell(day(p.agreed_start_date), wrap=Wrap.NONE),
                    cell(str(p.days_overdue), right=True),
                    cell(_leader(p)),
                ]
            )
        )
    return table(_OVERDUE_HEADERS, lines)


_OVERDUE_HEADERS = (
    "序号",
    "项目名称",
    "县区",
    "阶段",
    "总投资(万元)",
    "约定开工",
    "逾期(天)",
    "责任单位 / 责任领导",
)


# ---------------------------------------------------------------- the report


def projects_parts(report: ProjectsReport, *, place: str, identity: BureauIdentity,
                   printed: date) -> list[Part]:  # fmt: skip
    """The 招商项目报告; ``place`` (the city or the region) heads the title."""
    parts: list[Part] = [
        title(
            projects_title(report, place),
            report.as_of,
            "项目储备、三率、园区重大项目目标和逾期未开工项目",
            identity=identity,
            printed=printed,
            place=place,
            unit=PROJECTS_UNIT,
        )
    ]

    sections = 0

    def add(text: str, *body: Part | None) -> None:
        nonlocal sections
        sections += 1
        parts.append(heading(f"{chinese_ordinal(sections)}、{text}"))
        parts.extend(b for b in body if b is not None)

    add(
        "项目储备（按阶段）",
        _pipeline(report),
        note("全部在库项目按当前阶段统计，不限年度。"),
    )
    add(
        f"三率（{report.year} 年新签合同项目 {report.total.rates.contracts} 个）",
        _rates(report),
        _rates_note(report),
    )
    if report.region_id is None:
        add("各县区三率", _region_rates(report))
    add(
        "园区重大项目目标",
        _parks(report) if report.parks else para("无园区。"),
        _parks_note(report) if report.parks else None,
    )
    add(
        f"逾期未开工项目（{len(report.overdue)} 个）",
        _overdue(report.overdue) if report.overdue else para("无。"),
        note("约定开工日期已过、尚未开工且未终止的项目，按逾期天数排列。")
        if report.overdue
        else None,
    )
    parts.append(signature(identity, printed))
    return parts
