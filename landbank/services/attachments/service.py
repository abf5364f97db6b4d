"""Files held by a record (issue 15 part 5): photos, 红线图, 规划条件, 环评 and other
documents, kept in the ledger itself (table ``attachment``), so a backup, a county's ledger
moved to the city and the city's server carry them.

- :func:`attach` checks the file (:mod:`.filetypes`: its real type, the limits of
  :data:`~.filetypes.MAX_FILE_BYTES` a file and :data:`~.filetypes.MAX_RECORD_BYTES` a
  record, not already held by the record), the record (it exists) and the clerk's rights
  (on a city server only the record's county — or the city — may add to it; the server's
  row-level security decides the same by ``region_id``, set here from the record), then
  inserts it and writes an audit entry of the record (field 附件, the file's category, name
  and size as the new value).
- :func:`remove` deletes one, audited the same way (the old value).
- :func:`list_attachments` lists them without their bytes; :func:`attachment_data`,
  :func:`save_copy` and :func:`first_photo` (the 推介单's and 招商手册's picture) read them.

Every refusal is :class:`AttachmentError` (a :class:`~landbank.services.records.saving.RecordError`)
in Chinese; functions flush, callers commit.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.attachments.filetypes import (
    MAX_FILE_BYTES,
    MAX_NOTE_CHARS,
    MAX_RECORD_BYTES,
    PHOTO,
    FileRefused,
    check_category,
    clean_name,
    file_type,
    format_size,
    guess_category,
)
from landbank.services.backup.leftovers import written_when_complete
from landbank.services.records.labels import load_record_label
from landbank.services.records.saving import RecordError, record_values
from landbank.services.server.rights import is_refusal, rights_of
from landbank.store.models import TABLES, Attachment, AuditAction, AuditEntry, RecordBase

# The records that hold files.
ATTACHABLE = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT, RecordKind.PARK)
FIELD = "附件"


class AttachmentError(RecordError):
    """An attachment refused or not found; ``str()`` is the Chinese message."""


@dataclass(frozen=True)
class AttachmentInfo:
    """An attachment as lists show it (without its bytes)."""

    id: int
    record_kind: str
    record_id: int
    category: str
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str
    notes: str | None
    created_at: datetime
    created_by: str

    @property
    def size_text(self) -> str:
        return format_size(self.size_bytes)

    @property
    def is_image(self) -> bool:
        return self.media_type in ("image/jpeg", "image/png")


_INFO_COLUMNS = tuple(
    col(getattr(Attachment, name))
    for name in (
        "id", "record_kind", "record_id", "category", "file_name", "media_type", "size_bytes",
        "sha256", "notes", "created_at", "created_by",
    )
)  # fmt: skip


def _record(session: Session, kind: RecordKind, record_id: int) -> RecordBase:
    if kind not in ATTACHABLE:
        raise AttachmentError(f"{kind.label}不能添加附件（只有地块、厂房、项目和园区可以）")
    record = session.get(TABLES[kind], record_id)
    if record is None:
        raise AttachmentError(f"{kind.label}（ID {record_id}）不存在，可能已被删除；附件未添加")
    return record


def _label(session: Session, kind: RecordKind, record: RecordBase) -> str:
    return load_record_label(session, kind, record_values(kind, record)) or f"#{record.id}"


def _check_rights(session: Session, kind: RecordKind, record: RecordBase, doing: str) -> None:
    """Refuse what this login may not change on a city server (see rights.py)."""
    bind = session.get_bind()
    rights = rights_of(bind if isinstance(bind, Engine) else bind.engine)
    region_id = getattr(record, "region_id", None)
    names = {int(region_id): _region_name(session, int(region_id))} if region_id else {}
    reason = rights.can_write(kind, {"region_id": region_id}, names)
    if reason:
        raise AttachmentError(f"不能{doing}：{reason}")


def _region_name(session: Session, region_id: int) -> str:
    from landbank.store.models import Region

    name = session.execute(select(col(Region.name)).where(col(Region.id) == region_id)).scalar()
    return str(name) if name else f"县区 #{region_id}"


def _audit(
    session: Session,
    kind: RecordKind,
    record: RecordBase | None,
    attachment: Attachment,
    *,
    added: bool,
    user: str,
    source: str,
) -> None:
    shown = f"{attachment.category}：{attachment.file_name}（{format_size(attachment.size_bytes)}）"
    label = _label(session, kind, record) if record is not None else attachment.file_name
    session.add(
        AuditEntry(
            user=user[:100],
            action=AuditAction.UPDATE,
            record_kind=kind.value,
            record_id=attachment.record_id,
            record_uuid=attachment.record_uuid,
            record_label=label[:200],
            field=FIELD,
            old_value=None if added else shown,
            new_value=shown if added else None,
            source=source[:300],
            record_version=record.version if record is not None else 0,
        )
    )


def read_file(path: Path) -> bytes:
    """The bytes of the file at ``path`` to attach, refused before reading when it is not a
    file, cannot be read, or is over :data:`MAX_FILE_BYTES`."""
    try:
        if not path.is_file():
            raise AttachmentError(f"文件不存在：{path}")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AttachmentError(_too_large(path.name, size))
        return path.read_bytes()
    except OSError as exc:
        raise AttachmentError(f"无法读取文件 {path}（{exc.strerror or exc}）") from None


def _too_large(name: str, size: int) -> str:
    return (
        f"“{name}”有 {format_size(size)}，超过单个附件 {format_size(MAX_FILE_BYTES)} 的上限；"
        "照片可先缩小（如手机“压缩”或另存为较小尺寸）后再添加"
    )


def attach(
    session: Session,
    kind: RecordKind,
    record_id: int,
    source_file: Path | tuple[bytes, str],
    *,
    user: str,
    category: str | None = None,
    notes: str | None = None,
    source: str = "界面",
) -> Attachment:
    """Add a file (a path, or its bytes and name) to the record; see the module doc."""
    record = _record(session, kind, record_id)
    if isinstance(source_file, Path):
        data, name = read_file(source_file), source_file.name
    else:
        data, name = source_file
    try:
        name = clean_name(name)
        if len(data) > MAX_FILE_BYTES:
            raise FileRefused(_too_large(name, len(data)))
        ftype = file_type(name, data)
        category = check_category(category or guess_category(name, ftype), name, ftype)
    except FileRefused as exc:
        raise AttachmentError(str(exc)) from None
    note = (notes or "").strip() or None
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise AttachmentError(f"附件说明不能超过 {MAX_NOTE_CHARS} 个字（现有 {len(note)} 个）")
    label = _label(session, kind, record)
    _check_rights(session, kind, record, f"给{kind.label}“{label}”添加附件")
    digest = hashlib.sha256(data).hexdigest()
    same = session.execute(
        select(col(Attachment.file_name), col(Attachment.created_by))
        .where(*_of(kind, record_id), col(Attachment.sha256) == digest)
        .limit(1)
    ).first()
    if same is not None:
        raise AttachmentError(
            f"“{name}”已是{kind.label}“{label}”的附件（“{same[0]}”，{same[1]} 添加），未重复添加"
        )
    held = session.execute(
        select(func.coalesce(func.sum(col(Attachment.size_bytes)), 0)).where(*_of(kind, record_id))
    ).scalar_one()
    if int(held) + len(data) > MAX_RECORD_BYTES:
        raise AttachmentError(
            f"{kind.label}“{label}”的附件已有 {format_size(int(held))}，再加“{name}”"
            f"（{format_size(len(data))}）将超过每条记录 {format_size(MAX_RECORD_BYTES)} 的上限；"
            "请先删除不需要的附件"
        )
    attachment = Attachment(
        record_kind=kind.value,
        record_id=record_id,
        record_uuid=record.uuid,
        region_id=getattr(record, "region_id", None),
        category=category,
        file_name=name,
        media_type=ftype.media_type,
        size_bytes=len(data),
        sha256=digest,
        data=data,
        notes=note,
        created_by=user[:100],
    )
    session.add(attachment)
    try:
        session.flush()
    except DBAPIError as exc:
        if is_refusal(exc):  # the server's row-level security
            raise AttachmentError(
                f"城市服务器拒绝了给{kind.label}“{label}”添加附件：您的账号没有修改此记录的权限（本次操作未执行）"
            ) from None
        raise
    _audit(session, kind, record, attachment, added=True, user=user, source=source)
    session.flush()
    return attachment


def _of(kind: RecordKind, record_id: int) -> tuple[Any, Any]:
    return col(Attachment.record_kind) == kind.value, col(Attachment.record_id) == record_id


def list_attachments(session: Session, kind: RecordKind, record_id: int) -> list[AttachmentInfo]:
    """The record's attachments in the order they were added, without their bytes."""
    rows = session.execute(
        select(*_INFO_COLUMNS).where(*_of(kind, record_id)).order_by(col(Attachment.id))
    ).all()
    return [AttachmentInfo(*row) for row in rows]


