"""RecordBatch (the import's bulk path) checks and audits exactly as create_record does."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.importing.record_batch import RecordBatch
from landbank.services.records.history import history
from landbank.services.records.saving import ValidationFailed, create_record, record_values
from landbank.store.models import LandParcel

USER = "测试员"


@pytest.fixture
def session(any_engine: Engine) -> Iterator[Session]:
    with Session(any_engine) as s:
        for name, kind in (("辉县市", "县"), ("红旗区", "区")):
            region = create_record(s, RecordKind.REGION, {"name": name, "kind": kind}, user=USER)
            create_record(s, RecordKind.PARK, {"name": f"{name}园区", "region_id": region.id}, user=USER)
        s.commit()
        yield s


def _parcel(code: str, **extra: Any) -> dict[str, Any]:
    return {
        "code": code,
        "name": "孟庄镇1号地块",
        "region_id": 1,
        "park_id": "辉县市园区",
        "area_mu": 12.5,
        "readiness": "净地(可供)",
        "status": "已挂牌",
        "reserve_date": date(2025, 3, 1),
        "far_min": 1.0,
        **extra,
    }


def _parcel_by_code(session: Session, code: str) -> LandParcel:
    return session.execute(select(LandParcel).where(col(LandParcel.code) == code)).scalars().one()


def test_batch_writes_the_record_and_audit_create_record_writes(session: Session) -> None:
    create_record(session, RecordKind.PARCEL, _parcel("A-1"), user=USER, source="导入:a.xlsx")
    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入:a.xlsx")
    batch.add(_parcel("A-2"))
    assert batch.pending == 1
    batch.write()
    assert batch.pending == 0
    one, two = _parcel_by_code(session, "A-1"), _parcel_by_code(session, "A-2")
    assert {**record_values(RecordKind.PARCEL, one), "code": "A-2"} == record_values(RecordKind.PARCEL, two)
    assert (one.version, two.version) == (1, 1)
    assert one.uuid != two.uuid
    [first], [second] = history(session, RecordKind.PARCEL, one.id or 0), history(session, RecordKind.PARCEL, two.id or 0)
    for field in ("user", "action", "record_kind", "field", "old_value", "source", "record_version"):
        assert getattr(first, field) == getattr(second, field), field
    assert (second.record_label, second.record_uuid) == ("A-2", two.uuid)
    snapshot = json.loads(second.new_value or "")
    assert snapshot == {**json.loads(first.new_value or ""), "地块编号": "A-2"}
    assert (snapshot["园区"], snapshot["县区"]) == ("辉县市园区", "辉县市")


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (_parcel("B-1", park_id="红旗区园区"), "park_id"),  # a park of another region
        (_parcel("B-1", park_id="无此园区"), "park_id"),
        (_parcel("B-1", region_id=99), "region_id"),
        (_parcel("B-1", area_mu=-1.0), "area_mu"),
        (_parcel("B-1", readiness="拟收储"), "status"),  # 已挂牌 needs 净地
        (_parcel("A-1"), "code"),  # in the ledger
        (_parcel("C-1"), "code"),  # earlier in the batch
    ],
)
def test_batch_refuses_what_create_record_refuses(session: Session, values: dict[str, Any], field: str) -> None:
    create_record(session, RecordKind.PARCEL, _parcel("A-1"), user=USER)
    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入")
    batch.add(_parcel("C-1"))
    with pytest.raises(ValidationFailed) as batched:
        batch.add(values)
    with pytest.raises(ValidationFailed) as single:
        create_record(session, RecordKind.PARCEL, values, user=USER)
    assert field in batched.value.errors.by_field
    assert batched.value.errors.by_field == single.value.errors.by_field


def test_a_region_created_meanwhile_is_found(session: Session) -> None:
    batch = RecordBatch(session, RecordKind.PARCEL, user=USER, source="导入")
    region = create_record(session, RecordKind.REGION, {"name": "原阳县", "kind": "县"}, user=USER)
    batch.add(_parcel("D-1", region_id=region.id, park_id=None))
    batch.write()
    [entry] = history(session, RecordKind.PARCEL, _parcel_by_code(session, "D-1").id or 0)
    assert json.loads(entry.new_value or "")["县区"] == "原阳县"
