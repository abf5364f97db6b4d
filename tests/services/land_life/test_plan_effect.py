"""增存挂钩 through the services (issue 16 item 5): a county with 批而未供 or 闲置 land left gets
next year's new construction-land plan cut by 20 %, naming what is left; once both are cleared
in the ledger, +10 %."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.land_life.status import county_land_life
from landbank.services.records.saving import create_record, update_record
from landbank.store.engine import read_session, write_session
from landbank.store.models import LandParcel
from tests.services.land_life.ledger import USER, make_ledger

DAY = date(2025, 6, 30)


@pytest.fixture
def ledger(any_engine: Engine) -> tuple[Engine, dict[str, int]]:
    return any_engine, make_ledger(any_engine)


def _effects(engine: Engine, base: dict[int, float] | None = None) -> dict[str, tuple[str, str]]:
    with read_session(engine) as s:
        report = county_land_life(s, DAY, plan_base_ha=base)
    return {c.summary.county: (c.effect.change_text, c.effect.reason) for c in report.counties}


def test_either_left_cuts_both_cleared_raises(ledger: tuple[Engine, dict[str, int]]) -> None:
    engine, ids = ledger
    with write_session(engine) as s:
        create_record(s, RecordKind.REGION, {"name": "原阳县", "kind": "县"}, user=USER)
    effects = _effects(engine, {ids["辉县市"]: 300.0})
    change, reason = effects["获嘉县"]  # 批而未供 HJ-STOCK and 闲置 HJ-IDLE, HJ-STOP
    assert change == "−20%"
    assert "批而未供 1 宗 1.00 公顷" in reason
    assert "闲置土地 2 宗 5.00 公顷" in reason
    change, reason = effects["辉县市"]  # only 闲置 HX-IDLE: still a cut, 批而未供 not named
    assert change == "−20%"
    assert "闲置土地 1 宗 3.00 公顷" in reason
    assert "批而未供" not in reason
    assert "300.00 → 240.00 公顷" in reason
    assert effects["原阳县"][0] == "+10%"
    assert "均已清零" in effects["原阳县"][1]


def test_clearing_the_idle_parcel_turns_the_cut_into_the_bonus(
    ledger: tuple[Engine, dict[str, int]],
) -> None:
    engine, ids = ledger
    with write_session(engine) as s:  # 辉县市's one idle parcel is started at last
        parcel = s.get(LandParcel, ids["HX-IDLE"])
        assert parcel is not None
        update_record(
            s, RecordKind.PARCEL, ids["HX-IDLE"],
            {"actual_start_date": date(2025, 5, 1)},
            expected_version=parcel.version, user=USER,
        )  # fmt: skip
    effects = _effects(engine, {ids["辉县市"]: 300.0})
    assert effects["辉县市"][0] == "+10%"
    assert "300.00 → 330.00 公顷" in effects["辉县市"][1]
    with write_session(engine) as s:  # 获嘉县's 批而未供 parcel is supplied: 闲置 still left
        parcel = s.get(LandParcel, ids["HJ-STOCK"])
        assert parcel is not None
        update_record(
            s, RecordKind.PARCEL, ids["HJ-STOCK"],
            {"status": "已出让/划拨", "agreed_start_date": date(2025, 6, 1)},
            expected_version=parcel.version, user=USER,
        )  # fmt: skip
    change, reason = _effects(engine)["获嘉县"]
    assert change == "−20%"
    assert "批而未供" not in reason
    assert "闲置土地 2 宗" in reason
