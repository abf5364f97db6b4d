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

The text is :mod:`landbank.cli.quota_text`'s, the JSON :mod:`landbank.cli.quota_json`'s;
``quota-defaults`` runs in :mod:`landbank.cli.quota_defaults`.

Both end with the 闲置与低效用地 section on the ``--as-of`` day (issue 16 item 5,
:mod:`landbank.cli.quota_land_life`): per county 闲置 and each 低效 class in parcels and
hectares and the 增存挂钩 effect; ``--json`` carries it as ``land_life``.

``landbank.cli`` imports this module to add the commands: the quota rules and services and
SQLAlchemy are imported by the functions that use them, when a command runs.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from landbank.cli.common import (
    DB_HELP,
    day_argument,
    db_argument,
    open_engine,
    print_json,
    region_id_by_name,
    whole_number,
)
from landbank.cli.quota_json import city_json, region_json


def _year(text: str) -> int:
    return whole_number(text, 2000, 2100, "年度")


_day = day_argument  # --as-of: within the horizon of landbank.domain.horizon


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
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
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
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
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
        from landbank.cli.quota_defaults import run_defaults

        return run_defaults(args)
    from sqlmodel import Session

    from landbank.cli.quota_land_life import county_json, land_life_json, land_life_text
    from landbank.cli.quota_text import city_text, region_text
    from landbank.services.land_life.status import county_land_life
    from landbank.services.quota.region_detail import region_detail
    from landbank.services.quota.report import city_report

    as_of = args.as_of or date.today()
    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            region_id = region_id_by_name(session, args.region)
            report = city_report(session, args.year, as_of=as_of)
            life = county_land_life(session, as_of, None if region_id is None else [region_id])
            if region_id is None:
                if args.json:
                    print_json({**city_json(report), "land_life": land_life_json(life)})
                else:
                    print(city_text(report) + "\n\n" + land_life_text(life))
                return 0
            detail = region_detail(session, args.year, region_id, as_of=as_of, report=report)
            if args.json:
                own = [county_json(c) for c in life.counties]
                print_json({**region_json(detail, report), "land_life": own[0] if own else None})
            else:
                print(region_text(detail, report) + "\n\n" + land_life_text(life))
    finally:
        engine.dispose()
    return 0
