"""``landbank server init | add-user | users | set-password | remove-user``: setting up a
city's PostgreSQL ledger and its clerks' accounts (issue 14; the server's administrator, with a
superuser's address).

    landbank server init --db postgresql://postgres@主机/库名
    landbank server add-user NAME (--region 县区 | --city | --admin | --read-only)
                             [--name 显示名称] [--password 密码] --db …
    landbank server users [--json] --db …
    landbank server set-password NAME [--password 密码] --db …
    landbank server remove-user NAME --db …

A password not given is asked for twice without echo (an empty one is refused). Exit codes: 0
done, 2 bad input or a server that refuses, with the reason in Chinese on stderr.

Light at its top (``landbank.cli`` imports it to build the parser): the services are
imported when a command runs. :func:`add_server_parsers` adds the commands to the ``server``
command's subparsers; :func:`run_server_command` runs them.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from landbank.cli.common import CliError, db_argument, print_json

SERVER_COMMANDS = ("init", "add-user", "users", "set-password", "remove-user")
ADMIN_DB_HELP = "城市数据库的地址，须为服务器的超级用户：postgresql://postgres@主机/库名"


def add_server_parsers(subparsers: Any) -> None:
    """Add the setup and account commands to the ``server`` command's subparsers."""

    def command(name: str, help_text: str, description: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = subparsers.add_parser(
            name, help=help_text, description=description
        )
        p.add_argument("--db", required=True, type=db_argument, metavar="地址", help=ADMIN_DB_HELP)
        return p

    command(
        "init",
        "建立或更新城市数据库：结构、角色与权限（服务器管理员）",
        "在 PostgreSQL 上建立（或升级）landbank 的数据表，建立不能登录的所有者角色和四个组角色"
        "（<库名>_admin 市级管理员、<库名>_city 市级录入、<库名>_county 县区录入、"
        "<库名>_viewer 只读），并设置行级安全：县区账户全市可读，只能改本县区的记录；"
        "审计记录只能追加。再次运行只补上缺少的部分。",
    )
    p = command(
        "add-user",
        "添加账户（每位工作人员一个登录名）",
        "为一位工作人员建立数据库登录名，并指定范围：某县区（只写本县区）、市级、市级管理员或只读。",
    )
    p.add_argument("login", metavar="登录名", help="英文字母开头，如 zhangsan")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--region", metavar="县区", help="县区账户：所属县区（只写本县区的记录）")
    scope.add_argument("--city", action="store_true", help="市级账户：全市可写")
    scope.add_argument("--admin", action="store_true", help="市级管理员：全市可写，管理账户")
    scope.add_argument("--read-only", action="store_true", help="只读账户")
    p.add_argument("--name", default="", metavar="姓名", help="显示名称（审计记录中显示），如 张三")
    p.add_argument("--password", metavar="密码", help="密码（不给出时询问，输入不显示）")

    p = command("users", "列出账户", "列出本数据库的账户：登录名、显示名称、范围、县区。")
    p.add_argument("--json", action="store_true", help="输出 JSON")

    p = command("set-password", "修改账户的密码", "为一个账户设置新密码。")
    p.add_argument("login", metavar="登录名")
    p.add_argument("--password", metavar="密码", help="新密码（不给出时询问，输入不显示）")

    p = command(
        "remove-user",
        "删除账户",
        "删除一个账户（审计记录保留其姓名）。最后一个市级管理员不能删除。",
    )
    p.add_argument("login", metavar="登录名")


def _interactive() -> bool:
    return sys.stdin.isatty()


def ask_password(login: str) -> str:
    """The password typed twice without echo; refuses an empty one or two that differ, and
    asks nothing when not on a terminal (where it could not hide the typing)."""
    if not _interactive():
        raise CliError("不在终端中运行，无法不显示地输入密码：请用 --password 给出")
    try:
        first = getpass.getpass(f"{login} 的密码：")
        second = getpass.getpass("再输入一次：")
    except EOFError:
        raise CliError("没有读到密码：请在终端中输入，或用 --password 给出") from None
    if not first:
        raise CliError("密码不能为空")
    if first != second:
        raise CliError("两次输入的密码不一致，未作改动")
    return first


@contextmanager
def _server_errors() -> Iterator[None]:
    """A refusal of the services or the server as a Chinese message (exit 2)."""
    import psycopg

    from landbank.services.server.setup import ServerError

    try:
        yield
    except ServerError as exc:
        raise CliError(str(exc)) from None
    except psycopg.Error as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise CliError(f"数据库服务器拒绝了操作：{first}") from None


def run_server_command(args: argparse.Namespace) -> int:
    with _server_errors():
        match args.server_command:
            case "init":
                return _init(args)
            case "add-user":
                return _add_user(args)
            case "users":
                return _users(args)
            case "set-password":
                return _set_password(args)
            case "remove-user":
                return _remove_user(args)
    raise AssertionError(args.server_command)


def _names(url: str) -> Any:
    from landbank.services.server.roles import role_names
    from landbank.services.server.setup import server_address

    return role_names(str(server_address(url).database))


def _init(args: argparse.Namespace) -> int:
    from landbank.services.server.setup import init_server

    report = init_server(args.db)
    names = report.roles
    print(f"数据库 {report.database}：结构版本 {report.revision or '（无）'}", end="")
    if report.revision_before != report.revision:
        print(
            f"（原为 {report.revision_before}）" if report.revision_before else "（原为空库）",
            end="",
        )
    print()
    if not report.changed:
        print("角色、权限与行级安全都已齐全，未作改动。")
        return 0
    if report.created_roles:
        print(f"新建角色：{'、'.join(report.created_roles)}")
    if report.owned:
        print(f"交给所有者 {names.owner} 的表：{'、'.join(report.owned)}")
    if report.added:
        print(f"新增规则：{len(report.added)} 条（行级安全与审计触发器）")
    print(
        f"组角色：{names.group(_scope('admin'))}（市级管理员）、{names.group(_scope('city'))}"
        f"（市级）、{names.group(_scope('county'))}（县区）、{names.group(_scope('viewer'))}（只读）"
    )
    print("下一步：landbank server add-user 登录名 --admin --db … 添加市级管理员")
    return 0


def _scope(value: str) -> Any:
    from landbank.services.server.roles import Scope

    return Scope(value)


def _password(args: argparse.Namespace) -> str:
    if args.password is not None:
        if not args.password:
            raise CliError("密码不能为空")
        return str(args.password)
    return ask_password(args.login)


def _add_user(args: argparse.Namespace) -> int:
    from landbank.services.server.roles import Scope
    from landbank.services.server.setup import admin_connection
    from landbank.services.server.users import add_user, check_login

    check_login(args.login)  # before asking for a password
    if args.admin:
        scope = Scope.ADMIN
    elif args.city:
        scope = Scope.CITY
    elif args.read_only:
        scope = Scope.VIEWER
    else:
        scope = Scope.COUNTY
    password = _password(args)
    with admin_connection(args.db) as conn:
        account = add_user(
            conn,
            _names(args.db),
            args.login,
            scope,
            password,
            region=args.region,
            display_name=args.name,
        )
    where = f"，{account.region}" if account.region else ""
    print(f"已添加账户 {account.login}（{account.display_name}，{scope.label}{where}）")
    return 0


def _users(args: argparse.Namespace) -> int:
    from landbank.services.server.setup import admin_connection
    from landbank.services.server.users import list_users

    with admin_connection(args.db) as conn:
        accounts = list_users(conn)
    if args.json:
        print_json(
            [
                {
                    "login": a.login,
                    "display_name": a.display_name,
                    "scope": a.scope.value,
                    "scope_label": a.scope.label,
                    "region": a.region,
                }
                for a in accounts
            ]
        )
        return 0
    if not accounts:
        print("还没有账户：landbank server add-user 登录名 --admin --db … 添加市级管理员")
        return 0
    rows = [(a.login, a.display_name, a.scope.label, a.region or "") for a in accounts]
    headers = ("登录名", "显示名称", "范围", "县区")
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print("  ".join(_pad(str(cell), w) for cell, w in zip(row, widths, strict=True)).rstrip())
    print(f"共 {len(accounts)} 个账户")
    return 0


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def _set_password(args: argparse.Namespace) -> int:
    from landbank.services.server.setup import admin_connection
    from landbank.services.server.users import set_password

    password = _password(args)
    with admin_connection(args.db) as conn:
        set_password(conn, args.login, password)
    print(f"已修改 {args.login} 的密码")
    return 0


def _remove_user(args: argparse.Namespace) -> int:
    from landbank.services.server.setup import admin_connection
    from landbank.services.server.users import remove_user

    with admin_connection(args.db) as conn:
        remove_user(conn, _names(args.db), args.login)
    print(f"已删除账户 {args.login}（审计记录保留其姓名）", file=sys.stdout)
    return 0