def get_attachment(session: Session, attachment_id: int) -> Attachment:
    found = session.get(Attachment, attachment_id)
    if found is None:
        raise AttachmentError(f"附件（ID {attachment_id}）不存在，可能已被其他用户删除")
    return found


def attachment_data(session: Session, attachment_id: int) -> bytes:
    data = session.execute(
        select(col(Attachment.data)).where(col(Attachment.id) == attachment_id)
    ).scalar_one_or_none()
    if data is None:
        raise AttachmentError(f"附件（ID {attachment_id}）不存在，可能已被其他用户删除")
    return bytes(data)


def save_copy(session: Session, attachment_id: int, target: Path) -> Path:
    """Write a copy of the attachment to ``target`` (under a temporary name first, renamed
    when complete); returns ``target``."""
    data = attachment_data(session, attachment_id)
    if target.is_dir():
        raise AttachmentError(f"“{target}”是一个文件夹，请给出文件名")
    if not target.parent.is_dir():
        raise AttachmentError(f"文件夹不存在：{target.parent}")
    try:
        with written_when_complete(target, target.suffix) as temp:
            temp.write_bytes(data)
    except OSError as exc:
        raise AttachmentError(f"无法写入 {target}（{exc.strerror or exc}）") from None
    return target


def remove(
    session: Session, attachment_id: int, *, user: str, source: str = "界面"
) -> AttachmentInfo:
    """Delete an attachment (audited); returns what it was."""
    found = session.execute(
        select(*_INFO_COLUMNS, col(Attachment.record_uuid)).where(
            col(Attachment.id) == attachment_id
        )
    ).first()
    if found is None:
        raise AttachmentError(f"附件（ID {attachment_id}）不存在，可能已被其他用户删除")
    info = AttachmentInfo(*found[:-1])
    kind = RecordKind(info.record_kind)
    record = session.get(TABLES[kind], info.record_id)
    if record is not None:
        label = _label(session, kind, record)
        _check_rights(session, kind, record, f"删除{kind.label}“{label}”的附件“{info.file_name}”")
    stmt = (
        delete(Attachment)
        .where(col(Attachment.id) == attachment_id)
        .execution_options(synchronize_session=False)
    )
    try:
        touched = session.execute(stmt).rowcount  # type: ignore[attr-defined]
    except DBAPIError as exc:
        if not is_refusal(exc):
            raise
        touched = -1
    if touched != 1:  # row-level security hides the row from a DELETE it may not make
        raise AttachmentError(
            f"城市服务器拒绝了删除附件“{info.file_name}”：您的账号没有修改此记录的权限（本次操作未执行）"
        )
    gone = Attachment(
        id=info.id,
        record_kind=info.record_kind,
        record_id=info.record_id,
        record_uuid=str(found[-1]),
        category=info.category,
        file_name=info.file_name,
        media_type=info.media_type,
        size_bytes=info.size_bytes,
        sha256=info.sha256,
        data=b"",
        created_by=info.created_by,
    )
    _audit(session, kind, record, gone, added=False, user=user, source=source)
    session.flush()
    return info


def first_photo(session: Session, kind: RecordKind, record_id: int) -> Attachment | None:
    """The record's first 照片 (the lowest id), with its bytes; None when it has none — the
    picture of the 推介单 and the 招商手册."""
    stmt = (
        select(Attachment)
        .where(*_of(kind, record_id), col(Attachment.category) == PHOTO)
        .order_by(col(Attachment.id))
        .limit(1)
    )
    return session.execute(stmt).scalars().first()


def relink(session: Session, kind: RecordKind, moved: Mapping[int, int]) -> int:
    """Give the files of deleted records to the records an undo created from them
    (``moved``: old id → new id; the undo gives new ids and uuids); returns how many moved."""
    count = 0
    for old_id, new_id in moved.items():
        record = session.get(TABLES[kind], new_id)
        if record is None or kind not in ATTACHABLE:
            continue
        count += session.execute(
            update(Attachment)
            .where(*_of(kind, old_id))
            .values(
                record_id=new_id,
                record_uuid=record.uuid,
                region_id=getattr(record, "region_id", None),
            )
            .execution_options(synchronize_session=False)
        ).rowcount  # type: ignore[attr-defined]
    session.flush()
    return count
