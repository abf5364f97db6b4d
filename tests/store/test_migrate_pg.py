"""A city's shared PostgreSQL database is never changed by a clerk's app (issue 14 item 6).

The app opens it only at this landbank's schema; an empty, older or newer one is refused with
a message naming both versions and who can act, and is left as it was."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text

from landbank.store import migrate
from landbank.store.engine import DatabaseError, make_engine
from landbank.store.migrate import (
    DatabaseNotSetUpError,
    DatabaseTooNewError,
    DatabaseTooOldError,
    current_revision,
    head_revision,
    open_database,
)

pytestmark = pytest.mark.postgres


def ledger_at(url: str, revision: str) -> Engine:
    """A database built by Alembic up to ``revision`` holding one county and two parcels."""
    from alembic import command

    engine = make_engine(url)
    with engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        conn.execute(text(
            "INSERT INTO region (id, uuid, version, created_at, updated_at, name, kind) "
            "VALUES (7, 'r7', 1, '2026-01-01', '2026-01-01', '辉县市', '县')"))
        for i in (1, 2):
            conn.execute(text(
                "INSERT INTO parcel (uuid, version, created_at, updated_at, code, region_id, area_mu, "
                "readiness, status) VALUES (:u, 1, '2026-01-01', '2026-01-01', :c, 7, 10, '拟收储', '可供')"),
                {"u": f"p{i}", "c": f"HX-{i}"})
    return engine


def tables(engine: Engine) -> set[str]:
    from sqlalchemy import inspect

    with engine.connect() as conn:
        return set(inspect(conn).get_table_names())


def test_an_older_shared_database_is_refused_and_left_untouched(postgres_url: str) -> None:
    engine = ledger_at(postgres_url, "0004")
    before = tables(engine)
    with pytest.raises(DatabaseTooOldError) as refused:
        open_database(postgres_url)
    message = str(refused.value)
    assert "/landbank_test_" in message.split("的结构")[0]  # names the database
    assert f"的结构为 0004，本程序（landbank {migrate.app_version()}）需要 {head_revision()}" in message
    assert "请由市级管理员运行 landbank server upgrade --db postgresql://" in message
    assert "+psycopg" not in message.split("--db")[1]  # the URL as the administrator types it
    assert current_revision(engine) == "0004"
    assert tables(engine) == before
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM parcel")).scalar_one() == 2
    engine.dispose()


def test_an_empty_shared_database_is_not_set_up_by_a_clerk(postgres_url: str) -> None:
    with pytest.raises(DatabaseNotSetUpError, match=r"还没有 landbank 的数据表：.*landbank server init --db"):
        open_database(postgres_url)
    engine = make_engine(postgres_url)
    assert tables(engine) == set()
    engine.dispose()


def test_a_newer_schema_names_the_landbank_that_upgraded_it(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(postgres_url, upgrade=True)  # as server init would
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9001'"))
        conn.execute(text("COMMENT ON TABLE alembic_version IS 'landbank 9.1.0'"))
    with pytest.raises(DatabaseTooNewError) as refused:
        open_database(postgres_url)
    message = str(refused.value)
    assert "的结构为 9001（由 landbank 9.1.0 升级）" in message
    assert f"本程序（landbank {migrate.app_version()}）只支持到结构 {head_revision()}" in message
    assert "请升级本程序到 landbank 9.1.0 或更新的版本" in message
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "9001"
    engine.dispose()


def test_upgrading_records_which_landbank_did_it(postgres_url: str) -> None:
    ledger_at(postgres_url, "0004").dispose()
    engine = open_database(postgres_url, upgrade=True)
    with engine.connect() as conn:
        assert migrate._upgraded_by(conn) == f"landbank {migrate.app_version()}"
    engine.dispose()
    open_database(postgres_url).dispose()  # at head: opens


def test_a_foreign_database_is_refused(postgres_url: str) -> None:
    engine = make_engine(postgres_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE customers (id integer)"))
    engine.dispose()
    with pytest.raises(DatabaseError, match="不是 landbank 数据库"):
        open_database(postgres_url)


def test_demo_creates_the_schema_only_in_an_empty_database(postgres_url: str) -> None:
    open_database(postgres_url, create=True).dispose()
    engine = make_engine(postgres_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_create_never_upgrades_an_older_database(postgres_url: str) -> None:
    ledger_at(postgres_url, "0004").dispose()
    with pytest.raises(DatabaseTooOldError):
        open_database(postgres_url, create=True)
