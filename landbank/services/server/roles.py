"""The roles of a city's PostgreSQL ledger: an owner no clerk logs in as, and four group roles
every clerk's own login belongs to (issue 14).

Roles are the server's, not the database's: one PostgreSQL server may hold several cities'
ledgers, so each database has roles of its own, named after it — ``<database>_owner``,
``<database>_admin`` (市级管理员), ``<database>_city`` (市级录入：全市可写),
``<database>_county`` (县区录入：全市可读，只写本县区), ``<database>_viewer`` (只读). A
database named ``landbank`` thus has ``landbank_owner``, ``landbank_admin`` …; a database name
that is not a plain lower-case identifier (or is too long) is replaced by ``landbank_`` and 10
hex digits of its hash.

Every role here is NOLOGIN, never SUPERUSER nor BYPASSRLS: the owner and a superuser bypass
row-level security, so the app never connects as either. The SQL of the roles is here, the
SQL of the tables' rights in :mod:`landbank.services.server.policies`.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from psycopg import sql


class Scope(StrEnum):
    """What a login may do (kept in landbank_user.scope)."""

    ADMIN = "admin"  # 市级管理员: writes the whole city, manages accounts
    CITY = "city"  # 市级录入: writes the whole city
    COUNTY = "county"  # 县区录入: reads the whole city, writes its own county
    VIEWER = "viewer"  # 只读

    @property
    def label(self) -> str:
        return _SCOPE_LABELS[self]


_SCOPE_LABELS = {
    Scope.ADMIN: "市级管理员",
    Scope.CITY: "市级（全市可写）",
    Scope.COUNTY: "县区（只写本县区）",
    Scope.VIEWER: "只读",
}

_PLAIN_NAME = re.compile(r"[a-z_][a-z0-9_]{0,40}")


@dataclass(frozen=True)
class RoleNames:
    """The role names of one database."""

    prefix: str

    @property
    def owner(self) -> str:
        return f"{self.prefix}_owner"

    def group(self, scope: Scope) -> str:
        return f"{self.prefix}_{scope.value}"

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(self.group(scope) for scope in Scope)

    @property
    def writers(self) -> tuple[str, ...]:
        return (self.group(Scope.ADMIN), self.group(Scope.CITY), self.group(Scope.COUNTY))

    @property
    def city_writers(self) -> tuple[str, ...]:
        return (self.group(Scope.ADMIN), self.group(Scope.CITY))


def role_names(database: str) -> RoleNames:
    """The role names of the database called ``database`` (see the module doc)."""
    if _PLAIN_NAME.fullmatch(database):
        return RoleNames(database)
    digest = hashlib.sha256(database.encode("utf-8")).hexdigest()[:10]
    return RoleNames(f"landbank_{digest}")


# ---------------------------------------------------------------- SQL

ROLE_ATTRIBUTES = "SELECT rolcanlogin, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = %s"
IS_SUPERUSER = "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
CREATE_GROUP = "CREATE ROLE {} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
MAKE_GROUP = "ALTER ROLE {} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS"
DATABASE_RIGHTS = (
    "REVOKE CONNECT, TEMPORARY ON DATABASE {db} FROM PUBLIC",
    "GRANT CONNECT ON DATABASE {db} TO {groups}",
    "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
    "GRANT USAGE, CREATE ON SCHEMA public TO {owner}",
    "GRANT USAGE ON SCHEMA public TO {groups}",
)
# Tables, views and sequences of the schema not owned by the owner (a sequence linked to a
# table moves with its table).
NOT_OWNED = """
SELECT c.relname, c.relkind FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
  AND pg_get_userbyid(c.relowner) <> %s
  AND NOT (c.relkind = 'S' AND EXISTS (
      SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))
ORDER BY c.relkind = 'S', c.relname
"""
OWNER_OF = {
    "r": "ALTER TABLE {} OWNER TO {}",
    "p": "ALTER TABLE {} OWNER TO {}",
    "v": "ALTER VIEW {} OWNER TO {}",
    "m": "ALTER MATERIALIZED VIEW {} OWNER TO {}",
    "S": "ALTER SEQUENCE {} OWNER TO {}",
}


def role_exists(cur: Any, name: str) -> bool:
    cur.execute(ROLE_ATTRIBUTES, (name,))
    return cur.fetchone() is not None


def ensure_roles(cur: Any, names: RoleNames, database: str) -> list[str]:
    """Create the owner and the group roles that are missing (and make any that exist
    NOLOGIN, never superuser nor BYPASSRLS); give them the database and the schema. Returns
    what was created."""
    created = []
    for name in (names.owner, *names.groups):
        if role_exists(cur, name):
            cur.execute(ROLE_ATTRIBUTES, (name,))
            login, superuser, bypass = cur.fetchone()
            if login or superuser or bypass:
                cur.execute(sql.SQL(MAKE_GROUP).format(sql.Identifier(name)))
        else:
            cur.execute(sql.SQL(CREATE_GROUP).format(sql.Identifier(name)))
            created.append(name)
    parts = {
        "db": sql.Identifier(database),
        "owner": sql.Identifier(names.owner),
        "groups": sql.SQL(", ").join(sql.Identifier(g) for g in names.groups),
    }
    for statement in DATABASE_RIGHTS:
        cur.execute(sql.SQL(statement).format(**parts))
    return created


def hand_to_owner(cur: Any, names: RoleNames) -> list[str]:
    """Make the owner role own every table, view and sequence of the schema. Returns the
    names of those it took over."""
    cur.execute(NOT_OWNED, (names.owner,))
    moved = []
    for relname, relkind in cur.fetchall():
        statement = sql.SQL(OWNER_OF[relkind]).format(
            sql.Identifier(relname), sql.Identifier(names.owner)
        )
        cur.execute(statement)
        moved.append(relname)
    return moved
