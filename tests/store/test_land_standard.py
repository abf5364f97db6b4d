"""The 标准地 table (migration 0007): one row per (county, park or none, industry or none),
enforced by the database on SQLite and PostgreSQL; a ledger at 0006 upgrades to it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from landbank.store import migrate
from landbank.store.engine import make_engine
from landbank.store.migrate import current_revision, head_revision, open_database

INSERT = text(
    "INSERT INTO land_standard (uuid, version, created_at, updated_at, region_id, park_id,"
    " industry, investment_intensity_min_wan_per_mu) VALUES (:u, 1, '2026-01-01', '2026-01-01',"
    " :r, :p, :i, 250)"
)


def _county_and_park(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO region (id, uuid, version, created_at, updated_at, name, kind)"
                          " VALUES (7, 'r7', 1, '2026-01-01', '2026-01-01', '辉县市', '县')"))
        conn.execute(text("INSERT INTO park (id, uuid, version, created_at, updated_at, name, region_id)"
                          " VALUES (3, 'p3', 1, '2026-01-01', '2026-01-01', '高新园区', 7)"))


def _insert(engine: Engine, uuid: str, park: int | None, industry: str | None) -> None:
    with engine.begin() as conn:
        conn.execute(INSERT, {"u": uuid, "r": 7, "p": park, "i": industry})


@pytest.mark.parametrize(
    ("park", "industry"), [(None, None), (3, None), (None, "新材料"), (3, "新材料")]
)
def test_a_second_row_for_the_same_key_is_refused_by_the_database(
    any_engine: Engine, park: int | None, industry: str | None
) -> None:
    _county_and_park(any_engine)
    _insert(any_engine, "a", park, industry)
    with pytest.raises(IntegrityError):  # NULL park / industry clash too (coalesce)
        _insert(any_engine, "b", park, industry)
    with any_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM land_standard")).scalar_one() == 1


def test_rows_of_different_keys_live_together(any_engine: Engine) -> None:
    _county_and_park(any_engine)
    for i, (park, industry) in enumerate([(None, None), (3, None), (None, "新材料"), (3, "新材料"),
                                          (None, "装备制造")]):
        _insert(any_engine, f"u{i}", park, industry)
    with any_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM land_standard")).scalar_one() == 5


def test_a_county_or_park_with_standards_cannot_be_deleted_by_sql(any_engine: Engine) -> None:
    _county_and_park(any_engine)
    _insert(any_engine, "a", 3, None)
    for statement in ("DELETE FROM park WHERE id = 3", "DELETE FROM region WHERE id = 7"):
        with pytest.raises(IntegrityError), any_engine.begin() as conn:
            conn.execute(text(statement))


def test_a_0006_ledger_upgrades_and_gets_the_table_with_its_key(any_db_url: str) -> None:
    from alembic import command

    engine = make_engine(any_db_url)
    with engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0006")
    _county_and_park(engine)
    assert current_revision(engine) == "0006"
    engine.dispose()

    upgraded = open_database(any_db_url, upgrade=True)
    assert current_revision(upgraded) == head_revision() >= "0007"
    with upgraded.connect() as conn:
        assert conn.execute(text("SELECT name FROM park WHERE id = 3")).scalar_one() == "高新园区"
    _insert(upgraded, "a", None, None)
    with pytest.raises(IntegrityError):
        _insert(upgraded, "b", None, None)
    upgraded.dispose()
