"""Yearly figures on a city's PostgreSQL server: every login reads them, a county login writes
only its county's parcels' figures (through landbank, through an import, and by raw SQL — the
row-level security and the parcel-county policy), the city moves them with a parcel it moves;
the audit names the login."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import select, text
from sqlmodel import col

from landbank.domain.enums import RecordKind
from landbank.services.land_life.yields import YieldInput, add_yield, list_yields, update_yield
from landbank.services.land_life.yields_import import import_yields
from landbank.services.records.saving import WriteRefused, update_record
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import AuditEntry
from tests.server_helpers import CityServer, city_server
from tests.services.land_life.ledger import make_ledger
from tests.services.land_life.test_yields_import import ROWS, _book

pytestmark = pytest.mark.postgres


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        admin = make_engine(postgres_url)
        ids = make_ledger(admin)
        admin.dispose()
        yield server, ids


def test_a_county_login_writes_only_its_countys_figures(
    city: tuple[CityServer, dict[str, int]], tmp_path: Path
) -> None:
    server, ids = city
    login = server.add_login("hxyield", Scope.COUNTY, region="辉县市", display="李四")
    engine = server.engine_as(login)
    with read_session(engine) as s:
        assert len(list_yields(s)) == 2  # reads the whole city
    with write_session(engine) as s:
        add_yield(s, ids["HX-IDLE"], YieldInput(2024, tax_wan=10.0), user="ignored")
    with write_session(engine) as s, pytest.raises(WriteRefused, match="只能修改辉县市的记录"):
        add_yield(s, ids["HJ-OK"], YieldInput(2024, tax_wan=10.0), user="ignored")
    with read_session(engine) as s:
        low = next(r for r in list_yields(s) if r.parcel_code == "HJ-LOW")
    with write_session(engine) as s, pytest.raises(WriteRefused, match="获嘉县"):
        update_yield(s, low.id, YieldInput(low.values.year, tax_wan=1.0),
                     expected_version=low.version, user="ignored")
    with write_session(engine) as s:
        report = import_yields(s, _book(tmp_path / "获嘉.xlsx", ROWS), user="x")
    assert not report.written
    assert "此记录属于获嘉县" in report.problems[0].reason
    with read_session(engine) as s:
        who = s.execute(
            select(col(AuditEntry.user)).where(
                col(AuditEntry.record_id) == ids["HX-IDLE"], col(AuditEntry.field) == "年度经营数据"
            )
        ).scalar_one()
    assert who == f"李四（{login}）"
    with server.connect_as(login) as conn:
        conn.autocommit = True
        assert conn.execute(
            "UPDATE land_yield SET tax_wan = 1 WHERE id = %s", (low.id,)
        ).rowcount == 0  # another county's row is not there to change
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # own county, other's parcel
            conn.execute(
                "INSERT INTO land_yield (uuid, version, created_at, updated_at, parcel_id,"
                " region_id, year) VALUES ('x', 1, now(), now(), %s, %s, 2020)",
                (ids["HJ-OK"], ids["辉县市"]),
            )


def test_a_parcel_the_city_moves_takes_its_figures(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, ids = city
    login = server.add_login("cityyield", Scope.CITY)
    engine = server.engine_as(login)
    with write_session(engine) as s:
        update_record(s, RecordKind.PARCEL, ids["HJ-LOW"], {"region_id": ids["辉县市"]},
                      expected_version=1, user="x")
    with read_session(engine) as s:
        regions = set(s.execute(text("SELECT region_id FROM land_yield")).scalars())
    assert regions == {ids["辉县市"]}
