"""The demo ledger, built once per session and copied for each CLI test."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session

from landbank.services.demo.city import create_demo_city
from landbank.store.migrate import open_database


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "template.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    with Session(engine) as session:
        create_demo_city(session, year=2026, as_of=date(2026, 11, 24))
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path) -> str:
    """A copy of the demo ledger for one test."""
    target = tmp_path / "演示.sqlite3"
    shutil.copy(demo_template, target)
    return str(target)
