"""A city on one PostgreSQL server (issue 14): each county writes its own records and the
database enforces it — even against raw SQL from a county's own login; the audit only grows
and names the login; ``server init`` run twice changes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import text
from sqlmodel import SQLModel

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import WriteRefused, create_record, update_record
from landbank.services.server.identity import audit_user
from landbank.services.server.policies import (
    ATTACHMENT_TABLE,
    AUDIT_TABLE,
    CITY_TABLES,
    COUNTY_TABLES,
    SCHEME_TABLE,
    STANDARD_TABLE,
    YIELD_TABLE,
)
from landbank.services.server.roles import Scope, role_names
from landbank.services.server.setup import admin_connection, init_server
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import AuditEntry
from tests.server_helpers import CityServer, city_server

pytestmark = pytest.mark.postgres

PARCEL = {"area_mu": 30.0, "readiness": "拟收储", "status": "可供"}


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    """Two counties with a parcel, a factory, a project, a park and a quota each; set up by
    the superuser before any clerk logs in."""
    with city_server(postgres_url) as server:
        admin = make_engine(postgres_url)
        ids: dict[str, int] = {}
        with write_session(admin) as s:
            for short, name in (("hj", "获嘉县"), ("hx", "辉县市")):
                region = create_record(s, RecordKind.REGION, {"name": name, "kind": "县"}, user="t")
                assert region.id is not None
                ids[short] = region.id
                for kind, values in (
                    (RecordKind.PARCEL, {"code": f"{short}-1", **PARCEL}),
                    (
                        RecordKind.FACTORY,
                        {
                            "code": f"{short}-F",
                            "name": "一号厂房",
                            "status": "在建",
                            "floor_area_m2": 5000.0,
                        },
                    ),
                    (RecordKind.PROJECT, {"name": f"{name}项目", "stage": "在谈"}),
                    (RecordKind.PARK, {"name": f"{name}产业园"}),
                    (
                        RecordKind.QUOTA,
                        {"year": 2026, "land_target_mu": 100.0, "factory_target_m2": 1000.0},
                    ),
                ):
                    record = create_record(s, kind, {"region_id": region.id, **values}, user="t")
                    assert record.id is not None
                    ids[f"{short}.{kind.value}"] = record.id
        admin.dispose()
        yield server, ids


def _rows(conn: Any, statement: str, *params: Any) -> int:
    """Rows a statement changed, 0 when refused by a policy or a grant (rolled back)."""
    try:
        with conn.transaction():
            return int(conn.execute(statement, params).rowcount)
    except psycopg.errors.InsufficientPrivilege:
        return 0


def test_a_county_login_cannot_change_another_countys_rows_even_with_raw_sql(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, ids = city
    login = server.add_login("hjclerk", Scope.COUNTY, region="获嘉县")
    with server.connect_as(login) as conn:
        conn.autocommit = True
        for table in COUNTY_TABLES:
            other, own = ids[f"hx.{table}"], ids[f"hj.{table}"]
            # Everyone reads the whole city.
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 2
            assert (
                _rows(conn, f"UPDATE {table} SET version = version + 1 WHERE id = %s", other) == 0
            )
            assert _rows(conn, f"DELETE FROM {table} WHERE id = %s", other) == 0
            # Its own county's row it may change, but not move to another county.
            assert _rows(conn, f"UPDATE {table} SET version = version + 1 WHERE id = %s", own) == 1
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"UPDATE {table} SET region_id = %s WHERE id = %s", (ids["hx"], own))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # a row of 辉县市
            conn.execute(
                "INSERT INTO parcel (uuid, version, created_at, updated_at, code, region_id,"
                " area_mu, readiness, status) VALUES (gen_random_uuid()::text, 1, now(), now(),"
                " 'x-1', %s, 1, '拟收储', '可供')",
                (ids["hx"],),
            )
        for table in CITY_TABLES:  # the city's shared settings: read, never written
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(f"DELETE FROM {table}")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE landbank_user SET scope = 'admin'")
    with server.connect_as(login) as conn:
        row = conn.execute("SELECT version FROM parcel WHERE id = %s", (ids["hx.parcel"],))
        assert row.fetchone() == (1,)


def test_a_county_login_cannot_release_another_countys_site_by_deleting_its_project(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    """Deleting a project clears the sites reserved for it (ON DELETE SET NULL, run past
    row-level security): a county's own project that another county's parcel is reserved for
    stays; one only its own county's parcel is reserved for goes."""
    server, ids = city
    with admin_connection(server.url) as admin:
        admin.execute(
            "UPDATE parcel SET reserved_project_id = %s WHERE id = %s",
            (ids["hj.project"], ids["hx.parcel"]),
        )
        admin.commit()
    login = server.add_login("hjclerk", Scope.COUNTY, region="获嘉县")
    with server.connect_as(login) as conn:
        conn.autocommit = True
        assert _rows(conn, "DELETE FROM project WHERE id = %s", ids["hj.project"]) == 0
        reserved = conn.execute(
            "SELECT reserved_project_id FROM parcel WHERE id = %s", (ids["hx.parcel"],)
        ).fetchone()
        assert reserved == (ids["hj.project"],)  # 辉县市's reservation kept
        conn.execute(
            "UPDATE parcel SET reserved_project_id = %s WHERE id = %s",
            (ids["hj.project"], ids["hj.parcel"]),
        )
    with admin_connection(server.url) as admin:
        admin.execute("UPDATE parcel SET reserved_project_id = NULL WHERE id = %s", (ids["hx.parcel"],))
        admin.commit()
    with server.connect_as(login) as conn:
        conn.autocommit = True
        assert _rows(conn, "DELETE FROM project WHERE id = %s", ids["hj.project"]) == 1


