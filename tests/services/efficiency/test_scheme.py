"""A county's 亩均效益 scheme (issue 16 item 6): presets and their aliases, weights replaced or
dropped, every refusal named and nothing written, the audit entry old → new; on PostgreSQL a
county login sets only its county's scheme, never the city's default, even by raw SQL."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import col

from landbank.domain.land_life.efficiency import Measure
from landbank.services.efficiency.scheme import (
    AUDIT_KIND,
    SchemeInvalid,
    preset_name,
    scheme_for,
    set_scheme,
)
from landbank.services.records.saving import WriteRefused
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import AuditEntry, EfficiencyScheme
from tests.server_helpers import CityServer, city_server
from tests.services.efficiency.ledger import USER, make_ledger


def test_presets_weights_and_the_audit(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    assert preset_name("淮安") == "淮安2024"
    with pytest.raises(SchemeInvalid, match="评价方法“南京”未知"):
        preset_name("南京")
    with read_session(any_engine) as s:
        default = scheme_for(s, ids["获嘉县"])
    assert default.source == "预设（黄岩）"
    assert not default.stored
    with write_session(any_engine) as s:
        made = set_scheme(s, ids["获嘉县"], "淮安", user=USER,
                          weights={Measure.TAX_PER_MU: 50.0, Measure.SALES_PER_MU: 30.0})  # fmt: skip
    assert dict(made.scheme.weights) == {
        Measure.TAX_PER_MU: 50.0, Measure.SALES_PER_MU: 30.0, Measure.VALUE_ADDED_PER_ENERGY: 20.0,
    }  # fmt: skip
    assert made.scheme.base_multiple == 2.0
    with write_session(any_engine) as s:
        set_scheme(s, ids["获嘉县"], "黄岩", user="王五", base_multiple=1.5)
    with read_session(any_engine) as s:
        stored = scheme_for(s, ids["获嘉县"])
        entries = s.execute(
            select(AuditEntry).where(col(AuditEntry.record_kind) == AUDIT_KIND)
            .order_by(col(AuditEntry.id))
        ).scalars().all()  # fmt: skip
    assert stored.preset == "黄岩"
    assert stored.scheme.base_multiple == 1.5
    assert [(e.action, e.user) for e in entries] == [("create", USER), ("update", "王五")]
    assert entries[1].old_value is not None
    assert entries[1].old_value.startswith("淮安2024：亩均税收 50、亩均销售收入 30")
    assert entries[1].new_value is not None
    assert "上年县均值 × 1.5" in entries[1].new_value
    assert entries[1].record_label == "亩均效益评价方法·获嘉县"


def test_refusals_name_the_indicator_and_write_nothing(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    with write_session(any_engine) as s, pytest.raises(SchemeInvalid) as refused:
        set_scheme(
            s, ids["获嘉县"], "淮安", user=USER, base_multiple=0.0,
            weights={Measure.TAX_PER_MU: -5.0}, fixed_bases={Measure.RD_SHARE: 3.0},
        )  # fmt: skip
    problems = refused.value.problems
    assert "亩均税收权重不能为负数（-5）" in problems
    assert any(p.startswith("各指标权重合计应为 100，现为 50") for p in problems)
    assert "基准值倍数应大于 0、不超过 10，现为 0" in problems
    assert "研发经费占比不在评价指标中，不能设基准值" in problems
    with read_session(any_engine) as s:
        assert s.execute(select(func.count()).select_from(EfficiencyScheme)).scalar() == 0


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        admin = make_engine(postgres_url)
        ids = make_ledger(admin)
        admin.dispose()
        yield server, ids


@pytest.mark.postgres
def test_a_county_login_sets_only_its_countys_scheme(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, ids = city
    login = server.add_login("hxscheme", Scope.COUNTY, region="辉县市", display="李四")
    engine = server.engine_as(login)
    with write_session(engine) as s:
        set_scheme(s, ids["辉县市"], "淮安", user="ignored")
    with write_session(engine) as s, pytest.raises(WriteRefused, match="只能修改辉县市的记录"):
        set_scheme(s, ids["获嘉县"], "淮安", user="ignored")
    with write_session(engine) as s, pytest.raises(WriteRefused, match="不能修改全市默认的亩均效益评价方法"):
        set_scheme(s, None, "淮安", user="ignored")
    engine.dispose()
    with server.connect_as(login) as conn, pytest.raises(psycopg.errors.InsufficientPrivilege):
        conn.execute(
            "INSERT INTO efficiency_scheme (uuid, version, created_at, updated_at, updated_by,"
            " region_id, scope_key, preset, weights_json, base_multiple, bases_json)"
            " VALUES ('x', 1, now(), now(), 'x', NULL, 0, '黄岩', '{}', 1, '{}')"
        )
    with read_session(server.engine_as(login)) as s:
        assert scheme_for(s, ids["辉县市"]).source == "辉县市"
        assert scheme_for(s, ids["获嘉县"]).source == "预设（黄岩）"
