"""Fixtures of the GUI tests: an application context on a fresh ledger, and small ledgers
built through the record services (or, for paging, inserted in bulk)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from sqlalchemy import Engine, insert

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.settings import Settings
from landbank.store.models import LandParcel, utc_now
from landbank.ui.context import AppContext


@dataclass
class Ledger:
    """Ids of what :func:`small_ledger` created."""

    regions: dict[str, int] = field(default_factory=dict)
    parks: dict[str, int] = field(default_factory=dict)
    parcels: dict[str, int] = field(default_factory=dict)


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch: pytest.MonkeyPatch) -> None:
    """A message box nobody answers would block the run: any box a test did not expect (and
    patch itself) fails it, loudly."""

    def unexpected(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        raise AssertionError(f"unexpected message box: {args[1:3]}")

    for name in ("warning", "question", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, unexpected)

    def unexpected_dialog(self: Any) -> int:
        raise AssertionError(f"unexpected dialog: {self.windowTitle()}")

    from landbank.ui.identity_form import IdentityDialog

    monkeypatch.setattr(IdentityDialog, "exec", unexpected_dialog)


@pytest.fixture
def ctx(engine: Engine, isolated_settings: Settings) -> AppContext:
    return AppContext(engine, isolated_settings)


def add_regions(ctx: AppContext, ledger: Ledger) -> None:
    with ctx.write_session() as s:
        for name, kind in (("青山县", "县"), ("滨江区", "区")):
            ledger.regions[name] = create_record(
                s, RecordKind.REGION, {"name": name, "kind": kind}, user="测试员"
            ).id  # type: ignore[assignment]
        for name, region in (("青山经开区", "青山县"), ("滨江高新园", "滨江区")):
            ledger.parks[name] = create_record(
                s,
                RecordKind.PARK,
                {"name": name, "region_id": ledger.regions[region]},
                user="测试员",
            ).id  # type: ignore[assignment]


@pytest.fixture
def small_ledger(ctx: AppContext) -> Ledger:
    """Two regions with a park each, four parcels, two factories, two projects, two quotas."""
    ledger = Ledger()
    add_regions(ctx, ledger)
    qs, bj = ledger.regions["青山县"], ledger.regions["滨江区"]
    parcels = [
        ("QS-001", qs, ledger.parks["青山经开区"], 120.5, "可供", "新能源\n电池", date(2026, 3, 1)),
        ("QS-002", qs, None, 1280.0, "意向锁定", "装备制造", date(2025, 11, 20)),
        ("BJ-001", bj, ledger.parks["滨江高新园"], 56.25, "可供", "电子信息", None),
        ("BJ-002", bj, None, 300.0, "已挂牌", "新能源", date(2026, 1, 5)),
    ]
    with ctx.write_session() as s:
        for code, region, park, area, status, industry, reserved in parcels:
            ledger.parcels[code] = create_record(
                s,
                RecordKind.PARCEL,
                {
                    "code": code,
                    "name": f"{code} 地块",
                    "region_id": region,
                    "park_id": park,
                    "area_mu": area,
                    "readiness": "净地(可供)",
                    "status": status,
                    "target_industry": industry,
                    "reserve_date": reserved,
                    "location": "工业大道\t东侧",
                },
                user="测试员",
            ).id  # type: ignore[assignment]
        for code, status, area, idle in (
            ("F-1", "闲置", 12000.0, 12000.0),
            ("F-2", "已入驻", 8000.0, 0.0),
        ):
            create_record(
                s,
                RecordKind.FACTORY,
                {
                    "code": code,
                    "name": f"{code} 栋",
                    "region_id": qs,
                    "park_id": ledger.parks["青山经开区"],
                    "status": status,
                    "floor_area_m2": area,
                    "idle_area_m2": idle,
                    "dual_power": True,
                    "floors": 3,
                },
                user="测试员",
            )
        for name, stage, invest in (("锂电池项目", "签约", 52000.0), ("智能装备", "线索", 8000.0)):
            create_record(
                s,
                RecordKind.PROJECT,
                {
                    "name": name,
                    "region_id": bj,
                    "stage": stage,
                    "total_investment_wan": invest,
                    "req_land_mu": 80.0,
                    "problems": "用地指标\n尚未落实",
                },
                user="测试员",
            )
        for region, land in ((qs, 2000.0), (bj, 1200.0)):
            create_record(
                s,
                RecordKind.QUOTA,
                {
                    "region_id": region,
                    "year": 2026,
                    "land_target_mu": land,
                    "factory_target_m2": 120000.0 if region == qs else 60000.0,
                },
                user="测试员",
            )
    return ledger


def bulk_parcels(ctx: AppContext, ledger: Ledger, n: int, *, prefix: str = "P") -> None:
    """Insert ``n`` parcels without the services (fast; no audit): area i+1 亩, alternating
    regions and statuses."""
    regions = list(ledger.regions.values())
    statuses = ["可供", "意向锁定", "已挂牌"]
    now = utc_now()
    rows = [
        {
            "uuid": str(uuid.uuid4()),
            "version": 1,
            "created_at": now,
            "updated_at": now,
            "code": f"{prefix}-{i:06d}",
            "name": f"{prefix} 地块 {i}",
            "region_id": regions[i % len(regions)],
            "area_mu": float(i + 1),
            "readiness": "净地(可供)",
            "status": statuses[i % len(statuses)],
            "target_industry": "新材料" if i % 2 else "生物医药",
        }
        for i in range(n)
    ]
    with ctx.write_session() as s:
        s.execute(insert(LandParcel), rows)
