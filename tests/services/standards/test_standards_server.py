"""The 标准地 table on a city's PostgreSQL server: every login reads it, a county login changes
only its own county's rows (through landbank and by raw SQL), the city every county's, a
viewer none; the audit names the login."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import select

from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.records.saving import WriteRefused
from landbank.services.server.roles import Scope
from landbank.services.standards.importing import import_standards
from landbank.services.standards.rows import load_entries
from landbank.services.standards.saving import StandardInput, create_standard, update_standard
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import AuditEntry
from tests.server_helpers import CityServer, city_server
from tests.services.standards.ledger import make_ledger, write_book

pytestmark = pytest.mark.postgres
FAR = {Indicator.FLOOR_AREA_RATIO: Threshold(1.0, 2.0)}


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        admin = make_engine(postgres_url)
        ids = make_ledger(admin)
        with write_session(admin) as s:
            for county in ("获嘉县", "辉县市"):
                row = create_standard(s, StandardInput(ids[county], None, None, FAR), user="t")
                assert row.id is not None
                ids[f"{county}.row"] = row.id
        admin.dispose()
        yield server, ids


def test_a_county_login_changes_only_its_own_countys_standards(
    city: tuple[CityServer, dict[str, int]], tmp_path: object
) -> None:
    server, ids = city
    login = server.add_login("hjstd", Scope.COUNTY, region="获嘉县", display="张三")
    engine = server.engine_as(login)
    with read_session(engine) as s:
        assert len(load_entries(s)) == 2  # reads the whole city
    own = StandardInput(ids["获嘉县"], ids["高新园区"], "新材料", FAR)
    with write_session(engine) as s:
        create_standard(s, own, user="ignored")
    other = StandardInput(ids["辉县市"], None, "食品", FAR)
    with write_session(engine) as s, pytest.raises(WriteRefused, match="只能修改获嘉县的记录"):
        create_standard(s, other, user="ignored")
    with write_session(engine) as s, pytest.raises(WriteRefused, match="辉县市"):
        update_standard(s, ids["辉县市.row"], StandardInput(ids["辉县市"], None, None, {}),
                        expected_version=1, user="ignored")
    with write_session(engine) as s:
        label = s.execute(
            select(AuditEntry.user).where(AuditEntry.record_label == "获嘉县·高新园区·新材料")
        ).scalar_one()
    assert label == f"张三（{login}）"
    with server.connect_as(login) as conn:
        conn.autocommit = True
        touched = conn.execute(
            "UPDATE land_standard SET far_min = 9 WHERE id = %s", (ids["辉县市.row"],)
        ).rowcount
        assert touched == 0  # USING: another county's row is not there to change
        assert conn.execute(
            "UPDATE land_standard SET far_min = 1.1 WHERE id = %s", (ids["获嘉县.row"],)
        ).rowcount == 1
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE land_standard SET region_id = %s WHERE id = %s",
                         (ids["辉县市"], ids["获嘉县.row"]))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO land_standard (uuid, version, created_at, updated_at, region_id)"
                " VALUES ('x', 1, now(), now(), %s)", (ids["辉县市"],))


def test_an_import_naming_another_county_is_refused_whole(
    city: tuple[CityServer, dict[str, int]], tmp_path: object
) -> None:
    from pathlib import Path

    server, _ids = city
    login = server.add_login("hjimp", Scope.COUNTY, region="获嘉县")
    engine = server.engine_as(login)
    rows: list[list[object]] = [
        [1, "获嘉县", None, "食品", 200, None, None, None, None, None, None],
        [2, "辉县", None, "食品", 200, None, None, None, None, None, None],
    ]
    path = write_book(Path(str(tmp_path)) / "两县.xlsx", rows)
    with write_session(engine) as s:
        report = import_standards(s, path, user="x")
    assert [p.row for p in report.problems] == [4]
    assert "此记录属于辉县市" in report.problems[0].reason
    with read_session(engine) as s:
        assert len(load_entries(s)) == 2


def test_a_viewer_changes_nothing(city: tuple[CityServer, dict[str, int]]) -> None:
    server, ids = city
    login = server.add_login("viewstd", Scope.VIEWER)
    engine = server.engine_as(login)
    with write_session(engine) as s, pytest.raises(WriteRefused, match="只能查看"):
        create_standard(s, StandardInput(ids["获嘉县"], None, "食品", FAR), user="x")
    with server.connect_as(login) as conn:
        conn.autocommit = True
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("DELETE FROM land_standard")
