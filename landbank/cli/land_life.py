"""``landbank yields import|list``: the yearly figures of the firms on supplied parcels (issue 16),
and the 土地利用状况 lines ``landbank show parcel`` prints.

- ``yields import FILE [--sheet] [--region 县区] [--dry-run] [--on-duplicate stop|update|skip]
  [--json]``: exit 0 when imported (or a dry run found nothing wrong), 2 when any row is
  refused (nothing written; the report on stdout names each one, a line on stderr says so).
- ``yields list [--county 县区] [--year 年度] [--parcel 地块编号] [--json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
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
    from sqlmodel import Session


def add_yields_parsers(subparsers: Any, db_help: str) -> None:
    p = subparsers.add_parser(
        "yields",
        help="年度经营数据（供地后企业的税收、产值等）：导入、列出",
        description="供地后地块上企业的年度经营数据（税收、销售收入、产值、增加值、能耗、排放、"
        "从业人数、研发经费）：从乡镇报来的 Excel/CSV 导入，按县区、年度列出。",
    )
    commands = p.add_subparsers(dest="yields_command", title="子命令", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        c: argparse.ArgumentParser = commands.add_parser(name, help=help_text, description=help_text)
        c.add_argument(
            "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=db_help
        )
        c.add_argument("--json", action="store_true", help="输出 JSON")
        return c

    c = command("import", "从 Excel/WPS/CSV 文件导入年度经营数据；任何一行有错误时不写入任何数据")
    c.add_argument("file", metavar="文件", help="年度经营数据文件（.xlsx .xls .ods .csv）")
    c.add_argument("--sheet", metavar="工作表", help="工作表名称（默认：第一个有数据的工作表）")
    c.add_argument(
        "--region", metavar="县区", help="文件没有县区列、标题也未写明县区时，数据所属的县区"
    )
    c.add_argument(
        "--on-duplicate", choices=("update", "skip", "stop"), default="stop",
        help="台账中已有该地块该年度的数据时：update 用文件的数值更新、skip 跳过、stop 停止并列出（默认）",
    )  # fmt: skip
    c.add_argument("--dry-run", action="store_true", help="试导入：只报告将会发生的变化，不写入")

    c = command("list", "列出年度经营数据")
    c.add_argument("--county", "--region", dest="county", metavar="县区", help="只列出该县区（可用简称）")
    c.add_argument("--year", type=year_argument, metavar="年度", help="只列出该年度")
    c.add_argument("--parcel", metavar="地块编号", help="只列出该地块（与 --county 一起更准确）")


def run_yields(args: argparse.Namespace) -> int:
    if args.yields_command == "import":
        return _run_import(args)
    return _run_list(args)


def _parcel_id(session: Session, code: str, region_id: int | None) -> int:
    from sqlmodel import col, select

    from landbank.store.models import LandParcel

    stmt = select(col(LandParcel.id)).where(col(LandParcel.code) == code.strip())
    if region_id is not None:
        stmt = stmt.where(col(LandParcel.region_id) == region_id)
    found = list(session.execute(stmt.limit(2)).scalars())
    if not found:
        raise CliError(f"没有编号为“{code}”的地块")
    if len(found) > 1:
        raise CliError(f"多个县区都有编号为“{code}”的地块，请用 --county 指定县区")
    return int(found[0])


def _run_list(args: argparse.Namespace) -> int:
    from landbank.services.land_life.yields import FIGURES, figure_text, list_yields
    from landbank.store.engine import read_session

    engine = open_engine(args, must_exist=True)
    try:
        with read_session(engine) as session:
            county = county_by_name(session, args.county) if args.county is not None else None
            region_id = county[0] if county else None
            parcel_id = _parcel_id(session, args.parcel, region_id) if args.parcel else None
            rows = list_yields(
                session, parcel_id=parcel_id, year=args.year,
                region_ids=None if region_id is None else [region_id],
            )  # fmt: skip
    finally:
        engine.dispose()
    if args.json:
        print_json([row.as_json() for row in rows])
        return 0
    if not rows:
        print("没有符合条件的年度经营数据")
        return 0
    for row in rows:
        values = row.values
        shown = [figure_text(k, getattr(values, k)) for k in FIGURES if getattr(values, k) is not None]
        notes = f"（{values.notes}）" if values.notes else ""
        print(f"{row.county} {row.parcel_code} {values.year}年：{'，'.join(shown) or '未填报数据'}{notes}")
    print(f"共 {len(rows)} 行")
    return 0


def _run_import(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from landbank.services.errors import describe_error
    from landbank.services.importing.spreadsheet import SpreadsheetError
    from landbank.services.land_life.yields_import import import_yields
    from landbank.services.records.saving import RecordError
    from landbank.services.server.identity import audit_user
    from landbank.store.engine import write_session

    engine = open_engine(args, must_exist=True)
    try:
        with write_session(engine) as session:
            region = county_by_name(session, args.region)[1] if args.region is not None else None
            report = import_yields(
                session, args.file, user=audit_user(session), sheet=args.sheet, region=region,
                on_duplicate=args.on_duplicate, dry_run=args.dry_run,
            )  # fmt: skip
            if not report.written:
                session.rollback()
    except (SpreadsheetError, RecordError) as exc:
        raise CliError(str(exc)) from None
    except SQLAlchemyError as exc:
        raise CliError(describe_error(exc)) from None
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps({"ok": report.ok, **report.as_json()}, ensure_ascii=False, indent=2))
    else:
        print("\n".join(report.lines()))
    if not report.ok:
        print(f"landbank：有 {len(report.problems)} 处问题，未导入任何数据", file=sys.stderr)
        return 2
    return 0


# ---------------------------------------------------------------- landbank show parcel


def land_life_lines(session: Session, parcel_id: int, as_of: date | None = None) -> list[str]:
    """The 土地利用状况 of a parcel as ``landbank show`` prints it (nothing for a parcel the
    rules say nothing of: not supplied and not 低效)."""
    from landbank.domain.land_life.idle import IdleState
    from landbank.services.land_life.status import parcel_life_status
    from landbank.services.land_life.yields import describe_year, list_yields

    status = parcel_life_status(session, parcel_id, as_of or date.today())
    if status.idle.state is IdleState.NOT_SUPPLIED and status.low is None and not status.lapsed:
        return []
    lines = [f"土地利用状况（{status.as_of.isoformat()}）：", *("  " + s for s in status.lines())]
    years = list_yields(session, parcel_id=parcel_id)
    if years:
        lines.append("  年度经营数据：")
        lines += [f"    {describe_year(row.values)}" for row in years]
    return lines


def land_life_json(session: Session, parcel_id: int, as_of: date | None = None) -> dict[str, Any]:
    from landbank.services.land_life.status import parcel_life_status

    return parcel_life_status(session, parcel_id, as_of or date.today()).as_json()
