"""``landbank report``: the printed 年度指标 reports (issue 5) as A4 PDFs.

``report quota --year Y -o 通报.pdf`` writes the 年度指标进度通报 of every region;
``report region --year Y --region R -o 明细.pdf`` one region month by month with the records
counted and what remains; ``report catalogue -o 手册.pdf`` the 招商手册 (every 净地 parcel
可供 and every idle factory, by region); ``report projects --year Y -o 项目.pdf`` the 招商项目
报告 (pipeline, 三率 with their formulas, park targets, overdue projects). ``--region`` limits
the catalogue and the projects report to one region (its name then heads the title). Titles
name the ledger's city (``--city`` another), and every report carries the 制表单位, 制表人 and
联系电话 and ends with the 落款 (:func:`landbank.services.identity.ledger_identity`). The
catalogue is the investor's version unless ``--internal`` (with the days each site waited); it
carries each site's map excerpt and first photo, and lists a site missing some of what a 推介
needs with “资料不全：缺…” under it (``--incomplete mark``, the default) or leaves it out
(``--incomplete omit``). ``report pledge --project 项目 --site 地块编号 -o 承诺书.pdf`` writes the
标准地指标承诺书 of a project (name or ID) on a parcel (its code): the indicators of the parcel's
standard for the project's industry, the project's figures on the parcel and the signature
lines; a parcel on which the project fails an indicator still gets it, the line marked 不符 and
a note at the top (the clerk may need it to negotiate).

Qt is imported only inside :func:`run_report` (offscreen when there is no display), so the
module loads without PySide6; so are SQLAlchemy and the quota services (``landbank.cli``
imports this module to add the command). Exit codes: 0 written; 2 bad input or the file cannot be
written; 1 Qt cannot start.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from landbank.cli.common import (
    DB_HELP,
    CliError,
    db_argument,
    open_engine,
    output_file,
    region_id_by_name,
    text_argument,
)
from landbank.cli.quota import _day, _year

REPORTS = ("quota", "region", "catalogue", "projects", "pledge")
INCOMPLETE_CHOICES = ("omit", "mark")


def add_report_parser(subparsers: Any) -> None:
    """Add ``report`` to the ``landbank`` command's subparsers."""
    p = subparsers.add_parser(
        "report",
        help="打印年度指标报表（PDF）",
        description=(
            "把年度指标报表写成 A4 PDF：quota 年度指标进度通报（各县区完成率、进度、排名和图表），"
            "region 一个县区的逐月进度明细（需 --region），catalogue 招商手册（可供净地与闲置"
            "厂房），projects 招商项目报告（项目储备、三率、园区目标、逾期未开工项目），pledge "
            "标准地指标承诺书（需 --project 和 --site）。"
        ),
    )
    p.add_argument(
        "which",
        choices=REPORTS,
        metavar="报表",
        help="quota | region | catalogue | projects | pledge",
    )
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
    p.add_argument("--year", type=_year, metavar="年度", help="指标年度（catalogue 以外必填）")
    p.add_argument(
        "--region",
        metavar="县区",
        help="县区名称（region 报表必填；catalogue、projects 只列这个县区；pledge 地块编号重复时指定县区）",
    )
    p.add_argument("--as-of", type=_day, metavar="日期", help="按哪一天评价进度（默认今天）")
    p.add_argument(
        "--city", type=text_argument("市名", 50), metavar="市名", help="标题中的市名（默认台账设定的城市）"
    )
    p.add_argument(
        "--internal",
        action="store_true",
        help="catalogue：打印内部版（含已等待天数、意向锁定），默认为对外（投资者）版",
    )
    p.add_argument(
        "--incomplete",
        choices=INCOMPLETE_CHOICES,
        metavar="omit|mark",
        help="catalogue：资料不全（缺少推介所需资料）的场地 omit 不列入，mark 列入并标注“资料不全：缺…”（默认）",
    )
    p.add_argument(
        "--project", type=text_argument("项目", 200), metavar="项目", help="pledge：项目名称或 ID"
    )
    p.add_argument(
        "--site", type=text_argument("地块编号", 100), metavar="地块编号", help="pledge：地块编号"
    )
    p.add_argument("-o", "--output", required=True, metavar="文件.pdf", help="保存的 PDF 文件")


