"""Yearly figures of the firm on a parcel: added, changed and deleted checked, guarded by their
version, audited on the parcel as 年度经营数据; a parcel holding them is not deleted."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from landbank.domain.enums import RecordKind
from landbank.services.land_life.yields import (
    AUDIT_FIELD,
    YieldInput,
    YieldInvalid,
    add_yield,
    delete_yield,
    describe_year,
    list_yields,
    update_yield,
)
from landbank.services.records.history import history
from landbank.services.records.saving import ConflictError, DeleteRefused, delete_record
from landbank.store.engine import read_session, write_session
from landbank.store.models import AuditEntry
from tests.services.land_life.ledger import USER, make_ledger


def test_a_year_is_described_as_the_audit_keeps_it() -> None:
    given = YieldInput(2025, tax_wan=120.0, output_wan=3400.0, employees=85)
    assert describe_year(given) == "2025年：税收 120.00 万元，产值 3,400.00 万元，从业人数 85 人"
    assert describe_year(YieldInput(2025, tax_wan=120.123)) == "2025年：税收 120.123 万元"


def test_add_change_delete_with_audit_on_the_parcel(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    parcel = ids["HJ-OK"]
    with write_session(any_engine) as s:
        row = add_yield(s, parcel, YieldInput(2025, tax_wan=120.0, output_wan=3400.0), user=USER)
        assert (row.region_id, row.version) == (ids["获嘉县"], 1)
        assert row.id is not None
        yield_id = row.id
    with write_session(any_engine) as s:
        changed = update_yield(
            s, yield_id, YieldInput(2025, tax_wan=150.0, output_wan=3400.0, notes="补报"),
            expected_version=1, user=USER,
        )  # fmt: skip
        assert changed.version == 2
    with write_session(any_engine) as s, pytest.raises(ConflictError):
        update_yield(s, yield_id, YieldInput(2025, tax_wan=1.0), expected_version=1, user=USER)
    with read_session(any_engine) as s:
        rows = list_yields(s, parcel_id=parcel)
        assert [(r.values.year, r.values.tax_wan, r.values.notes) for r in rows] == [
            (2025, 150.0, "补报")
        ]
        entries = s.execute(
            select(AuditEntry).where(
                col(AuditEntry.record_id) == parcel, col(AuditEntry.field) == AUDIT_FIELD
            ).order_by(col(AuditEntry.id))
        ).scalars().all()
        assert [(e.old_value, e.new_value) for e in entries][:2] == [
            (None, "2025年：税收 120.00 万元，产值 3,400.00 万元"),
            ("2025年：税收 120.00 万元，产值 3,400.00 万元",
             "2025年：税收 150.00 万元，产值 3,400.00 万元"),
        ]  # fmt: skip
        shown = history(s, RecordKind.PARCEL, parcel)
        assert any(AUDIT_FIELD in str(entry) for entry in shown)
    with write_session(any_engine) as s:
        delete_yield(s, yield_id, expected_version=2, user=USER)
    with read_session(any_engine) as s:
        assert list_yields(s, parcel_id=parcel) == []


def test_bad_figures_and_a_second_row_of_a_year_are_refused(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    with write_session(any_engine) as s:
        with pytest.raises(YieldInvalid) as caught:
            add_yield(
                s, ids["HJ-OK"],
                YieldInput(date.today().year + 1, output_wan=-5.0, employees=3), user=USER,
            )  # fmt: skip
        text = str(caught.value)
        assert "年度" in text
        assert "产值不能为负数" in text
        with pytest.raises(YieldInvalid, match="已有 2024 年的经营数据"):
            add_yield(s, ids["HJ-LOW"], YieldInput(2024, tax_wan=1.0), user=USER)
        add_yield(s, ids["HJ-OK"], YieldInput(2024, tax_wan=-3.0), user=USER)  # a refund year


def test_a_parcel_with_yearly_figures_is_not_deleted(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    with write_session(any_engine) as s, pytest.raises(DeleteRefused, match="2 个年度经营数据"):
        delete_record(s, RecordKind.PARCEL, ids["HJ-LOW"], expected_version=None, user=USER)


def test_list_by_county_and_year(any_engine: Engine) -> None:
    ids = make_ledger(any_engine)
    with read_session(any_engine) as s:
        assert [r.values.year for r in list_yields(s, region_ids=[ids["获嘉县"]])] == [2023, 2024]
        assert [r.parcel_code for r in list_yields(s, year=2024)] == ["HJ-LOW"]
        assert list_yields(s, region_ids=[ids["辉县市"]]) == []
