"""Who the audit says made a change (issue 14): the one place the name is decided.

- On PostgreSQL it is the database login (``session_user``) with the display name the city
  administrator gave it on the server (``landbank_login_name()``, which the audit's insert
  trigger also writes, see :mod:`landbank.services.server.policies`): neither settings.json
  nor USER/LOGNAME can change it. A database not set up by ``server init`` gives the login.
- On SQLite (one PC, the clerk's own ledger) it is the name in the settings, else the
  operating system's account.
"""

from __future__ import annotations

import weakref

from sqlalchemy import Connection, Engine, text
from sqlmodel import Session

from landbank.settings import Settings

LOGIN = text("SELECT to_regprocedure('landbank_login_name()') IS NOT NULL, session_user")
LOGIN_NAME = text("SELECT landbank_login_name()")

_known: weakref.WeakKeyDictionary[Engine, str] = weakref.WeakKeyDictionary()


def database_login(conn: Connection | Session) -> str:
    """The name of this PostgreSQL session's login as the audit records it."""
    set_up, login = conn.execute(LOGIN).one()
    name = conn.execute(LOGIN_NAME).scalar() if set_up else None
    return str(name or login)


def _engine_of(bind: Engine | Connection | Session) -> Engine:
    if isinstance(bind, Engine):
        return bind
    if isinstance(bind, Connection):
        return bind.engine
    engine = bind.get_bind()
    return engine if isinstance(engine, Engine) else engine.engine


def audit_user(bind: Engine | Connection | Session, settings: Settings | None = None) -> str:
    """The name the audit gives changes made through ``bind`` (see the module doc). Asked of
    the server once per engine; a session or connection given is used for the question."""
    engine = _engine_of(bind)
    if engine.dialect.name != "postgresql":
        return (settings or Settings.load()).effective_user
    known = _known.get(engine)
    if known is None:
        if isinstance(bind, Engine):
            with bind.connect() as conn:
                known = database_login(conn)
        else:
            known = database_login(bind)
        _known[engine] = known
    return known
