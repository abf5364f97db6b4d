"""The ``landbank`` command: the GUI by default, and ``list``/``show``/``demo``/``screenshot``.

``main()`` returns the exit code (0 success, 2 bad input with the reason on stderr, 1 when
the GUI cannot start), so the console script's ``sys.exit(main())`` and tests calling
``main([...])`` see the same thing. User errors never end in a traceback.

Qt is imported only inside the functions that start the GUI or take a screenshot, and
SQLAlchemy, the store and the services only inside the functions of the command that runs:
the parsers are built from light modules, so ``landbank --help`` or a mistyped option answers
at once and ``landbank import`` loads what an import needs and nothing else.
"""

from __future__ import annotations

import argparse
import codecs
import contextlib
import gc
import os
import re
import sys
import time
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from landbank import __version__
from landbank.allocator import tune_allocator
from landbank.cli.common import (
    DB_HELP,
    CliError,
    filter_from_args,
    open_engine,
    parse_sort,
    parse_statuses,
    print_json,
    region_id_by_name,
)
from landbank.cli.exporting import add_export_parsers, run_export, run_template
from landbank.cli.importing import add_import_parser, run_import
from landbank.cli.matching import add_match_parsers, run_match, run_release, run_reserve
from landbank.cli.quota import add_quota_parsers, run_quota
from landbank.cli.reports import add_report_parser, run_report
from landbank.cli.settings import add_settings_parser, run_settings
from landbank.domain.enums import RecordKind
from landbank.settings import Settings
from landbank.store.engine import DatabaseError, database_url, describe_url, sqlite_path

if TYPE_CHECKING:
    from sqlmodel import Session

    from landbank.store.models import AuditEntry
    from landbank.store.queries import Summary

LIST_KINDS: dict[str, RecordKind] = {
    "parcels": RecordKind.PARCEL,
    "factories": RecordKind.FACTORY,
    "projects": RecordKind.PROJECT,
    "regions": RecordKind.REGION,
    "parks": RecordKind.PARK,
    "quotas": RecordKind.QUOTA,
}
SHOW_KINDS: dict[str, RecordKind] = {
    "parcel": RecordKind.PARCEL,
    "factory": RecordKind.FACTORY,
    "project": RecordKind.PROJECT,
}
VIEWS = ("parcels", "factories", "projects", "quotas")
QT_COMMANDS = (None, "screenshot", "report")  # the GUI and the commands that start Qt
ACTIONS = {"create": "新建", "update": "修改", "delete": "删除"}


# ---------------------------------------------------------------- argument parsing


def _year(text: str) -> int:
    """--year: a calendar year, so SQL never sees a number it cannot hold."""
    if not text.strip().isdigit() or not 1900 <= int(text) <= 2200:
        raise argparse.ArgumentTypeError(f"“{text}”不是有效的年度（1900–2200）")
    return int(text)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


_ARGPARSE_MESSAGES = (
    (r"invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"无效的值“\1”（可选：\2）"),
    (r"invalid int value: '(.*)'", r"“\1”不是整数"),
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"expected one argument", "需要一个值"),
    (r"^argument ([^:]+): ", r"参数 \1："),
)


