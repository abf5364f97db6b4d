"""Clerks of a city working at once on its PostgreSQL ledger set up by ``server init``, each
with its own login (issue 14, the proofs):

- four county clerks (two of 获嘉县, two of 辉县市) and a city clerk, each in a thread of its
  own with its own engine, insert and edit parcels through landbank's services in write
  sessions for 30 s (``LANDBANK_CLERKS_SECONDS``), the county clerks sometimes trying another
  county's parcel: no save is lost (every parcel's version is one more than the saves made on
  it, each save's version is claimed once, the last save's value is what the parcel holds), no
  county clerk's login wrote outside its county (the superuser reads every parcel's history:
  each entry's who is a login of that county or the city clerk), and every refused write was
  a :class:`WriteRefused` in Chinese, without the server's English;
- another clerk's save between a clerk's read and its write of an edit: the version-guarded
  UPDATE touches no row and the edit is refused as a conflict (a test that fails when the row
  count is ignored).
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import (
    ConflictError,
    WriteRefused,
    create_record,
    get_record,
    update_record,
)
from landbank.services.server.identity import audit_user
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import AuditEntry, LandParcel
from tests.city_seed import PARCEL, seed_two_counties
from tests.server_helpers import CityServer, city_server

pytestmark = pytest.mark.postgres

SECONDS = float(os.environ.get("LANDBANK_CLERKS_SECONDS", "30"))
SEED_USER = "t"  # the superuser's seed (tests/city_seed.py)
# What the server's own refusal says (psycopg / PostgreSQL), never shown to a clerk.
DRIVER_TEXT = re.compile(
    r"violates|policy|permission denied|ERROR|DETAIL|psycopg|SQL|UPDATE|INSERT"
)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        ids = seed_two_counties(postgres_url)
        admin = make_engine(postgres_url)
        try:
            with write_session(admin) as s:  # a few parcels a county for the clerks to share
                for short in ("hj", "hx"):
                    for i in range(2, 6):
                        create_record(s, RecordKind.PARCEL, {"region_id": ids[short],
                                      "code": f"{short.upper()}-{i}", **PARCEL}, user=SEED_USER)  # fmt: skip
        finally:
            admin.dispose()
        yield server, ids


@dataclass
class Clerk:
    login: str
    engine: Engine
    region_id: int | None  # None: the city clerk
    name: str = ""  # as the audit records it
    saves: list[tuple[int, int, str]] = field(default_factory=list)  # parcel, version, notes
    created: list[int] = field(default_factory=list)
    conflicts: int = 0
    conflicts_elsewhere: int = 0  # another clerk saved that parcel first: told as a conflict
    refused: list[str] = field(default_factory=list)
    unexpected: list[str] = field(default_factory=list)
    tried_elsewhere: int = 0


def _parcels(engine: Engine, region_id: int | None) -> list[tuple[int, int, int]]:
    """(id, version, region) of the parcels of a county (all when None)."""
    with read_session(engine) as s:
        stmt = select(col(LandParcel.id), col(LandParcel.version), col(LandParcel.region_id))
        if region_id is not None:
            stmt = stmt.where(col(LandParcel.region_id) == region_id)
        return [(int(i), int(v), int(r)) for i, v, r in s.execute(stmt)]


def _work(clerk: Clerk, counties: list[int], until: float, seed: int) -> None:
    rng = random.Random(seed)
    n = 0
    while time.monotonic() < until:
        n += 1
        own = clerk.region_id if clerk.region_id is not None else rng.choice(counties)
        others = [c for c in counties if c != own]
        elsewhere = clerk.region_id is not None and rng.random() < 0.15
        target = rng.choice(others) if elsewhere else own
        clerk.tried_elsewhere += elsewhere
        try:
            if rng.random() < 0.2:
                with write_session(clerk.engine) as s:
                    record = create_record(
                        s, RecordKind.PARCEL,
                        {"region_id": target, "code": f"{clerk.login}-{n}", **PARCEL},
                        user=audit_user(s),
                    )  # fmt: skip
                clerk.created.append(int(record.id or 0))
            else:
                parcels = _parcels(clerk.engine, target)
                # mostly the first few parcels, so that clerks of a county meet on them
                parcel_id, version, _ = rng.choice(parcels[:6] if rng.random() < 0.8 else parcels)
                notes = f"{clerk.login}:{n}"
                with write_session(clerk.engine) as s:
                    saved = update_record(
                        s, RecordKind.PARCEL, parcel_id, {"notes": notes},
                        expected_version=version, user=audit_user(s),
                    )  # fmt: skip
                    assert saved.version == version + 1
                clerk.saves.append((parcel_id, version + 1, notes))
            if elsewhere:
                clerk.unexpected.append(f"another county's parcel written (county {target})")
        except ConflictError as exc:
            clerk.conflicts += 1
            clerk.conflicts_elsewhere += elsewhere
            if not CHINESE.search(str(exc)) or DRIVER_TEXT.search(str(exc)):
                clerk.unexpected.append(f"conflict told badly: {exc}")
        except WriteRefused as exc:
            clerk.refused.append(str(exc))
            if not elsewhere:
                clerk.unexpected.append(f"own county refused: {exc}")
        except Exception as exc:  # anything else is a failure of the proof
            clerk.unexpected.append(f"{type(exc).__name__}: {exc}")


def test_five_clerks_at_once_lose_no_save_and_stay_in_their_county(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, ids = city
    clerks = []
    for login, scope, county, display in (
        ("hj1", Scope.COUNTY, "获嘉县", "获嘉甲"),
        ("hj2", Scope.COUNTY, "获嘉县", "获嘉乙"),
        ("hx1", Scope.COUNTY, "辉县市", "辉县甲"),
        ("hx2", Scope.COUNTY, "辉县市", "辉县乙"),
        ("city1", Scope.CITY, None, "市级丙"),
    ):
        name = server.add_login(login, scope, county, display)
        region_id = ids["hj"] if county == "获嘉县" else ids["hx"] if county else None
        engine = server.engine_as(name)
        clerks.append(Clerk(name, engine, region_id, audit_user(engine)))
    assert clerks[0].name == f"获嘉甲（{clerks[0].login}）"
    counties = [ids["hj"], ids["hx"]]
    until = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=_work, args=(clerk, counties, until, i))
        for i, clerk in enumerate(clerks)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(SECONDS + 60)
    assert not any(thread.is_alive() for thread in threads)

    assert [c.unexpected for c in clerks] == [[] for _ in clerks]
    print(  # shown with -s: how much the clerks did
        " ".join(f"{c.login}: {len(c.saves)} saves, {len(c.created)} new, {c.conflicts} "
                 f"conflicts, {len(c.refused)} refused;" for c in clerks)
    )  # fmt: skip
    # each clerk did work, met others, and every county clerk was refused elsewhere
    assert all(len(c.saves) > 10 and c.created for c in clerks)
    assert sum(c.conflicts for c in clerks) > 0
    for clerk in clerks[:4]:
        assert len(clerk.refused) + clerk.conflicts_elsewhere == clerk.tried_elsewhere
        assert clerk.refused
        for message in clerk.refused:
            assert CHINESE.search(message)
            assert not DRIVER_TEXT.search(message), message

    admin = make_engine(server.url)  # the superuser sees every row
    try:
        saves = [save for c in clerks for save in c.saves]
        claimed = Counter((parcel, version) for parcel, version, _ in saves)
        assert max(claimed.values()) == 1  # no version saved twice
        per_parcel = Counter(parcel for parcel, _, _ in saves)
        last = {parcel: notes for parcel, _, notes in sorted(saves, key=lambda s: s[1])}
        with read_session(admin) as s:
            for parcel_id, version, _ in _parcels(admin, None):
                assert version == 1 + per_parcel[parcel_id]  # no lost update
                record = get_record(s, RecordKind.PARCEL, parcel_id)
                assert record.notes == last.get(parcel_id)
            allowed = {
                county: {c.name for c in clerks if c.region_id in (county, None)} | {SEED_USER}
                for county in counties
            }
            _history_stays_in_county(s, allowed)
    finally:
        admin.dispose()


def _history_stays_in_county(s: Session, allowed: dict[int, set[str]]) -> None:
    region_of = {
        int(i): int(r) for i, r in s.execute(select(col(LandParcel.id), col(LandParcel.region_id)))
    }
    entries = s.execute(
        select(col(AuditEntry.record_id), col(AuditEntry.user)).where(
            col(AuditEntry.record_kind) == "parcel"
        )
    ).all()
    assert len(entries) > len(region_of)
    outside = [
        (record_id, user)
        for record_id, user in entries
        if user not in allowed[region_of[int(record_id)]]
    ]
    assert outside == []


def test_an_edit_never_overwrites_a_save_made_after_its_read(
    city: tuple[CityServer, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Clerk 甲 reads the parcel at version 1; clerk 乙 (same county, own login) saves it;
    甲's guarded UPDATE … WHERE version = 1 touches no row, and 甲 is told of 乙's change —
    were the row count ignored, 甲's edit would be reported saved and silently lost."""
    server, ids = city
    a = server.engine_as(server.add_login("hja", Scope.COUNTY, "获嘉县", "甲"))
    b = server.engine_as(server.add_login("hjb", Scope.COUNTY, "获嘉县", "乙"))
    parcel_id = ids["hj.parcel"]
    from landbank.services.records import saving

    real_check = saving.check_record

    def another_clerk_saves_meanwhile(*args: Any, **kwargs: Any) -> Any:
        monkeypatch.setattr(saving, "check_record", real_check)  # 乙's own save checks as usual
        with write_session(b) as s:
            update_record(s, RecordKind.PARCEL, parcel_id, {"notes": "乙的备注"},
                          expected_version=1, user=audit_user(s))  # fmt: skip
        return real_check(*args, **kwargs)

    monkeypatch.setattr(saving, "check_record", another_clerk_saves_meanwhile)
    with pytest.raises(ConflictError) as raised, write_session(a) as s:
        update_record(s, RecordKind.PARCEL, parcel_id, {"notes": "甲的备注", "area_mu": 31.0},
                      expected_version=1, user=audit_user(s))  # fmt: skip
    assert "乙的备注" in str(raised.value.changes[0].new_value)
    assert raised.value.changes[0].user == f"乙（{server.login_name('hjb')}）"

    with read_session(a) as s:
        parcel = get_record(s, RecordKind.PARCEL, parcel_id)
        assert (parcel.notes, parcel.area_mu, parcel.version) == ("乙的备注", PARCEL["area_mu"], 2)
        updates = s.execute(
            select(col(AuditEntry.user), col(AuditEntry.new_value)).where(
                col(AuditEntry.record_id) == parcel_id, col(AuditEntry.action) == "update"
            )
        ).all()
    assert [tuple(u) for u in updates] == [(f"乙（{server.login_name('hjb')}）", "乙的备注")]
