"""What the clerk behind a connection may change (issue 14 item 5): the rights the app asks
before offering a write, and a write the server refuses told apart from a conflict."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import (
    ConflictError,
    WriteRefused,
    create_record,
    delete_record,
    update_record,
)
from landbank.services.server.rights import COUNTY, LOCAL, UNLISTED, VIEWER, rights_of
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import LandParcel
from tests.city_seed import PARCEL, seed_two_counties
from tests.server_helpers import CityServer, city_server


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        yield server, seed_two_counties(postgres_url)


def test_a_single_pc_ledger_allows_everything(engine: Engine) -> None:
    rights = rights_of(engine)
    assert rights.scope == LOCAL
    assert not rights.on_server
    assert rights.can_write(RecordKind.PARCEL, {"region_id": 7}) is None
    assert rights.can_write_city() is None
    assert rights.can_write_any() is None


@pytest.mark.postgres
def test_each_scope_is_told_what_it_may_change(city: tuple[CityServer, dict[str, int]]) -> None:
    server, ids = city
    county = rights_of(server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四")))
    assert (county.scope, county.region_id, county.region_name) == (COUNTY, ids["hx"], "辉县市")
    assert county.who == "李四（辉县市）"
    names = {ids["hj"]: "获嘉县", ids["hx"]: "辉县市"}
    assert county.can_write(RecordKind.PARCEL, {"region_id": ids["hx"]}, names) is None
    reason = county.can_write(RecordKind.PARCEL, {"region_id": ids["hj"]}, names)
    assert reason == "您的账号（辉县市）只能修改辉县市的记录；此记录属于获嘉县"
    assert "市级" in (county.can_write_city() or "")
    assert county.can_write(RecordKind.REGION, {"id": ids["hx"]}) is not None
    assert not county.manages_accounts

    viewer = rights_of(server.engine_as(server.add_login("ro", Scope.VIEWER)))
    assert viewer.scope == VIEWER
    assert viewer.can_write_any() is not None
    assert viewer.can_write(RecordKind.PARCEL, {"region_id": ids["hx"]}) is not None

    city_clerk = rights_of(server.engine_as(server.add_login("sj", Scope.CITY)))
    assert city_clerk.can_write(RecordKind.PARCEL, {"region_id": ids["hj"]}) is None
    assert city_clerk.can_write_city() is None
    assert not city_clerk.manages_accounts
    admin = rights_of(server.engine_as(server.add_login("gl", Scope.ADMIN)))
    assert admin.manages_accounts

    superuser = rights_of(make_engine(server.url))  # not listed: the database decides
    assert superuser.scope == UNLISTED
    assert superuser.superuser
    assert superuser.manages_accounts


@pytest.mark.postgres
def test_a_refused_write_names_the_record_and_county_not_a_conflict(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, ids = city
    engine = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
    other = ids["hj.parcel"]
    attempts = {
        "edit": lambda s: update_record(
            s, RecordKind.PARCEL, other, {"name": "冯庄"}, expected_version=1, user="李四"
        ),
        "delete": lambda s: delete_record(
            s, RecordKind.PARCEL, other, expected_version=1, user="李四"
        ),
        "create": lambda s: create_record(
            s, RecordKind.PARCEL, {"region_id": ids["hj"], "code": "HJ-9", **PARCEL}, user="李四"
        ),
    }
    for what, attempt in attempts.items():
        with pytest.raises(WriteRefused) as refused, write_session(engine) as s:
            attempt(s)
        message = str(refused.value)
        assert "只能修改辉县市的记录；此记录属于获嘉县" in message, what
        assert "其他用户" not in message, what
        assert ("HJ-1" if what != "create" else "HJ-9") in message, what
    # Moving its own parcel to another county is refused too, saying so.
    with pytest.raises(WriteRefused, match="不能把记录改到其他县区"), write_session(engine) as s:
        update_record(
            s,
            RecordKind.PARCEL,
            ids["hx.parcel"],
            {"region_id": ids["hj"]},
            expected_version=1,
            user="李四",
        )
    with read_session(engine) as s:
        assert s.get(LandParcel, other) is not None
        assert s.get(LandParcel, other).version == 1  # type: ignore[union-attr]


@pytest.mark.postgres
def test_a_real_conflict_on_the_server_is_still_a_conflict(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    """The clerk's own county's record, saved meanwhile by another clerk: a conflict naming
    the change, not a refusal."""
    server, ids = city
    engine = server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四"))
    mine = ids["hx.parcel"]
    with write_session(engine) as s:
        update_record(s, RecordKind.PARCEL, mine, {"name": "先存"}, expected_version=1, user="a")
    with pytest.raises(ConflictError), write_session(engine) as s:
        update_record(s, RecordKind.PARCEL, mine, {"name": "后存"}, expected_version=1, user="b")