def test_a_county_clerk_saves_its_own_county_through_landbank(
    city: tuple[CityServer, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    server, ids = city
    login = server.add_login("hjclerk", Scope.COUNTY, region="获嘉县", display="李四")
    monkeypatch.setenv("USER", "县长张三")
    monkeypatch.setenv("LOGNAME", "县长张三")
    engine = server.engine_as(login)
    user = audit_user(engine)
    assert user == f"李四（{login}）"
    with write_session(engine) as s:
        created = create_record(
            s, RecordKind.PARCEL, {"code": "hj-2", "region_id": ids["hj"], **PARCEL}, user="冒名"
        )
        update_record(
            s,
            RecordKind.PARCEL,
            ids["hj.parcel"],
            {"name": "冯庄地块"},
            expected_version=1,
            user=user,
        )
    with read_session(engine) as s:
        who = (
            s.execute(
                text(
                    "SELECT DISTINCT \"user\" FROM audit_log WHERE record_kind = 'parcel'"
                    " AND (record_id = :a OR (record_id = :b AND action = 'update'))"
                ),
                {"a": created.id, "b": ids["hj.parcel"]},
            )
            .scalars()
            .all()
        )
    # The trigger names the login even when the app claims another name.
    assert who == [f"李四（{login}）"]
    # The server's refusal ("new row violates row-level security policy") reads as the
    # rights service says it (tests/services/test_server_rights.py).
    refused = pytest.raises(WriteRefused, match=r"只能修改获嘉县的记录；此记录属于辉县市")
    with refused, write_session(engine) as s:
        create_record(
            s, RecordKind.PARCEL, {"code": "hx-9", "region_id": ids["hx"], **PARCEL}, user=user
        )


def test_the_audit_log_only_grows(city: tuple[CityServer, dict[str, int]]) -> None:
    server, _ids = city
    logins = [
        server.add_login("county", Scope.COUNTY, region="辉县市"),
        server.add_login("city", Scope.CITY),
        server.add_login("admin", Scope.ADMIN),
    ]
    for login in logins:
        with server.connect_as(login) as conn:
            conn.autocommit = True
            before = conn.execute(f"SELECT count(*) FROM {AUDIT_TABLE}").fetchone()[0]
            assert before > 0
            assert _rows(conn, f"UPDATE {AUDIT_TABLE} SET \"user\" = 'x'") == 0
            assert _rows(conn, f"DELETE FROM {AUDIT_TABLE}") == 0
            assert _rows(conn, f"TRUNCATE {AUDIT_TABLE}") == 0
            assert conn.execute(f"SELECT count(*) FROM {AUDIT_TABLE}").fetchone()[0] == before
    # Not even the superuser, unless it takes the owner's role: the trigger says why.
    refused = pytest.raises(psycopg.errors.InsufficientPrivilege, match="审计记录只能追加")
    with psycopg.connect(server.url.replace("+psycopg", "")) as conn, refused:
        conn.execute(f"DELETE FROM {AUDIT_TABLE}")


def test_a_viewer_reads_and_writes_nothing(city: tuple[CityServer, dict[str, int]]) -> None:
    server, ids = city
    login = server.add_login("viewer", Scope.VIEWER)
    with server.connect_as(login) as conn:
        conn.autocommit = True
        for table in (*COUNTY_TABLES, *CITY_TABLES):
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()
            assert _rows(conn, f"DELETE FROM {table}") == 0
        assert _rows(conn, "UPDATE parcel SET version = 9 WHERE id = %s", ids["hj.parcel"]) == 0
        assert (
            _rows(
                conn,
                'INSERT INTO audit_log (at, "user", action, record_kind, record_id, record_uuid,'
                " record_label, record_version, source) VALUES (now(), 'x', 'create', 'parcel',"
                " 1, 'u', 'l', 1, 's')",
            )
            == 0
        )


def test_a_city_clerk_writes_every_county(city: tuple[CityServer, dict[str, int]]) -> None:
    server, ids = city
    login = server.add_login("cityclerk", Scope.CITY)
    with server.connect_as(login) as conn:
        conn.autocommit = True
        for short in ("hj", "hx"):
            assert (
                _rows(conn, "UPDATE parcel SET version = 5 WHERE id = %s", ids[f"{short}.parcel"])
                == 1
            )
        assert _rows(conn, "UPDATE quota_default SET land_target_mu = 1") == 0  # no rows, allowed


def _state(url: str) -> dict[str, Any]:
    """What init decides: roles, owners, grants, policies, RLS flags, triggers."""
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        queries = {
            "roles": "SELECT rolname, rolcanlogin, rolsuper, rolbypassrls FROM pg_roles"
            " WHERE rolname LIKE %s ORDER BY 1",
            "owners": "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'"
            " AND %s <> '' ORDER BY 1",
            "grants": "SELECT grantee, table_name, privilege_type FROM"
            " information_schema.role_table_grants WHERE grantee LIKE %s ORDER BY 1, 2, 3",
            "policies": "SELECT tablename, policyname, roles::text, cmd, qual, with_check"
            " FROM pg_policies WHERE %s <> '' ORDER BY 1, 2",
            "rls": "SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class"
            " WHERE relnamespace = 'public'::regnamespace AND relkind = 'r' AND %s <> ''"
            " ORDER BY 1",
            "triggers": "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND %s <> ''"
            " ORDER BY 1",
        }
        prefix = role_names(url.rsplit("/", 1)[1]).prefix + "%"
        return {k: conn.execute(q, (prefix,)).fetchall() for k, q in queries.items()}


def test_init_twice_changes_nothing_and_covers_every_table(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, _ids = city
    first = _state(server.url)
    report = init_server(server.url)
    assert not report.changed, report
    assert _state(server.url) == first
    owner = server.names.owner
    assert {owner} == {table_owner for _t, table_owner in first["owners"]}
    roles = {name: flags for name, *flags in first["roles"]}
    assert all(flags == [False, False, False] for flags in roles.values())
    assert set(roles) == {owner, *server.names.groups}
    forced = {name for name, enabled, force in first["rls"] if enabled and force}
    assert forced == {*COUNTY_TABLES, ATTACHMENT_TABLE, STANDARD_TABLE, YIELD_TABLE, SCHEME_TABLE}
    # Every table of the ledger is classified (a later table must be added to policies.py).
    known = {*COUNTY_TABLES, *CITY_TABLES, AUDIT_TABLE, ATTACHMENT_TABLE, STANDARD_TABLE,
             YIELD_TABLE, SCHEME_TABLE}
    assert set(SQLModel.metadata.tables) <= known
    grants = {(g, t, p) for g, t, p in first["grants"] if g != owner}
    county = server.names.group(Scope.COUNTY)
    assert (county, "audit_log", "INSERT") in grants
    assert not {p for g, t, p in grants if t == "audit_log"} & {"UPDATE", "DELETE", "TRUNCATE"}
    assert not [x for x in grants if x[0] == server.names.group(Scope.VIEWER) and x[2] != "SELECT"]
    assert AuditEntry.__tablename__ == AUDIT_TABLE


def test_init_takes_over_an_existing_ledger_and_adds_what_is_missing(postgres_url: str) -> None:
    from landbank.store.migrate import open_database

    engine = open_database(postgres_url, upgrade=True)  # tables made by the superuser
    with write_session(engine) as s:
        create_record(s, RecordKind.REGION, {"name": "获嘉县", "kind": "县"}, user="t")
    engine.dispose()
    with city_server(postgres_url) as server:
        with psycopg.connect(postgres_url.replace("+psycopg", ""), autocommit=True) as conn:
            conn.execute("DROP POLICY lb_county_update ON parcel")
            conn.execute("DROP TRIGGER landbank_audit_no_change ON audit_log")
            conn.execute("ALTER TABLE factory NO FORCE ROW LEVEL SECURITY")
        report = init_server(postgres_url)
        assert set(report.added) == {"parcel.lb_county_update", "landbank_audit_no_change"}
        state = _state(postgres_url)
        assert {owner for _t, owner in state["owners"]} == {server.names.owner}
        forced = {n for n, _e, force in state["rls"] if force}
        assert forced == {*COUNTY_TABLES, ATTACHMENT_TABLE, STANDARD_TABLE, YIELD_TABLE, SCHEME_TABLE}
        with psycopg.connect(postgres_url.replace("+psycopg", "")) as conn:
            assert conn.execute("SELECT name FROM region").fetchall() == [("获嘉县",)]
