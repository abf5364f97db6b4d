"""A small county's after-supply ledger for the land-life tests: each parcel one case of the
rules, named by its code."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.land_life.yields import YieldInput, add_yield
from landbank.services.records.saving import create_record
from landbank.store.engine import write_session

USER = "测试员"
NET = "净地(可供)"

PARCELS: dict[str, dict[str, Any]] = {
    # supplied, agreed start 2024-03-01, never started: 闲置 from 2025-03-02, 应收回 2026-03-02
    "HJ-IDLE": {"area_mu": 45.0, "status": "已出让/划拨", "price_wan": 300.0,
                "agreed_start_date": date(2024, 3, 1)},
    # started, 7.5 of 30 亩 developed (under 1/3), stopped 2024-02-01: 闲置 from 2025-02-02
    "HJ-STOP": {"area_mu": 30.0, "status": "已开工", "price_wan": 600.0,
                "agreed_start_date": date(2023, 5, 1), "actual_start_date": date(2023, 7, 1),
                "developed_area_mu": 7.5, "contract_investment_wan": 3000.0,
                "investment_made_wan": 400.0, "stopped_since": date(2024, 2, 1)},
    # in production since 2023-01-10, committed 15 万元/亩 tax, reported 10 万元/亩 in 2024
    "HJ-LOW": {"area_mu": 60.0, "status": "已竣工投产", "price_wan": 1200.0,
               "actual_start_date": date(2021, 6, 1), "actual_completion_date": date(2022, 9, 1),
               "production_start_date": date(2023, 1, 10), "committed_tax_per_mu_wan": 15.0,
               "investment_made_wan": 20000.0, "committed_intensity_wan_per_mu": 300.0},
    # approved 2022-03-01, taken in 2022-04-01, still 可供: 批而未供 from 2024-03-02
    "HJ-STOCK": {"area_mu": 15.0, "status": "可供", "approval_date": date(2022, 3, 1),
                 "reserve_date": date(2022, 4, 1)},
    # started 2024-01-05 and working: 正常
    "HJ-OK": {"area_mu": 20.0, "status": "已开工", "agreed_start_date": date(2024, 1, 1),
              "actual_start_date": date(2024, 1, 5)},
}


def make_ledger(engine: Engine) -> dict[str, int]:
    """获嘉县 with the parcels above and 辉县市 with one idle parcel; ids by code and county."""
    ids: dict[str, int] = {}
    with write_session(engine) as s:
        for name in ("获嘉县", "辉县市"):
            region = create_record(s, RecordKind.REGION, {"name": name, "kind": "县"}, user=USER)
            assert region.id is not None
            ids[name] = region.id
        for code, values in PARCELS.items():
            ids[code] = _parcel(s, code, ids["获嘉县"], values)
        ids["HX-IDLE"] = _parcel(s, "HX-IDLE", ids["辉县市"], PARCELS["HJ-IDLE"])
        add_yield(s, ids["HJ-LOW"], YieldInput(2023, tax_wan=300.0, output_wan=9000.0), user=USER)
        add_yield(s, ids["HJ-LOW"], YieldInput(2024, tax_wan=600.0, output_wan=12000.0), user=USER)
    return ids


def _parcel(s: Session, code: str, region_id: int, values: dict[str, Any]) -> int:
    record = create_record(
        s, RecordKind.PARCEL,
        {"code": code, "region_id": region_id, "readiness": NET, **values}, user=USER,
    )  # fmt: skip
    assert record.id is not None
    return record.id
