"""``landbank server init``: set up (or bring up to date) a city's PostgreSQL ledger.

Run by the server's administrator with a superuser's address (``postgresql://postgres@host/db``):

1. the owner and group roles (:mod:`landbank.services.server.roles`) that are missing;
2. every table, view and sequence of the schema handed to the owner;
3. the schema created or upgraded (:func:`landbank.store.migrate.upgrade_database`) in a
   connection that has taken the owner's role, so what the migrations create is the owner's;
4. grants, row-level security, the accounts table and the audit's triggers
   (:mod:`landbank.services.server.policies`), again as the owner.

Running it again adds only what is missing: an existing database keeps its rows, roles and
accounts. Nothing here is run by a clerk's app.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import URL, make_url

from landbank.services.server.policies import apply_rights
from landbank.services.server.roles import (
    IS_SUPERUSER,
    RoleNames,
    ensure_roles,
    hand_to_owner,
    role_names,
)


class ServerError(Exception):
    """A server task that cannot be done; ``str()`` is the Chinese reason."""


@dataclass
class InitReport:
    database: str
    roles: RoleNames
    created_roles: list[str] = field(default_factory=list)
    owned: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    revision_before: str | None = None
    revision: str | None = None

    @property
    def changed(self) -> bool:
        return bool(
            self.created_roles or self.owned or self.added or self.revision_before != self.revision
        )


def server_address(url: str) -> URL:
    """``url`` (``postgresql://…``) as a SQLAlchemy URL with the psycopg driver; refuses
    anything but PostgreSQL."""
    if "://" not in url:
        raise ServerError(
            f"服务器命令只用于 PostgreSQL：“{url}”不是 postgresql:// 地址（单机 SQLite 台账不需要设置账户）"
        )
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ServerError(
            f"“{url}”不是有效的数据库地址（应为 postgresql://用户@主机/库名）"
        ) from exc
    if parsed.get_backend_name() != "postgresql":
        raise ServerError(
            f"服务器命令只用于 PostgreSQL：“{url}”不是 postgresql:// 地址（单机 SQLite 台账不需要设置账户）"
        )
    if not parsed.database:
        raise ServerError(f"地址“{url}”没有给出数据库名（postgresql://用户@主机/库名）")
    return parsed.set(drivername="postgresql+psycopg")


@contextmanager
def admin_connection(url: str) -> Iterator[Any]:
    """A psycopg connection with the administrator's address (not autocommit: the caller
    commits); refuses a login that is not a superuser."""
    import psycopg

    address = server_address(url)
    try:
        conn = psycopg.connect(
            host=address.host or "127.0.0.1",
            port=address.port or 5432,
            user=address.username or None,
            password=address.password or None,
            dbname=address.database,
            connect_timeout=10,
        )
    except psycopg.OperationalError as exc:
        raise ServerError(f"无法连接数据库服务器 {_shown(address)}：{_first_line(exc)}") from None
    try:
        with conn.cursor() as cur:
            cur.execute(IS_SUPERUSER)
            row = cur.fetchone()
        if not row or not row[0]:
            raise ServerError(
                f"须以服务器的超级用户（如 postgres）运行：{address.username or '当前用户'} 不是超级用户"
            )
        conn.rollback()
        yield conn
    finally:
        conn.close()


def _shown(address: URL) -> str:
    return address.set(drivername="postgresql").render_as_string(hide_password=True)


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def owner_url(url: str, names: RoleNames) -> str:
    """The administrator's address with the owner's role taken at connection start."""
    address = server_address(url).update_query_dict({"options": f"-c role={names.owner}"})
    return address.render_as_string(hide_password=False)


def init_server(url: str) -> InitReport:
    """Set up or update the ledger at ``url`` (a superuser's address). See the module doc."""
    from landbank.store.engine import make_engine
    from landbank.store.migrate import stored_revision, upgrade_database

    address = server_address(url)
    database = str(address.database)
    names = role_names(database)
    report = InitReport(database, names)
    with admin_connection(url) as conn:
        with conn.cursor() as cur:
            report.created_roles = ensure_roles(cur, names, database)
            report.owned = hand_to_owner(cur, names)
        conn.commit()
        engine = make_engine(owner_url(url, names))
        try:
            report.revision_before = stored_revision(engine)
            upgrade_database(engine)
            report.revision = stored_revision(engine)
        finally:
            engine.dispose()
        with conn.cursor() as cur:
            report.owned += hand_to_owner(cur, names)
            cur.execute(f'SET LOCAL ROLE "{names.owner}"')
            report.added = apply_rights(cur, names)
        conn.commit()
    return report
