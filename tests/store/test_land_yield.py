"""Table land_yield and the after-supply columns (migration 0008): one row per parcel and year,
held by the database on SQLite and PostgreSQL; a parcel with yearly figures cannot be deleted
by SQL; a ledger at 0007 upgrades keeping its rows, and its parcels get the new columns empty."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError

from landbank.store import migrate
from landbank.store.engine import make_engine
from landbank.store.migrate import current_revision, head_revision, open_database

NOW = "'2026-01-01'"


def _county_and_parcel(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO region (id, uuid, version, created_at, updated_at, name, kind)"
                          f" VALUES (7, 'r7', 1, {NOW}, {NOW}, '辉县市', '县')"))
        conn.execute(text(
            "INSERT INTO parcel (id, uuid, version, created_at, updated_at, code, region_id,"
            f" area_mu, readiness, status) VALUES (5, 'p5', 1, {NOW}, {NOW}, 'HX-1', 7, 30,"
            " '净地(可供)', '已竣工投产')"
        ))


def _insert_yield(engine: Engine, uuid: str, year: int) -> None:
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO land_yield (uuid, version, created_at, updated_at, parcel_id, region_id,"
            f" year, tax_wan) VALUES (:u, 1, {NOW}, {NOW}, 5, 7, :y, 120)"
        ), {"u": uuid, "y": year})


def test_one_row_per_parcel_and_year(any_engine: Engine) -> None:
    _county_and_parcel(any_engine)
    _insert_yield(any_engine, "a", 2024)
    _insert_yield(any_engine, "b", 2025)
    with pytest.raises(IntegrityError):
        _insert_yield(any_engine, "c", 2025)
    with any_engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM land_yield")).scalar_one() == 2


def test_a_parcel_with_yearly_figures_cannot_be_deleted_by_sql(any_engine: Engine) -> None:
    _county_and_parcel(any_engine)
    _insert_yield(any_engine, "a", 2024)
    with pytest.raises(IntegrityError), any_engine.begin() as conn:
        conn.execute(text("DELETE FROM parcel WHERE id = 5"))


def test_a_0007_ledger_upgrades_keeping_its_rows(any_db_url: str) -> None:
    from alembic import command

    engine = make_engine(any_db_url)
    with engine.begin() as conn:
        cfg = migrate.alembic_config()
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0007")
    _county_and_parcel(engine)
    assert current_revision(engine) == "0007"
    engine.dispose()

    upgraded = open_database(any_db_url, upgrade=True)
    assert current_revision(upgraded) == head_revision() >= "0008"
    with upgraded.connect() as conn:
        row = conn.execute(text(
            "SELECT code, area_mu, approval_date, developed_area_mu, government_cause,"
            " committed_tax_per_mu_wan FROM parcel WHERE id = 5"
        )).one()
        assert tuple(row) == ("HX-1", 30, None, None, None, None)
        assert conn.execute(text("SELECT design_floor_area_m2 FROM project")).all() == []
    _insert_yield(upgraded, "a", 2025)
    with pytest.raises(IntegrityError):
        _insert_yield(upgraded, "b", 2025)
    upgraded.dispose()
