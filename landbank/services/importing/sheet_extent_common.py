"""What the extent check of every format shares (:mod:`landbank.services.importing.sheet_extent`):
:class:`SheetExtent`, the errors a damaged zip member raises, XML parts read in pieces that end
between tags, tag attributes, cell references and merged ranges, and counts as a clerk reads
them."""

from __future__ import annotations

import codecs
import html
import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Final

from landbank.services.importing.spreadsheet import SpreadsheetError

# What reading a damaged or exotic zip member can raise (calamine cannot read those either).
_ZIP_ERRORS: Final = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)

_PIECE: Final = 1024 * 1024  # decompressed bytes scanned at a time
_MAX_CARRY: Final = 32 * 1024 * 1024  # one tag, comment or ODS row longer than this: refused
_MAX_SMALL_PART: Final = 32 * 1024 * 1024  # workbook.xml and the rels are a few KB


@dataclass
class SheetExtent:
    """One sheet as calamine will materialise it: ``rows`` × ``cols`` from A1."""

    name: str
    rows: int = 0
    cols: int = 0
    merged_cells: int = 0  # the merged blocks' areas added up
    records: int = 0  # cells calamine keeps in memory before laying them out (.xls)
    # An .xlsx worksheet's zip member when every cell in it was found in the plain form (``r``
    # first and canonical, no namespace prefix): such a sheet can be read in parts
    # (:mod:`landbank.services.importing.sheet_split`).
    plain_part: str = ""

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    def include(self, row: int, col: int) -> None:
        """Grow to hold the 0-based cell (``row``, ``col``)."""
        if row >= self.rows:
            self.rows = row + 1
        if col >= self.cols:
            self.cols = col + 1


def column_letters(index: int) -> str:
    """0 → "A", 25 → "Z", 16383 → "XFD"."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _about(n: int, *, exact: bool = False) -> str:
    """A count as a clerk says it: "约 281.5 万亿", "约 171.8 亿", "约 1,049 万", "约 5,000"."""
    prefix = "" if exact else "约 "
    if n >= 1_000_000_000_000:
        text = f"{n / 1_000_000_000_000:,.1f}"
        return f"{prefix}{text.removesuffix('.0')} 万亿"
    if n >= 100_000_000:
        text = f"{n / 100_000_000:,.1f}"
        return f"{prefix}{text.removesuffix('.0')} 亿"
    if n >= 100_000:
        return f"{prefix}{n / 10_000:,.0f} 万"
    return f"{prefix}{n:,} "


# ---------------------------------------------------------------- streaming XML parts

_COMPLETE_TAG = re.compile(rb"<(?:[^<>\"']|\"[^\"]*\"|'[^']*')*>")
_OPENERS: Final = ((b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>"))
_MARKUP_NOT_TAGS = re.compile(rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>", re.DOTALL)


def _safe_cut(buf: bytes, markup: bool) -> int:
    """Where ``buf`` may be split: never inside a tag — nor, with ``markup``, inside a
    comment, CDATA or a processing instruction (text between tags may be split anywhere)."""
    cut = buf.rfind(b"<")
    if cut < 0 or _COMPLETE_TAG.match(buf, cut):
        cut = len(buf)
    if not markup or (b"!" not in buf and b"?" not in buf):  # one memchr each: cheap
        return cut
    for opener, closer in _OPENERS:
        start = buf.rfind(opener, 0, cut)
        if start >= 0 and buf.find(closer, start + len(opener)) < 0:
            cut = start
    return cut


def _pieces(fh: IO[bytes], what: str, *, markup: bool = True) -> Iterator[bytes]:
    """A zip member's bytes in pieces of about ``_PIECE`` bytes, each ending between tags —
    and, with ``markup``, outside comments, CDATA and processing instructions. UTF-16 parts
    (which calamine cannot parse, but might one day) are scanned as UTF-8."""
    first = fh.read(_PIECE)
    decoder = None
    if first.startswith((b"\xff\xfe", b"\xfe\xff")) or first[:2] in (b"<\x00", b"\x00<"):
        encoding = (
            "utf-16"
            if first[:2] in (b"\xff\xfe", b"\xfe\xff")
            else ("utf-16-le" if first[:1] == b"<" else "utf-16-be")
        )
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    carry = b""
    block = first
    while block:
        if decoder is not None:
            block = decoder.decode(block).encode("utf-8")
        buf = carry + block if carry else block
        cut = _safe_cut(buf, markup)
        if cut:
            yield buf[:cut]
        carry = buf[cut:]
        if len(carry) > _MAX_CARRY:
            raise SpreadsheetError(f"{what}中有异常长的 XML 标记（超过 32 MB），拒绝读取")
        block = fh.read(_PIECE)
    if carry:
        yield carry


def _open_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> IO[bytes]:
    try:
        return archive.open(info)
    except _ZIP_ERRORS:
        raise SpreadsheetError(f"{what}已损坏，无法读取") from None


def _read_small(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> bytes:
    """A small part (rels, workbook.xml) with its comments and CDATA removed."""
    if info.file_size > _MAX_SMALL_PART:
        raise SpreadsheetError(f"{what}的结构异常（{info.filename} 过大），拒绝读取")
    with _open_member(archive, info, what) as fh:
        try:
            return _MARKUP_NOT_TAGS.sub(b"", fh.read(_MAX_SMALL_PART + 1)[:_MAX_SMALL_PART])
        except _ZIP_ERRORS:
            raise SpreadsheetError(f"{what}已损坏，无法读取") from None


_PFX = rb"(?:[A-Za-z_\x80-\xff][\w.\x80-\xff-]*:)?"  # an optional namespace prefix
_ATTRS = rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
_ATTR = re.compile(rb"""([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _attrs(raw: bytes) -> dict[bytes, str]:
    """A tag's attributes (the first of repeated names, as quick-xml's lookups find them)."""
    found: dict[bytes, str] = {}
    for key, double, single in _ATTR.findall(raw):
        if key not in found:
            value = double if double or not single else single
            found[key] = html.unescape(value.decode("utf-8", "replace"))
    return found


def _local(key: bytes) -> bytes:
    return key.rsplit(b":", 1)[-1]


# ---------------------------------------------------------------- cell references

_REF = re.compile(r"([A-Za-z]*)0*(\d*)")


def _parse_ref(text: str) -> tuple[int, int] | None:
    """ "XFD1048576" → (1048575, 16383), 0-based; lower-case and leading zeros allowed, as
    calamine allows them. ``None`` when calamine would reject it (then it reads nothing)."""
    match = _REF.fullmatch(text.strip())
    if match is None or not match.group(1) or not match.group(2):
        return None
    col = 0
    for ch in match.group(1).upper():
        col = col * 26 + ord(ch) - 64
    row = int(match.group(2))
    if row < 1:
        return None
    return row - 1, col - 1


def _parse_range(text: str) -> tuple[int, int, int, int] | None:
    parts = text.split(":")
    if not 1 <= len(parts) <= 2:
        return None
    first = _parse_ref(parts[0])
    last = _parse_ref(parts[-1])
    if first is None or last is None:
        return None
    return first[0], first[1], last[0], last[1]


def _add_merges(sheet: SheetExtent, refs: Iterable[str]) -> None:
    for ref in refs:
        parsed = _parse_range(ref)
        if parsed is None:
            continue
        r1, c1, r2, c2 = parsed
        sheet.include(max(r1, r2), max(c1, c2))
        sheet.merged_cells += max(0, r2 - r1 + 1) * max(0, c2 - c1 + 1)
