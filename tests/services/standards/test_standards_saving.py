"""Rows of the 标准地 table saved by hand: checks in Chinese, one row per key, version guard,
audit entries old → new, and counties/parks holding rows cannot be deleted."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, select

from landbank.domain.enums import RecordKind
from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.records.saving import ConflictError, DeleteRefused, delete_record
from landbank.services.standards.saving import (
    StandardInput,
    StandardInvalid,
    check_standard,
    create_standard,
    delete_standard,
    update_standard,
)
from landbank.store.engine import session_scope
from landbank.store.models import AuditEntry
from tests.services.standards.ledger import make_ledger

FAR = {Indicator.FLOOR_AREA_RATIO: Threshold(1.0, 2.0)}


def test_create_update_delete_audited(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    given = StandardInput(ids["获嘉县"], ids["高新园区"], " 新材料 ", FAR)
    with session_scope(any_engine) as s:
        row = create_standard(s, given, user="张三")
        row_id = row.id
    assert row_id is not None
    changed = StandardInput(ids["获嘉县"], ids["高新园区"], "新材料",
                            {**FAR, Indicator.INVESTMENT_INTENSITY: Threshold(low=250.0)})
    with session_scope(any_engine) as s:
        update_standard(s, row_id, changed, expected_version=1, user="李四")
    with session_scope(any_engine) as s, pytest.raises(ConflictError, match="李四"):
        update_standard(s, row_id, given, expected_version=1, user="王五")
    with session_scope(any_engine) as s:
        delete_standard(s, row_id, expected_version=2, user="王五")
    with session_scope(any_engine) as s:
        entries = s.execute(
            select(AuditEntry.action, AuditEntry.record_label, AuditEntry.field,
                   AuditEntry.old_value, AuditEntry.new_value, AuditEntry.user)
            .where(AuditEntry.record_kind == "standard").order_by(AuditEntry.id)
        ).all()
    assert [e[:3] for e in entries] == [
        ("create", "获嘉县·高新园区·新材料", None),
        ("update", "获嘉县·高新园区·新材料", "investment_intensity_min_wan_per_mu"),
        ("delete", "获嘉县·高新园区·新材料", None),
    ]
    assert entries[1][3:] == (None, "250", "李四")
    assert "容积率上限" in (entries[2][3] or "")


def test_one_row_per_key_and_the_checks(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    with session_scope(any_engine) as s:
        create_standard(s, StandardInput(ids["获嘉县"], None, None, FAR), user="张三")
    with session_scope(any_engine) as s, pytest.raises(StandardInvalid, match="已有“获嘉县·全部产业”"):
        create_standard(s, StandardInput(ids["获嘉县"], None, "", FAR), user="张三")
    bad = StandardInput(
        ids["获嘉县"], ids["产业集聚区"], "食品",
        {Indicator.FLOOR_AREA_RATIO: Threshold(3.0, 1.0), Indicator.TAX_PER_MU: Threshold(low=-1.0),
         Indicator.GREEN_RATIO: Threshold(high=25.0)},
    )
    with session_scope(any_engine) as s:
        problems, warnings = check_standard(s, bad)
    assert any("园区“产业集聚区”属于辉县市，不属于获嘉县" in p for p in problems)
    assert any("下限 3.00 高于上限 1.00" in p for p in problems)
    assert any("不能为负数" in p for p in problems)
    assert any("绿地率 25.0 % 高于国家标准 20.0 %" in w for w in warnings)  # kept, said


def test_a_county_or_park_with_rows_is_not_deleted(engine: Engine) -> None:
    ids = make_ledger(engine)
    with session_scope(engine) as s:
        create_standard(s, StandardInput(ids["获嘉县"], ids["高新园区"], None, FAR), user="张三")
    for kind, name in ((RecordKind.PARK, "高新园区"), (RecordKind.REGION, "获嘉县")):
        with session_scope(engine) as s, pytest.raises(DeleteRefused, match="1 个标准地指标行"):
            delete_record(s, kind, ids[name], expected_version=None, user="张三")
