"""A county's yearly figures travel with its parcels: ``server import-ledger`` copies them to
the city's ids and county (a second import adds nothing; a year the city already holds keeps
the city's figures and is named), ``server export-ledger`` carries them back out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from landbank.services.land_life.yields import YieldInput, add_yield, list_yields
from landbank.services.server.ledger_export import export_ledger
from landbank.services.server.ledger_transfer import import_ledger
from landbank.store.engine import read_session, write_session
from landbank.store.migrate import open_database
from landbank.store.models import LandParcel, Region
from tests.server_helpers import CityServer, city_server
from tests.services.county_ledger import make_county_ledger

pytestmark = pytest.mark.postgres


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, Engine]]:
    with city_server(postgres_url) as server:
        engine = open_database(postgres_url)
        yield server, engine
        engine.dispose()


def _parcel(engine: Engine, code: str) -> int:
    with read_session(engine) as s:
        return int(
            s.execute(select(col(LandParcel.id)).where(col(LandParcel.code) == code)).scalar_one()
        )


def test_yearly_figures_go_in_and_out_with_their_parcels(
    city: tuple[CityServer, Engine], tmp_path: Path
) -> None:
    server, engine = city
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger)
    county_db = open_database(f"sqlite:///{ledger}")
    with write_session(county_db) as s:
        for code, year, tax in (("YJ2026-010", 2024, 50.0), ("YJ2026-010", 2025, 61.5),
                                ("YJ2026-011", 2025, 12.0)):  # fmt: skip
            add_yield(s, _parcel(county_db, code), YieldInput(year, tax_wan=tax), user="王县")
    county_db.dispose()

    report = import_ledger(ledger, server.url)
    assert report.written
    assert "年度经营数据并入 3 行" in report.notes
    with read_session(engine) as s:
        region = s.execute(
            select(col(LandParcel.region_id)).where(col(LandParcel.code) == "YJ2026-010")
        ).scalar_one()
        county = s.execute(select(col(Region.name)).where(col(Region.id) == region)).scalar_one()
        rows = list_yields(s)
    assert [(r.parcel_code, r.values.year, r.values.tax_wan) for r in rows] == [
        ("YJ2026-010", 2024, 50.0), ("YJ2026-010", 2025, 61.5), ("YJ2026-011", 2025, 12.0)
    ]  # fmt: skip
    assert {r.county for r in rows} == {county}
    assert rows[0].parcel_id == _parcel(engine, "YJ2026-010")
    with read_session(engine) as s:
        assert len(list_yields(s, region_ids=[region])) == 3

    again = import_ledger(ledger, server.url)
    assert not [n for n in again.notes if "年度经营数据" in n]  # nothing new

    # the county adds 2023 for a parcel the city has meanwhile given a 2023 row of its own
    with write_session(engine) as s:
        add_yield(s, _parcel(engine, "YJ2026-011"), YieldInput(2023, tax_wan=9.0), user="市")
    county_db = open_database(f"sqlite:///{ledger}")
    with write_session(county_db) as s:
        add_yield(s, _parcel(county_db, "YJ2026-011"), YieldInput(2023, tax_wan=8.0), user="王县")
    county_db.dispose()
    third = import_ledger(ledger, server.url)
    assert "城市库已有的年度经营数据，保留城市库的数值：YJ2026-011 2023年" in third.notes
    with read_session(engine) as s:
        kept = list_yields(s, year=2023)
    assert [r.values.tax_wan for r in kept] == [9.0]

    back = tmp_path / "延津-导出.sqlite3"
    exported = export_ledger(server.url, county, back)
    assert exported.yields == 4
    out = open_database(f"sqlite:///{back}")
    try:
        with read_session(out) as s:
            assert [(r.parcel_code, r.values.year) for r in list_yields(s)] == [
                ("YJ2026-010", 2024), ("YJ2026-010", 2025), ("YJ2026-011", 2023),
                ("YJ2026-011", 2025),
            ]  # fmt: skip
    finally:
        out.dispose()
