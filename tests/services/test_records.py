"""Record services on SQLite and PostgreSQL: validation, audit, and two clerks at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.records.history import history
from landbank.services.records.saving import (
    ConflictError,
    DeleteRefused,
    ValidationFailed,
    create_record,
    delete_record,
    get_record,
    update_record,
)
from landbank.store.engine import read_session, session_scope, write_session
from landbank.store.migrate import open_database
from landbank.store.models import AuditEntry, LandParcel


@pytest.fixture
def ledger(any_engine: Engine) -> tuple[Engine, int, int]:
    """A region with one parcel; returns (engine, region id, parcel id)."""
    with session_scope(any_engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县", "city": "新乡市"}, user="管理员")
        park = create_record(s, RecordKind.PARK, {"name": "辉县市产业集聚区", "region_id": "辉县市"}, user="管理员")
        parcel = create_record(
            s,
            RecordKind.PARCEL,
            {
                "code": "HX2026-001",
                "region_id": region.id,
                "park_id": park.id,
                "area_mu": 120.5,
                "readiness": "拟收储",
                "status": "可供",
                "target_industry": "装备制造",
            },
            user="管理员",
        )
    assert region.id is not None
    assert parcel.id is not None
    return any_engine, region.id, parcel.id


@pytest.fixture
def second_clerk(any_db_url: str) -> Iterator[Engine]:
    """Another clerk's program: its own engine (own connections) on the same database."""
    eng = open_database(any_db_url)
    yield eng
    eng.dispose()


def _parcel_count(engine: Engine) -> int:
    with Session(engine) as s:
        return int(s.execute(select(func.count()).select_from(LandParcel)).scalar_one())


def test_create_resolves_names_and_audits(ledger: tuple[Engine, int, int]) -> None:
    engine, _, parcel_id = ledger
    with session_scope(engine) as s:
        entries = history(s, RecordKind.PARCEL, parcel_id)
    assert [e.action for e in entries] == ["create"]
    assert entries[0].user == "管理员"
    assert "辉县市产业集聚区" in (entries[0].new_value or "")


def test_edit_records_each_changed_field(ledger: tuple[Engine, int, int]) -> None:
    engine, _, parcel_id = ledger
    with session_scope(engine) as s:
        parcel = update_record(
            s, RecordKind.PARCEL, parcel_id, {"area_mu": 130.0, "readiness": "已收储(毛地)"},
            expected_version=1, user="张三",
        )
        assert parcel.version == 2
    with session_scope(engine) as s:
        changes = {(e.field, e.old_value, e.new_value, e.user) for e in history(s, RecordKind.PARCEL, parcel_id)[1:]}
    assert changes == {("area_mu", "120.5", "130", "张三"), ("readiness", "拟收储", "已收储(毛地)", "张三")}


def test_forbidden_jump_is_refused_and_nothing_changes(ledger: tuple[Engine, int, int]) -> None:
    engine, _, parcel_id = ledger
    with pytest.raises(ValidationFailed) as err, session_scope(engine) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"readiness": "净地(可供)"}, expected_version=1, user="张三")
    assert "不能从“拟收储”直接变为“净地(可供)”" in str(err.value)
    with session_scope(engine) as s:
        parcel = get_record(s, RecordKind.PARCEL, parcel_id)
        assert (parcel.version, parcel.readiness) == (1, "拟收储")
        assert len(history(s, RecordKind.PARCEL, parcel_id)) == 1


def test_duplicate_code_in_region_is_refused(ledger: tuple[Engine, int, int]) -> None:
    engine, region_id, _ = ledger
    with pytest.raises(ValidationFailed, match="已有地块编号为“HX2026-001”"), session_scope(engine) as s:
        create_record(
            s, RecordKind.PARCEL,
            {"code": "HX2026-001", "region_id": region_id, "area_mu": 5.0, "readiness": "拟收储", "status": "可供"},
            user="张三",
        )
    assert _parcel_count(engine) == 1


def test_park_of_another_region_is_refused(ledger: tuple[Engine, int, int]) -> None:
    engine, _, parcel_id = ledger
    with session_scope(engine) as s:
        create_record(s, RecordKind.REGION, {"name": "红旗区", "kind": "区"}, user="t")
    with pytest.raises(ValidationFailed, match="属于辉县市"), session_scope(engine) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"region_id": "红旗区"}, expected_version=1, user="t")


def test_second_save_is_refused_with_what_changed(ledger: tuple[Engine, int, int], second_clerk: Engine) -> None:
    engine, _, parcel_id = ledger
    # Clerk A opens the record (version 1) …
    with session_scope(engine) as s:
        opened_version = get_record(s, RecordKind.PARCEL, parcel_id).version
    # … clerk B, on another program, saves a change first …
    with session_scope(second_clerk) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"area_mu": 99.0}, expected_version=1, user="李四")
    # … so clerk A's save is refused and says who changed what.
    with pytest.raises(ConflictError) as err, session_scope(engine) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"area_mu": 150.0}, expected_version=opened_version, user="张三")
    message = str(err.value)
    assert "李四" in message
    assert "收储面积" in message
    assert "120.5" in message
    assert "99" in message
    with session_scope(engine) as s:
        assert get_record(s, RecordKind.PARCEL, parcel_id).area_mu == 99.0


