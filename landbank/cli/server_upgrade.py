"""``landbank server upgrade`` and ``landbank server restore`` (the city administrator's; issue
14 item 6): back a city's PostgreSQL database up and migrate it; restore such a backup.

Light at its top (``landbank.cli`` imports it to build the parser): the store and services are
imported when a command runs. :func:`add_server_upgrade_parsers` adds both to the ``server``
command's subparsers; :func:`run_server_upgrade_command` runs them.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from landbank.cli.common import CliError, db_argument, tidy_leftovers

SERVER_DB_HELP = "城市数据库的地址，须为服务器管理员（超级用户）：postgresql://postgres@主机/库名"
UPGRADE_COMMANDS = ("upgrade", "backup", "restore")


def add_server_upgrade_parsers(subparsers: Any) -> None:
    """Add ``upgrade`` and ``restore`` to the ``server`` command's subparsers."""
    p = subparsers.add_parser(
        "upgrade",
        help="备份后升级城市数据库的结构（市级管理员）",
        description=(
            "县区的 landbank 从不改动共用数据库的结构：新版本的 landbank 发到各县区前，由市级管理员"
            "运行本命令。先把整个数据库备份到一个文件（有 pg_dump 时用 pg_dump，否则逐表 COPY），"
            "校验无误后再升级结构（在一个事务中完成：失败则保持原结构）。"
            "备份可用 landbank server restore 恢复。"
        ),
    )
    p.add_argument("--db", required=True, type=db_argument, metavar="地址", help=SERVER_DB_HELP)
    p.add_argument(
        "--backup", metavar="文件", help="备份文件（默认：当前文件夹中的 <库名>-结构<版本>-升级前-<时间>.landbank-pg.zip）"
    )
    p.add_argument(
        "--method", choices=("auto", "pg_dump", "copy"), default="auto",
        help="备份方式：auto（默认，有合适的 pg_dump 就用它）、pg_dump、copy",
    )
    p.add_argument("--yes", action="store_true", help="不询问，直接备份并升级")

    p = subparsers.add_parser(
        "backup",
        help="备份城市数据库到一个文件（市级管理员）",
        description=(
            "在一个快照中备份整个城市数据库（县区可照常使用）：有合适的 pg_dump 时用 pg_dump，"
            "否则逐表 COPY；附清单（结构版本、各表行数与校验和），完整后才改名为目标文件。"
            "可用 landbank server restore 恢复。"
        ),
    )
    p.add_argument("--db", required=True, type=db_argument, metavar="地址", help=SERVER_DB_HELP)
    p.add_argument(
        "-o", "--output", metavar="文件", help="备份文件（默认：当前文件夹中的 <库名>-结构<版本>-<时间>.landbank-pg.zip）"
    )
    p.add_argument(
        "--method", choices=("auto", "pg_dump", "copy"), default="auto",
        help="备份方式：auto（默认，有合适的 pg_dump 就用它）、pg_dump、copy",
    )

    p = subparsers.add_parser(
        "restore",
        help="用 server backup / server upgrade 的备份恢复城市数据库（市级管理员）",
        description=(
            "把 landbank server upgrade 做的备份（或 pg_dump 自定义格式文件）恢复到一个空数据库，"
            "或结构版本相同的数据库（替换其中的全部记录）。全部成功才生效，并核对每张表的行数。"
        ),
    )
    p.add_argument("file", metavar="备份文件", help="如 landbank-结构0004-升级前-20261205-0830.landbank-pg.zip")
    p.add_argument("--db", required=True, type=db_argument, metavar="地址", help=SERVER_DB_HELP)
    p.add_argument("--yes", action="store_true", help="不询问，直接恢复")


def run_server_upgrade_command(args: argparse.Namespace) -> int:
    from sqlalchemy.exc import DBAPIError, OperationalError

    run = {"upgrade": run_server_upgrade, "backup": run_server_backup, "restore": run_server_restore}
    tidy_leftovers(None)  # what a killed backup left in a folder landbank wrote into
    try:
        return run[args.server_command](args)
    except OperationalError as exc:  # the server unreachable, a wrong password, a lost connection
        from landbank.store.migrate import explain_operational_error

        raise CliError(explain_operational_error(args.db, exc)) from None
    except DBAPIError as exc:  # refused by the server (rights, a lock timeout): nothing done
        from landbank.store.pg_backup import first_line

        raise CliError(f"数据库拒绝了操作，未作改动：{first_line(exc)}") from None


def _confirm(question: str, refusal: str) -> bool:
    if not sys.stdin.isatty():
        raise CliError(refusal)
    try:
        answer = input(question)
    except EOFError:
        answer = ""
    return answer.strip().lower() in ("y", "yes", "是")


def _size(n: int) -> str:
    from landbank.domain.backups import size_text

    return size_text(n)