class _Parser(argparse.ArgumentParser):
    """argparse with Chinese headings and error messages; errors exit with code 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        add_help = kwargs.get("add_help", True)
        kwargs["add_help"] = False  # our own -h with a Chinese help text
        super().__init__(*args, **kwargs)
        self._optionals.title = "选项"
        self._positionals.title = "参数"
        if add_help:
            self.add_argument("-h", "--help", action="help", help="显示帮助并退出")

    def error(self, message: str) -> NoReturn:
        for pattern, replacement in _ARGPARSE_MESSAGES:
            message = re.sub(pattern, replacement, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{message}\n")


def build_parser() -> argparse.ArgumentParser:
    db_help = DB_HELP
    parser = _Parser(
        prog="landbank",
        description="收储地块、标准厂房、招商项目与年度指标台账。不带命令时启动图形界面。",
    )
    parser.add_argument("--db", metavar="文件或地址", help=db_help)
    parser.add_argument("--demo", action="store_true", help="启动图形界面并载入演示数据")
    parser.add_argument(
        "--version", action="version", version=f"landbank {__version__}", help="显示版本号并退出"
    )
    sub = parser.add_subparsers(dest="command", title="命令")

    def command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=description)
        # --db after the command as well; SUPPRESS keeps a --db given before it.
        p.add_argument("--db", metavar="文件或地址", default=argparse.SUPPRESS, help=db_help)
        return p

    p = command("list", "列出记录", "列出记录。")
    p.add_argument(
        "what",
        choices=list(LIST_KINDS),
        help="parcels 地块、factories 厂房、projects 项目、regions 县区、parks 园区、quotas 年度指标",
    )
    p.add_argument("--region", metavar="县区", help="只列出该县区的记录")
    p.add_argument("--status", metavar="状态", help="只列出该状态（阶段）的记录，多个用逗号分隔")
    p.add_argument("--search", metavar="文字", help="按编号、名称、坐落等搜索")
    p.add_argument("--year", type=_year, metavar="年度", help="年度指标的年度")
    p.add_argument(
        "--sort", metavar="字段", help="排序字段：中文名称或英文键，如 收储面积、area_mu、总投资"
    )
    p.add_argument("--desc", action="store_true", help="降序排列")
    p.add_argument(
        "--limit", type=int, default=100, metavar="N", help="最多列出 N 条（0 为全部，默认 100）"
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("show", "显示一条记录", "显示一条记录的全部内容和最近的修改。")
    p.add_argument("what", choices=list(SHOW_KINDS), help="parcel 地块、factory 厂房、project 项目")
    p.add_argument("key", metavar="编号或名称", help="地块编号、厂房编号、项目名称，或记录 ID")
    p.add_argument("--region", metavar="县区", help="编号在多个县区重复时指定县区")
    p.add_argument(
        "--history", type=int, default=5, metavar="N", help="显示最近 N 条修改（默认 5）"
    )
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("demo", "生成演示数据库", "在新的（空）数据库中生成演示数据（新乡市）。")
    p.add_argument(
        "--year", type=_year, default=date.today().year, metavar="年度", help="演示年度（默认今年）"
    )
    p.add_argument("--seed", type=int, default=7, help=argparse.SUPPRESS)

    p = command("screenshot", "保存界面截图", "不显示窗口，把主界面渲染成 PNG 图片。")
    p.add_argument("out", metavar="图片.png", help="保存的文件")
    p.add_argument("--view", choices=VIEWS, default="parcels", help="显示的页面（默认 parcels）")
    p.add_argument("--size", default="1400x860", metavar="宽x高", help="窗口大小（默认 1400x860）")

    add_import_parser(sub)
    add_export_parsers(sub)
    add_quota_parsers(sub)
    add_report_parser(sub)
    add_match_parsers(sub)
    add_settings_parser(sub)
    return parser


# ---------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` (the process's arguments when ``None``: the ``landbank``
    command, whose process ends when this returns); returns the exit code."""
    tune_allocator()
    args_list = list(sys.argv[1:] if argv is None else argv)
    _configure_output(json_mode="--json" in args_list)
    try:
        args = build_parser().parse_args(args_list)
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        match args.command:
            case None:
                return _run_gui(args)
            case "list":
                return _cmd_list(args)
            case "show":
                return _cmd_show(args)
            case "demo":
                return _cmd_demo(args)
            case "screenshot":
                return _cmd_screenshot(args)
            case "import":
                return run_import(args)
            case "export":
                return run_export(args)
            case "template":
                return run_template(args)
            case "quota" | "quota-defaults":
                return run_quota(args)
            case "report":
                return run_report(args)
            case "match":
                return run_match(args)
            case "reserve":
                return run_reserve(args)
            case "release":
                return run_release(args)
            case "settings":
                return run_settings(args)
        raise AssertionError(args.command)
    except CliError as exc:
        print(f"landbank：{exc}", file=sys.stderr)
        return exc.code
    except DatabaseError as exc:
        print(f"landbank：{exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``landbank list … | head``): stop quietly, as Unix tools do.
        with contextlib.suppress(OSError, ValueError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return 1
    finally:
        if argv is None and args.command not in QT_COMMANDS:
            _no_collection_at_exit()


def _no_collection_at_exit() -> None:
    """The process ends when a command returns: the cyclic collector need not walk what is
    left (after an import of 100,000 rows, ~0.5 s of a clerk's wait at exit — rows, the
    report, SQLAlchemy's caches); the operating system takes the memory back. Everything is
    written, committed and closed by then; ``atexit`` handlers and the flushing of stdout
    and stderr still run. (Not for Qt: its objects are destroyed in order at exit.)"""
    gc.freeze()  # leftover objects move to the permanent generation, which no collection walks


def _simplify_unencodable(exc: UnicodeError) -> tuple[str, int]:
    """Encoding error handler: “m²” becomes “m2” on a GBK console rather than “m?”."""
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    text = exc.object[exc.start : exc.end]
    simple = unicodedata.normalize("NFKC", text)
    try:
        simple.encode(exc.encoding)
    except (UnicodeEncodeError, LookupError):
        simple = "?" * len(text)
    return simple, exc.end


_ERRORS = "landbank-simplify"
codecs.register_error(_ERRORS, _simplify_unencodable)


def _configure_output(*, json_mode: bool) -> None:
    """Never crash on a character the console cannot show (GBK consoles, pipes on Windows).

    JSON written to a pipe or file is UTF-8 whatever the locale (unless PYTHONIOENCODING
    says otherwise); text keeps the console's encoding, simplifying what it cannot show
    (“m²” → “m2”, else “?”).
    """
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:
            continue
        options: dict[str, str] = {"errors": _ERRORS}
        if (
            json_mode
            and stream is sys.stdout
            and not os.environ.get("PYTHONIOENCODING")
            and not stream.isatty()
        ):
            options["encoding"] = "utf-8"
        with contextlib.suppress(ValueError, OSError):
            reconfigure(**options)


# ---------------------------------------------------------------- database


# ---------------------------------------------------------------- list


def _cmd_list(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.services.listing import format_table, record_to_json
    from landbank.store.queries import fetch_page, load_names, summarise

    kind = LIST_KINDS[args.what]
    statuses = parse_statuses(kind, args.what, args.status)
    if args.region is not None and kind is RecordKind.REGION:
        raise CliError("列出县区时不能用 --region 筛选")
    if args.year is not None and kind is not RecordKind.QUOTA:
        raise CliError("--year 只用于 list quotas")
    if args.limit < 0:
        raise CliError("--limit 不能小于 0")
    sort = parse_sort(kind, args.sort, descending=args.desc)
    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            flt = filter_from_args(session, args, statuses, year=args.year)
            summary = summarise(session, kind, flt)
            total = summary.count
            limit = args.limit or max(total, 1)
            rows = fetch_page(session, kind, flt, sort, limit=limit)
            names = load_names(session)
            if args.json:
                records = [record_to_json(kind, row, names) for row in rows]
                print_json({"kind": args.what, "total": total, "records": records})
                return 0
            print(format_table(kind, rows, names))
            print(_footer(kind, summary, len(rows)))
    finally:
        engine.dispose()
    return 0


def _footer(kind: RecordKind, summary: Summary, shown: int) -> str:
    from landbank.domain.fields import field_map
    from landbank.domain.units import format_number

    total = summary.count
    text = f"共 {total} 条"
    if shown < total:
        text += f"，显示前 {shown} 条（用 --limit 调整）"
    specs = field_map(kind)
    sums = [
        f"{specs[key].label} {format_number(value)} {specs[key].unit}".rstrip()
        for key, value in summary.sums.items()
    ]
    if sums and total:
        text += "；合计 " + "，".join(sums)
    return text


# ---------------------------------------------------------------- show


def _cmd_show(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.services.listing import format_fields, record_to_json
    from landbank.services.records import history, record_values
    from landbank.store.queries import load_names

    kind = SHOW_KINDS[args.what]
    engine = open_engine(args, must_exist=True)
    try:
        with Session(engine) as session:
            region_id = region_id_by_name(session, args.region)
            record = _find(session, kind, args.key.strip(), region_id)
            assert record.id is not None
            row = {**record_values(kind, record), "id": record.id}
            row.update(uuid=record.uuid, version=record.version)
            names = load_names(session)
            entries = history(session, kind, record.id)[-args.history :] if args.history > 0 else []
            if args.json:
                data = record_to_json(kind, row, names)
                data["history"] = [_history_json(kind, e) for e in entries]
                print_json(data)
                return 0
            region = names.regions.get(row["region_id"], "")
            title = getattr(record, "code", None) or getattr(record, "name", "")
            print(f"{kind.label} {title}（{region}，ID {record.id}，版本 {record.version}）")
            print("\n".join("  " + line for line in format_fields(kind, row, names)))
            if entries:
                print("\n最近的修改：")
                for entry in entries:
                    print("  " + _history_line(kind, entry))
    finally:
        engine.dispose()
    return 0


def _find(session: Session, kind: RecordKind, key: str, region_id: int | None) -> Any:
    from sqlalchemy import select
    from sqlmodel import col

    from landbank.domain.validation import MAX_INT
    from landbank.store.models import TABLES, Factory, LandParcel, Project
    from landbank.store.queries import load_names

    table: Any = {RecordKind.PARCEL: LandParcel, RecordKind.FACTORY: Factory}.get(kind, Project)
    column = col(table.name) if kind is RecordKind.PROJECT else col(table.code)
    stmt = select(table).where(column == key)
    if region_id is not None:
        stmt = stmt.where(col(table.region_id) == region_id)
    found = list(session.execute(stmt.order_by(col(table.id))).scalars())
    if not found and key.isdigit() and int(key) <= MAX_INT:
        record = session.get(TABLES[kind], int(key))
        if record is not None and (region_id is None or record.region_id == region_id):  # type: ignore[attr-defined]
            return record
    if len(found) == 1:
        return found[0]
    what = {RecordKind.PARCEL: "地块编号", RecordKind.FACTORY: "厂房编号"}.get(kind, "项目名称")
    if len(found) > 1:
        regions = load_names(session).regions
        where = "、".join(f"{regions.get(r.region_id, '?')}（ID {r.id}）" for r in found)
        raise CliError(
            f"{what}为“{key}”的{kind.label}不止一个：{where}。请用 --region 指定县区，或改用 ID"
        )
    hint = ""
    similar = list(session.execute(select(column).where(column.contains(key)).limit(5)).scalars())
    if similar:
        hint = f"（相近的：{'、'.join(similar)}）"
    if kind is RecordKind.PROJECT:
        raise CliError(f"没有名为“{key}”的项目{hint}")
    raise CliError(f"没有{what}为“{key}”的{kind.label}{hint}")


def _history_line(kind: RecordKind, entry: AuditEntry) -> str:
    from landbank.services.records import field_label
    from landbank.store.models import as_utc

    when = as_utc(entry.at).astimezone().strftime("%Y-%m-%d %H:%M")
    action = ACTIONS.get(entry.action, entry.action)
    if entry.action == "update":
        action += f"“{field_label(kind, entry.field)}”：{entry.old_value or '空'} → {entry.new_value or '空'}"
    source = f"（{entry.source}）" if entry.source and entry.source != "界面" else ""
    return f"{when}  {entry.user}  {action}{source}"


def _history_json(kind: RecordKind, entry: AuditEntry) -> dict[str, Any]:
    from landbank.store.models import as_utc

    return {
        "at": as_utc(entry.at).isoformat(),
        "user": entry.user,
        "action": entry.action,
        "field": entry.field,
        "old_value": entry.old_value,
        "new_value": entry.new_value,
        "source": entry.source,
    }


# ---------------------------------------------------------------- demo


def _cmd_demo(args: argparse.Namespace) -> int:
    from sqlmodel import Session

    from landbank.services.demo import create_demo_city
    from landbank.store.migrate import open_database
    from landbank.store.models import TABLES
    from landbank.store.queries import count_records

    if not args.db:
        raise CliError("请用 --db 指定演示数据库文件，例如：landbank demo --db 演示.sqlite3")
    if not 2000 <= args.year <= 2100:
        raise CliError("--year 应在 2000–2100 之间")
    url = database_url(args.db, Settings.load())
    engine = open_database(url)
    try:
        with Session(engine) as session:
            held = [f"{n} 条{kind.label}" for kind in TABLES if (n := count_records(session, kind))]
            if held:
                raise CliError(
                    f"数据库 {describe_url(url)} 中已有记录（{'、'.join(held)}），"
                    "演示数据只写入空数据库。请另选一个文件。"
                )
            started = time.perf_counter()
            summary = create_demo_city(session, year=args.year, seed=args.seed)
            session.commit()
            elapsed = time.perf_counter() - started
    finally:
        engine.dispose()
    print(
        f"已在 {describe_url(url)} 生成{args.year}年演示数据：{summary.describe()}（用时 {elapsed:.1f} 秒）"
    )
    return 0


# ---------------------------------------------------------------- GUI and screenshot


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from landbank.ui.app import run_gui
    except ImportError as exc:
        raise CliError(f"无法启动图形界面：{exc}", code=1) from exc
    return run_gui(args.db, demo=args.demo)


def parse_size(text: str) -> tuple[int, int]:
    m = re.fullmatch(r"\s*(\d+)\s*[xX×*]\s*(\d+)\s*", text)
    if not m or not (200 <= int(m[1]) <= 8000 and 200 <= int(m[2]) <= 8000):
        raise CliError(f"窗口大小“{text}”无效（应如 1400x860，宽高在 200–8000 之间）")
    return int(m[1]), int(m[2])


def _cmd_screenshot(args: argparse.Namespace) -> int:
    size = parse_size(args.size)
    out = Path(args.out)
    if out.suffix.lower() != ".png":
        raise CliError(f"截图文件应以 .png 结尾：{out}")
    path = sqlite_path(database_url(args.db, Settings.load()))
    if path is not None and not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    if sys.platform not in ("win32", "darwin") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from landbank.ui.app import render_screenshot
    except ImportError as exc:
        raise CliError(f"无法载入图形界面：{exc}", code=1) from exc
    try:
        render_screenshot(args.db, out, view=args.view, size=size)
    except OSError as exc:
        raise CliError(f"无法保存截图：{exc}") from exc
    print(f"已保存截图：{out}")
    return 0
