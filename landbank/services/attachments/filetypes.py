"""What a file attached to a record really is, read from its first bytes (never from its
name alone), and the category it is filed under when the clerk gives none.

Accepted (``docs/attachments.md``):

- photos: JPEG (``FF D8 FF``) and PNG (``89 PNG \\r\\n 1A \\n``);
- documents: PDF (``%PDF-`` within the first 1,024 bytes, as readers accept it);
- office files, filed under 其他 unless their name says 红线/规划/环评: Word and Excel of
  Office 2007 and later (.docx / .xlsx: a zip holding ``word/document.xml`` or
  ``xl/workbook.xml``) and of Office 97–2003 (.doc / .xls: the OLE2 compound file header).

The name's extension must agree with what the bytes are (a “.jpg” that is a zip, a “.pdf”
that is a picture, a “.docx” that is a spreadsheet are refused as disguised); a JPEG named
.png or a PNG named .jpg is taken as the image it is. A name without an extension takes the
type of its bytes.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

CATEGORIES = ("照片", "红线图", "规划条件", "环评", "其他")
PHOTO = "照片"
OTHER = "其他"

MB = 1024 * 1024
MAX_FILE_BYTES = 20 * MB  # one file
MAX_RECORD_BYTES = 200 * MB  # every file of one record together
MAX_NAME_CHARS = 255  # attachment.file_name
MAX_NOTE_CHARS = 500  # attachment.notes


@dataclass(frozen=True)
class FileType:
    key: str  # jpeg, png, pdf, docx, xlsx, doc, xls
    media_type: str
    label: str  # what the clerk is told: "JPEG 图片"
    extensions: tuple[str, ...]
    image: bool = False


TYPES = {
    t.key: t
    for t in (
        FileType("jpeg", "image/jpeg", "JPEG 图片", (".jpg", ".jpeg", ".jpe", ".jfif"), True),
        FileType("png", "image/png", "PNG 图片", (".png",), True),
        FileType("pdf", "application/pdf", "PDF 文档", (".pdf",)),
        FileType(
            "docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "Word 文档",
            (".docx",),
        ),
        FileType(
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "Excel 表格",
            (".xlsx",),
        ),
        FileType("doc", "application/msword", "Word 97–2003 文档", (".doc",)),
        FileType("xls", "application/vnd.ms-excel", "Excel 97–2003 表格", (".xls",)),
    )
}
ACCEPTED = "JPEG/PNG 图片、PDF、Word（.doc/.docx）或 Excel（.xls/.xlsx）文件"
OLE2 = bytes.fromhex("D0CF11E0A1B11AE1")
# Words in a file's name that say which document it is.
NAME_WORDS = (("红线", "红线图"), ("规划", "规划条件"), ("环评", "环评"), ("环境影响", "环评"))


class FileRefused(ValueError):
    """The file cannot be attached; ``str()`` is the Chinese reason."""


def _bytes_type(data: bytes) -> str | None:
    """The type the bytes are, or None; "zip" and "ole2" for containers of other kinds."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(OLE2):
        return "ole2"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return "zip"
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return "zip"
    return None


_SEEN_AS = {"zip": "ZIP 压缩包", "ole2": "Office 97–2003 文件"}


def file_type(name: str, data: bytes) -> FileType:
    """The type of the file ``name`` with contents ``data``; :class:`FileRefused` naming the
    file when it is empty, of a type not accepted, or not what its name says."""
    if not data:
        raise FileRefused(f"“{name}”是空文件（0 字节），不能作为附件")
    found = _bytes_type(data)
    extension = PurePath(name).suffix.lower()
    if found == "ole2":  # Word and Excel 97–2003 share the container: the name tells which
        if extension in (".doc", ".xls"):
            return TYPES[extension[1:]]
        if not extension:
            raise FileRefused(
                f"“{name}”是 Office 97–2003 文件，但没有扩展名：请改名为 .doc 或 .xls 后再添加"
            )
    named = next((t for t in TYPES.values() if extension in t.extensions), None)
    if found is None or found not in TYPES:
        seen = _SEEN_AS.get(found or "", "无法识别的内容")
        if named is not None:
            raise FileRefused(
                f"“{name}”的扩展名是 {extension}，但内容不是{named.label}（是{seen}）："
                f"文件可能已损坏或被改过扩展名，未添加"
            )
        raise FileRefused(f"“{name}”不是可添加的文件类型（只接受{ACCEPTED}）")
    actual = TYPES[found]
    if named is None:
        if extension:
            raise FileRefused(
                f"“{name}”的扩展名 {extension} 不是可添加的类型（只接受{ACCEPTED}）"
            )
        return actual
    if named.key != actual.key and not (named.image and actual.image):
        raise FileRefused(
            f"“{name}”的扩展名是 {extension}，但内容是 {actual.label}：请改正扩展名后再添加"
        )
    return actual


def guess_category(name: str, kind: FileType) -> str:
    """The category of a file the clerk did not file: the document its name names (红线图,
    规划条件, 环评), else 照片 for a picture and 其他 for anything else."""
    stem = PurePath(name).stem
    for word, category in NAME_WORDS:
        if word in stem:
            return category
    return PHOTO if kind.image else OTHER


def check_category(category: str, name: str, kind: FileType) -> str:
    """``category`` checked: one of :data:`CATEGORIES`, and a 照片 is a picture."""
    category = category.strip()
    if category not in CATEGORIES:
        raise FileRefused(f"附件类别“{category}”无效（可选：{'、'.join(CATEGORIES)}）")
    if category == PHOTO and not kind.image:
        raise FileRefused(f"“{name}”是{kind.label}，不是图片，不能归为照片（照片只接受 JPEG 或 PNG）")
    return category


def format_size(size: int) -> str:
    """1,234 bytes as “1.2 KB”, 3,400,000 as “3.2 MB” (binary units, as Windows shows)."""
    if size < 1024:
        return f"{size} 字节"
    if size < MB:
        return f"{size / 1024:.1f} KB"
    return f"{size / MB:.1f} MB"


def clean_name(name: str) -> str:
    """The file name kept: no folders, no control characters, at most 255 characters (the
    extension kept)."""
    base = PurePath(name.replace("\\", "/")).name.strip()
    base = "".join(c for c in base if c >= " " and c != "\x7f")
    if not base:
        raise FileRefused("附件需要一个文件名")
    if len(base) > MAX_NAME_CHARS:
        suffix = PurePath(base).suffix[:20]
        base = base[: MAX_NAME_CHARS - len(suffix)] + suffix
    return base
