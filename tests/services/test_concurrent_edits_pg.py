"""Two clerks saving at the same moment on a PostgreSQL ledger (issue 13, part 4).

PostgreSQL has no database-wide write lock: each clerk's save is its own transaction, and the
version-guarded ``UPDATE … WHERE id = ? AND version = ?`` takes the row's lock. Clerk A's save
is held open (its row locked, not committed) while clerk B saves:

- the same record: B's UPDATE waits for A's row lock (seen in ``pg_stat_activity``), then finds the
  version moved on — one success, one :class:`ConflictError` naming the record and what A
  changed; the record holds A's value;
- different records: B saves while A's transaction is still open — no waiting, both succeed.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import ConflictError, create_record, update_record
from landbank.store.engine import read_session, write_session
from landbank.store.migrate import open_database
from landbank.store.models import LandParcel

pytestmark = pytest.mark.postgres

NEW = {"area_mu": 12.5, "readiness": "拟收储", "status": "可供"}


@pytest.fixture
def clerks(postgres_url: str) -> Iterator[tuple[Engine, Engine, dict[str, int]]]:
    """Two clerks' programs (own engines) on one PostgreSQL ledger of two parcels."""
    a = open_database(postgres_url, upgrade=True)  # as server init would
    b = open_database(postgres_url)
    with write_session(a) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="管理员")
        ids = {
            code: create_record(
                s, RecordKind.PARCEL, {"code": code, "region_id": region.id, **NEW}, user="管理员"
            ).id
            for code in ("HX-001", "HX-002")
        }
    yield a, b, {code: int(i) for code, i in ids.items() if i is not None}
    a.dispose()
    b.dispose()


def _waiting_for_a_row_lock(engine: Engine) -> bool:
    with read_session(engine) as s:
        waiting = text(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return bool(s.execute(waiting).scalar_one())


def _save(engine: Engine, record_id: int, location: str, user: str, outcome: list[object]) -> None:
    try:
        with write_session(engine) as s:
            update_record(s, RecordKind.PARCEL, record_id, {"location": location}, expected_version=1, user=user)
        outcome.append("saved")
    except Exception as exc:
        outcome.append(exc)


def test_two_clerks_saving_one_record_at_once_one_saves_one_is_told(
    clerks: tuple[Engine, Engine, dict[str, int]],
) -> None:
    a, b, ids = clerks
    record_id = ids["HX-001"]
    outcome_b: list[object] = []
    with write_session(a) as session_a:
        update_record(session_a, RecordKind.PARCEL, record_id, {"location": "南环路"}, expected_version=1, user="张三")
        clerk_b = threading.Thread(target=_save, args=(b, record_id, "孟庄镇", "李四", outcome_b))
        clerk_b.start()
        deadline = time.monotonic() + 20
        while not _waiting_for_a_row_lock(a) and clerk_b.is_alive() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert _waiting_for_a_row_lock(a)  # B's UPDATE waits on A's row: truly at once
        assert outcome_b == []
    clerk_b.join(20)
    assert len(outcome_b) == 1
    refused = outcome_b[0]
    assert isinstance(refused, ConflictError), refused
    assert "HX-001" in str(refused)  # names the record
    assert "张三" in str(refused)  # and who changed it
    assert "南环路" in str(refused)
    with read_session(a) as s:
        parcel = s.get(LandParcel, record_id)
        assert parcel is not None
        assert (parcel.location, parcel.version) == ("南环路", 2)


def test_two_clerks_saving_different_records_at_once_both_save(
    clerks: tuple[Engine, Engine, dict[str, int]],
) -> None:
    a, b, ids = clerks
    outcome_b: list[object] = []
    with write_session(a) as session_a:
        update_record(session_a, RecordKind.PARCEL, ids["HX-001"], {"location": "南环路"}, expected_version=1, user="张三")
        clerk_b = threading.Thread(target=_save, args=(b, ids["HX-002"], "孟庄镇", "李四", outcome_b))
        clerk_b.start()
        clerk_b.join(20)  # while A's transaction is still open: B never waits for it
        assert outcome_b == ["saved"]
    with read_session(a) as s:
        locations = {code: s.get(LandParcel, i).location for code, i in ids.items()}  # type: ignore[union-attr]
    assert locations == {"HX-001": "南环路", "HX-002": "孟庄镇"}
