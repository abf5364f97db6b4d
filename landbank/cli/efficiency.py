"""``landbank efficiency``: the 亩均效益评价 of landed firms (issue 16 item 6).

- ``efficiency --year Y [--county 县区] [--json]``: each county's firms of the year — 地块,
  受让单位, 亩, each indicator of the county's scheme, score, rank and class A/B/C/D/T — with the
  scheme and its base values (the previous year's county average × the multiple, or fixed).
- ``efficiency scheme [--county 县区] [--preset 黄岩|淮安] [--weight 亩均税收=45 …]
  [--multiple 2] [--base 亩均税收=20 …] [--json]``: without ``--preset``, the scheme the county
  (or, without ``--county``, the city's default) is rated by; with it, set that scheme (a weight
  of 0 drops an indicator; the weights must sum to 100).

Exit codes: 0 done; 2 bad input (an unknown county, preset or indicator, weights not summing
to 100 …) with a Chinese message naming it, nothing written. The services are imported when a
command runs.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from landbank.cli.common import (
    CliError,
    county_by_name,
    db_argument,
    open_engine,
    print_json,
    year_argument,
)

if TYPE_CHECKING:
    from landbank.domain.land_life.efficiency import Measure
    from landbank.services.efficiency.rating import CountyEvaluation
    from landbank.services.efficiency.scheme import CountyScheme


def add_efficiency_parsers(subparsers: Any, db_help: str) -> None:
    p = subparsers.add_parser(
        "efficiency",
        help="亩均效益评价（供地后企业按县区打分、分 A/B/C/D/T 类）",
        description="按县区的评价方法（黄岩、淮安 2024 两种预设，可调权重）对供地后报送年度经营数据的"
        "企业打分：得分 = Σ(指标值 ÷ 基准值) × 权重，基准值为该县区上一年度平均值 × 倍数；"
        "县内排名前 20% 为 A 类，60% 以内 B 类，95% 以内 C 类，其余 D 类；投产不满两年为 T 类，不参评。",
    )
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=db_help
    )
    p.add_argument("--year", type=year_argument, metavar="年度", help="评价哪一年度的经营数据")
    p.add_argument("--county", "--region", dest="county", metavar="县区", help="只评价该县区")
    p.add_argument("--json", action="store_true", help="输出 JSON")
    commands = p.add_subparsers(dest="efficiency_command", title="子命令")
    c = commands.add_parser(
        "scheme", help="查看或设置县区的评价方法", description="查看或设置县区（不带 --county：全市默认）的评价方法"
    )
    c.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=db_help
    )
    c.add_argument("--county", "--region", dest="county", metavar="县区", help="县区（默认：全市默认）")
    c.add_argument("--preset", metavar="方法", help="黄岩 或 淮安（淮安 2024）；给出时设置评价方法")
    c.add_argument("--weight", action="append", default=[], metavar="指标=权重",
                   help="改变一个指标的权重，如 亩均税收=45（0 去掉该指标；权重合计须为 100）")  # fmt: skip
    c.add_argument("--multiple", metavar="倍数", help="基准值 = 上年县均值 × 倍数（默认取预设）")
    c.add_argument("--base", action="append", default=[], metavar="指标=基准值",
                   help="固定某指标的基准值（单位同指标，如 亩均税收=20 即 20 万元/亩）")  # fmt: skip
    c.add_argument("--json", action="store_true", help="输出 JSON")


def _number(text: str, what: str) -> float:
    import math
    import unicodedata

    try:
        value = float(unicodedata.normalize("NFKC", text).strip())
    except ValueError:
        raise CliError(f"{what}“{text}”不是数字") from None
    if not math.isfinite(value):
        raise CliError(f"{what}“{text}”不是有限的数")
    return value


def _pairs(items: list[str], what: str) -> dict[Measure, float]:
    from landbank.services.efficiency.scheme import SchemeInvalid, measure_of

    found: dict[Measure, float] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep:
            raise CliError(f"{what}“{item}”应写成 指标=数值，如 亩均税收=45")
        try:
            found[measure_of(name)] = _number(value.strip(), f"{name.strip()}的{what}")
        except SchemeInvalid as exc:
            raise CliError(str(exc)) from None
    return found


def run_efficiency(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.services.records.saving import RecordError

    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            region = None if args.county is None else county_by_name(session, args.county)
            if args.efficiency_command == "scheme":
                try:
                    return _scheme(session, args, region)
                except RecordError as exc:
                    session.rollback()
                    raise CliError(str(exc)) from None
            return _list(session, args, region)
    finally:
        engine.dispose()


def _scheme(session: Any, args: argparse.Namespace, region: tuple[int, str] | None) -> int:
    from landbank.services.efficiency.scheme import scheme_for, set_scheme
    from landbank.services.server.identity import audit_user

    region_id = None if region is None else region[0]
    if args.preset is None:
        if args.weight or args.base or args.multiple:
            raise CliError("改变权重、倍数或基准值时须同时给出 --preset（黄岩 或 淮安）")
        shown = scheme_for(session, region_id)
    else:
        multiple = None if args.multiple is None else _number(args.multiple, "倍数")
        shown = set_scheme(
            session, region_id, args.preset, user=audit_user(session),
            weights=_pairs(args.weight, "权重"), base_multiple=multiple,
            fixed_bases=_pairs(args.base, "基准值"), source="命令行",
        )  # fmt: skip
        session.commit()
    if args.json:
        print_json(scheme_json(shown))
    else:
        print(("已设置 " if args.preset else "") + shown.describe())
    return 0


def scheme_json(scheme: CountyScheme) -> dict[str, Any]:
    return {
        "source": scheme.source,
        "preset": scheme.preset,
        "weights": {m.value: w for m, w in scheme.scheme.weights.items()},
        "base_multiple": scheme.scheme.base_multiple,
        "fixed_bases": {m.value: v for m, v in scheme.fixed_bases.items()},
        "max_ratio": scheme.scheme.max_ratio,
        "stored": scheme.stored,
    }


def _list(session: Any, args: argparse.Namespace, region: tuple[int, str] | None) -> int:
    from landbank.services.efficiency.rating import evaluate

    if args.year is None:
        raise CliError("请用 --year 给出评价年度，如 --year 2025")
    evaluations = evaluate(session, args.year, None if region is None else [region[0]])
    if args.json:
        print_json({"year": args.year, "counties": [evaluation_json(e) for e in evaluations]})
    else:
        shown = [evaluation_text(e) for e in evaluations if e.firms or region]
        print("\n\n".join(shown) if shown else f"{args.year} 年度没有企业报送经营数据")
    return 0


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def evaluation_json(e: CountyEvaluation) -> dict[str, Any]:
    weights = list(e.scheme.scheme.weights)
    return {
        "region_id": e.region_id,
        "county": e.county,
        "year": e.year,
        "scheme": scheme_json(e.scheme),
        "bases": {m.value: _r(v) for m, v in e.bases.items()},
        "units": {m.value: m.unit for m in weights},
        "classes": e.counts(),
        "notes": list(e.notes),
        "firms": [
            {
                "parcel_id": f.info.parcel_id,
                "parcel_code": f.info.code,
                "holder": f.info.holder or None,
                "investor": f.info.investor or None,
                "area_mu": f.rating.firm.area_mu,
                "measures": {m.value: _r(v) for m, v in f.measures(weights).items()},
                "score": None if f.rating.score is None else round(f.rating.score.score, 2),
                "rank": f.rating.rank,
                "class": f.rating.cls.value,
                "reason": f.rating.reason,
                "notes": list(f.rating.notes),
            }
            for f in e.firms
        ],
    }


def evaluation_text(e: CountyEvaluation) -> str:
    from landbank.cli.quota_text import table

    weights = list(e.scheme.scheme.weights)
    headers = ["排名", "地块", "受让单位", "面积(亩)", *(f"{m.value}({m.unit})" for m in weights)]
    headers += ["得分", "类别"]
    rows = []
    for f in e.firms:
        values = f.measures(weights)
        score = f.rating.score
        rows.append([
            "" if f.rating.rank is None else str(f.rating.rank), f.info.code, f.info.holder or "—",
            f"{f.rating.firm.area_mu:,.2f}",
            *("—" if values[m] is None else f"{values[m]:,.2f}" for m in weights),
            "—" if score is None else f"{score.score:.2f}", f.rating.cls.value,
        ])  # fmt: skip
    right = [True, False, False, True, *(True for _ in weights), True, False]
    bases = "、".join(f"{m.value} {v:,.2f} {m.unit}" for m, v in e.bases.items()) or "无"
    counts = "，".join(f"{k} 类 {n} 家" for k, n in sorted(e.counts().items()))
    lines = [
        f"{e.county} {e.year} 年度亩均效益评价（{counts or '无参评企业'}）",
        f"评价方法：{e.scheme.describe()}",
        f"基准值：{bases}",
    ]
    lines += [f"说明：{note}" for note in e.notes]
    lines += ["", table(headers, rows, right) if rows else "（该年度没有企业报送经营数据）"]
    return "\n".join(lines)
