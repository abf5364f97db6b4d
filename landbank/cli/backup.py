"""``landbank backup`` and ``landbank restore``: the SQLite ledger's backups.

    landbank backup [-o FILE|FOLDER] [--db …]     a manual backup (into 备份/ beside the ledger)
    landbank backup --list [--json] [--db …]      the backups: date, kind, size, file
    landbank restore FILE [--yes] [--db …]        the ledger replaced by a backup

Neither opens the ledger through the migrations: a ledger is backed up as it is, and a damaged
one can be restored. ``restore`` checks the file (a landbank ledger, sound, of a schema this
landbank knows), backs the current ledger up first (kind 恢复前), restores, and upgrades the
schema when the backup is older. Without ``--yes`` it asks on a terminal and refuses otherwise.
Exit codes: 0 done, 2 bad input (missing file, not a ledger, newer schema, a target that cannot
be written, a PostgreSQL ledger — whose backups are its server's) with the reason on stderr.

Light at its top (``landbank.cli`` imports it to build the parser): the store and services are
imported when a command runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landbank.cli.common import DB_HELP, CliError, print_json, tidy_leftovers

if TYPE_CHECKING:
    from landbank.store.backup import Progress


def add_backup_parsers(subparsers: Any) -> None:
    """Add ``backup`` and ``restore`` to the ``landbank`` command's subparsers."""
    p = subparsers.add_parser(
        "backup",
        help="备份台账（或列出备份）",
        description=(
            "用 SQLite 的在线备份接口备份台账（正在使用的台账也可以备份，不会漏掉刚保存的内容），"
            "校验后保存到台账旁边的“备份”文件夹（手动备份，一直保留到删除）。"
            "软件每天打开或关闭时自动备份一次（保留 7 份每日、4 份每周），升级前和恢复前也会备份。"
            "PostgreSQL 服务器上的台账由市级管理员用 landbank server backup（或 pg_dump）备份。"
        ),
    )
    p.add_argument("--db", metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP)
    p.add_argument("-o", "--output", metavar="文件或文件夹", help="备份到这个文件（或文件夹）")
    p.add_argument("--list", action="store_true", help="列出备份：日期、类型、大小、文件")
    p.add_argument("--json", action="store_true", help="与 --list 一起：输出 JSON")

    p = subparsers.add_parser(
        "restore",
        help="用备份恢复台账",
        description=(
            "用一个备份文件替换当前台账：先检查它是完整的 landbank 台账，再把当前台账备份"
            "（恢复前），然后恢复。较早版本的备份恢复后自动升级。"
        ),
    )
    p.add_argument("--db", metavar="文件或地址", default=argparse.SUPPRESS, help=DB_HELP)
    p.add_argument(
        "file",
        metavar="备份文件",
        help="要恢复的备份（如 备份/landbank-2026-12-04-0930-daily.sqlite3）",
    )
    p.add_argument("--yes", action="store_true", help="不询问，直接恢复")


def _url(args: argparse.Namespace) -> str:
    from landbank.settings import Settings
    from landbank.store.engine import database_url

    url = database_url(getattr(args, "db", None), Settings.load())
    tidy_leftovers(url)
    return url


def _progress(what: str) -> Progress | None:
    """A percentage on stderr on a terminal; ``None`` elsewhere."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{what}… {done * 100 // max(total, 1)}%", end=end, file=sys.stderr)

    return show


def run_backup(args: argparse.Namespace) -> int:
    from landbank.domain.backups import size_text
    from landbank.services.backup.backups import backup_now, ledger_backups, ledger_file

    if args.json and not args.list:
        raise CliError("--json 只能与 --list 一起使用")
    if args.list and args.output:
        raise CliError("--list 与 -o 不能同时使用")
    url = _url(args)
    if args.list:
        return _print_list(ledger_file(url), ledger_backups(url), as_json=args.json)
    started = time.perf_counter()
    target = Path(args.output).expanduser() if args.output else None
    path = backup_now(url, target=target, progress=_progress("备份中"))
    elapsed = time.perf_counter() - started
    size = size_text(path.stat().st_size)
    print(f"已备份台账 {ledger_file(url).name} 到 {path}（{size}，用时 {elapsed:.1f} 秒）")
    return 0


def _print_list(ledger: Path, backups: list[Any], *, as_json: bool) -> int:
    from landbank.domain.backups import size_text
    from landbank.store.backup import backup_folder

    if as_json:
        print_json(
            [
                {
                    "file": str(b.path),
                    "kind": b.kind.value,
                    "kind_label": b.kind.label,
                    "taken": b.taken.isoformat(timespec="minutes"),
                    "size_bytes": b.size,
                }
                for b in backups
            ]
        )
        return 0
    folder = backup_folder(ledger)
    if not backups:
        print(f"台账 {ledger.name} 还没有备份（备份文件夹：{folder}）。")
        return 0
    print(f"台账 {ledger.name} 的备份（{len(backups)} 份，文件夹：{folder}）：")
    from landbank.cli.quota_text import table

    rows = [
        [
            f"{b.taken:%Y-%m-%d %H:%M}",
            b.kind.label,
            size_text(b.size),
            b.path.name if b.path.parent == folder else str(b.path),
        ]
        for b in backups
    ]
    print(table(["日期", "类型", "大小", "文件"], rows, [False, False, True, False]))
    return 0


def _describe(path: Path) -> str:
    """“2026-12-04 09:30 每日备份” from a backup's name, else the file's time."""
    from landbank.domain.backups import parse_backup_name

    name = parse_backup_name(path.name)
    if name is not None:
        return f"{name.taken:%Y-%m-%d %H:%M} {name.kind.label}备份"
    return f"修改于 {datetime.fromtimestamp(path.stat().st_mtime):%Y-%m-%d %H:%M}"


def run_restore(args: argparse.Namespace) -> int:
    from landbank.services.backup.backups import check_backup_file, ledger_file, restore_backup

    url = _url(args)
    source = Path(args.file).expanduser()
    ledger = ledger_file(url)
    check_backup_file(url, source)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("恢复会替换当前台账，请加 --yes 确认（在终端中运行时会先询问）。")
        print(
            f"将用备份 {source.name}（{_describe(source)}）替换当前台账 {ledger}。\n"
            "当前台账会先备份（恢复前），之后可以再恢复回来。"
        )
        try:
            answer = input("确定恢复吗？输入 y 确认：")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("未恢复。")
            return 1
    started = time.perf_counter()
    restored = restore_backup(url, source, progress=_progress("恢复中"))
    elapsed = time.perf_counter() - started
    print(f"已用 {source.name} 恢复台账 {ledger}（用时 {elapsed:.1f} 秒）。")
    if restored.before is not None:
        print(f"恢复前的台账已备份为 {restored.before}。")
    if restored.upgraded:
        print(f"备份来自较早的版本（架构版本 {restored.revision}），已升级到本程序的版本。")
    return 0
