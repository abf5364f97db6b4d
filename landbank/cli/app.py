"""The ``landbank`` command's parser and entry point: the GUI by default, a subcommand of
one of the command-group modules of :mod:`landbank.cli` otherwise.

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
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NoReturn

from landbank.allocator import tune_allocator
from landbank.cli.attachments import add_attachment_parsers, run_attach, run_attachments
from landbank.cli.backup import add_backup_parsers, run_backup, run_restore
from landbank.cli.common import (
    DB_HELP,
    CliError,
    db_argument,
    report_failure,
)
from landbank.cli.efficiency import add_efficiency_parsers, run_efficiency
from landbank.cli.exporting import add_export_parsers, run_export, run_template
from landbank.cli.gui import add_screenshot_parser, run_gui_command, run_screenshot
from landbank.cli.importing import add_import_parser, run_import
from landbank.cli.land_life import add_yields_parsers, run_yields
from landbank.cli.matching import add_match_parsers, run_match, run_release, run_reserve
from landbank.cli.outline import add_outline_parsers, run_outline
from landbank.cli.quota import add_quota_parsers, run_quota
from landbank.cli.records import add_records_parsers, run_demo, run_list, run_show
from landbank.cli.reports import add_report_parser, run_report
from landbank.cli.server import SERVER_COMMANDS, add_server_parsers, run_server_command
from landbank.cli.server_ledger import (
    LEDGER_COMMANDS,
    add_server_ledger_parsers,
    run_server_ledger_command,
)
from landbank.cli.server_upgrade import add_server_upgrade_parsers, run_server_upgrade_command
from landbank.cli.settings import add_settings_parser, run_settings
from landbank.cli.standards import add_standards_parsers, run_standards, standards_alias
from landbank.store.engine import DatabaseError

if TYPE_CHECKING:

    pass

QT_COMMANDS = (None, "screenshot", "report")  # the GUI and the commands that start Qt

# ---------------------------------------------------------------- argument parsing


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)


_ARGPARSE_MESSAGES = (
    (r"invalid choice: '?([^' ]*)'? \(choose from (.*)\)", r"无效的值“\1”（可选：\2）"),
    (r"invalid int value: '(.*)'", r"“\1”不是整数"),
    (r"the following arguments are required: (.*)", r"缺少参数：\1"),
    (r"unrecognized arguments: (.*)", r"无法识别的参数：\1"),
    (r"expected one argument", "需要一个值"),
    (r"expected at least one argument", "至少需要一个值"),
    (r"one of the arguments (.*) is required", r"必须给出以下参数之一：\1"),
    (r"not allowed with argument (\S+)", r"不能与参数 \1 同时使用"),
    (r"ignored explicit argument '(.*)'", r"不接受值“\1”"),
    (r"ambiguous option: (\S+) could match (.*)", r"选项 \1 有歧义（可能是：\2）"),
    (r"invalid \S+ value: '(.*)'", r"“\1”无效"),
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


class _VersionAction(argparse.Action):
    """``--version``: the version is read only when asked for (see ``landbank.__version__``)."""

    def __init__(self, option_strings: Sequence[str], dest: str, help: str | None = None) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any, **_kwargs: Any) -> NoReturn:
        import landbank

        print(f"landbank {landbank.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    db_help = DB_HELP
    parser = _Parser(
        prog="landbank",
        description="收储地块、标准厂房、招商项目与年度指标台账。不带命令时启动图形界面。",
    )
    parser.add_argument("--db", type=db_argument, metavar="文件或地址", help=db_help)
    parser.add_argument("--demo", action="store_true", help="启动图形界面并载入演示数据")
    parser.add_argument("--version", action=_VersionAction, help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", title="命令")

    def command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=description)
        # --db after the command as well; SUPPRESS keeps a --db given before it.
        p.add_argument(
            "--db", type=db_argument, metavar="文件或地址", default=argparse.SUPPRESS, help=db_help
        )
        return p

    add_records_parsers(command)
    add_attachment_parsers(command)
    add_screenshot_parser(command)

    add_import_parser(sub)
    add_export_parsers(sub)
    add_quota_parsers(sub)
    add_report_parser(sub)
    add_match_parsers(sub)
    add_settings_parser(sub)
    add_backup_parsers(sub)
    add_outline_parsers(sub)
    add_standards_parsers(sub, db_help)
    add_yields_parsers(sub, db_help)
    add_efficiency_parsers(sub, db_help)
    server = sub.add_parser(
        "server",
        help="城市服务器（PostgreSQL）的管理命令（市级管理员）",
        description="城市共用的 PostgreSQL 数据库：建立结构与权限、管理账户、备份后升级结构、恢复备份。",
    )
    server_commands = server.add_subparsers(dest="server_command", title="服务器命令", required=True)
    add_server_parsers(server_commands)
    add_server_upgrade_parsers(server_commands)
    add_server_ledger_parsers(server_commands)
    return parser


# ---------------------------------------------------------------- entry point


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command ``argv`` (the process's arguments when ``None``: the ``landbank``
    command, whose process ends when this returns); returns the exit code."""
    tune_allocator()
    args_list = standards_alias(sys.argv[1:] if argv is None else argv)
    _configure_output(json_mode="--json" in args_list)
    try:
        args = build_parser().parse_args(args_list)
    except SystemExit as exc:  # --help, --version, or a usage error (already printed)
        return exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
    try:
        match args.command:
            case None:
                return run_gui_command(args)
            case "list":
                return run_list(args)
            case "show":
                return run_show(args)
            case "attach":
                return run_attach(args)
            case "attachments":
                return run_attachments(args)
            case "demo":
                return run_demo(args)
            case "screenshot":
                return run_screenshot(args)
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
            case "backup":
                return run_backup(args)
            case "restore":
                return run_restore(args)
            case "outline":
                return run_outline(args)
            case "standards":
                return run_standards(args)
            case "yields":
                return run_yields(args)
            case "efficiency":
                return run_efficiency(args)
            case "server" if args.server_command in SERVER_COMMANDS:
                return run_server_command(args)
            case "server" if args.server_command in LEDGER_COMMANDS:
                return run_server_ledger_command(args)
            case "server":
                return run_server_upgrade_command(args)
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
    except Exception as exc:  # busy or read-only ledger, unwritable file, a bug: no traceback
        return report_failure(exc)
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