def test_interleaved_saves_never_overwrite(ledger: tuple[Engine, int, int], second_clerk: Engine) -> None:
    """Both clerks read version 1; B saves first; A's save (a write transaction, begun after
    B's ended) must fail as a conflict naming the record — not overwrite, not a driver error."""
    engine, _, parcel_id = ledger
    with read_session(engine) as session_a:
        assert get_record(session_a, RecordKind.PARCEL, parcel_id).version == 1
    with write_session(second_clerk) as session_b:
        update_record(session_b, RecordKind.PARCEL, parcel_id, {"location": "孟庄镇"}, expected_version=1, user="李四")
    with pytest.raises(ConflictError), write_session(engine) as session_a:
        update_record(session_a, RecordKind.PARCEL, parcel_id, {"location": "南环路"}, expected_version=1, user="张三")
    with session_scope(engine) as s:
        assert get_record(s, RecordKind.PARCEL, parcel_id).location == "孟庄镇"


def test_a_write_waits_for_another_clerks_write_instead_of_failing(
    ledger: tuple[Engine, int, int], second_clerk: Engine
) -> None:
    """SQLite: B's write transaction holds the lock while A's save begins. A waits for it
    (BEGIN IMMEDIATE, busy timeout) and saves once B ends: B changed nothing, so no conflict.
    (PostgreSQL has no database-wide write lock: its row locks wait already.)"""
    import threading
    import time

    engine, _, parcel_id = ledger
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's write lock")
    started = threading.Event()
    outcome: list[object] = []

    def clerk_a() -> None:
        started.wait()
        try:
            with write_session(engine) as s:
                update_record(s, RecordKind.PARCEL, parcel_id, {"location": "南环路"}, expected_version=1, user="张三")
            outcome.append("saved")
        except Exception as exc:
            outcome.append(exc)

    with write_session(second_clerk) as session_b:
        session_b.execute(select(func.count()).select_from(AuditEntry)).scalar_one()  # holds the lock
        thread = threading.Thread(target=clerk_a)
        thread.start()
        started.set()
        time.sleep(0.5)  # A is waiting for the lock now
        assert outcome == []
    thread.join(10)
    assert outcome == ["saved"]
    with session_scope(engine) as s:
        assert get_record(s, RecordKind.PARCEL, parcel_id).location == "南环路"


def test_delete_of_a_deleted_record_is_a_conflict(ledger: tuple[Engine, int, int], second_clerk: Engine) -> None:
    engine, _, parcel_id = ledger
    with session_scope(second_clerk) as s:
        delete_record(s, RecordKind.PARCEL, parcel_id, expected_version=1, user="李四")
    with pytest.raises(ConflictError, match="“HX2026-001”已被其他用户删除"), session_scope(engine) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"area_mu": 1.0}, expected_version=1, user="张三")


def test_delete_keeps_a_snapshot_in_the_audit_log(ledger: tuple[Engine, int, int]) -> None:
    engine, _, parcel_id = ledger
    with session_scope(engine) as s:
        delete_record(s, RecordKind.PARCEL, parcel_id, expected_version=1, user="张三")
    assert _parcel_count(engine) == 0
    with session_scope(engine) as s:
        entries = history(s, RecordKind.PARCEL, parcel_id)
        assert [e.action for e in entries] == ["create", "delete"]
        assert "HX2026-001" in (entries[-1].old_value or "")
        assert s.execute(select(func.count()).select_from(AuditEntry)).scalar_one() >= 4


def test_region_in_use_cannot_be_deleted(ledger: tuple[Engine, int, int]) -> None:
    engine, region_id, _ = ledger
    with pytest.raises(DeleteRefused, match="1 个园区、1 个地块"), session_scope(engine) as s:
        delete_record(s, RecordKind.REGION, region_id, expected_version=None, user="张三")


def test_every_kind_refuses_its_duplicates_with_a_message(ledger: tuple[Engine, int, int]) -> None:
    engine, region_id, _ = ledger
    first = {
        RecordKind.PARCEL: {"code": "HX-9", "region_id": region_id, "area_mu": 1.0, "readiness": "拟收储",
                            "status": "可供", "supervision_no": "4107822024B00017"},
        RecordKind.FACTORY: {"code": "CF-1", "name": "1#", "region_id": region_id, "status": "已建成",
                             "floor_area_m2": 100.0},
        RecordKind.PROJECT: {"name": "项目甲", "region_id": region_id, "stage": "线索",
                             "credit_code": "91410700MA44XXXX1Y"},
        RecordKind.QUOTA: {"region_id": region_id, "year": 2026, "land_target_mu": 2000.0,
                           "factory_target_m2": 120000.0},
    }
    again = {
        RecordKind.REGION: ({"name": "辉县市", "kind": "县"}, "name", "已有名称为“辉县市”的行政区"),
        RecordKind.PARK: ({"name": "辉县市产业集聚区", "region_id": region_id}, "name", "本县区已有园区名称为“辉县市产业集聚区”的园区"),
        RecordKind.PARCEL: ({**first[RecordKind.PARCEL], "code": "HX-10"}, "supervision_no", "已有电子监管号为“4107822024B00017”的地块"),
        RecordKind.FACTORY: ({**first[RecordKind.FACTORY], "name": "2#"}, "code", "本县区已有厂房编号为“CF-1”的厂房"),
        RecordKind.PROJECT: ({**first[RecordKind.PROJECT], "name": "项目乙"}, "credit_code", "已有统一社会信用代码为“91410700MA44XXXX1Y”的项目"),
        RecordKind.QUOTA: ({**first[RecordKind.QUOTA], "land_target_mu": 1.0}, "year", "该县区本年度的指标已存在"),
    }
    with session_scope(engine) as s:
        for kind, values in first.items():
            create_record(s, kind, values, user="t")
    for kind, (values, key, message) in again.items():
        with pytest.raises(ValidationFailed) as err, session_scope(engine) as s:
            create_record(s, kind, values, user="t")
        assert err.value.errors.by_field[key] == message, kind