def run_server_upgrade(args: argparse.Namespace) -> int:
    from landbank.services.server.upgrade import (
        UpgradeError,
        other_sessions,
        postgres_url,
        schema_state,
        upgrade_server,
    )
    from landbank.store.engine import DatabaseError, make_engine
    from landbank.store.migrate import app_version, head_revision, server_url

    try:
        url = postgres_url(args.db)
    except UpgradeError as exc:
        raise CliError(str(exc)) from None
    backup = Path(args.backup).expanduser() if args.backup else None
    if backup is not None and not backup.parent.is_dir():
        raise CliError(f"备份文件所在的文件夹不存在：{backup.parent}")
    where, head = server_url(url), head_revision()
    engine = make_engine(url)
    try:
        before, _ = schema_state(engine)
        others = other_sessions(engine) if before != head else []
    except DatabaseError as exc:
        raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    if others:
        shown = "、".join(sorted(set(others))[:8])
        print(
            f"注意：另有 {len(others)} 个连接正在使用这个数据库（{shown}）。"
            "升级要改表结构，会等它们的事务结束；请先让各县区退出 landbank。"
        )
    if not args.yes and before != head:
        print(f"数据库 {where}：结构 {before or '（空）'} → {head}（landbank {app_version()}）。先备份，再升级。")
        if not _confirm("确定升级吗？输入 y 确认：", "升级会改动共用数据库的结构，请加 --yes 确认（在终端中运行时会先询问）。"):
            print("未升级。")
            return 1
    try:
        report = upgrade_server(url, backup, method=args.method)
    except UpgradeError as exc:
        raise CliError(str(exc)) from None
    if not report.changed:
        print(f"数据库 {where} 的结构已是 {report.after}（landbank {app_version()}），无需升级，未作改动。")
        return 0
    if report.backup is not None:
        print(f"已备份到 {_describe_backup(report.backup)}。")
    print(
        f"已把数据库 {where} 的结构从 {report.before or '（空）'} 升级到 {report.after}"
        f"（用时 {report.seconds:.1f} 秒）。各县区须使用 landbank {app_version()} 或更新的版本。"
    )
    if report.backup is not None:
        print(f"如需退回：在一个空数据库上运行 landbank server restore {report.backup.path} --db …")
    return 0


def _describe_backup(b: Any) -> str:
    rows = sum(n for t, n in b.rows.items() if t != "alembic_version")
    method = "pg_dump" if b.method == "pg_dump" else "逐表 COPY"
    return f"{b.path}（结构 {b.revision}，{method}，{len(b.rows)} 张表 {rows} 行，{_size(b.size)}，用时 {b.seconds:.1f} 秒）"


def run_server_backup(args: argparse.Namespace) -> int:
    from landbank.services.server.upgrade import UpgradeError, backup_server, postgres_url

    try:
        url = postgres_url(args.db)
    except UpgradeError as exc:
        raise CliError(str(exc)) from None
    target = Path(args.output).expanduser() if args.output else None
    if target is not None and not target.parent.is_dir():
        raise CliError(f"备份文件所在的文件夹不存在：{target.parent}")
    if target is not None and target.exists():
        raise CliError(f"备份文件已存在：{target}（请另选文件名）")
    try:
        made = backup_server(url, target, method=args.method)
    except UpgradeError as exc:
        raise CliError(str(exc)) from None
    print(f"已备份到 {_describe_backup(made)}。")
    return 0


def run_server_restore(args: argparse.Namespace) -> int:
    from landbank.services.server.upgrade import (
        UpgradeError,
        postgres_url,
        restore_plan,
        restore_server,
    )
    from landbank.store.migrate import server_url
    from landbank.store.pg_backup import PgBackupError

    source = Path(args.file).expanduser()
    try:
        url = postgres_url(args.db)
        plan = restore_plan(url, source)
    except (UpgradeError, PgBackupError) as exc:
        raise CliError(str(exc)) from None
    where = server_url(url)
    if plan.replaces and not args.yes:
        held = "、".join(f"{t} {n} 行" for t, n in plan.replaces.items() if n)
        print(f"数据库 {where}（结构 {plan.revision}）中现有的记录（{held or '无'}）将被备份中的记录替换。")
        if not _confirm("确定恢复吗？输入 y 确认：", "恢复会替换数据库中现有的记录，请加 --yes 确认（在终端中运行时会先询问）。"):
            print("未恢复。")
            return 1
    try:
        done = restore_server(url, source)
    except PgBackupError as exc:
        raise CliError(str(exc)) from None
    rows = sum(n for t, n in done.rows.items() if t != "alembic_version")
    checked = "行数与备份一致" if done.checked else "（pg_dump 文件没有清单，未核对行数）"
    what = "替换了原有记录" if done.replaced else "恢复到空数据库"
    print(
        f"已把 {source.name} 恢复到 {where}（{what}，结构 {done.revision}，{len(done.rows)} 张表 {rows} 行，"
        f"{checked}，用时 {done.seconds:.1f} 秒）。"
    )
    if not done.replaced:
        print("如果这是新的服务器或数据库，请再运行 landbank server init 建立账户与权限。")
    return 0