def _ensure_platform() -> None:
    if sys.platform not in ("win32", "darwin") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def run_report(args: argparse.Namespace) -> int:
    from dataclasses import replace
    from datetime import date

    from sqlmodel import Session

    from landbank.services.collector import collector_paused
    from landbank.services.identity import ledger_identity
    from landbank.services.quota.catalogue import catalogue
    from landbank.services.quota.projects import projects_report
    from landbank.services.quota.region_detail import region_detail
    from landbank.services.quota.report import city_report

    pledge = args.which == "pledge"
    if pledge and not (args.project and args.site):
        raise CliError("pledge 承诺书需要 --project 项目 和 --site 地块编号")
    if not pledge and (args.project is not None or args.site is not None):
        raise CliError("--project、--site 只用于 pledge 承诺书")
    if args.year is None and args.which not in ("catalogue", "pledge"):
        raise CliError(f"{args.which} 报表需要 --year 年度")
    if args.incomplete is not None and args.which != "catalogue":
        raise CliError("--incomplete 只用于 catalogue 招商手册")
    out = output_file(args.output, ".pdf", "报表文件")
    if args.which == "region" and not args.region:
        raise CliError("region 报表需要 --region 县区")
    as_of = args.as_of or date.today()
    _ensure_platform()
    try:
        from landbank.ui import reports
        from landbank.ui.app import create_application
        from landbank.ui.reports.catalogue_dossier import catalogue_report
        from landbank.ui.reports.pledge import pledge_printout
    except ImportError as exc:
        raise CliError(f"无法载入图形界面：{exc}", code=1) from exc
    create_application([sys.argv[0] if sys.argv else "landbank"])
    engine = open_engine(args, must_exist=True)
    # A report's rows and pages make many small objects and no reference cycles: no cyclic
    # collection while it is read, laid out and written (as the import does).
    with collector_paused():
        try:
            with Session(engine) as session:
                region_id = region_id_by_name(session, args.region)
                region = args.region.strip() if args.region else None
                identity = ledger_identity(session)
                if args.city:
                    identity = replace(identity, city=args.city.strip())
                if pledge:
                    printout = pledge_printout(_pledge(session, args, as_of))
                elif args.which == "catalogue":
                    audience = reports.Audience.INTERNAL if args.internal else reports.Audience.INVESTOR
                    printout = catalogue_report(
                        session,
                        catalogue(session, region_id=region_id, as_of=as_of),
                        identity=identity,
                        region=region,
                        audience=audience,
                        omit_incomplete=args.incomplete == "omit",
                    )
                else:
                    report = city_report(session, args.year, as_of=as_of)
                    if args.which == "quota":
                        from landbank.services.land_life.status import county_land_life

                        life = county_land_life(session, as_of)
                        printout = reports.quota_printout(report, identity=identity, land_life=life)
                    elif args.which == "projects":
                        projects = projects_report(
                            session, args.year, region_id=region_id, as_of=as_of, report=report
                        )
                        printout = reports.projects_printout(projects, identity=identity, region=region)
                    else:
                        assert region_id is not None
                        detail = region_detail(
                            session, args.year, region_id, as_of=as_of, report=report
                        )
                        printout = reports.region_printout(detail, identity=identity)
            try:
                pages = reports.write_printout(out, printout)
            except OSError as exc:
                raise CliError(f"无法保存报表：{exc}") from exc
        finally:
            engine.dispose()
    print(f"已保存报表：{out}（{pages} 页）")
    return 0


def _pledge(session: Any, args: argparse.Namespace, printed: Any) -> Any:
    """The pledge of ``--project`` on ``--site``; unknown names are a Chinese message (exit 2)."""
    from landbank.services.matching.sites import NotFoundError
    from landbank.services.standards.pledge import find_pledge

    try:
        region_id = region_id_by_name(session, args.region)
        pledge = find_pledge(session, args.project, args.site, printed, region_id=region_id)
    except NotFoundError as exc:
        raise CliError(str(exc)) from None
    if args.city:
        from dataclasses import replace

        pledge = replace(pledge, identity=replace(pledge.identity, city=args.city.strip()))
    return pledge
