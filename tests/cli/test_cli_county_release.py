"""A county clerk's `release --expired` on a city server frees its own county's expired
reservations and names the others it may not free (issue 14 item 5)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from landbank.cli import main
from landbank.domain.enums import RecordKind
from landbank.services.matching.reservations import reserve_sites
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import LandParcel
from tests.city_seed import seed_two_counties
from tests.server_helpers import city_server

pytestmark = pytest.mark.postgres


def test_a_county_clerk_frees_its_own_countys_expired_reservations(
    postgres_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with city_server(postgres_url) as server:
        ids = seed_two_counties(postgres_url)
        admin = make_engine(postgres_url)
        with write_session(admin) as s:
            for short in ("hj", "hx"):
                reserve_sites(
                    s,
                    ids[f"{short}.project"],
                    [(RecordKind.PARCEL, ids[f"{short}.parcel"])],
                    today=date(2026, 5, 1),
                    until=date(2026, 6, 1),
                    user="t",
                )
        login = server.add_login("hx", Scope.COUNTY, "辉县市", "李四")
        argv = ["--db", server.login_url(login), "release", "--expired", "--today", "2026-06-10"]
        assert main(argv) == 0
        out = capsys.readouterr().out
        assert "已解除 1 处" in out
        assert "HX-1" in out
        assert "另有 1 处过期的意向锁定属于其他县区（获嘉县）" in out
        with read_session(admin) as s:
            held = {p.code: p.reserved_project_id for p in s.exec(select(LandParcel))}
        admin.dispose()
        assert held == {"HJ-1": ids["hj.project"], "HX-1": None}
