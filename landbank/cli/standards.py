"""``landbank standards list|import``: the 标准地 indicator table from the shell (issue 16).

- ``standards list [--county 县区] [--json]``: the rows, each indicator with its unit; where a
  row leaves a national floor blank (建筑系数, 绿地率, 行政办公) the floor is shown, marked
  （国家标准）.
- ``standards list --resolve --county 县区 [--park 园区] [--industry 产业]``: the standard that
  applies to a site there, each indicator with its source (“来自 城关县·全部产业”).
- ``standards import FILE [--sheet] [--header-row] [--dry-run] [--on-duplicate stop|update|skip]
  [--json]``: exit 0 when imported (or a dry run found nothing wrong), 2 when any row is
  refused (nothing written; the report on stdout names each one, a line on stderr says so).

``landbank list standards …`` and ``landbank import standards FILE …`` are the same commands
(:func:`standards_alias` rewrites them before parsing).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from landbank.cli.common import CliError, count_argument, county_by_name, db_argument, open_engine

if TYPE_CHECKING:
    from sqlmodel import Session

    from landbank.services.standards.rows import StandardEntry

_ALIASED = ("list", "import")


def standards_alias(argv: Sequence[str]) -> list[str]:
    """``list standards …`` → ``standards list …`` and ``import standards …`` → ``standards
    import …`` (the word right after the command); other arguments unchanged."""
    args = list(argv)
    i = 0
    while i < len(args) and args[i].startswith("-"):
        i += 2 if args[i] == "--db" else 1
    if i + 1 < len(args) and args[i] in _ALIASED and args[i + 1] == "standards":
        return [*args[:i], "standards", args[i], *args[i + 2 :]]
    return args


def add_standards_parsers(subparsers: Any, db_help: str) -> None:
    p = subparsers.add_parser(
        "standards",
        help="标准地指标表：列出、查看适用指标、从 Excel 导入",
        description="标准地指标表（按县区，可按园区、产业）：列出、查看某地某产业适用的指标、从 Excel/CSV 导入。",
    )
    commands = p.add_subparsers(dest="standards_command", title="子命令", required=True)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        c: argparse.ArgumentParser = commands.add_parser(
            name, help=help_text, description=help_text
        )
        c.add_argument(
            "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=db_help
        )
        c.add_argument("--json", action="store_true", help="输出 JSON")
        return c

    c = command("list", "列出指标表；--resolve 显示某县区（园区、产业）适用的指标及其来源")
    c.add_argument("--county", "--region", dest="county", metavar="县区", help="只列出该县区（可用简称）")
    c.add_argument("--park", metavar="园区", help="与 --resolve 一起：地块所在园区")
    c.add_argument("--industry", metavar="产业", help="与 --resolve 一起：项目的产业")
    c.add_argument("--resolve", action="store_true", help="显示适用的指标及每项的来源（需 --county）")

    c = command("import", "从 Excel/WPS/CSV 文件导入标准地指标表；任何一行有错误时不写入任何数据")
    c.add_argument("file", metavar="文件", help="指标表文件（.xlsx .xls .ods .csv）")
    c.add_argument("--sheet", metavar="工作表", help="工作表名称（默认：自动选择）")
    c.add_argument(
        "--header-row", type=count_argument(1, 1_048_576, "行号"), metavar="N",
        help="表头所在行号（默认：自动识别）",
    )
    c.add_argument(
        "--on-duplicate", choices=("update", "skip", "stop"), default="stop",
        help="台账中已有同一县区、园区、产业的指标行时：update 用文件的数值更新、skip 跳过、stop 停止并列出（默认）",
    )
    c.add_argument("--dry-run", action="store_true", help="试导入：只报告将会发生的变化，不写入")


def run_standards(args: argparse.Namespace) -> int:
    if args.standards_command == "import":
        return _run_import(args)
    return _run_list(args)


# ---------------------------------------------------------------- list / resolve


def _park(session: Session, region_id: int, county: str, text: str) -> int:
    from sqlmodel import col, select

    from landbank.store.models import Park

    stmt = select(col(Park.name), col(Park.id)).where(col(Park.region_id) == region_id)
    parks = {str(name): int(pid) for name, pid in session.execute(stmt).all()}
    park_id = parks.get(" ".join(text.split()))
    if park_id is None:
        known = "、".join(sorted(parks)) or "无"
        raise CliError(f"{county}没有名为“{text}”的园区（已登记：{known}）")
    return int(park_id)


def _cells(entry: StandardEntry) -> list[tuple[str, str, bool]]:
    """(label, requirement, national) of each indicator the row sets, then the national
    floors it leaves blank."""
    from landbank.domain.standards.indicators import NATIONAL_DEFAULTS, Indicator, requirement_text

    cells = []
    for indicator in Indicator:
        threshold = entry.values.get(indicator)
        if threshold is not None:
            cells.append((indicator.label, requirement_text(indicator, threshold), False))
        elif indicator in NATIONAL_DEFAULTS:
            text = requirement_text(indicator, NATIONAL_DEFAULTS[indicator])
            cells.append((indicator.label, text, True))
    return cells


def _run_list(args: argparse.Namespace) -> int:
    from landbank.store.engine import read_session

    if (args.park is not None or args.industry is not None) and not args.resolve:
        raise CliError("--park、--industry 只与 --resolve 一起使用")
    if args.resolve and args.county is None:
        raise CliError("--resolve 需要 --county 指定县区")
    engine = open_engine(args, must_exist=True)
    try:
        with read_session(engine) as session:
            county = county_by_name(session, args.county) if args.county is not None else None
            if args.resolve:
                assert county is not None
                park_id = _park(session, *county, args.park) if args.park is not None else None
                return _print_resolved(session, county, park_id, args)
            return _print_rows(session, county, args)
    finally:
        engine.dispose()


def _print_rows(session: Session, county: tuple[int, str] | None, args: argparse.Namespace) -> int:
    from landbank.services.standards.rows import load_entries

    entries = load_entries(session, county[0] if county else None)
    if args.json:
        print(json.dumps([_entry_json(e) for e in entries], ensure_ascii=False, indent=2))
        return 0
    if not entries:
        where = f"{county[1]}" if county else "台账"
        print(f"{where}尚无标准地指标（建筑系数、绿地率、行政办公按国家标准执行）")
        return 0
    for entry in entries:
        print(f"{entry.title}（编号 {entry.id}，版本 {entry.version}）")
        parts = [f"{label} {text}" + ("（国家标准）" if national else "")
                 for label, text, national in _cells(entry)]
        print("  " + "；".join(parts))
        if entry.notes:
            print(f"  备注：{entry.notes}")
    print(f"共 {len(entries)} 行")
    return 0


def _entry_json(entry: StandardEntry) -> dict[str, Any]:
    return {
        "id": entry.id, "version": entry.version, "uuid": entry.uuid,
        "county": entry.region, "park": entry.park, "industry": entry.industry,
        "title": entry.title, "notes": entry.notes,
        "values": {i.key: {"low": t.low, "high": t.high} for i, t in entry.values.items()},
        "shown": [{"label": label, "requirement": text, "national": national}
                  for label, text, national in _cells(entry)],
    }


def _print_resolved(
    session: Session, county: tuple[int, str], park_id: int | None, args: argparse.Namespace
) -> int:
    from landbank.services.standards.rows import standard_for, standard_title

    standard = standard_for(session, county[0], park_id, args.industry)
    title = standard_title(county[1], args.park, args.industry)
    if args.json:
        print(json.dumps({
            "county": county[1], "park": args.park, "industry": args.industry, "site": title,
            "indicators": [
                {"key": r.indicator.key, "label": r.indicator.label, "unit": r.indicator.unit,
                 "low": r.threshold.low, "high": r.threshold.high,
                 "requirement": r.requirement, "source": r.source, "notes": list(r.notes)}
                for r in standard
            ],
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"{title} 适用的标准地指标：")
    width = max((len(r.indicator.label) for r in standard), default=0)
    for resolved in standard:
        label = resolved.indicator.label.ljust(width, "\u3000")
        print(f"  {label}  {resolved.requirement}（来自 {resolved.source}）")
        for note in resolved.notes:
            print(f"    注：{note}")
    return 0


# ---------------------------------------------------------------- import


def _run_import(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from landbank.services.errors import describe_error
    from landbank.services.importing.spreadsheet import SpreadsheetError
    from landbank.services.records.saving import RecordError
    from landbank.services.server.identity import audit_user
    from landbank.services.standards.importing import import_standards
    from landbank.store.engine import write_session

    engine = open_engine(args, must_exist=True)
    try:
        with write_session(engine) as session:
            report = import_standards(
                session, args.file, user=audit_user(session), sheet=args.sheet,
                header_row=args.header_row, on_duplicate=args.on_duplicate, dry_run=args.dry_run,
            )
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
