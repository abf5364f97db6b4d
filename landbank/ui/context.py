"""What every window and dialog is given: the database engine and the settings.

Built once by the application (or per test) and passed in; no widget reaches for globals.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from landbank.services.server.identity import audit_user
from landbank.services.server.rights import Rights, rights_of
from landbank.settings import Settings
from landbank.store.engine import read_session, write_session


@dataclass
class AppContext:
    engine: Engine
    settings: Settings

    @property
    def user(self) -> str:
        """Who the audit names: the database login on PostgreSQL, the clerk's name or the
        OS account on SQLite (:func:`landbank.services.server.identity.audit_user`)."""
        return audit_user(self.engine, self.settings)

    @property
    def rights(self) -> Rights:
        """What this login may change (everything on SQLite); asked of the server once per
        engine (:func:`landbank.services.server.rights.rights_of`)."""
        return rights_of(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that only reads (tables, dialogs, reports, matching): it never waits
        for another clerk's write. Ended when the block ends."""
        with read_session(self.engine) as session:
            yield session

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """A session that changes the ledger: on SQLite it takes the write lock first,
        waiting (up to the busy timeout) while another clerk writes. Committed when the
        block ends normally, rolled back otherwise."""
        with write_session(self.engine) as session:
            yield session
