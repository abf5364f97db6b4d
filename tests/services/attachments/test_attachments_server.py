"""Attachments on a city's PostgreSQL ledger (issue 15 part 5, the proof): a county clerk's
photo is seen, bytes and all, by a clerk of another login; a clerk of another county can
neither add a file to that county's parcel nor remove one, through landbank (a Chinese
refusal) or with raw SQL (row-level security); a parcel the city moves to another county
takes its files along."""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import col

from landbank.domain.enums import RecordKind
from landbank.services.attachments.service import (
    AttachmentError,
    attach,
    attachment_data,
    list_attachments,
    remove,
)
from landbank.services.records.saving import get_record, update_record
from landbank.services.server.identity import audit_user
from landbank.services.server.roles import Scope
from landbank.store.engine import make_engine, read_session, write_session
from landbank.store.models import Attachment, AuditEntry
from tests.city_seed import seed_two_counties
from tests.server_helpers import CityServer, city_server
from tests.services.attachments.files import pdf, png

pytestmark = pytest.mark.postgres
PARCEL = RecordKind.PARCEL


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        yield server, seed_two_counties(postgres_url)


def _count(url: str) -> int:
    engine = make_engine(url)
    try:
        with read_session(engine) as s:
            return int(s.execute(select(func.count()).select_from(Attachment)).scalar_one())
    finally:
        engine.dispose()


def _attach(engine: Engine, record_id: int, data: bytes, name: str) -> int:
    with write_session(engine) as s:
        found = attach(s, PARCEL, record_id, (data, name), user=audit_user(s))
        assert found.id is not None
        return found.id


def test_a_photo_is_shared_and_only_its_county_changes_it(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, ids = city
    a = server.engine_as(server.add_login("hja", Scope.COUNTY, region="获嘉县", display="张三"))
    b = server.engine_as(server.add_login("hjb", Scope.COUNTY, region="获嘉县", display="李四"))
    y = server.engine_as(server.add_login("hxc", Scope.COUNTY, region="辉县市", display="王五"))
    viewer = server.engine_as(server.add_login("view", Scope.VIEWER))
    photo = png(64, 48)
    first = _attach(a, ids["hj.parcel"], photo, "现场.png")

    # Another login of the county sees it, bytes and all, and adds one of its own.
    with read_session(b) as s:
        listed = list_attachments(s, PARCEL, ids["hj.parcel"])
        assert [(x.file_name, x.category, x.size_bytes) for x in listed] == [
            ("现场.png", "照片", len(photo))
        ]
        assert listed[0].created_by.startswith("张三")
        assert attachment_data(s, first) == photo
    _attach(b, ids["hj.parcel"], pdf(), "红线图.pdf")
    with read_session(y) as s:  # every county reads the whole city
        assert [x.file_name for x in list_attachments(s, PARCEL, ids["hj.parcel"])] == ["现场.png", "红线图.pdf"]
        assert attachment_data(s, first) == photo

    # A clerk of 辉县市: refused in Chinese, nothing written.
    before = _count(server.url)
    with write_session(y) as s, pytest.raises(AttachmentError) as refused:
        attach(s, PARCEL, ids["hj.parcel"], (png(8, 8), "另一县.png"), user="王五")
    assert "只能修改辉县市的记录；此记录属于获嘉县" in str(refused.value)
    with write_session(y) as s, pytest.raises(AttachmentError) as refused:
        remove(s, first, user="王五")
    assert "删除地块“HJ-1”的附件“现场.png”" in str(refused.value)
    with write_session(viewer) as s, pytest.raises(AttachmentError, match="只能查看"):
        attach(s, PARCEL, ids["hj.parcel"], (png(9, 9), "看.png"), user="v")
    assert _count(server.url) == before
    # … and with raw SQL: the row-level security of the server.
    with server.connect_as(server.login_name("hxc")) as conn:
        conn.autocommit = True
        assert conn.execute("DELETE FROM attachment WHERE id = %s", (first,)).rowcount == 0
        assert conn.execute("UPDATE attachment SET notes = 'x' WHERE id = %s", (first,)).rowcount == 0
        for region in (ids["hx"], ids["hj"]):  # its own county on 获嘉县's parcel; 获嘉县's
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(
                    "INSERT INTO attachment (uuid, record_kind, record_id, record_uuid, region_id,"
                    " category, file_name, media_type, size_bytes, sha256, data, created_at,"
                    " created_by) SELECT gen_random_uuid()::text, 'parcel', id, uuid, %s, '其他',"
                    " 'x.pdf', 'application/pdf', 1, 'x', '\\x00', now(), 'x' FROM parcel WHERE id = %s",
                    (region, ids["hj.parcel"]),
                )
    with server.connect_as(server.login_name("hja")) as conn:  # nor may 获嘉县 misfile one
        conn.autocommit = True
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                "INSERT INTO attachment (uuid, record_kind, record_id, record_uuid, region_id,"
                " category, file_name, media_type, size_bytes, sha256, data, created_at,"
                " created_by) SELECT gen_random_uuid()::text, 'parcel', id, uuid, %s, '其他',"
                " 'x.pdf', 'application/pdf', 1, 'x', '\\x00', now(), 'x' FROM parcel WHERE id = %s",
                (ids["hj"], ids["hx.parcel"]),
            )
    assert _count(server.url) == before

    # The county's own clerk removes it; the audit names the login.
    with write_session(a) as s:
        remove(s, first, user="ignored")
    with read_session(a) as s:
        entries = s.execute(
            select(col(AuditEntry.user), col(AuditEntry.old_value), col(AuditEntry.new_value))
            .where(col(AuditEntry.field) == "附件")
            .order_by(col(AuditEntry.id))
        ).all()
    assert [(u.split("（")[0], old is None, new is None) for u, old, new in entries] == [
        ("张三", True, False), ("李四", True, False), ("张三", False, True)
    ]  # fmt: skip


def test_a_parcel_moved_to_another_county_takes_its_files(
    city: tuple[CityServer, dict[str, int]],
) -> None:
    server, ids = city
    a = server.engine_as(server.add_login("hja", Scope.COUNTY, region="获嘉县"))
    c = server.engine_as(server.add_login("city", Scope.CITY))
    y = server.engine_as(server.add_login("hxc", Scope.COUNTY, region="辉县市"))
    first = _attach(a, ids["hj.parcel"], png(), "现场.png")
    with write_session(c) as s:
        record = get_record(s, PARCEL, ids["hj.parcel"])
        update_record(s, PARCEL, ids["hj.parcel"], {"region_id": ids["hx"]},
                      expected_version=record.version, user="市")  # fmt: skip
    with read_session(c) as s:
        assert s.get(Attachment, first).region_id == ids["hx"]  # type: ignore[union-attr]
    with write_session(y) as s:  # now 辉县市's to remove
        remove(s, first, user="王五")
    assert _count(server.url) == 0
