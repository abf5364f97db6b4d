"""``landbank export`` and ``landbank template``: a record list to .xlsx, and a blank ledger.

    landbank export parcels|factories|projects FILE.xlsx [--region 县区] [--status 状态]
                    [--search 文字] [--sort 字段 [--desc]] [--visible] [--db …]
    landbank template parcels|factories|projects FILE.xlsx [--db …]

``export`` writes every field of the kind (what an import into another ledger needs);
``--visible`` keeps the columns the table shows by default, which print more legibly.
Exit codes as ``landbank``: 0 done, 2 bad input (unknown region or status, a file name not
ending in .xlsx, a folder that does not exist or cannot be written) with the reason on stderr.

The database and argument helpers are ``landbank.cli.common``'s. ``landbank.cli`` imports
this module to add the commands, so it imports only the standard library and light modules at
its top; the export, the template (openpyxl) and SQLAlchemy are imported when a command runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landbank.cli.common import (
    DB_HELP,
    CliError,
    db_argument,
    filter_from_args,
    open_engine,
    output_file,
    parse_sort,
    parse_statuses,
)
from landbank.domain.enums import RecordKind
from landbank.store.engine import DatabaseError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from landbank.services.exporting.ledger import ProgressCallback

EXPORT_KINDS: dict[str, RecordKind] = {
    "parcels": RecordKind.PARCEL,
    "factories": RecordKind.FACTORY,
    "projects": RecordKind.PROJECT,
}
KIND_HELP = "parcels 地块、factories 厂房、projects 项目"
PROGRESS_FROM_ROWS = 20_000  # show progress on a terminal for exports at least this large


def add_export_parsers(subparsers: Any) -> None:
    """Add ``export`` and ``template`` to the ``landbank`` command's subparsers."""
    p = subparsers.add_parser(
        "export",
        help="导出为 Excel 表格",
        description="把地块、厂房或项目导出为 Excel 表格（.xlsx）：标题写明城市与筛选条件，"
        "序号列、带单位的中文表头、末行合计（面积、投资等数量列）、筛选、数字与日期格式、"
        "A4 横向打印设置。默认导出全部字段。",
    )
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
    p.add_argument("what", choices=list(EXPORT_KINDS), help=KIND_HELP)
    p.add_argument("file", metavar="文件.xlsx", help="保存的 Excel 文件")
    p.add_argument("--region", metavar="县区", help="只导出该县区的记录")
    p.add_argument("--status", metavar="状态", help="只导出该状态（阶段）的记录，多个用逗号分隔")
    p.add_argument("--search", metavar="文字", help="按编号、名称、坐落等搜索")
    p.add_argument(
        "--sort", metavar="字段", help="排序字段：中文名称或英文键，如 收储面积、area_mu、总投资"
    )
    p.add_argument("--desc", action="store_true", help="降序排列")
    p.add_argument("--visible", action="store_true", help="只导出表格默认显示的列（便于打印）")

    p = subparsers.add_parser(
        "template",
        help="生成空白填写模板",
        description="生成空白台账模板（.xlsx）：表头与导入要求一致，县区、状态、产业等带下拉列表，"
        "数字和日期带输入规则。填好后可直接导入。",
    )
    p.add_argument(
        "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP
    )
    p.add_argument("what", choices=list(EXPORT_KINDS), help=KIND_HELP)
    p.add_argument("file", metavar="文件.xlsx", help="保存的 Excel 文件")


def run_export(args: argparse.Namespace) -> int:
    """``landbank export``; returns the exit code."""
    from sqlmodel import Session

    from landbank.domain.fields import FIELDS
    from landbank.services.exporting.ledger import ExportCancelled, export_records

    kind = EXPORT_KINDS[args.what]
    path = Path(args.file)
    try:
        path = _target(args.file)
        statuses = parse_statuses(kind, args.what, args.status)
        sort = parse_sort(kind, args.sort, descending=args.desc)
        columns = [spec.key for spec in FIELDS[kind] if spec.visible] if args.visible else None
        engine = open_engine(args, must_exist=True)
        try:
            with Session(engine) as session:
                flt = filter_from_args(session, args, statuses)
                started = time.perf_counter()
                result = export_records(
                    session,
                    kind,
                    path,
                    flt=flt,
                    sort=sort,
                    columns=columns,
                    progress=_progress_printer(),
                )
                elapsed = time.perf_counter() - started
        finally:
            engine.dispose()
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except DatabaseError as exc:
        return _fail(str(exc))
    except ExportCancelled:
        return _fail("导出已取消", 130)
    except OSError as exc:
        return _fail(_os_reason(path, exc))
    print(f"已导出 {result.count} 条{kind.label}到 {path}（用时 {elapsed:.1f} 秒）")
    return 0


def run_template(args: argparse.Namespace) -> int:
    """``landbank template``; returns the exit code."""
    from sqlmodel import Session

    from landbank.services.exporting.template import write_template

    kind = EXPORT_KINDS[args.what]
    path = Path(args.file)
    try:
        path = _target(args.file)
        engine: Engine = open_engine(args, must_exist=True)
        try:
            with Session(engine) as session:
                write_template(session, kind, path)
        finally:
            engine.dispose()
    except CliError as exc:
        return _fail(str(exc), exc.code)
    except DatabaseError as exc:
        return _fail(str(exc))
    except OSError as exc:
        return _fail(_os_reason(path, exc))
    print(f"已生成{kind.label}填写模板：{path}")
    return 0


def _target(file: str) -> Path:
    """The file to write: ends in .xlsx, in a folder that exists and can be written."""
    return output_file(file, ".xlsx", "文件名")


def _os_reason(path: Path, exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return f"无法写入 {path}：没有权限，或文件正被 Excel/WPS 打开（请先关闭它）"
    return f"无法写入 {path}：{exc.strerror or exc}"


def _fail(message: str, code: int = 2) -> int:
    print(f"landbank：{message}", file=sys.stderr)
    return code


def _progress_printer() -> ProgressCallback | None:
    """A percentage on stderr for large exports on a terminal; ``None`` elsewhere."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> bool:
        if total >= PROGRESS_FROM_ROWS:
            end = "\n" if done >= total else ""
            print(
                f"\r导出中… {done:,}/{total:,}（{done * 100 // max(total, 1)}%）",
                end=end,
                file=sys.stderr,
            )
        return True

    return show
