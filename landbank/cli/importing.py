"""``landbank import parcels|factories|projects FILE``: import a ledger file from the shell.

Exit codes: 0 when the rows were imported (or a dry run found no errors); 2 when rows were
rejected (nothing written), the file cannot be read or the database cannot be opened. The
report goes to stdout — as JSON with ``--json`` (counts, defaults applied, regions recognised
and created, parks created, the records created, changed and no longer listed, the row errors
and warnings with English keys: sheet, row, column, value, reason) — and with ``--report`` to
an .xlsx file (the file's rows with their errors, the summary, the changes).

The lead wires :func:`add_import_parser` and :func:`run_import` into :mod:`landbank.cli`.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landbank.cli.common import (
    DB_HELP,
    CliError,
    count_argument,
    db_argument,
    output_file,
    tidy_leftovers,
)
from landbank.domain.enums import RecordKind

if TYPE_CHECKING:
    from landbank.services.importing.report import Progress

IMPORT_KINDS: dict[str, RecordKind] = {
    "parcels": RecordKind.PARCEL,
    "factories": RecordKind.FACTORY,
    "projects": RecordKind.PROJECT,
}
_DB_HELP = DB_HELP


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
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=_DB_HELP
    )
    p.add_argument(
        "what",
        choices=list(IMPORT_KINDS),
        help="parcels 地块、factories 厂房、projects 项目（标准地指标表：landbank import standards 文件，"
        "同 landbank standards import）",
    )
    p.add_argument("file", metavar="文件", help="要导入的台账文件")
    p.add_argument(
        "--sheet",
        metavar="工作表",
        help="工作表名称（默认：自动选择）；all 为同一格式的全部工作表，多个用逗号分隔",
    )
    p.add_argument(
        "--header-row", type=count_argument(1, 1_048_576, "行号"), metavar="N", help="表头所在行号（默认：自动识别）"
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
    p.add_argument(
        "--default",
        action="append",
        default=[],
        metavar="字段=值",
        help="文件未写明时使用的值，如 供应状态=可供、整理程度=净地（可重复）",
    )
    p.add_argument("--region", metavar="县区", help="文件中未写县区的行所属的县区（可用简称，如 辉县）")
    p.add_argument(
        "--create-regions",
        action="store_true",
        help="允许新建台账中还没有的县区（台账首次导入时总会新建文件中的县区）",
    )
    p.add_argument("--report", metavar="报告.xlsx", help="把导入报告（全部错误、提示和变化）保存为 Excel 文件")
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


def _defaults(items: list[str]) -> dict[str, str]:
    """``字段=值`` options by field; raises ImportOptionError."""
    from landbank.services.importing.importer import ImportOptionError

    result: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise ImportOptionError(f"--default “{item}”应写作 字段=值，如 供应状态=可供")
        result[name.strip()] = value.strip()
    return result


def _sheets(text: str | None) -> tuple[str | None, list[str] | str | None]:
    """(one sheet, several sheets) as --sheet gives them."""
    from landbank.services.importing.importer import ALL_SHEETS

    if text is None:
        return None, None
    if text.strip().lower() == ALL_SHEETS:
        return None, ALL_SHEETS
    names = [n.strip() for n in text.replace("，", ",").split(",") if n.strip()]
    if len(names) > 1:
        return None, names
    return text, None


def run_import(args: argparse.Namespace) -> int:
    """Run the ``import`` command; returns the exit code."""
    from landbank.services.importing.spreadsheet import prefetch_workbook

    prefetch_workbook(args.file)  # read while SQLAlchemy loads and the database opens
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from landbank.services.errors import describe_error
    from landbank.services.importing.importer import ImportOptionError, iter_import
    from landbank.services.importing.report import CLI_WORDING, ImportReport, save_report_xlsx
    from landbank.services.importing.spreadsheet import SpreadsheetError, file_head
    from landbank.services.records.saving import WriteRefused
    from landbank.services.server.identity import audit_user
    from landbank.settings import Settings
    from landbank.store.engine import DatabaseError, database_url, for_writing
    from landbank.store.migrate import open_database

    kind = IMPORT_KINDS[args.what]
    path = Path(args.file)
    show_bar = not args.json and sys.stderr.isatty()
    sheet, sheets = _sheets(args.sheet)
    if args.report is not None:
        try:  # checked first: a report that cannot be saved must not follow a written import
            output_file(args.report, ".xlsx", "--report 报告文件")
        except CliError as exc:
            return _fail(args, str(exc))
    try:
        defaults = _defaults(args.default)
        file_head(path)  # a file that cannot be read opens no ledger (nor creates one)
    except (ImportOptionError, SpreadsheetError) as exc:
        return _fail(args, str(exc))
    try:
        url = database_url(getattr(args, "db", None), Settings.load())
        engine = open_database(url)
        tidy_leftovers(url)
    except DatabaseError as exc:
        return _fail(args, str(exc))
    try:
        with Session(for_writing(engine)) as session:
            steps = iter_import(
                session,
                kind,
                path,
                sheet=sheet,
                sheets=sheets,
                header_row=args.header_row,
                on_duplicate=args.on_duplicate,
                dry_run=args.dry_run,
                user=audit_user(session),
                all_land_uses=args.all_land_uses,
                defaults=defaults,
                region=args.region,
                create_regions=args.create_regions,
                wording=CLI_WORDING,
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
    except (SpreadsheetError, ImportOptionError, WriteRefused) as exc:  # (WriteRefused: a county
        return _fail(args, str(exc))  # clerk's file needing a county the city has not set up)
    except (SQLAlchemyError, DatabaseError) as exc:
        return _fail(args, describe_error(exc))
    finally:
        engine.dispose()
    saved = None
    if args.report:
        try:
            saved = save_report_xlsx(report, args.report)
        except OSError as exc:
            return _fail(args, f"无法保存报告“{args.report}”：{exc.strerror or exc}")
    if args.json:
        data = report.to_json()
        if saved is not None:
            data["report_file"] = str(saved)
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(report.describe())
        if saved is not None:
            print(f"报告已保存：{saved}")
    return 0 if report.ok else 2


def _fail(args: argparse.Namespace, message: str) -> int:
    if args.json:
        print(json.dumps({"ok": False, "error": message}, ensure_ascii=False, indent=2))
    else:
        print(f"landbank：{message}", file=sys.stderr)
    return 2
