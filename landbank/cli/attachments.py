"""``landbank attach`` and ``landbank attachments``: a record's photos and documents from the
shell (issue 15 part 5; the files are kept in the ledger, :mod:`landbank.services.attachments`).

    landbank attach 记录 文件 [--kind 地块|厂房|项目|园区] [--category 照片|红线图|规划条件|环评|其他]
                              [--note 说明] [--region 县区]
    landbank attachments 记录 [--kind …] [--region 县区] [--json]
    landbank attachments 记录 --save 序号 -o 文件
    landbank attachments 记录 --remove 序号 [--yes]

The record is named as ``landbank show`` names it: a parcel's or building's code (地块编号,
厂房编号), a project's or park's name, or its ID with --kind. Without --kind every kind is
searched and a name several kinds share is refused with the kinds. Files are numbered
(序号) in the order they were added. Bad input ends with exit 2 and the reason in Chinese,
the ledger unchanged.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from landbank.cli.common import (
    CliError,
    count_argument,
    open_engine,
    print_json,
    region_id_by_name,
    text_argument,
)
from landbank.domain.enums import RecordKind

if TYPE_CHECKING:
    from sqlmodel import Session

    from landbank.services.attachments.service import AttachmentInfo

KINDS: dict[str, RecordKind] = {
    "地块": RecordKind.PARCEL,
    "厂房": RecordKind.FACTORY,
    "项目": RecordKind.PROJECT,
    "园区": RecordKind.PARK,
    "parcel": RecordKind.PARCEL,
    "factory": RecordKind.FACTORY,
    "project": RecordKind.PROJECT,
    "park": RecordKind.PARK,
}
CATEGORIES = ("照片", "红线图", "规划条件", "环评", "其他")
MAX_INDEX = 100_000


def kind_argument(text: str) -> RecordKind:
    kind = KINDS.get(text.strip())
    if kind is None:
        raise argparse.ArgumentTypeError(
            f"“{text}”不是可添加附件的记录类别（可选：地块、厂房、项目、园区）"
        )
    return kind


kind_argument.__name__ = "记录类别"


def category_argument(text: str) -> str:
    if text.strip() not in CATEGORIES:
        raise argparse.ArgumentTypeError(f"“{text}”不是附件类别（可选：{'、'.join(CATEGORIES)}）")
    return text.strip()


category_argument.__name__ = "附件类别"


def add_attachment_parsers(command: Callable[[str, str, str], argparse.ArgumentParser]) -> None:
    """``attach`` and ``attachments`` (``command`` adds one with its --db)."""

    def record_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "record",
            metavar="记录",
            help="地块编号、厂房编号、项目或园区名称，或记录 ID（与 --kind 一起）",
        )
        p.add_argument(
            "--kind", type=kind_argument, metavar="类别", help="记录类别：地块、厂房、项目、园区"
        )
        p.add_argument("--region", metavar="县区", help="编号在多个县区重复时指定县区")

    p = command(
        "attach",
        "给记录添加附件（照片、红线图等）",
        "把一个文件（JPEG/PNG 照片，PDF 的红线图、规划条件、环评，Word/Excel 文件）作为附件存入台账，"
        "随台账备份、并入城市库。单个文件不超过 20 MB，每条记录的附件合计不超过 200 MB。",
    )
    record_options(p)
    p.add_argument("file", metavar="文件", help="要添加的文件")
    p.add_argument(
        "--category",
        type=category_argument,
        metavar="类别",
        help="附件类别：照片、红线图、规划条件、环评、其他（默认按文件类型和文件名判断）",
    )
    p.add_argument(
        "--note", type=text_argument("附件说明", 500), metavar="说明", help="附件说明（可选）"
    )

    p = command(
        "attachments",
        "列出、导出或删除记录的附件",
        "列出一条记录的附件（序号、类别、文件名、大小、添加人、时间）；用 --save 序号 -o 文件 导出一个附件，"
        "用 --remove 序号 删除一个附件。",
    )
    record_options(p)
    index = count_argument(1, MAX_INDEX, "附件序号")
    action = p.add_mutually_exclusive_group()
    action.add_argument(
        "--save", type=index, metavar="序号", help="把第 N 个附件保存到 -o 给出的文件"
    )
    action.add_argument("--remove", type=index, metavar="序号", help="删除第 N 个附件")
    p.add_argument("-o", "--output", metavar="文件", help="与 --save 一起：保存到这个文件")
    p.add_argument("--yes", action="store_true", help="与 --remove 一起：不询问，直接删除")
    p.add_argument("--json", action="store_true", help="输出 JSON")


# ---------------------------------------------------------------- finding the record


def _find(session: Session, args: argparse.Namespace) -> tuple[RecordKind, Any]:
    """The record named by ``args.record`` (see the module doc)."""
    from sqlalchemy import select
    from sqlmodel import col

    from landbank.domain.validation import MAX_INT
    from landbank.store.models import TABLES
    from landbank.store.queries import load_names

    key = args.record.strip()
    if not key:
        raise CliError("请给出记录：地块编号、厂房编号、项目或园区名称，或记录 ID")
    region_id = region_id_by_name(session, args.region)
    kinds = (
        [args.kind]
        if args.kind
        else [RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT, RecordKind.PARK]
    )
    found: list[tuple[RecordKind, Any]] = []
    for kind in kinds:
        table: Any = TABLES[kind]
        column = (
            col(table.code) if kind in (RecordKind.PARCEL, RecordKind.FACTORY) else col(table.name)
        )
        stmt = select(table).where(column == key).order_by(col(table.id))
        if region_id is not None:
            stmt = stmt.where(col(table.region_id) == region_id)
        found += [(kind, r) for r in session.execute(stmt).scalars()]
    if not found and args.kind and key.isdecimal() and len(key) <= 10 and int(key) <= MAX_INT:
        record = session.get(TABLES[args.kind], int(key))
        if record is not None and region_id in (None, record.region_id):  # type: ignore[attr-defined]
            return args.kind, record
    if len(found) == 1:
        return found[0]
    if found:
        regions = load_names(session).regions
        where = "、".join(
            f"{kind.label}（{regions.get(r.region_id, '?')}，ID {r.id}）" for kind, r in found
        )
        raise CliError(
            f"“{key}”不止一条记录：{where}。请用 --kind 指定类别、--region 指定县区，或用 ID"
        )
    what = args.kind.label if args.kind else "地块、厂房、项目或园区"
    raise CliError(f"没有编号或名称为“{key}”的{what}")


def _user(session: Session) -> str:
    from landbank.services.server.identity import audit_user

    return audit_user(session)


def _label(kind: RecordKind, record: Any) -> str:
    return f"{kind.label}“{getattr(record, 'code', None) or record.name}”"


# ---------------------------------------------------------------- attach


def run_attach(args: argparse.Namespace) -> int:
    from landbank.services.attachments.filetypes import format_size
    from landbank.services.attachments.service import AttachmentError, attach, read_file
    from landbank.store.engine import write_session

    path = Path(args.file).expanduser()
    if not args.file.strip():
        raise CliError("请给出要添加的文件")
    if path.is_dir():
        raise CliError(f"“{path}”是一个文件夹，请给出文件")
    engine = open_engine(args, must_exist=True)
    try:
        with write_session(engine) as session:
            kind, record = _find(session, args)
            try:
                data = read_file(path)
                added = attach(
                    session, kind, record.id, (data, path.name), user=_user(session),
                    category=args.category, notes=args.note, source="命令行",
                )  # fmt: skip
            except AttachmentError as exc:
                raise CliError(str(exc)) from None
            line = (
                f"已给{_label(kind, record)}添加附件：{added.category} {added.file_name}"
                f"（{format_size(added.size_bytes)}）"
            )
    finally:
        engine.dispose()
    print(line)
    return 0


# ---------------------------------------------------------------- attachments


def run_attachments(args: argparse.Namespace) -> int:
    from landbank.services.attachments.service import AttachmentError, list_attachments
    from landbank.store.engine import read_session, write_session

    if args.output is not None and args.save is None:
        raise CliError("-o 只与 --save 一起使用")
    if args.save is not None and not args.output:
        raise CliError("--save 需要用 -o 给出保存到的文件")
    if args.yes and args.remove is None:
        raise CliError("--yes 只与 --remove 一起使用")
    target = _target(args.output) if args.save is not None else None
    engine = open_engine(args, must_exist=True)
    try:
        opener = write_session if args.remove is not None else read_session
        with opener(engine) as session:
            kind, record = _find(session, args)
            files = list_attachments(session, kind, record.id)
            try:
                if args.save is not None:
                    assert target is not None
                    return _save(session, args, kind, record, files, target)
                if args.remove is not None:
                    return _remove(session, args, kind, record, files)
            except AttachmentError as exc:
                raise CliError(str(exc)) from None
    finally:
        engine.dispose()
    if args.json:
        print_json(
            {"kind": kind.value, "record_id": record.id, "record": _label(kind, record),
             "attachments": [_json(i, f) for i, f in enumerate(files, 1)]}
        )  # fmt: skip
        return 0
    print(_table(kind, record, files))
    return 0


def _target(text: str) -> Path:
    path = Path(text).expanduser()
    if not text.strip():
        raise CliError("-o 不能为空：请给出保存到的文件")
    if path.is_dir():
        raise CliError(f"“{path}”是一个文件夹，请给出文件名")
    if not path.parent.is_dir():
        raise CliError(f"文件夹不存在：{path.parent}")
    return path


def _pick(files: list[AttachmentInfo], index: int, kind: RecordKind, record: Any) -> AttachmentInfo:
    if index > len(files):
        has = f"只有 {len(files)} 个附件" if files else "没有附件"
        raise CliError(f"{_label(kind, record)}{has}，没有第 {index} 个")
    return files[index - 1]


def _save(
    session: Session, args: argparse.Namespace, kind: RecordKind, record: Any,
    files: list[AttachmentInfo], target: Path,
) -> int:  # fmt: skip
    from landbank.services.attachments.service import save_copy

    chosen = _pick(files, args.save, kind, record)
    save_copy(session, chosen.id, target)
    print(f"已把附件“{chosen.file_name}”（{chosen.size_text}）保存到 {target}")
    return 0


def _remove(
    session: Session, args: argparse.Namespace, kind: RecordKind, record: Any,
    files: list[AttachmentInfo],
) -> int:  # fmt: skip
    from landbank.services.attachments.service import remove

    chosen = _pick(files, args.remove, kind, record)
    if not args.yes:
        if not sys.stdin.isatty():
            raise CliError("删除附件需要确认：请加 --yes（在终端中运行时会先询问）")
        try:
            answer = input(f"删除{_label(kind, record)}的附件“{chosen.file_name}”？输入 y 确认：")
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "是"):
            print("未删除。")
            return 1
    remove(session, chosen.id, user=_user(session), source="命令行")
    print(f"已删除{_label(kind, record)}的附件“{chosen.file_name}”（{chosen.size_text}）")
    return 0


def _when(info: AttachmentInfo) -> str:
    from landbank.store.models import as_utc

    return as_utc(info.created_at).astimezone().strftime("%Y-%m-%d %H:%M")


def _json(index: int, info: AttachmentInfo) -> dict[str, Any]:
    from landbank.store.models import as_utc

    return {
        "index": index, "id": info.id, "category": info.category, "file_name": info.file_name,
        "media_type": info.media_type, "size_bytes": info.size_bytes, "size": info.size_text,
        "sha256": info.sha256, "notes": info.notes, "created_by": info.created_by,
        "created_at": as_utc(info.created_at).isoformat(),
    }  # fmt: skip


def _table(kind: RecordKind, record: Any, files: list[AttachmentInfo]) -> str:
    from landbank.services.attachments.filetypes import format_size

    title = f"{_label(kind, record)}的附件"
    if not files:
        return f"{title}：无（用 landbank attach 添加）"
    rows = [("序号", "类别", "文件名", "大小", "添加人", "时间")]
    rows += [
        (str(i), f.category, f.file_name + (f"（{f.notes}）" if f.notes else ""), f.size_text,
         f.created_by, _when(f))
        for i, f in enumerate(files, 1)
    ]  # fmt: skip
    widths = [max(_width(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines = [
        "  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    total = format_size(sum(f.size_bytes for f in files))
    return "\n".join([f"{title}：", *lines, f"共 {len(files)} 个，{total}"])


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
