"""The city's shared settings are audited (issue 14 item 4) and the audit's “who” is decided
in one place (item 3): the database login on PostgreSQL, the settings or OS account on
SQLite."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from landbank.domain.enums import RegionKind
from landbank.services.identity import save_ledger_identity
from landbank.services.quota.defaults import reset_quota_default, set_quota_default
from landbank.services.records.audit_log import SETTING_KIND
from landbank.services.server.identity import audit_user
from landbank.settings import Settings
from landbank.store.engine import read_session, write_session
from landbank.store.models import AuditEntry


def _setting_entries(engine: Engine) -> list[tuple[str, str | None, str | None, str | None]]:
    with read_session(engine) as s:
        rows = s.execute(
            select(AuditEntry)
            .where(col(AuditEntry.record_kind) == SETTING_KIND)
            .order_by(col(AuditEntry.id))
        ).scalars()
        return [(e.record_label, e.field, e.old_value, e.new_value) for e in rows]


def test_default_quotas_and_the_ledgers_city_are_audited(any_engine: Engine) -> None:
    with write_session(any_engine) as s:
        set_quota_default(s, RegionKind.COUNTY, land_target_mu=1500, user="王五")
    with write_session(any_engine) as s:
        set_quota_default(s, RegionKind.COUNTY, factory_target_m2=90000, user="王五")
    with write_session(any_engine) as s:
        reset_quota_default(s, RegionKind.COUNTY, user="王五")
        reset_quota_default(s, RegionKind.DISTRICT, user="王五")  # nothing set: no entry
    with write_session(any_engine) as s:
        save_ledger_identity(s, city="新乡市", bureau="新乡市商务局", user="王五")
        save_ledger_identity(s, city="新乡市", bureau="新乡市商务局", user="王五")  # unchanged
    county, land, floor = "全市默认指标（县(市)）", "收储目标(亩)", "标准厂房目标(m²)"
    assert _setting_entries(any_engine) == [
        (county, land, "2000", "1500"),
        (county, floor, "120000", "90000"),
        (county, land, "1500", "2000"),
        (county, floor, "90000", "120000"),
        ("台账的城市与单位", "城市", None, "新乡市"),
        ("台账的城市与单位", "单位", None, "新乡市商务局"),
    ]


def test_the_audit_user_on_sqlite_is_the_settings_name_else_the_os_account(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert audit_user(engine, Settings(user_name="赵六")) == "赵六"
    monkeypatch.setenv("LOGNAME", "oslogin")
    monkeypatch.setenv("USER", "oslogin")
    assert audit_user(engine, Settings(user_name="")) == "oslogin"


@pytest.mark.postgres
def test_the_audit_user_on_postgresql_is_the_login_whatever_else_says(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from landbank.store.migrate import open_database

    monkeypatch.setenv("LOGNAME", "县长张三")
    monkeypatch.setenv("USER", "县长张三")
    Settings(user_name="县长张三").save()
    engine = open_database(postgres_url, upgrade=True)
    try:
        assert audit_user(engine, Settings.load()) == "postgres"
        with read_session(engine) as s:
            assert audit_user(s) == "postgres"
    finally:
        engine.dispose()
