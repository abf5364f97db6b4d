"""Table efficiency_scheme (migration 0009): a ledger at 0008 upgrades keeping its rows; one
scheme per county and one city default (scope_key), held by the database on SQLite and
PostgreSQL; a county with a scheme cannot be deleted by SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from landbank.store import migrate
from landbank.store.engine import make_engine
from landbank.store.migrate import current_revision, head_revision, open_database

NOW = "'2026-01-01'"


def _scheme(engine: Engine, uuid: str, region: int | None) -> None:
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO efficiency_scheme (uuid, version, created_at, updated_at, updated_by,"
                " region_id, scope_key, preset, weights_json, base_multiple, bases_json)"
                f" VALUES (:u, 1, {NOW}, {NOW}, 't', :r, :k, '黄岩', '{{}}', 1.0, '{{}}')"
            ),
            {"u": uuid, "r": region, "k": region or 0},
        )


def test_a_0008_ledger_upgrades_and_keeps_one_scheme_a_county(any_db_url: str) -> None:
    from alembic import command

    engine = make_engine(any_db_url)
    with engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0008")
        conn.execute(text("INSERT INTO region (id, uuid, version, created_at, updated_at, name, kind)"
                          f" VALUES (7, 'r7', 1, {NOW}, {NOW}, '辉县市', '县')"))
    assert current_revision(engine) == "0008"
    engine.dispose()

    upgraded = open_database(any_db_url, upgrade=True)
    assert current_revision(upgraded) == head_revision() >= "0009"
    with upgraded.connect() as conn:
        assert conn.execute(text("SELECT name FROM region")).scalars().all() == ["辉县市"]
        assert conn.execute(text("SELECT count(*) FROM efficiency_scheme")).scalar() == 0
    _scheme(upgraded, "a", 7)
    _scheme(upgraded, "city", None)
    with pytest.raises(IntegrityError):
        _scheme(upgraded, "b", 7)
    with pytest.raises(IntegrityError):
        _scheme(upgraded, "city2", None)
    with pytest.raises(IntegrityError), upgraded.begin() as conn:
        conn.execute(text("DELETE FROM region WHERE id = 7"))
    upgraded.dispose()
