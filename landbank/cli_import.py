"""``landbank import parcels|factories|projects FILE``: import a ledger file from the shell.

Exit codes: 0 when the rows were imported (or a dry run found no errors); 2 when rows were
rejected (nothing written), the file cannot be read or the database cannot be opened. The
report goes to stdout — as JSON with ``--json`` (counts, new regions and the row errors with
English keys: sheet, row, column, value, reason).

The lead wires :func:`add_import_parser` and :func:`run_import` into :mod:`landbank.cli`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from landbank.cli_common import DB_HELP
from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.services.import_report import ImportReport, Progress
from landbank.services.importer import iter_import
from landbank.services.spreadsheet import SpreadsheetError
from landbank.settings import Settings
from landbank.store.engine import DatabaseError, database_url
from landbank.store.migrate import open_database

IMPORT_KINDS: dict[str, RecordKind] = {
    "parcels": RecordKind.PARCEL,
    "factories": RecordKind.FACTORY,
    "projects": RecordKind.PROJECT,
}
_DB_HELP = DB_HELP


def _header_row(text: str) -> int:
    if not text.strip().isdigit() or not 1 <= int(text) <= 1_048_576:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的行号（1 起）")
    return int(text)


def add_import_parser(subparsers: Any) -> None:
    """Add the ``import`` command to the ``landbank`` command's subparsers."""
    p = subparsers.add_parser(
        "import",
        help="从 Excel/WPS/CSV 文件导入记录",
        description=(
            "从台账文件（.xlsx .xlsm .xls .ods .csv）导入地块、厂房或项目：自动找到表头行、"
            "识别列名和单位；任何一行有错误时不写入任何数据。"
        ),
    )
    p.add_argument("--db", metavar="文件或地址", default=argparse.SUPPRESS, help=_DB_HELP)
    p.add_argument(
        "what", choices=list(IMPORT_KINDS), help="parcels 地块、factories 厂房、projects 项目"
    )
    p.add_argument("file", metavar="文件", help="要导入的台账文件")
    p.add_argument("--sheet", metavar="工作表", help="工作表名称（默认：自动选择）")
    p.add_argument(
        "--header-row", type=_header_row, metavar="N", help="表头所在行号（默认：自动识别）"
    )
    p.add_argument(
        "--on-duplicate",
        choices=("update", "skip", "stop"),
        default="stop",
        help="遇到已有记录（编号、电子监管号、信用代码相同）时：update 更新、skip 跳过、stop 停止（默认）",
    )
    p.add_argument("--dry-run", action="store_true", help="试导入：只报告将会发生的变化，不写入")
    p.add_argument(
        "--all-land-uses",
        action="store_true",
        help="中国土地市场网文件：导入所有用途的地块（默认只导入工业用地）",
    )
    p.add_argument("--json", action="store_true", help="以 JSON 输出报告")


def _progress_bar(step: Progress) -> None:
    if step.total:
        width = 30
        filled = width * step.done // step.total
        print(
            f"\r[{'#' * filled}{'.' * (width - filled)}] {step.done}/{step.total}",
            end="",
            file=sys.stderr,
            flush=True,
        )


def run_import(args: argparse.Namespace) -> int:
    """Run the ``import`` command; returns the exit code."""
    kind = IMPORT_KINDS[args.what]
    path = Path(args.file)
    show_bar = not args.json and sys.stderr.isatty()
    try:
        engine = open_database(database_url(getattr(args, "db", None), Settings.load()))
    except DatabaseError as exc:
        return _fail(args, str(exc))
    try:
        with Session(engine) as session:
            steps = iter_import(
                session,
                kind,
                path,
                sheet=args.sheet,
                header_row=args.header_row,
                on_duplicate=args.on_duplicate,
                dry_run=args.dry_run,
                user=Settings.load().effective_user,
                all_land_uses=args.all_land_uses,
            )
            try:
                while True:
                    step = next(steps)
                    if show_bar:
                        _progress_bar(step)
            except StopIteration as stop:
                report: ImportReport = stop.value
            except KeyboardInterrupt:
                steps.close()  # rolls the import back
                raise
            finally:
                if show_bar:
                    print(file=sys.stderr)
            if report.written:
                session.commit()
    except SpreadsheetError as exc:
        return _fail(args, str(exc))
    except (SQLAlchemyError, DatabaseError) as exc:
        return _fail(args, describe_error(exc))
    finally:
        engine.dispose()
    if args.json:
        print(json.dumps(report.to_json(), ensure_ascii=False, indent=2))
    else:
        print(report.describe())
    return 0 if report.ok else 2


def _fail(args: argparse.Namespace, message: str) -> int:
    if args.json:
        print(json.dumps({"ok": False, "error": message}, ensure_ascii=False, indent=2))
    else:
        print(f"landbank：{message}", file=sys.stderr)
    return 2
