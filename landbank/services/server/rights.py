"""What the clerk behind a connection may change (issue 14 item 5): the app asks here before
offering a write, so a county clerk sees another county's records with 编辑/删除/锁定 disabled
and the reason — the database (:mod:`landbank.services.server.policies`) enforces the same
rules whatever the app does.

- On SQLite (one PC, the clerk's own ledger) everything is allowed: scope ``local``.
- On PostgreSQL the login's row of ``landbank_user`` (each login reads its own) gives its
  scope, county and display name. A login that is not listed (a superuser, the owner, a
  database not set up by ``server init``) gets scope ``unlisted``: the app offers everything
  and the database decides.

Asked of the server once per engine (:func:`rights_of`), like
:func:`landbank.services.server.identity.audit_user`.
"""

from __future__ import annotations

import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind

LOCAL = "local"
UNLISTED = "unlisted"
ADMIN, CITY, COUNTY, VIEWER = "admin", "city", "county", "viewer"

# Records that belong to a county (row-level security by region_id on the server).
COUNTY_KINDS = frozenset(
    {RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT, RecordKind.QUOTA, RecordKind.PARK}
)
# The city's shared settings: counties, the city's default quotas, the ledger's city and bureau.
CITY_KINDS = frozenset({RecordKind.REGION})

SCOPE_LABELS = {
    LOCAL: "本机台账",
    UNLISTED: "数据库账户",
    ADMIN: "市级管理员",
    CITY: "市级",
    COUNTY: "县区",
    VIEWER: "只读",
}

ME = text(
    "SELECT session_user, to_regclass('public.landbank_user') IS NOT NULL, "
    "(SELECT rolsuper FROM pg_roles WHERE rolname = session_user)"
)
MY_ACCOUNT = text(
    "SELECT u.display_name, u.scope, u.region_id, r.name FROM landbank_user u "
    "LEFT JOIN region r ON r.id = u.region_id WHERE u.login = session_user"
)


@dataclass(frozen=True)
class Rights:
    """Who is connected and what they may change."""

    login: str
    display_name: str
    scope: str  # local, unlisted, admin, city, county, viewer
    region_id: int | None = None  # a county clerk's county
    region_name: str | None = None
    superuser: bool = False

    @property
    def on_server(self) -> bool:
        return self.scope != LOCAL

    @property
    def scope_label(self) -> str:
        """“辉县市” for a county clerk, else the scope's name (市级, 只读 …)."""
        if self.scope == COUNTY:
            return self.region_name or SCOPE_LABELS[COUNTY]
        if self.scope == UNLISTED and self.superuser:
            return "超级用户"
        return SCOPE_LABELS.get(self.scope, self.scope)

    @property
    def who(self) -> str:
        """“李四（辉县市）” — the title bar's name of the clerk."""
        name = self.display_name or self.login
        return f"{name}（{self.scope_label}）" if self.on_server else name

    @property
    def read_only(self) -> bool:
        return self.scope == VIEWER

    @property
    def manages_accounts(self) -> bool:
        return self.scope == ADMIN or (self.scope == UNLISTED and self.superuser)

    def account(self) -> str:
        return f"您的账号（{self.scope_label}）"

    def can_write_any(self) -> str | None:
        """None when this login may change some record; else why not (a viewer)."""
        if self.read_only:
            return f"{self.account()}只能查看，不能修改台账；如需修改请联系市级管理员"
        return None

    def can_write_city(self) -> str | None:
        """None when this login may change the city's shared settings (counties, parks'
        counties, the city's default quotas, the ledger's city and bureau)."""
        refused = self.can_write_any()
        if refused or self.scope != COUNTY:
            return refused
        return (
            f"{self.account()}不能修改县区名单、全市默认指标和台账的城市、单位名称："
            "这些由市级账号维护"
        )

    def can_create(self, kind: RecordKind) -> str | None:
        """None when this login may add a record of ``kind`` (a county clerk: in its county)."""
        if kind in CITY_KINDS:
            return self.can_write_city()
        return self.can_write_any()

    def can_write(
        self,
        kind: RecordKind,
        values: Mapping[str, Any],
        region_names: Mapping[int, str] | None = None,
    ) -> str | None:
        """None when this login may change (edit, delete, reserve, release) the record of
        ``kind`` whose values (``region_id`` at least) are given; else the Chinese reason,
        naming the record's county (from ``region_names`` when given)."""
        refused = self.can_write_any()
        if refused:
            return refused
        if kind in CITY_KINDS:
            return self.can_write_city()
        if self.scope != COUNTY or kind not in COUNTY_KINDS:
            return None
        region_id = values.get("region_id")
        if region_id is None or region_id == self.region_id:
            return None
        owner = (region_names or {}).get(int(region_id)) or f"县区 #{region_id}"
        return self.other_county(owner)

    def other_county(self, owner: str) -> str:
        mine = self.region_name or "本县区"
        return f"{self.account()}只能修改{mine}的记录；此记录属于{owner}"


_known: weakref.WeakKeyDictionary[Engine, Rights] = weakref.WeakKeyDictionary()


def _ask(conn: Connection) -> Rights:
    login, set_up, superuser = conn.execute(ME).one()
    row = conn.execute(MY_ACCOUNT).one_or_none() if set_up else None
    if row is None:
        return Rights(str(login), str(login), UNLISTED, superuser=bool(superuser))
    display, scope, region_id, region_name = row
    return Rights(
        str(login),
        str(display or login),
        str(scope),
        int(region_id) if region_id is not None else None,
        str(region_name) if region_name is not None else None,
        bool(superuser),
    )


def rights_of(engine: Engine, *, fresh: bool = False) -> Rights:
    """The rights of the login ``engine`` connects as (asked once per engine unless
    ``fresh``); on SQLite everything is allowed."""
    if engine.dialect.name != "postgresql":
        return Rights("", "", LOCAL)
    known = None if fresh else _known.get(engine)
    if known is None:
        try:
            with engine.connect() as conn:
                known = _ask(conn)
                conn.rollback()
        except SQLAlchemyError:  # unreachable now: offer what the database will decide
            return Rights(str(engine.url.username or ""), "", UNLISTED)
        _known[engine] = known
    return known


def region_name(engine: Engine, region_id: int) -> str:
    """The name of a county (for a message), its number when it is gone."""
    with engine.connect() as conn:
        name = conn.execute(
            text("SELECT name FROM region WHERE id = :id"), {"id": region_id}
        ).scalar()
        conn.rollback()
    return str(name) if name else f"县区 #{region_id}"


def refusal_reason(bind: Engine | Connection, kind: RecordKind, region_id: Any) -> str:
    """Why the server refused this login's write to a record of ``kind`` in county
    ``region_id``. Asks on a connection of its own: after a refused statement PostgreSQL's
    transaction is aborted."""
    engine = bind if isinstance(bind, Engine) else bind.engine
    rights = rights_of(engine)
    if region_id is not None and rights.region_id not in (None, region_id):
        return rights.other_county(region_name(engine, int(region_id)))
    if rights.scope == COUNTY and kind in COUNTY_KINDS:
        mine = rights.region_name or "本县区"
        return f"{rights.account()}只能修改{mine}的记录，也不能把记录改到其他县区"
    return rights.can_create(kind) or f"{rights.account()}没有修改此记录的权限"


def is_refusal(exc: BaseException) -> bool:
    """A write the server refused: insufficient_privilege (a grant, or a row-level security
    policy's WITH CHECK: "new row violates row-level security policy")."""
    orig = getattr(exc, "orig", None)
    return getattr(orig, "sqlstate", None) == "42501"
