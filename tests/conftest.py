"""Shared fixtures: a fresh database per test (SQLite file, and PostgreSQL where asked),
settings isolated from the user's, Qt offscreen.

PostgreSQL: ``LANDBANK_TEST_PG_URL`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``)
names a server; each test gets a database of its own, dropped afterwards. Without a server the
PostgreSQL tests are skipped locally, but fail under CI (``CI=true``): CI must test both.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

# Before anything imports Qt: no screen here, and none needed.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from landbank.settings import Settings
from landbank.store.migrate import open_database

# Real public data and constructed ledgers kept with the tests (tests/data/README.md).
SAMPLES_DIR = Path(__file__).resolve().parent / "data" / "samples"
LANDCHINA_SAMPLE = SAMPLES_DIR / "landchina_supply_2017-01.xls"


def require_sample(path: Path) -> Path:
    """A sample file the test needs: skipped locally without it, a failure under CI."""
    if path.exists():
        return path
    if os.environ.get("CI"):
        pytest.fail(f"sample file missing under CI: {path}")
    pytest.skip(f"sample file not present: {path}")


PG_ADMIN_URL = os.environ.get(
    "LANDBANK_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """Settings, data folder and QSettings of each test live in its own temporary folder."""
    config = tmp_path / "config"
    monkeypatch.setenv("LANDBANK_CONFIG_DIR", str(config))
    monkeypatch.setenv("LANDBANK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))  # QSettings on Linux
    monkeypatch.delenv("LANDBANK_DATABASE_URL", raising=False)
    settings = Settings(user_name="测试员")
    settings.save()
    return settings


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'ledger.sqlite3'}"


def _pg_admin_connect():  # type: ignore[no-untyped-def]
    import psycopg

    url = make_url(PG_ADMIN_URL)
    return psycopg.connect(
        host=url.host or "127.0.0.1",
        port=url.port or 5432,
        user=url.username or "postgres",
        password=url.password,
        dbname=url.database or "postgres",
        autocommit=True,
        connect_timeout=3,
    )


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test."""
    try:
        admin = _pg_admin_connect()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required under CI and not reachable: {exc}")
        pytest.skip(f"no PostgreSQL server at {PG_ADMIN_URL}: {exc}")
    name = f"landbank_test_{uuid.uuid4().hex[:12]}"
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg", database=name)
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with _pg_admin_connect() as admin2:
            admin2.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def any_db_url(request: pytest.FixtureRequest) -> str:
    """The test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("postgres_url"))


@pytest.fixture
def engine(sqlite_url: str) -> Iterator[Engine]:
    """A migrated, empty SQLite ledger."""
    eng = open_database(sqlite_url)
    yield eng
    eng.dispose()


@pytest.fixture
def any_engine(any_db_url: str) -> Iterator[Engine]:
    """A migrated, empty ledger on SQLite and on PostgreSQL (created there as ``server
    init`` would: a clerk's app never creates or upgrades a shared schema)."""
    eng = open_database(any_db_url, upgrade=True)
    yield eng
    eng.dispose()
