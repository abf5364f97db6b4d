"""A big SQLite table's count and sums computed in parts on several threads equal the single
scan's, filtered or not; small tables, PostgreSQL and in-memory databases use the one scan."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, insert

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store import scan_parts
from landbank.store.engine import session_scope
from landbank.store.migrate import open_database
from landbank.store.models import LandParcel
from landbank.store.queries import RecordFilter, summarise


@pytest.fixture
def big(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    """3,001 parcels of two counties; “big” from 1,000 rows on."""
    monkeypatch.setattr(scan_parts, "MIN_ROWS", 1_000)
    engine = open_database(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
    with session_scope(engine) as s:
        a = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t").id
        b = create_record(s, RecordKind.REGION, {"name": "获嘉县", "kind": "县"}, user="t").id
        rows = [
            {
                "uuid": f"00000000-0000-4000-8000-{i:012d}",
                "code": f"P-{i}",
                "name": f"{'孟庄镇' if i % 7 == 0 else '城关镇'}{i}号地块",
                "region_id": a if i % 3 else b,
                "area_mu": 10 + (i % 50) * 0.25,
                "net_area_mu": None if i % 5 == 0 else 9.5,
                "readiness": "拟收储",
                "status": "可供",
                "version": 1,
            }
            for i in range(3_001)
        ]
        s.execute(insert(LandParcel), rows)
    yield engine
    engine.dispose()


@pytest.mark.parametrize(
    "flt", [RecordFilter(), RecordFilter(search="孟庄"), RecordFilter(search="获嘉"), RecordFilter(search="无此")]
)
def test_parts_add_up_to_the_whole(big: Engine, flt: RecordFilter) -> None:
    with session_scope(big) as s:
        whole = summarise(s, RecordKind.PARCEL, flt)
        parted = summarise(s, RecordKind.PARCEL, flt, in_parts=True)
    assert parted.count == whole.count
    assert parted.sums == pytest.approx(whole.sums)
    if flt.search == "孟庄":
        assert whole.count == 429  # every 7th of 3,001


def test_the_scan_really_runs_in_parts(big: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[int] = []
    real = scan_parts.aggregate_in_parts

    def counting(*args: object, **kwargs: object) -> object:
        result = real(*args, parts=3)  # type: ignore[arg-type]
        seen.append(0 if result is None else 3)
        return result

    monkeypatch.setattr(scan_parts, "aggregate_in_parts", counting)
    with session_scope(big) as s:
        total = summarise(s, RecordKind.PARCEL, RecordFilter(), in_parts=True)
    assert seen == [3]
    assert total.count == 3_001


def test_small_tables_and_other_databases_scan_once(any_engine: Engine) -> None:
    with session_scope(any_engine) as s:
        create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t")
        assert summarise(s, RecordKind.PARCEL, RecordFilter(), in_parts=True).count == 0
    assert scan_parts.splittable(any_engine) is (any_engine.dialect.name == "sqlite")
    memory = open_database("sqlite://")
    assert not scan_parts.splittable(memory)
    memory.dispose()
