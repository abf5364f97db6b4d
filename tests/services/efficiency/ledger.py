"""A county of twelve landed firms for the 亩均效益 tests: eleven in production since 2020, each
10 亩, all paying 100 万元 tax in 2024 (the base: 10 万元/亩) and 1,100 … 100 万元 in 2025 (the
eleventh, 低效公司, is the one D); a twelfth in production since 2024-06-01 (T in 2025). 辉县市
has one firm, rated B."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.land_life.yields import YieldInput, add_yield
from landbank.services.records.saving import create_record
from landbank.store.engine import write_session

USER = "测试员"
D_FIRM = "低效公司"


def _parcel(s: Session, code: str, region_id: int, holder: str, start: date) -> int:
    record = create_record(
        s, RecordKind.PARCEL,
        {"code": code, "region_id": region_id, "readiness": "净地(可供)", "area_mu": 10.0,
         "status": "已竣工投产", "holder": holder, "actual_start_date": date(2018, 1, 1),
         "actual_completion_date": date(2019, 6, 1), "production_start_date": start},
        user=USER,
    )  # fmt: skip
    assert record.id is not None
    return record.id


def make_ledger(engine: Engine) -> dict[str, int]:
    ids: dict[str, int] = {}
    with write_session(engine) as s:
        for name in ("获嘉县", "辉县市"):
            region = create_record(s, RecordKind.REGION, {"name": name, "kind": "县"}, user=USER)
            assert region.id is not None
            ids[name] = region.id
        for i in range(1, 12):
            holder = D_FIRM if i == 11 else f"企业{i:02d}"
            pid = _parcel(s, f"HJ-{i:02d}", ids["获嘉县"], holder, date(2020, 1, 1))
            ids[holder] = pid
            add_yield(s, pid, YieldInput(2024, tax_wan=100.0, revenue_wan=1000.0), user=USER)
            tax = 100.0 * (12 - i)
            add_yield(s, pid, YieldInput(2025, tax_wan=tax, revenue_wan=10 * tax), user=USER)
        young = _parcel(s, "HJ-12", ids["获嘉县"], "新投产公司", date(2024, 6, 1))
        ids["新投产公司"] = young
        add_yield(s, young, YieldInput(2025, tax_wan=10.0), user=USER)
        hx = _parcel(s, "HX-01", ids["辉县市"], "辉县企业", date(2020, 1, 1))
        ids["辉县企业"] = hx
        add_yield(s, hx, YieldInput(2025, tax_wan=50.0), user=USER)
    return ids
