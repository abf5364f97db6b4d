"""What every window and dialog is given: the database engine and the settings.

Built once by the application (or per test) and passed in; no widget reaches for globals.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Session

from landbank.settings import Settings
from landbank.store.engine import session_scope


@dataclass
class AppContext:
    engine: Engine
    settings: Settings

    @property
    def user(self) -> str:
        return self.settings.effective_user

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session committed when the block ends normally, rolled back otherwise."""
        with session_scope(self.engine) as session:
            yield session
