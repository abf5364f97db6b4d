"""``landbank server import-ledger | export-ledger``: a county's own SQLite ledger into the
city's PostgreSQL ledger, and a county's part back out as a SQLite ledger (issue 14 item 7).

    landbank server import-ledger 台账.sqlite3 --db postgresql://postgres@主机/库名
                                  [--region 县区] [--dry-run]
    landbank server export-ledger 台账.sqlite3 --region 县区 --db postgresql://登录名@主机/库名

Both live under ``server`` beside the other commands of the city's administrator; the export
only reads, so a county clerk may run it with its own login. Exit codes: 0 done (a dry run
without clashes too), 2 bad input or clashes (nothing written), with the reasons in Chinese.
Light at its top: the services are imported when a command runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from landbank.cli.common import CliError, db_argument

LEDGER_COMMANDS = ("import-ledger", "export-ledger")


def add_server_ledger_parsers(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "import-ledger",
        help="把县区单机台账（SQLite）并入城市数据库（服务器管理员）",
        description="把一个县区自己的 SQLite 台账——县区、园区、地块、厂房、项目、年度指标、意向锁定和"
        "修改记录（连同标准地指标和亩均效益评价方法）——并入城市的 PostgreSQL 数据库：全部成功才生效。编号在本县区已有、项目名称重复等"
        "冲突会逐条列出，此时什么也不写。台账文件本身不会被改动。",
    )
    p.add_argument("file", metavar="台账文件", help="县区的 SQLite 台账（.sqlite3）")
    p.add_argument(
        "--db",
        required=True,
        type=db_argument,
        metavar="地址",
        help="城市数据库的地址，须为服务器的超级用户：postgresql://postgres@主机/库名",
    )
    p.add_argument("--region", metavar="县区", help="只导入台账中这个县区的记录（默认：全部）")
    p.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    p = subparsers.add_parser(
        "export-ledger",
        help="把城市数据库中一个县区的部分导出为单机台账（SQLite）",
        description="把一个县区的园区、地块、厂房、项目、年度指标、意向锁定和修改记录写成一个新的 "
        "SQLite 台账，landbank 可直接打开。不覆盖已有的文件。",
    )
    p.add_argument("file", metavar="台账文件", help="要新建的 SQLite 台账（.sqlite3）")
    p.add_argument("--region", required=True, metavar="县区", help="导出哪个县区（可写简称）")
    p.add_argument(
        "--db",
        required=True,
        type=db_argument,
        metavar="地址",
        help="城市数据库的地址：postgresql://登录名@主机/库名",
    )


def run_server_ledger_command(args: argparse.Namespace) -> int:
    import psycopg

    from landbank.services.server.setup import ServerError
    from landbank.store.engine import DatabaseError

    try:
        if args.server_command == "import-ledger":
            return _import(args)
        return _export(args)
    except (ServerError, DatabaseError) as exc:
        raise CliError(str(exc)) from None
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CliError(f"数据库服务器拒绝了操作：{first}") from None


def _import(args: argparse.Namespace) -> int:
    from landbank.services.server.ledger_transfer import import_ledger
    from landbank.services.server.setup import server_address

    server_address(args.db)  # a PostgreSQL address before the file is read
    report = import_ledger(Path(args.file), args.db, region=args.region, dry_run=args.dry_run)
    mode = "（试运行，不写入）" if report.dry_run else ""
    print(f"台账 {report.source} → 城市数据库 {report.database}{mode}")
    for line in report.regions:
        print(f"  县区：{line}")
    added = "、".join(f"{k.label} {n}" for k, n in report.added.items() if n) or "无"
    print(f"  新增：{added}；修改记录 {report.history} 条；附件 {report.attachments} 个")
    if report.attachments_same:
        print(f"  城市库已有的附件 {report.attachments_same} 个（跳过）")
    print(f"  {'；'.join(report.table_lines())}")
    if report.same:
        same = "、".join(f"{k.label} {n}" for k, n in report.same.items())
        print(f"  城市库已有、未改动的同一记录（相同 uuid，跳过）：{same}")
    if report.history_left:
        print(f"  未导入的修改记录 {report.history_left} 条（已删除的记录、县区名单、设置）")
    for note in report.notes:
        print(f"  说明：{note}")
    if report.clashes:
        print(f"冲突 {len(report.clashes)} 处：")
        for clash in report.clashes:
            print(f"  {clash}")
        raise CliError(f"有 {len(report.clashes)} 处冲突，未写入任何记录：请先在台账或城市库中处理")
    if report.dry_run:
        print("没有冲突；去掉 --dry-run 即可导入。")
    elif report.written and not report.anything_new:
        print("城市库已有这份台账的全部记录，没有新增。")
    elif report.written:
        print(f"已导入，用时 {report.seconds:.1f} 秒")
    return 0


def _export(args: argparse.Namespace) -> int:
    from landbank.services.server.ledger_export import export_ledger
    from landbank.services.server.setup import server_address

    server_address(args.db)
    path = Path(args.file).expanduser()
    if path.suffix.lower() not in (".sqlite3", ".sqlite", ".db"):
        raise CliError(f"台账文件应以 .sqlite3 结尾：“{args.file}”")
    report = export_ledger(args.db, args.region, path)
    counts = "、".join(f"{k.label} {n}" for k, n in report.counts.items())
    print(
        f"已导出 {report.region} 到 {report.path}：{counts}；修改记录 {report.history} 条；"
        f"附件 {report.attachments} 个；年度经营数据 {report.yields} 行；"
        f"标准地指标 {report.standards} 行；亩均效益评价方法 {report.schemes} 个"
    )
    if report.cleared:
        print(f"  其他县区项目的意向锁定 {report.cleared} 处未带出（已清空）")
    return 0