def test_ids_of_deleted_records_are_never_reused(ledger: tuple[Engine, int, int]) -> None:
    engine, region_id, parcel_id = ledger
    with session_scope(engine) as s:
        delete_record(s, RecordKind.PARCEL, parcel_id, expected_version=1, user="乙")
    with session_scope(engine) as s:
        newer = create_record(
            s, RecordKind.PARCEL,
            {"code": "C-9", "region_id": region_id, "area_mu": 99.0, "readiness": "拟收储", "status": "可供"},
            user="丙",
        )
    assert newer.id != parcel_id
    # A clerk who still had the deleted parcel open cannot touch the new one by its old id.
    with pytest.raises(ConflictError, match="已被其他用户删除"), session_scope(engine) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"area_mu": 12.0}, expected_version=1, user="甲")


def test_delete_never_removes_a_save_made_after_its_read(
    ledger: tuple[Engine, int, int], second_clerk: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PostgreSQL: another clerk saves between the delete's read and its write; the delete is
    refused as a conflict. (On SQLite the delete's write transaction holds the lock from its
    start, so no save can come between: the other clerk waits, as tested above.)"""
    engine, _, parcel_id = ledger
    if engine.dialect.name == "sqlite":
        pytest.skip("SQLite's write lock lets no save in between")
    from landbank.services.records import saving as records

    real_snapshot = records.audit_snapshot

    def another_clerk_saves_meanwhile(session: Session, kind: RecordKind, values: Any) -> str:
        with session_scope(second_clerk) as s:
            update_record(s, RecordKind.PARCEL, parcel_id, {"notes": "乙的备注"}, expected_version=1, user="乙")
        return real_snapshot(session, kind, values)

    monkeypatch.setattr(records, "audit_snapshot", another_clerk_saves_meanwhile)
    with pytest.raises(ConflictError), write_session(engine) as s:
        delete_record(s, RecordKind.PARCEL, parcel_id, expected_version=1, user="甲")
    monkeypatch.undo()
    with session_scope(engine) as s:
        assert get_record(s, RecordKind.PARCEL, parcel_id).notes == "乙的备注"


def test_park_or_region_preferred_by_a_project_cannot_be_deleted(ledger: tuple[Engine, int, int]) -> None:
    engine, region_id, _ = ledger
    with session_scope(engine) as s:
        other = create_record(s, RecordKind.REGION, {"name": "红旗区", "kind": "区"}, user="t")
        park = create_record(s, RecordKind.PARK, {"name": "红旗区开发区", "region_id": other.id}, user="t")
        create_record(
            s, RecordKind.PROJECT,
            {"name": "项目丙", "region_id": region_id, "stage": "线索",
             "preferred_region_id": other.id, "preferred_park_id": park.id},
            user="t",
        )
    with pytest.raises(DeleteRefused, match="1 个以其为意向园区的项目"), session_scope(engine) as s:
        delete_record(s, RecordKind.PARK, park.id, expected_version=None, user="t")  # type: ignore[arg-type]
    with pytest.raises(DeleteRefused, match="以其为意向县区的项目"), session_scope(engine) as s:
        delete_record(s, RecordKind.REGION, other.id, expected_version=None, user="t")  # type: ignore[arg-type]


def test_audit_keeps_every_digit_and_one_newline_convention(ledger: tuple[Engine, int, int]) -> None:
    engine, _, parcel_id = ledger
    with session_scope(engine) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"area_mu": 12345.67}, expected_version=1, user="t")
        update_record(s, RecordKind.PARCEL, parcel_id, {"area_mu": 12345.64}, expected_version=2, user="t")
        last = history(s, RecordKind.PARCEL, parcel_id)[-1]
    assert (last.old_value, last.new_value) == ("12345.67", "12345.64")
    from landbank.domain.fields import field_map
    from landbank.domain.validation import coerce

    assert coerce(field_map(RecordKind.PARCEL)["notes"], "第一行\r\n第二行\r第三行") == "第一行\n第二行\n第三行"
