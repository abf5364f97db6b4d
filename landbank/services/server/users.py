"""Clerks' accounts on a city's PostgreSQL ledger: each clerk logs in as a role of their own
(LOGIN, a member of one group role of :mod:`landbank.services.server.roles`), listed in
``landbank_user`` with their scope, county and display name (issue 14).

Passwords never travel or rest in plain text here: the SCRAM-SHA-256 verifier is computed on
this side (libpq's ``PQencryptPasswordConn`` through psycopg) and sent as a quoted literal,
so the server's statement log holds no password either. The functions take a psycopg
connection of a superuser (:func:`landbank.services.server.setup.admin_connection`) and
commit on success.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from psycopg import sql

from landbank.services.server.roles import RoleNames, Scope, role_exists
from landbank.services.server.setup import ServerError

LOGIN_PATTERN = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,49}")
MAX_DISPLAY_NAME = 50

CREATE_LOGIN = (
    "CREATE ROLE {login} LOGIN PASSWORD {verifier} IN ROLE {group} "
    "NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
)
SET_PASSWORD = "ALTER ROLE {login} PASSWORD {verifier}"
ADD_ACCOUNT = (
    "INSERT INTO landbank_user (login, display_name, scope, region_id) VALUES (%s, %s, %s, %s)"
)
ACCOUNTS = """
SELECT u.login, u.display_name, u.scope, r.name
FROM landbank_user u LEFT JOIN region r ON r.id = u.region_id
ORDER BY u.scope = 'admin' DESC, r.name NULLS FIRST, u.login
"""
ACCOUNT = "SELECT scope FROM landbank_user WHERE login = %s"
ADMIN_COUNT = "SELECT count(*) FROM landbank_user WHERE scope = 'admin'"
REMOVE_ACCOUNT = "DELETE FROM landbank_user WHERE login = %s"
REGION_BY_NAME = "SELECT id, name FROM region WHERE name = %s OR name LIKE %s ORDER BY name"
REGION_NAMES = "SELECT name FROM region ORDER BY name"
OTHER_MEMBERSHIPS = """
SELECT g.rolname FROM pg_auth_members m
JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
WHERE u.rolname = %s AND NOT (g.rolname = ANY(%s))
"""
USER_TABLE_EXISTS = "SELECT to_regclass('public.landbank_user') IS NOT NULL"


@dataclass(frozen=True)
class Account:
    login: str
    display_name: str
    scope: Scope
    region: str | None  # the county of a county clerk


def check_login(login: str) -> str:
    """A login name as PostgreSQL and a clerk's PC both take it: a letter, then letters,
    digits, ``_ . -`` (at most 50); raises :class:`ServerError` otherwise."""
    if not LOGIN_PATTERN.fullmatch(login):
        raise ServerError(
            f"登录名“{login}”无效：须以英文字母开头，只含英文字母、数字和 _ . -，至多 50 个字符"
            "（中文姓名请用 --name 给出）"
        )
    if login.lower().startswith("pg_") or login.lower() in {"postgres", "public"}:
        raise ServerError(f"登录名“{login}”是 PostgreSQL 保留的名字，请换一个")
    return login


def check_password(password: str) -> str:
    if not password:
        raise ServerError("密码不能为空")
    if password != password.strip() or "\0" in password:
        raise ServerError("密码不能以空格开头或结尾，也不能含有空字符")
    return password


def _require_setup(cur: Any) -> None:
    cur.execute(USER_TABLE_EXISTS)
    row = cur.fetchone()
    if not row or not row[0]:
        raise ServerError("该数据库还没有设置账户：请先运行 landbank server init")


def _verifier(conn: Any, login: str, password: str) -> sql.Composable:
    verifier = conn.pgconn.encrypt_password(password.encode("utf-8"), login.encode("utf-8"))
    return sql.Literal(verifier.decode("ascii"))


def _region(cur: Any, name: str) -> tuple[int, str]:
    cur.execute(REGION_BY_NAME, (name, f"{name}%"))
    rows = cur.fetchall()
    exact = [row for row in rows if row[1] == name]
    if exact or len(rows) == 1:
        region_id, region_name = (exact or rows)[0]
        return int(region_id), str(region_name)
    if rows:
        raise ServerError(f"“{name}”可以指多个县区：{'、'.join(r[1] for r in rows)}，请写全称")
    cur.execute(REGION_NAMES)
    known = "、".join(row[0] for row in cur.fetchall()) or "（台账里还没有县区）"
    raise ServerError(f"台账里没有县区“{name}”（已有：{known}）")


def add_user(
    conn: Any,
    names: RoleNames,
    login: str,
    scope: Scope,
    password: str,
    *,
    region: str | None = None,
    display_name: str = "",
) -> Account:
    """Create the login role of a clerk, member of the group of ``scope`` (a county clerk's
    county is ``region``), and list it in landbank_user. Commits."""
    check_login(login)
    check_password(password)
    display = " ".join(display_name.split()) or login
    if len(display) > MAX_DISPLAY_NAME:
        raise ServerError(f"显示名称不能超过 {MAX_DISPLAY_NAME} 个字")
    with conn.cursor() as cur:
        _require_setup(cur)
        region_id, region_name = None, None
        if scope is Scope.COUNTY:
            if not region:
                raise ServerError("县区账户须用 --region 指定所属县区")
            region_id, region_name = _region(cur, region)
        if role_exists(cur, login):
            raise ServerError(
                f"数据库服务器上已有名为“{login}”的角色（账户或系统角色），请换一个登录名"
            )
        cur.execute(
            sql.SQL(CREATE_LOGIN).format(
                login=sql.Identifier(login),
                verifier=_verifier(conn, login, password),
                group=sql.Identifier(names.group(scope)),
            )
        )
        cur.execute(ADD_ACCOUNT, (login, display, scope.value, region_id))
    conn.commit()
    return Account(login, display, scope, region_name)


def list_users(conn: Any) -> list[Account]:
    with conn.cursor() as cur:
        _require_setup(cur)
        cur.execute(ACCOUNTS)
        rows = cur.fetchall()
    conn.rollback()
    return [Account(login, display, Scope(scope), region) for login, display, scope, region in rows]


def _account_scope(cur: Any, login: str) -> Scope:
    _require_setup(cur)
    cur.execute(ACCOUNT, (login,))
    row = cur.fetchone()
    if row is None:
        raise ServerError(f"没有账户“{login}”（landbank server users 列出全部账户）")
    return Scope(row[0])


def set_password(conn: Any, login: str, password: str) -> None:
    """A new password for an account of this ledger. Commits."""
    check_password(password)
    with conn.cursor() as cur:
        _account_scope(cur, login)
        cur.execute(
            sql.SQL(SET_PASSWORD).format(
                login=sql.Identifier(login), verifier=_verifier(conn, login, password)
            )
        )
    conn.commit()


def remove_user(conn: Any, names: RoleNames, login: str) -> None:
    """Remove an account: its row and its role (only its membership of this ledger's group
    when it also belongs to other roles, e.g. another city's ledger). The last administrator
    is kept. Commits; the audit keeps the name."""
    with conn.cursor() as cur:
        scope = _account_scope(cur, login)
        if scope is Scope.ADMIN:
            cur.execute(ADMIN_COUNT)
            row = cur.fetchone()
            if row is not None and row[0] <= 1:
                raise ServerError(f"“{login}”是最后一个市级管理员，不能删除：请先添加另一个管理员")
        cur.execute(REMOVE_ACCOUNT, (login,))
        cur.execute(OTHER_MEMBERSHIPS, (login, list(names.groups)))
        if cur.fetchall():
            cur.execute(
                sql.SQL("REVOKE {} FROM {}").format(
                    sql.Identifier(names.group(scope)), sql.Identifier(login)
                )
            )
        else:
            cur.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(login)))
    conn.commit()
