"""A city's PostgreSQL ledger set up by ``server init`` for a test, with clerks' logins, and
the cluster-wide roles it made dropped afterwards (roles outlive the test's database).

Login names carry the database's own suffix, so tests running at once never share a role.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import psycopg
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from landbank.services.server.roles import RoleNames, Scope, role_names
from landbank.services.server.setup import admin_connection, init_server
from landbank.services.server.users import add_user
from landbank.store.engine import make_engine

PASSWORD = "Mima-2024!"


@dataclass
class CityServer:
    url: str  # the superuser's address (the test database's)
    names: RoleNames
    logins: list[str] = field(default_factory=list)
    engines: list[Engine] = field(default_factory=list)

    @property
    def database(self) -> str:
        return str(make_url(self.url).database)

    def login_name(self, name: str) -> str:
        return f"{name}_{self.database[-6:]}"

    def add_login(
        self, name: str, scope: Scope, region: str | None = None, display: str = ""
    ) -> str:
        login = self.login_name(name)
        with admin_connection(self.url) as conn:
            add_user(conn, self.names, login, scope, PASSWORD, region=region, display_name=display)
        self.logins.append(login)
        return login

    def login_url(self, login: str, password: str = PASSWORD) -> str:
        url = make_url(self.url).set(username=login, password=password, host="127.0.0.1")
        return url.render_as_string(hide_password=False)

    def engine_as(self, login: str) -> Engine:
        engine = make_engine(self.login_url(login))
        self.engines.append(engine)
        return engine

    def connect_as(self, login: str) -> Any:
        url = make_url(self.url)
        return psycopg.connect(
            host="127.0.0.1",
            port=url.port or 5432,
            user=login,
            password=PASSWORD,
            dbname=self.database,
            connect_timeout=5,
        )


def drop_roles(url: str, names: RoleNames, logins: list[str]) -> None:
    """Drop the test's logins and the database's roles (their rights first)."""
    parsed = make_url(url)
    with psycopg.connect(
        host=parsed.host or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        dbname=str(parsed.database),
        autocommit=True,
    ) as conn:
        roles = [*logins, names.owner, *names.groups]
        existing = [
            r
            for (r,) in conn.execute(
                "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (roles,)
            ).fetchall()
        ]
        for role in existing:
            conn.execute(f'REASSIGN OWNED BY "{role}" TO CURRENT_USER')
            conn.execute(f'DROP OWNED BY "{role}"')
        for role in roles:
            if role in existing:
                conn.execute(f'DROP ROLE "{role}"')


@contextmanager
def city_server(postgres_url: str) -> Iterator[CityServer]:
    """``server init`` on the test's PostgreSQL database; its roles dropped afterwards."""
    names = role_names(str(make_url(postgres_url).database))
    server = CityServer(postgres_url, names)
    try:
        init_server(postgres_url)
        yield server
    finally:
        for engine in server.engines:
            engine.dispose()
        drop_roles(postgres_url, names, server.logins)


__all__ = ["PASSWORD", "CityServer", "Scope", "city_server"]
