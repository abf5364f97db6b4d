"""Bulk inserts through the driver (landbank.store.bulk) store what SQLAlchemy Core stores."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

import landbank.store.bulk as bulk
from landbank.domain.enums import RecordKind
from landbank.services.errors import INTEGRITY, describe_error
from landbank.services.records.saving import create_record, delete_record
from landbank.store.bulk import (
    BULK_CACHE_KIB,
    bulk_writes,
    deferred_indexes,
    insert_columns,
    reserve_ids,
)
from landbank.store.models import Factory, LandParcel, Region
from landbank.store.uuids import new_uuids

USER = "测试员"


@pytest.fixture
def session(any_engine: Engine) -> Iterator[Session]:
    with Session(any_engine) as s:
        create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user=USER)
        s.commit()
        yield s


def _factory(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "uuid": str(uuid.uuid4()),
        "version": 1,
        "created_at": datetime(2026, 11, 24, 8, 30, 15, 123456, tzinfo=UTC),
        "updated_at": datetime(2026, 11, 24, 8, 30, 15, 654321, tzinfo=UTC),
        "code": code,
        "name": "1号厂房 \"甲\" \\ 乙\n丙",
        "region_id": 1,
        "status": "闲置",
        "completion_date": date(2016, 5, 1),
        "floors": 3,
        "floor_area_m2": 0.1 + 0.2,
        "idle_area_m2": 1e-7,
        "dual_power": True,
        "loading_dock": False,
        "power_kva": None,
        **extra,
    }


def _stored(session: Session, code: str) -> dict[str, Any]:
    row = session.execute(
        text("SELECT * FROM factory WHERE code = :code"), {"code": code}
    ).mappings().one()
    return {k: v for k, v in row.items() if k not in ("id", "uuid", "code")}


def test_rows_are_stored_as_core_stores_them(session: Session) -> None:
    session.execute(insert(Factory), [_factory("CORE")])
    values = _factory("BULK")
    [new_id] = reserve_ids(session.connection(), Factory, 1)
    insert_columns(session, Factory, {"id": [new_id], **{k: [v] for k, v in values.items()}}, 1)
    assert _stored(session, "BULK") == _stored(session, "CORE")
    stored = session.execute(select(Factory).where(Factory.code == "BULK")).scalars().one()
    assert (stored.id, stored.uuid, stored.dual_power, stored.loading_dock) == (
        new_id,
        values["uuid"],
        True,
        False,
    )
    assert stored.floor_area_m2 == 0.1 + 0.2
    assert stored.completion_date == date(2016, 5, 1)


def test_ids_follow_on_and_are_never_reused(session: Session) -> None:
    second = create_record(session, RecordKind.REGION, {"name": "获嘉县", "kind": "县"}, user=USER)
    delete_record(session, RecordKind.REGION, second.id or 0, expected_version=1, user=USER)
    ids = reserve_ids(session.connection(), Region, 3)
    assert ids == [3, 4, 5]  # 2 was used once: never again
    names = ["原阳县", "红旗区", "牧野区"]
    insert_columns(
        session,
        Region,
        {
            "id": ids,
            "uuid": new_uuids(3),
            "version": [1] * 3,
            "created_at": [datetime.now(UTC)] * 3,
            "updated_at": [datetime.now(UTC)] * 3,
            "name": names,
            "kind": ["县", "区", "区"],
            "city": [None] * 3,
        },
        3,
    )
    after = create_record(session, RecordKind.REGION, {"name": "卫辉市", "kind": "县"}, user=USER)
    assert after.id == 6
    assert reserve_ids(session.connection(), Region, 2) == [7, 8]
    assert reserve_ids(session.connection(), Region, 0) == []


def test_a_rolled_back_savepoint_takes_the_rows_with_it(session: Session) -> None:
    savepoint = session.begin_nested()
    ids = reserve_ids(session.connection(), Factory, 2)
    rows = [_factory("S-1"), _factory("S-2")]
    insert_columns(session, Factory, {"id": ids, **{k: [r[k] for r in rows] for k in rows[0]}}, 2)
    assert session.execute(text("SELECT count(*) FROM factory")).scalar_one() == 2
    savepoint.rollback()
    session.commit()
    assert session.execute(text("SELECT count(*) FROM factory")).scalar_one() == 0


def test_driver_errors_are_sqlalchemy_errors(session: Session) -> None:
    savepoint = session.begin_nested()
    ids = reserve_ids(session.connection(), Region, 1)
    with pytest.raises(IntegrityError) as caught:  # the name is taken
        insert_columns(
            session,
            Region,
            {
                "id": ids,
                "uuid": new_uuids(1),
                "version": [1],
                "created_at": [datetime.now(UTC)],
                "updated_at": [datetime.now(UTC)],
                "name": ["辉县市"],
                "kind": ["县"],
            },
            1,
        )
    savepoint.rollback()
    assert describe_error(caught.value) == INTEGRITY
    assert session.execute(text("SELECT count(*) FROM region")).scalar_one() == 1


def test_columns_must_be_as_long_as_the_rows(session: Session) -> None:
    with pytest.raises(ValueError, match="values for 2 rows"):
        insert_columns(session, Region, {"id": [1], "name": ["a", "b"]}, 2)


def test_bulk_writes_enlarge_the_sqlite_page_cache_for_a_while(engine: Engine) -> None:
    with Session(engine) as s:

        def cache_size() -> int:
            return int(s.connection().exec_driver_sql("PRAGMA cache_size").scalar_one())

        before = cache_size()
        with bulk_writes(s):
            assert cache_size() == -BULK_CACHE_KIB
        assert cache_size() == before


def _indexes(s: Session, table: str) -> dict[str, str]:
    rows = s.connection().exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?", (table,)
    )
    return {name: sql for name, sql in rows}


def test_a_large_insert_builds_the_secondary_indexes_afterwards(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 3)
    with Session(engine) as s:
        before = _indexes(s, "parcel")
        with deferred_indexes(s, LandParcel, 3, keep={"supervision_no", "status"}) as deferred:
            during = _indexes(s, "parcel")
        assert sorted(deferred) == [
            "ix_parcel_area_mu",
            "ix_parcel_code",
            "ix_parcel_park_id",
            "ix_parcel_readiness",
            "ix_parcel_region_status_area",  # of status, but not only
            "ix_parcel_reserve_date",
            "ix_parcel_target_industry",
        ]
        # The unique ones and those of looked-up columns stay; the rest come back as they were.
        assert set(during) == set(before) - set(deferred)
        # (unique: the UUID, 电子监管号 where given; kept: 电子监管号, status)
        assert {"sqlite_autoindex_parcel_1", "uq_parcel_supervision_no", "ix_parcel_supervision_no",
                "ix_parcel_status"} <= set(during)
        assert _indexes(s, "parcel") == before


def test_a_failed_insert_gets_its_indexes_back_from_the_rollback(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 3)
    with Session(engine) as s:
        before = _indexes(s, "parcel")
        savepoint = s.begin_nested()
        seen: list[str] = []

        def failing_import() -> None:
            with deferred_indexes(s, LandParcel, 5) as deferred:
                seen.extend(deferred)
                assert set(_indexes(s, "parcel")) == set(before) - set(deferred)
                raise RuntimeError("the import failed")

        with pytest.raises(RuntimeError, match="failed"):
            failing_import()
        assert seen
        savepoint.rollback()
        assert _indexes(s, "parcel") == before


def test_small_inserts_and_full_tables_keep_their_indexes(any_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 3)
    with Session(any_engine) as s:
        with deferred_indexes(s, LandParcel, 2) as deferred:
            assert deferred == []  # fewer rows than the threshold
        if any_engine.dialect.name == "sqlite":
            create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user=USER)
            for i in range(4):
                create_record(s, RecordKind.PARCEL, {"code": f"P-{i}", "region_id": "辉县市", "area_mu": 1.0,
                                                     "readiness": "拟收储", "status": "可供"}, user=USER)  # fmt: skip
            with deferred_indexes(s, LandParcel, 4) as deferred:
                assert deferred == []  # not more rows than the table holds
            with deferred_indexes(s, LandParcel, 5) as deferred:
                assert deferred
        else:
            with deferred_indexes(s, LandParcel, 5) as deferred:
                assert deferred == []  # PostgreSQL keeps its indexes (other clerks use them)


def test_indexes_a_clerk_made_are_deferred_and_made_again_whatever_their_names(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 3)
    with Session(engine) as s:
        conn = s.connection()
        conn.exec_driver_sql('CREATE INDEX "holder ""main"" idx" ON parcel (holder)')
        conn.exec_driver_sql("CREATE INDEX ix_big ON parcel (area_mu * 15) WHERE area_mu > 100")
        before = _indexes(s, "parcel")
        with deferred_indexes(s, LandParcel, 5) as deferred:
            assert {'holder "main" idx', "ix_big"} <= set(deferred)
            assert not {'holder "main" idx', "ix_big"} & set(_indexes(s, "parcel"))
        assert _indexes(s, "parcel") == before
