"""Attachments of a record (issue 15 part 5) on SQLite and PostgreSQL: the real type from the
bytes, the category guessed, the limits, duplicates, missing records, the audit, a copy
saved, removal, the first photo; and a backup restored elsewhere carrying the bytes."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import col

from landbank.domain.enums import RecordKind
from landbank.services.attachments import filetypes, service
from landbank.services.attachments.service import (
    AttachmentError,
    attach,
    attachment_data,
    first_photo,
    list_attachments,
    remove,
    save_copy,
)
from landbank.services.records.saving import create_record
from landbank.store.engine import read_session, write_session
from landbank.store.models import Attachment, AuditEntry
from tests.services.attachments.files import jpeg_header, office, pdf, plain_zip, png

PARCEL = RecordKind.PARCEL


@pytest.fixture
def ledger(any_engine: Engine) -> tuple[Engine, int, int]:
    """A county with a parcel; (engine, parcel id, county id)."""
    with write_session(any_engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t")
        parcel = create_record(
            s, PARCEL,
            {"code": "HX-1", "region_id": region.id, "area_mu": 30.0, "readiness": "净地(可供)", "status": "可供"},
            user="t",
        )  # fmt: skip
    assert parcel.id is not None
    assert region.id is not None
    return any_engine, parcel.id, region.id


def _attach(engine: Engine, record_id: int, data: bytes, name: str, **kw: object) -> Attachment:
    with write_session(engine) as s:
        a = attach(s, PARCEL, record_id, (data, name), user="李娜", **kw)  # type: ignore[arg-type]
        s.expunge(a)
    return a


def _count(engine: Engine) -> tuple[int, int]:
    with read_session(engine) as s:
        n = s.execute(select(func.count()).select_from(Attachment)).scalar_one()
        m = s.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return n, m


def test_attach_list_read_save_and_remove(ledger: tuple[Engine, int, int], tmp_path: Path) -> None:
    engine, parcel, region = ledger
    photo = png()
    a = _attach(engine, parcel, photo, "现场照片.png")
    assert (a.category, a.media_type, a.size_bytes) == ("照片", "image/png", len(photo))
    assert a.region_id == region
    assert a.sha256 == hashlib.sha256(photo).hexdigest()
    b = _attach(engine, parcel, pdf(), "HX-1红线图.pdf", notes=" 自然资源局 2026 ")
    c = _attach(engine, parcel, pdf("x"), "说明.pdf")
    assert (b.category, b.notes, c.category) == ("红线图", "自然资源局 2026", "其他")
    with read_session(engine) as s:
        listed = list_attachments(s, PARCEL, parcel)
        assert [x.file_name for x in listed] == ["现场照片.png", "HX-1红线图.pdf", "说明.pdf"]
        assert listed[0].is_image
        assert listed[0].created_by == "李娜"
        assert attachment_data(s, a.id or 0) == photo
        target = save_copy(s, b.id or 0, tmp_path / "副本.pdf")
        entries = s.execute(
            select(AuditEntry).where(col(AuditEntry.field) == "附件").order_by(col(AuditEntry.id))
        ).scalars().all()
    assert target.read_bytes() == pdf()
    assert [e.new_value for e in entries] == [
        f"照片：现场照片.png（{filetypes.format_size(len(photo))}）",
        f"红线图：HX-1红线图.pdf（{filetypes.format_size(len(pdf()))}）",
        f"其他：说明.pdf（{filetypes.format_size(len(pdf('x')))}）",
    ]
    assert {(e.record_kind, e.record_id, e.record_label) for e in entries} == {("parcel", parcel, "HX-1")}
    with write_session(engine) as s:
        gone = remove(s, c.id or 0, user="王强")
    assert gone.file_name == "说明.pdf"
    with read_session(engine) as s:
        assert [x.id for x in list_attachments(s, PARCEL, parcel)] == [a.id, b.id]
        last = s.execute(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(1)).scalar_one()
    assert (last.user, last.field, last.new_value) == ("王强", "附件", None)
    assert last.old_value is not None
    assert last.old_value.startswith("其他：说明.pdf")


def test_first_photo_is_the_lowest_id_of_category_photo(ledger: tuple[Engine, int, int]) -> None:
    engine, parcel, _ = ledger
    with read_session(engine) as s:
        assert first_photo(s, PARCEL, parcel) is None
    _attach(engine, parcel, pdf(), "规划条件.pdf")
    _attach(engine, parcel, png(rgb=(1, 2, 3)), "红线扫描.png")  # a picture, filed as 红线图
    first = _attach(engine, parcel, jpeg_header(b"a"), "东侧.jpg")
    _attach(engine, parcel, png(rgb=(9, 9, 9)), "西侧.png")
    with read_session(engine) as s:
        found = first_photo(s, PARCEL, parcel)
        assert found is not None
        assert (found.id, found.file_name, bytes(found.data)) == (first.id, "东侧.jpg", jpeg_header(b"a"))
        categories = [x.category for x in list_attachments(s, PARCEL, parcel)]
    assert categories == ["规划条件", "红线图", "照片", "照片"]


@pytest.mark.parametrize(
    ("data", "name", "category", "said"),
    [
        (b"", "空.jpg", None, "空文件"),
        (plain_zip(), "伪装.jpg", None, "内容不是JPEG 图片（是ZIP 压缩包）"),
        (png(), "图.pdf", None, "内容是 PNG 图片"),
        (b"hello world", "说明.txt", None, "不是可添加的文件类型"),
        (office("xl/workbook.xml"), "报告.docx", None, "内容是 Excel 表格"),
        (pdf(), "规划.pdf", "照片", "不能归为照片"),
        (png(), "图.png", "乱写", "附件类别“乱写”无效"),
        (png(), "图.exe", None, "扩展名 .exe 不是可添加的类型"),
    ],
)
def test_bad_files_are_refused_with_a_reason_and_nothing_written(
    ledger: tuple[Engine, int, int], data: bytes, name: str, category: str | None, said: str
) -> None:
    engine, parcel, _ = ledger
    before = _count(engine)
    with pytest.raises(AttachmentError) as refused:
        _attach(engine, parcel, data, name, category=category)
    assert said in str(refused.value)
    assert name in str(refused.value) or "类别" in str(refused.value)
    assert _count(engine) == before


def test_office_files_and_images_under_either_image_extension(ledger: tuple[Engine, int, int]) -> None:
    engine, parcel, _ = ledger
    docx = _attach(engine, parcel, office("word/document.xml"), "环评批复.docx")
    xlsx = _attach(engine, parcel, office("xl/workbook.xml"), "地价测算.xlsx")
    xls = _attach(engine, parcel, bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 64, "旧表.xls")
    swapped = _attach(engine, parcel, png(rgb=(5, 5, 5)), "手机照片.jpg")  # a PNG named .jpg
    assert (docx.category, xlsx.category, xls.media_type) == ("环评", "其他", "application/vnd.ms-excel")
    assert (swapped.category, swapped.media_type) == ("照片", "image/png")


def test_duplicates_missing_records_and_kinds_without_files(ledger: tuple[Engine, int, int]) -> None:
    engine, parcel, region = ledger
    _attach(engine, parcel, png(), "东侧.png")
    before = _count(engine)
    with pytest.raises(AttachmentError, match=re.escape("“东侧 副本.png”已是地块“HX-1”的附件（“东侧.png”，李娜 添加）")):
        _attach(engine, parcel, png(), "东侧 副本.png")
    with pytest.raises(AttachmentError, match=r"地块（ID 999999）不存在"):
        _attach(engine, 999999, png(), "x.png")
    with write_session(engine) as s, pytest.raises(AttachmentError, match="行政区不能添加附件"):
        attach(s, RecordKind.REGION, region, (png(), "x.png"), user="t")
    with write_session(engine) as s, pytest.raises(AttachmentError, match="不存在"):
        remove(s, 999999, user="t")
    assert _count(engine) == before


def test_size_limits_a_file_and_a_record(ledger: tuple[Engine, int, int], tmp_path: Path) -> None:
    engine, parcel, _ = ledger
    big = tmp_path / "航拍.jpg"
    with big.open("wb") as f:
        f.write(jpeg_header())
        f.truncate(filetypes.MAX_FILE_BYTES + 1)
    before = _count(engine)
    with write_session(engine) as s, pytest.raises(AttachmentError) as refused:
        attach(s, PARCEL, parcel, big, user="t")
    assert "“航拍.jpg”有 20.0 MB，超过单个附件 20.0 MB 的上限" in str(refused.value)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(service, "MAX_RECORD_BYTES", len(png()) + 10)
        _attach(engine, parcel, png(), "一.png")
        with pytest.raises(AttachmentError, match="将超过每条记录"):
            _attach(engine, parcel, png(rgb=(0, 0, 0)), "二.png")
    assert _count(engine)[0] == before[0] + 1
    exact = tmp_path / "刚好.jpg"
    with exact.open("wb") as f:
        f.write(jpeg_header())
        f.truncate(filetypes.MAX_FILE_BYTES)
    with write_session(engine) as s:
        assert attach(s, PARCEL, parcel, exact, user="t").size_bytes == filetypes.MAX_FILE_BYTES
    with write_session(engine) as s, pytest.raises(AttachmentError, match="文件不存在"):
        attach(s, PARCEL, parcel, tmp_path / "没有.png", user="t")


def test_a_backup_restored_elsewhere_carries_the_files(sqlite_url: str, tmp_path: Path) -> None:
    from landbank.services.backup.backups import backup_now, restore_backup
    from landbank.store.migrate import open_database

    engine = open_database(sqlite_url)
    try:
        with write_session(engine) as s:
            region = create_record(s, RecordKind.REGION, {"name": "获嘉县", "kind": "县"}, user="t")
            parcel = create_record(
                s, PARCEL, {"code": "HJ-1", "region_id": region.id, "area_mu": 10.0, "readiness": "净地(可供)", "status": "可供"}, user="t"
            )  # fmt: skip
            assert parcel.id is not None
            attach(s, PARCEL, parcel.id, (png(40, 30), "现场.png"), user="t")
            attach(s, PARCEL, parcel.id, (pdf(), "红线图.pdf"), user="t")
    finally:
        engine.dispose()
    copy = backup_now(sqlite_url, target=tmp_path / "备份.sqlite3")
    elsewhere = tmp_path / "新电脑"
    elsewhere.mkdir()
    other_url = f"sqlite:///{elsewhere / '台账.sqlite3'}"
    restore_backup(other_url, copy)
    other = open_database(other_url)
    try:
        with read_session(other) as s:
            listed = list_attachments(s, PARCEL, parcel.id)
            assert [(x.file_name, x.category) for x in listed] == [("现场.png", "照片"), ("红线图.pdf", "红线图")]
            assert attachment_data(s, listed[0].id) == png(40, 30)
            assert attachment_data(s, listed[1].id) == pdf()
    finally:
        other.dispose()
