"""How large each sheet of a workbook really is, found before python-calamine reads it.

calamine allocates a sheet's whole bounding box — from A1 to the farthest non-empty cell —
in one block, and a failed allocation is a Rust abort: no Python exception, the process is
gone (tafia/calamine#693). A 5 KB .xlsx holding only A1 and XFD1048576 asks for 512 GiB. So
:func:`check_workbook` reads each sheet's true extent cheaply, the way calamine will see it,
and raises :class:`SpreadsheetError` (the clerk's reason, in Chinese) when a sheet, or all of
them together, would hold more than ``max_cells`` cells, or be wider than ``max_columns``.

Per format (all streamed: memory stays small whatever the file claims):

- .xlsx/.xlsm: each worksheet part calamine would open (``_rels/.rels`` → ``workbook.xml`` +
  its rels) is scanned with regular expressions over decompressed pieces. Only the cells
  calamine keeps count — a ``<c>`` that is neither self-closing nor closed at once — at the
  position in their own ``r`` attribute; ``<dimension>`` is ignored (it can lie). Merged
  ranges count too (landbank fills merged blocks later). The fast path asks one question per
  piece: "is any cell beyond the extent seen so far?"; a sheet written in an unusual form
  (cells without ``r``, ``r`` not the first attribute, lower-case references) is re-read by
  a tokenizer that follows calamine's own row/column counting. ``sharedStrings.xml`` is
  checked as well: calamine reserves its ``uniqueCount`` before reading a single string.
- .ods: ``content.xml``, row by row, counting ``number-rows-repeated`` and
  ``number-columns-repeated`` as calamine expands them — repeated *trailing* empty rows and
  cells (LibreOffice writes ``number-columns-repeated="1024"`` on every row) cost nothing and
  are not counted.
- .xls: the OLE2 container is parsed just enough to check that its sector chains end (calamine
  follows a looping chain until memory runs out) and to take out the Workbook stream; then
  the BIFF cell records are read per sheet as calamine reads them. A BIFF8 column is 16 bits
  for calamine, so one record at column 65535 asks for 65536 × 65536 cells; and calamine
  reserves the sheet's DIMENSIONS record up front, which is checked as well.
- .xlsb: refused. No menu offers it, and calamine trusts several counts in it (a 32-bit column
  in every cell record among them); re-saving as .xlsx costs the clerk one step.

Nothing here replaces the checks in :mod:`landbank.services.importing.spreadsheet`: a workbook that
passes is read by calamine as before.
"""

from __future__ import annotations

import codecs
import html
import mmap
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Final

from landbank.services.importing.spreadsheet import SpreadsheetError

_ZIP_MAGIC: Final = b"PK\x03\x04"
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
_OLE_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

_PIECE: Final = 1024 * 1024  # decompressed bytes scanned at a time
_MAX_CARRY: Final = 32 * 1024 * 1024  # one tag, comment or ODS row longer than this: refused
_MAX_SMALL_PART: Final = 32 * 1024 * 1024  # workbook.xml and the rels are a few KB
# Ledgers have a few sheets; calamine and landbank read every one of them.
MAX_SHEETS: Final = 1_000
# calamine reserves room for sharedStrings' uniqueCount (24 bytes each) before reading any.
MAX_SHARED_STRINGS: Final = 5_000_000
# A genuine BIFF8 sheet is at most 65536 rows × 256 columns; calamine reserves the DIMENSIONS
# record's area (40 bytes a cell) before reading a cell: more than that is a lie.
_XLS_MAX_RESERVED: Final = 65536 * 256


@dataclass
class SheetExtent:
    """One sheet as calamine will materialise it: ``rows`` × ``cols`` from A1."""

    name: str
    rows: int = 0
    cols: int = 0
    merged_cells: int = 0  # the merged blocks' areas added up
    records: int = 0  # cells calamine keeps in memory before laying them out (.xls)

    @property
    def cells(self) -> int:
        return self.rows * self.cols

    def include(self, row: int, col: int) -> None:
        """Grow to hold the 0-based cell (``row``, ``col``)."""
        if row >= self.rows:
            self.rows = row + 1
        if col >= self.cols:
            self.cols = col + 1


# ---------------------------------------------------------------- the check


def check_workbook(path: Path, *, max_cells: int, max_columns: int) -> list[SheetExtent]:
    """Refuse (:class:`SpreadsheetError`) a workbook calamine could not read safely; return
    the extents found. Files in no format checked here are left to calamine's own errors."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_ZIP_MAGIC):
        extents = _zip_extents(path)
    elif head.startswith(_OLE_MAGIC):
        extents = _xls_extents(path)
    else:
        return []
    _judge(path.name, extents, max_cells=max_cells, max_columns=max_columns)
    return extents


def _judge(name: str, extents: list[SheetExtent], *, max_cells: int, max_columns: int) -> None:
    advice = "可能是文件中远处有零星单元格：请在 Excel 中删除多余的行列后另存。"
    if len(extents) > MAX_SHEETS:
        raise SpreadsheetError(
            f"文件“{name}”的工作表过多（{len(extents):,} 个，最多 {MAX_SHEETS:,} 个），拒绝读取"
        )
    for sheet in extents:
        where = f"文件“{name}”的工作表“{sheet.name}”"
        extent = f"{_range_ref(sheet.rows, sheet.cols)}，{_about(sheet.cells)}个单元格"
        if sheet.cols > max_columns:
            raise SpreadsheetError(
                f"{where}范围过大：{extent}，共 {sheet.cols:,} 列（最多 {max_columns:,} 列），"
                f"拒绝读取。{advice}"
            )
        if sheet.cells > max_cells:
            raise SpreadsheetError(
                f"{where}范围过大：{extent}（单元格过多，最多 {_about(max_cells, exact=True)}个），"
                f"拒绝读取。{advice}"
            )
        if sheet.merged_cells > max_cells:
            raise SpreadsheetError(
                f"{where}的合并单元格过多（合计{_about(sheet.merged_cells)}个单元格），拒绝读取。"
                "请在 Excel 中取消多余的合并后另存。"
            )
        if sheet.records > max_cells:
            raise SpreadsheetError(
                f"{where}的单元格过多（{_about(sheet.records)}个单元格记录，"
                f"最多 {_about(max_cells, exact=True)}个），拒绝读取"
            )
    total = sum(sheet.cells for sheet in extents)
    if total > max_cells:
        parts = "、".join(f"“{s.name}”{_range_ref(s.rows, s.cols)}" for s in extents if s.cells)
        raise SpreadsheetError(
            f"文件“{name}”的单元格过多：各工作表合计{_about(total)}个单元格（{parts}；"
            f"最多 {_about(max_cells, exact=True)}个），拒绝读取。{advice}"
        )


def column_letters(index: int) -> str:
    """0 → "A", 25 → "Z", 16383 → "XFD"."""
    letters = ""
    index += 1
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _range_ref(rows: int, cols: int) -> str:
    if rows <= 0 or cols <= 0:
        return "空"
    return f"A1:{column_letters(cols - 1)}{rows}"


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


# ---------------------------------------------------------------- zip: xlsx, ods, xlsb


def _zip_extents(path: Path) -> list[SheetExtent]:
    what = f"文件“{path.name}”"
    try:
        archive = zipfile.ZipFile(path)
    except _ZIP_ERRORS:
        raise SpreadsheetError(f"{what}已损坏，无法读取") from None
    with archive:
        members: dict[str, list[zipfile.ZipInfo]] = {}
        for info in archive.infolist():
            members.setdefault(info.filename.replace("\\", "/").lower(), []).append(info)
        if any(name.endswith("workbook.bin") for name in members):
            raise SpreadsheetError(
                f"{what}是 Excel 二进制工作簿（.xlsb），不支持导入。"
                "请在 Excel 中“另存为”Excel 工作簿（.xlsx）后再导入。"
            )
        extents: list[SheetExtent] = []
        if "content.xml" in members:
            for info in members["content.xml"]:
                extents.extend(_ods_extents(archive, info, what))
        if any(name.endswith("workbook.xml") for name in members):
            extents.extend(_xlsx_extents(archive, members, what))
        return extents


# .xlsx ----------------------------------------------------------------------------

_TAG_OF = {
    name: re.compile(
        rb"<(?:[A-Za-z_\x80-\xff][\w.\x80-\xff-]*:)?"
        + name
        + rb"(?=[\s/>])((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    )
    for name in (b"Relationship", b"sheet")
}


def _xlsx_sheet_parts(
    archive: zipfile.ZipFile, members: dict[str, list[zipfile.ZipInfo]], what: str
) -> list[tuple[str, str]]:
    """(sheet name, part name in lower case) in calamine's order, found as calamine finds
    them: ``_rels/.rels`` names the workbook's folder, ``workbook.xml`` the sheets, its rels
    their parts (zip names compared without case, as calamine compares them)."""

    def rels(part: str) -> list[dict[bytes, str]]:
        found: list[dict[bytes, str]] = []
        for info in members.get(part, ()):
            found.extend(
                _attrs(m)
                for m in _TAG_OF[b"Relationship"].findall(_read_small(archive, info, what))
            )
        return found

    xl_path = "xl/"
    targets = [
        a.get(b"Target", "")
        for a in rels("_rels/.rels")
        if a.get(b"Type", "").endswith("/relationships/officeDocument")
    ]
    if targets:
        target = targets[-1]
        xl_path = target[: target.rfind("/") + 1].removeprefix("/") if "/" in target else ""
    by_id: dict[str, str] = {}
    for a in rels(f"{xl_path}_rels/workbook.xml.rels".lower()):
        if b"Id" in a:
            by_id[a[b"Id"]] = a.get(b"Target", "")
    sheets: list[tuple[str, str]] = []
    for info in members.get(f"{xl_path}workbook.xml".lower(), ()):
        for raw in _TAG_OF[b"sheet"].findall(_read_small(archive, info, what)):
            attrs = _attrs(raw)
            rel_id = next((v for k, v in attrs.items() if _local(k) == b"id"), "")
            sheet_target = by_id.get(rel_id)
            if sheet_target is None:
                continue
            part = sheet_target[1:] if sheet_target.startswith("/") else xl_path + sheet_target
            sheets.append((attrs.get(b"name", part), part.replace("\\", "/").lower()))
    return sheets


def _xlsx_extents(
    archive: zipfile.ZipFile, members: dict[str, list[zipfile.ZipInfo]], what: str
) -> list[SheetExtent]:
    parts = _xlsx_sheet_parts(archive, members, what)
    named = {part for _, part in parts}
    # Worksheet parts no sheet points at are never read by calamine, but a file holding one
    # is odd: scan them too, rather than trust this module's reading of the rels.
    for name in sorted(members):
        if "worksheets/" in name and name.endswith(".xml") and name not in named:
            parts.append((name, name))
    scanned: dict[str, SheetExtent] = {}
    extents: list[SheetExtent] = []
    for sheet_name, part in parts:
        if part not in scanned:
            found = SheetExtent(sheet_name)
            for info in members.get(part, ()):  # a name twice in the zip: both are checked
                one = SheetExtent(sheet_name)
                _scan_worksheet(archive, info, one, f"{what}的工作表“{sheet_name}”")
                found.include(one.rows - 1, one.cols - 1)
                found.merged_cells = max(found.merged_cells, one.merged_cells)
            scanned[part] = found
        seen = scanned[part]
        extents.append(SheetExtent(sheet_name, seen.rows, seen.cols, seen.merged_cells))
    for name, infos in members.items():
        if name.rsplit("/", 1)[-1] == "sharedstrings.xml":
            for info in infos:
                _check_shared_strings(archive, info, what)
    return extents


_PFX = rb"(?:[A-Za-z_\x80-\xff][\w.\x80-\xff-]*:)?"  # an optional namespace prefix
_ATTRS = rb"(?:[^>\"']|\"[^\"]*\"|'[^']*')*"
_CANONICAL = rb'[A-Z]{1,3}[1-9][0-9]{0,6}"'
# calamine keeps a <c> that holds something: not self-closing, not closed at once.
_KEPT = _ATTRS + rb"(?<!/)>(?!\s*</)"
_DROPPED = _ATTRS + rb"(?:/>|>\s*</)"
_CANONICAL_AT = re.compile(rb' r="' + _CANONICAL)
_HAS_PREFIX = re.compile(rb":(?:c|mergeCell)(?=[\s/>])")


@dataclass(frozen=True)
class _Dialect:
    """The patterns for sheets written without (``pfx`` empty) or with namespace prefixes."""

    pfx: bytes
    cells: re.Pattern[bytes]  # kept cells with a canonical reference: (letters, digits)
    merge: re.Pattern[bytes]  # a <mergeCell>'s attributes


def _dialect(pfx: bytes) -> _Dialect:
    return _Dialect(
        pfx,
        re.compile(rb"<" + pfx + rb'c r="([A-Z]{1,3})([1-9][0-9]{0,6})"' + _KEPT),
        re.compile(rb"<" + pfx + rb"mergeCell(?=[\s/>])(" + _ATTRS + rb")>"),
    )


_PLAIN = _dialect(b"")
_PREFIXED = _dialect(_PFX)


def _up_to(text: str, low: str, high: str, first: str) -> str:
    """A regex for the strings over ``low``–``high`` not after ``text`` in (length,
    lexicographic) order; ``first`` is the lowest first character (no leading zero)."""
    options = [f"[{first}-{high}][{low}-{high}]{{0,{len(text) - 2}}}"] if len(text) > 1 else []
    for i, ch in enumerate(text):
        lowest = first if i == 0 else low
        if ch > lowest:
            rest = len(text) - i - 1
            tail = f"[{low}-{high}]{{{rest}}}" if rest else ""
            options.append(f"{re.escape(text[:i])}[{lowest}-{chr(ord(ch) - 1)}]{tail}")
    options.append(re.escape(text))
    return "|".join(options)


def _outside(rows: int, cols: int, dialect: _Dialect) -> re.Pattern[bytes]:
    """Every ``<c>`` tag but the ordinary ones — ``r`` first and canonical, and the cell
    either inside ``rows`` × ``cols`` or one calamine drops. Normally it finds nothing."""
    if rows > 0 and cols > 0:
        letters = _up_to(column_letters(cols - 1), "A", "Z", "A")
        digits = _up_to(str(rows), "0", "9", "1")
        inside = f'(?:{letters})(?:{digits})"'.encode() + b"|"
    else:
        inside = b""
    return re.compile(
        rb"<" + dialect.pfx + rb'c(?=[\s/>])(?! r="(?:' + inside + _CANONICAL + _DROPPED + rb"))"
    )


class _Unusual(Exception):
    """The fast path met a cell it cannot place: the sheet is read by the tokenizer."""


def _scan_worksheet(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, sheet: SheetExtent, what: str
) -> None:
    try:
        with _open_member(archive, info, what) as fh:
            _scan_fast(_pieces(fh, what, markup=False), sheet)
    except _Unusual:
        sheet.rows = sheet.cols = sheet.merged_cells = 0
        with _open_member(archive, info, what) as fh:
            _scan_tokens(_pieces(fh, what), sheet)
    except _ZIP_ERRORS:
        raise SpreadsheetError(f"{what}已损坏，无法读取") from None


def _scan_fast(pieces: Iterable[bytes], sheet: SheetExtent) -> None:
    """Sheets as Excel, WPS, LibreOffice and openpyxl write them: every cell starts
    ``<c r="REF"``. Rows come in order, so a piece's last cells give its extent; one regex
    pass then makes sure no cell lies beyond it (normally none does). A cell beyond it makes
    the piece be read cell by cell; a cell in another form sends the sheet to the tokenizer.
    (Comments and CDATA are not told apart here: a cell quoted in one only counts extra.)"""
    rows, cols = 0, 0
    cache: dict[tuple[int, int, bytes], re.Pattern[bytes]] = {}

    def outside(dialect: _Dialect) -> re.Pattern[bytes]:
        key = (rows, cols, dialect.pfx)
        found = cache.get(key)
        if found is None:
            if len(cache) > 64:
                cache.clear()
            found = cache[key] = _outside(rows, cols, dialect)
        return found

    for piece in pieces:
        prefixed = b":" in piece and _HAS_PREFIX.search(piece) is not None  # memchr first
        dialect = _PREFIXED if prefixed else _PLAIN
        tail = dialect.cells.findall(piece, max(0, len(piece) - 4096))
        if tail:
            rows = max(rows, *(int(digits) for _, digits in tail))
        pattern = outside(dialect)
        match = pattern.search(piece)
        if match is not None:
            if _CANONICAL_AT.match(piece, match.end()) is None:
                raise _Unusual
            cells = dialect.cells.findall(piece)  # a cell lies beyond: take them all
            if cells:
                letters, digits = zip(*cells, strict=True)
                rows = max(rows, *map(int, set(digits)))
                cols = max(cols, *map(_column_count, set(letters)))
            pattern = outside(dialect)
            match = pattern.search(piece, match.start())
            if match is not None:  # only cells in another form can be left
                raise _Unusual
        if b"mergeCell" in piece:
            refs = (_attrs(raw).get(b"ref") for raw in dialect.merge.findall(piece))
            _add_merges(sheet, (ref for ref in refs if ref is not None))
    sheet.include(rows - 1, cols - 1)


def _column_count(letters: bytes) -> int:
    count = 0
    for ch in letters:
        count = count * 26 + ch - 64
    return count


def _token_pattern(pfx: bytes, markup: bool) -> re.Pattern[bytes]:
    """The tags calamine's walk reacts to: ``<row>``, ``</row>``, ``<c>``, ``<mergeCell>``
    (``</c>`` does nothing that a self-closing or shut ``<c>`` does not already tell);
    with ``markup``, comments, CDATA and processing instructions too, to be skipped."""
    skipped = rb"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|" if markup else b""
    return re.compile(
        skipped + rb"<" + pfx + rb"(row|c|mergeCell)(?=[\s/>])(" + _ATTRS + rb")>(?=(\s*</)?)"
        rb"|(</)" + pfx + rb"row>",
        re.DOTALL,
    )


_TOKENS_PLAIN = _token_pattern(b"", markup=False)
_TOKENS_FULL = _token_pattern(_PFX, markup=True)
_R_ATTR = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_RAW_REF = re.compile(rb"([A-Za-z]*)0*([0-9]+)")


def _raw_ref(raw: bytes, columns: dict[bytes, int]) -> tuple[int, int] | None:
    """The (row, column) of a tag's ``r`` attribute, 0-based, read as calamine reads it —
    raw bytes, letters of either case — or (row, -1) without letters; ``None`` when calamine
    would stop with an error. ``columns`` caches letters → column."""
    attr = _R_ATTR.search(raw)
    if attr is None:
        return (-2, -2)  # no r attribute
    value = attr.group(1) if attr.group(1) is not None else attr.group(2)
    match = _RAW_REF.fullmatch(value)
    if match is None or int(match.group(2)) < 1:
        return None
    letters = match.group(1)
    col = columns.get(letters)
    if col is None:
        col = 0
        for ch in letters.upper():
            col = col * 26 + ch - 64
        columns[letters] = col
    return int(match.group(2)) - 1, col - 1


_ROW_TAG = re.compile(rb"<row(?=[\s/>])(" + _ATTRS + rb")>")


class _Walk:
    """calamine's own walk over a sheet (xlsx/cells_reader.rs): ``<row r>`` sets the row,
    ``</row>`` moves to the next one; a ``<c>`` takes the column of its ``r``, or the next
    one. Self-closing tags count as opened and closed (calamine expands them)."""

    def __init__(self) -> None:
        self.row = self.col = 0
        self.max_row = self.max_col = -1
        self.columns: dict[bytes, int] = {}
        self.merges: list[str] = []
        self.stopped = False  # where calamine stops with an error

    def keep(self, row: int, col: int) -> None:
        if row > self.max_row:
            self.max_row = row
        if col > self.max_col:
            self.max_col = col

    def tokens(self, text: bytes) -> None:
        plain = b":" not in text and b"<!" not in text and b"<?" not in text
        for name, raw, shut, end in (_TOKENS_PLAIN if plain else _TOKENS_FULL).findall(text):
            if self.stopped:
                return
            if name == b"c":
                row = self.row
                if b"r=" in raw:
                    ref = _raw_ref(raw, self.columns)
                    if ref is None or (ref[0] >= 0 and ref[1] < 0):
                        self.stopped = True
                        return
                    if ref[0] >= 0:
                        row, self.col = ref
                if not shut and not raw.endswith(b"/"):  # calamine keeps it: not empty
                    self.keep(row, self.col)
                self.col += 1
            elif end:  # </row>
                self.row += 1
                self.col = 0
            elif name == b"row":
                self.row_start(raw)
            elif name == b"mergeCell":
                merge = _attrs(raw).get(b"ref")
                if merge is not None:
                    self.merges.append(merge)

    def row_start(self, raw: bytes) -> None:
        if b"r=" in raw:
            ref = _raw_ref(raw, self.columns)
            if ref is None:
                self.stopped = True
                return
            if ref[0] >= 0:
                self.row = ref[0]
        if raw.endswith(b"/"):
            self.row += 1
            self.col = 0

    def row_segment(self, text: bytes) -> None:
        """One ``<row …>…`` up to its ``</row>`` (excluded). A row whose cells carry no
        ``r`` is counted without a loop: every ``<c`` is one more column (cells calamine
        drops are counted too — an extent a little too large is harmless)."""
        starts = _ROW_TAG.findall(text)
        if len(starts) == 1 and not starts[0].endswith(b"/"):
            start = text.find(b"<row")
            match = _ROW_TAG.match(text, start)
            if match is not None and b"<c" not in text[:start]:
                cells = text[match.end() :]
                if b"r=" not in cells:
                    self.row_start(starts[0])
                    count = cells.count(b"<c")
                    if count and not self.stopped:
                        self.keep(self.row, self.col + count - 1)
                        self.col += count
                    self.row += 1
                    self.col = 0
                    return
        self.tokens(text + b"</row>")


def _scan_tokens(pieces: Iterable[bytes], sheet: SheetExtent) -> None:
    walk = _Walk()
    carry = b""
    for piece in pieces:
        buf = carry + piece if carry else piece
        carry = b""
        if b":" in piece or b"<!" in piece or b"<?" in piece:
            walk.tokens(buf)
        else:
            segments = buf.split(b"</row>")
            carry = segments.pop()
            for segment in segments:
                walk.row_segment(segment)
        if walk.stopped:
            break
    if carry and not walk.stopped:
        walk.tokens(carry)
    if walk.max_row >= 0 and walk.max_col >= 0:
        sheet.include(walk.max_row, walk.max_col)
    _add_merges(sheet, walk.merges)


_SST = re.compile(rb"<" + _PFX + rb"sst(?=[\s/>])(" + _ATTRS + rb")>")


def _check_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> None:
    """calamine reserves ``uniqueCount`` strings (24 bytes each) before reading one."""
    declared = counted = 0
    try:
        with _open_member(archive, info, what) as fh:
            for piece in _pieces(fh, what, markup=False):
                if not declared:
                    tag = _SST.search(piece)
                    if tag is not None:
                        unique = _attrs(tag.group(1)).get(b"uniqueCount", "").strip()
                        declared = int(unique) if unique.isdigit() else 0
                counted += piece.count(b"<si") + piece.count(b":si")
    except _ZIP_ERRORS:
        raise SpreadsheetError(f"{what}已损坏，无法读取") from None
    if max(declared, counted) > MAX_SHARED_STRINGS:
        raise SpreadsheetError(
            f"{what}中的文字条目过多（{_about(max(declared, counted))}条，"
            f"最多 {_about(MAX_SHARED_STRINGS, exact=True)}条），拒绝读取"
        )


# .ods -----------------------------------------------------------------------------

_ROW_END = b"</table:table-row>"
_ODS_ROW_START = re.compile(rb"<table:table-row(?=[\s/>])(" + _ATTRS + rb")>")
_ODS_TABLE = re.compile(
    rb"<table:table(?=[\s/>])(?P<attrs>" + _ATTRS + rb")>|</table:table>"
    rb"|<table:table-row(?=[\s/>])(?P<row>" + _ATTRS + rb")>"
    rb"|<table:(?:covered-)?table-cell(?=[\s/>])"
)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell(?=[\s/>])(" + _ATTRS + rb")>")
# What makes calamine keep a cell (ods.rs, get_datatype): a value, a formula, or the string
# type (whose text is the value; even an empty one).
_ODS_VALUE = re.compile(
    rb"\s(?:office:(?:value|string-value|date-value|time-value|boolean-value)|table:formula)\s*="
    rb"|\soffice:value-type\s*=\s*[\"']string[\"']"
)
_ODS_NESTED = re.compile(rb"<table:table(?=[\s/>])|</table:table>|<table:table-row(?=[\s/>])")
_ODS_EMPTY_CELL = re.compile(
    rb"<table:(?:covered-)?table-cell(?:\s+(?:table:style-name|table:number-columns-repeated)"
    rb"\s*=\s*\"[^\"]*\")*\s*/>"
)
_REPEATED_COLS = re.compile(rb"\stable:number-columns-repeated\s*=\s*[\"']\s*([0-9]+)")
_REPEATED_ROWS = re.compile(rb"\stable:number-rows-repeated\s*=\s*[\"']\s*([0-9]+)")


@dataclass
class _OdsTable:
    extent: SheetExtent
    rows_seen: int = 0  # every row so far, repeats counted, empty ones too


def _repeat(attrs: bytes, pattern: re.Pattern[bytes]) -> int:
    match = pattern.search(attrs)
    return int(match.group(1)) if match is not None else 1


def _ods_row_width(row: bytes, pos: int) -> int:
    """How many cells calamine lays out for the row whose cells start at ``pos``: up to its
    last filled cell, repeats counted (repeated empty cells at the end are dropped, as
    calamine drops them). Without repeats, every ``<table:`` tag of the row is one cell (a
    cell calamine drops at the end counts too: an extent a little too large is harmless)."""
    end = len(row)
    while row.endswith(b"/>", pos, end):  # empty cells at the end (LibreOffice writes them)
        start = row.rfind(b"<", pos, end)
        if start < 0 or _ODS_EMPTY_CELL.fullmatch(row, start, end) is None:
            break
        end = start
    if row.find(b"number-columns-repeated", pos, end) < 0:
        if _ODS_VALUE.search(row, pos, end) is None:
            return 0
        return row.count(b"<table:", pos, end)
    position = width = 0
    for attrs in _ODS_CELL.findall(row, pos, end):
        position += _repeat(attrs, _REPEATED_COLS)
        if _ODS_VALUE.search(attrs) is not None:
            width = position
    return width


def _plain_row(segment: bytes, table: _OdsTable) -> bool:
    """Count a row that starts its segment, as LibreOffice and WPS write them, without
    looking for tables around it; ``False`` when the segment starts with anything else.
    (Anything odd inside the row can only make it count wider.)"""
    if not segment.startswith(b"<table:table-row"):
        return False
    match = _ODS_ROW_START.match(segment)
    if match is None:
        return False
    raw = match.group(1)
    if raw.endswith(b"/"):
        return False
    table.rows_seen += _repeat(raw, _REPEATED_ROWS) if b"rows-repeated" in raw else 1
    width = _ods_row_width(segment, match.end())
    if width:
        table.extent.rows = table.rows_seen
        if width > table.extent.cols:
            table.extent.cols = width
    return True


def _ods_extents(archive: zipfile.ZipFile, info: zipfile.ZipInfo, what: str) -> list[SheetExtent]:
    """content.xml, cut at each ``</table:table-row>``: what precedes a row's start tag opens
    and closes tables; what follows it is the row's cells."""
    tables: list[_OdsTable] = []
    current: _OdsTable | None = None

    def nested() -> SpreadsheetError:
        return SpreadsheetError(
            f"{what}的结构异常（表格中嵌套了表格），拒绝读取。"
            "请在 WPS 或 LibreOffice 中另存为 .xlsx 后再导入。"
        )

    def outside(text: bytes) -> None:
        nonlocal current
        for match in _ODS_TABLE.finditer(text):
            token = match.group(0)
            if token.startswith(b"<table:table-row"):
                raw = match.group("row")
                if not raw.endswith(b"/"):
                    raise nested()
                if current is not None:  # an empty row written self-closing
                    current.rows_seen += _repeat(raw, _REPEATED_ROWS)
            elif token.startswith(b"</table:table>"):
                current = None
            elif token.startswith(b"<table:table") and match.group("attrs") is not None:
                raw = match.group("attrs")
                name = _attrs(raw).get(b"table:name", f"第 {len(tables) + 1} 个工作表")
                current = _OdsTable(SheetExtent(name))
                tables.append(current)
                if raw.endswith(b"/"):
                    current = None
            else:  # a cell outside any row: only a nested table leaves one here
                raise nested()

    try:
        with _open_member(archive, info, what) as fh:
            carry = b""
            for piece in _pieces(fh, what):
                if (b"!" in piece or b"?" in piece) and (b"<!" in piece or b"<?" in piece):
                    piece = _MARKUP_NOT_TAGS.sub(b"", piece)
                buf = carry + piece if carry else piece
                segments = buf.split(_ROW_END)
                carry = segments.pop()
                if len(carry) > _MAX_CARRY:
                    raise SpreadsheetError(f"{what}中有一行过长（超过 32 MB），拒绝读取")
                quiet = (  # no table starts or ends here: every row is the current table's
                    b"<table:table " not in buf
                    and b"<table:table>" not in buf
                    and b"</table:table>" not in buf
                )
                for segment in segments:
                    if quiet and current is not None and _plain_row(segment, current):
                        continue
                    start = None
                    for match in _ODS_ROW_START.finditer(segment):
                        start = match  # the last one: the row this segment ends
                    if start is None:
                        raise nested()
                    outside(segment[: start.start()])
                    body = segment[start.end() :]
                    if _ODS_NESTED.search(body) is not None:
                        raise nested()
                    if current is None:
                        continue
                    current.rows_seen += _repeat(start.group(1), _REPEATED_ROWS)
                    width = _ods_row_width(segment, start.end())
                    if width:
                        current.extent.rows = current.rows_seen
                        current.extent.cols = max(current.extent.cols, width)
            outside(carry)
    except _ZIP_ERRORS:
        raise SpreadsheetError(f"{what}已损坏，无法读取") from None
    return [table.extent for table in tables]


# ---------------------------------------------------------------- .xls (BIFF in OLE2)

_ENDOFCHAIN: Final = 0xFFFFFFFE
_RESERVED: Final = 0xFFFFFFFA  # ids from here on are markers, not sectors
_DIFSECT: Final = 0xFFFFFFFC
_CODEPAGES: Final = {936: "gbk", 950: "big5", 1252: "cp1252", 1200: "utf-16-le", 65001: "utf-8"}


def _xls_extents(path: Path) -> list[SheetExtent]:
    what = f"文件“{path.name}”"
    with path.open("rb") as fh:
        if path.stat().st_size < 512:
            return []  # not even a header: calamine fails on its own
        with mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
            stream = _workbook_stream(data, what)
    if stream is None:
        return []  # calamine fails on its own, without allocating anything large
    return _biff_extents(stream, what)


class _BadOle(Exception):
    pass


def _workbook_stream(data: mmap.mmap, what: str) -> bytes | None:
    """The Workbook stream, read the way calamine's cfb.rs reads it — refusing what would
    make calamine loop or reserve without bound. ``None``: calamine cannot open it either."""
    looping = SpreadsheetError(f"{what}的内部结构已损坏（数据块循环引用），拒绝读取")
    if len(data) < 512:
        return None
    shift = struct.unpack_from("<H", data, 30)[0]
    if shift not in (9, 12) or struct.unpack_from("<H", data, 32)[0] != 6:
        return None
    size = 1 << shift
    base = 512 if size == 512 else 4096  # sector 0 follows the header
    maxid = len(data) // size
    sectors = max(len(data) - base, 0) // size + 1
    fat_len, dir_start = struct.unpack_from("<II", data, 44)
    mini_fat_start, mini_fat_len, difat_start = struct.unpack_from("<III", data, 60)
    difat_len = struct.unpack_from("<I", data, 62)[0]  # as calamine reads it (bytes 62..66)
    if fat_len > maxid + 1 or difat_len > 1 << 26 or mini_fat_len > maxid + 1:
        raise SpreadsheetError(f"{what}的内部结构已损坏（声明的数据块数量超出文件大小），拒绝读取")

    def sector(sid: int) -> bytes:
        if sid > maxid:
            raise _BadOle
        return data[base + sid * size : base + (sid + 1) * size]

    def as_u32(raw: bytes) -> list[int]:
        return list(struct.unpack_from(f"<{len(raw) // 4}I", raw))

    try:
        difat = as_u32(data[76:512])
        seen: set[int] = set()
        sid = difat_start
        while sid < _RESERVED:
            if sid in seen:
                raise looping
            seen.add(sid)
            difat.extend(as_u32(sector(sid)))
            sid = difat.pop()
        fat_ids = [i for i in difat if i < _DIFSECT]
        if len(fat_ids) > sectors + 1:
            raise SpreadsheetError(f"{what}的内部结构已损坏（分配表大于文件），拒绝读取")
        fats: list[int] = []
        for i in fat_ids:
            fats.extend(as_u32(sector(i)))

        def chain(
            start: int, table: list[int], block_of: Callable[[int], bytes], limit: int
        ) -> bytes:
            out: list[bytes] = []
            got = 0
            visited: set[int] = set()
            sid = start
            while sid != _ENDOFCHAIN:
                if sid in visited:
                    raise looping
                visited.add(sid)
                block = block_of(sid)
                out.append(block[: limit - got])
                got += len(out[-1])
                if got >= limit:
                    break
                if sid >= len(table):
                    raise _BadOle  # calamine panics on this index
                sid = table[sid]
            return b"".join(out)

        ministream = b""

        def mini(sid: int) -> bytes:
            # calamine reads a mini sector past the mini stream from wherever its file reader
            # happens to be: no genuine file does that, and nothing here can follow it.
            if (sid + 1) * 64 > len(ministream):
                raise SpreadsheetError(f"{what}的内部结构已损坏，拒绝读取")
            return ministream[sid * 64 : (sid + 1) * 64]

        dirs = chain(dir_start, fats, sector, 1 << 62)
        entries = [dirs[i : i + 128] for i in range(0, len(dirs) - 127, 128)]
        if not entries:
            return None
        names = []
        for entry in entries:
            name = entry[:64].decode("utf-16-le", "replace").split("\x00", 1)[0]
            start = struct.unpack_from("<I", entry, 116)[0]
            length = struct.unpack_from("<I" if size == 512 else "<Q", entry, 120)[0]
            names.append((name, start, length))
        mini_fats: list[int] = []
        if mini_fat_len > 0:
            ministream = chain(names[0][1], fats, sector, names[0][2])
            mini_fats = as_u32(chain(mini_fat_start, fats, sector, mini_fat_len * size))
        for wanted in ("Workbook", "Book", "WORKBOOK", "BOOK"):
            for name, start, length in names:
                if name == wanted:
                    if length < 4096:
                        return chain(start, mini_fats, mini, length)
                    return chain(start, fats, sector, length)
        return None
    except (_BadOle, struct.error, IndexError):
        return None


def _records(stream: bytes, pos: int) -> Iterator[tuple[int, int, int]]:
    """(type, data start, data length) of the BIFF records from ``pos`` as calamine's
    RecordIter yields them: CONTINUE records that follow one are swallowed with it. Stops
    where calamine would stop with an error."""
    end = len(stream)
    unpack = struct.unpack_from
    while pos + 4 <= end:
        typ, length = unpack("<HH", stream, pos)
        start = pos + 4
        pos = start + length
        if pos > end:
            return
        while end - pos > 4 and stream[pos] == 0x3C and stream[pos + 1] == 0:  # CONTINUE
            pos += 4 + unpack("<H", stream, pos + 2)[0]
            if pos > end:
                return
        yield typ, start, length


_XLS_CELLS: Final = {0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006}


def _biff_extents(stream: bytes, what: str) -> list[SheetExtent]:
    sheets: list[tuple[int, str]] = []
    biff8 = True
    encoding = "latin-1"
    for typ, start, length in _records(stream, 0):
        data = stream[start : start + length] if typ in (0x002F, 0x0809, 0x0042, 0x0085) else b""
        if typ == 0x002F and len(data) >= 2 and struct.unpack_from("<H", data)[0] != 0:
            return []  # password: calamine refuses it
        if typ == 0x0809 and len(data) >= 2:
            version = struct.unpack_from("<H", data)[0]
            biff8 = version not in (0x0200, 0x0002, 0x0007, 0x0300, 0x0400, 0x0500)
        elif typ == 0x0042 and len(data) >= 2:
            encoding = _CODEPAGES.get(struct.unpack_from("<H", data)[0], "latin-1")
        elif typ == 0x0085 and len(data) >= 7:
            pos = struct.unpack_from("<I", data)[0]
            sheets.append((pos, _sheet_name(data[6:], biff8, encoding, len(sheets))))
        elif typ == 0x000A:
            break
    extents = []
    for pos, name in sheets:
        sheet = SheetExtent(name)
        _scan_biff_sheet(stream, pos, sheet, what)
        extents.append(sheet)
    return extents


def _sheet_name(raw: bytes, biff8: bool, encoding: str, index: int) -> str:
    fallback = f"第 {index + 1} 个工作表"
    if not raw:
        return fallback
    count, rest = raw[0], raw[1:]
    if biff8:
        if not rest:
            return fallback
        wide, rest = rest[0] & 1, rest[1:]
        text = (
            rest[: count * 2].decode("utf-16-le", "replace")
            if wide
            else rest[:count].decode("latin-1")
        )
    else:
        text = rest[:count].decode(encoding, "replace")
    return text.replace("\x00", "") or fallback


def _scan_biff_sheet(stream: bytes, pos: int, sheet: SheetExtent, what: str) -> None:
    """calamine's loop over one sheet's records (xls.rs, parse_workbook)."""
    seen_bof = False
    depth = 0
    max_row = max_col = -1
    records = 0
    merges: list[tuple[int, int, int, int]] = []
    unpack = struct.unpack_from
    cell_types = _XLS_CELLS
    for typ, start, length in _records(stream, pos):
        if depth:
            if typ == 0x0809:
                depth += 1
            elif typ == 0x000A:
                depth -= 1
            continue
        if typ in cell_types:
            if length >= 4:
                row, col = unpack("<HH", stream, start)
                if row > max_row:
                    max_row = row
                if col > max_col:
                    max_col = col
                records += 1
        elif typ == 0x00BD:  # MulRk: one row, columns first..last
            if length >= 6:
                row, first = unpack("<HH", stream, start)
                last = unpack("<H", stream, start + length - 2)[0]
                count = (last - first + 1) & 0xFFFF
                if count and length == 6 + 6 * count:
                    max_row = max(max_row, row)
                    max_col = max(max_col, first + count - 1)
                    records += count
        elif typ == 0x0809:
            if seen_bof:
                depth += 1
            seen_bof = True
        elif typ == 0x000A:
            break
        elif typ == 0x0200:
            reserved = _dimensions_cells(stream[start : start + length])
            if reserved > _XLS_MAX_RESERVED:
                raise SpreadsheetError(
                    f"{what}的工作表“{sheet.name}”声明的范围过大（{_about(reserved)}个单元格，"
                    "超出 .xls 格式的上限），文件可能已损坏，拒绝读取"
                )
        elif typ == 0x00E5 and length >= 2:
            (count,) = unpack("<H", stream, start)
            for i in range(min(count, (length - 2) // 8)):
                rf, rl, cf, cl = unpack("<HHHH", stream, start + 2 + 8 * i)
                merges.append((rf, cf, rl, cl))
    if max_row >= 0:
        sheet.include(max_row, max_col)
    sheet.records += records
    for r1, c1, r2, c2 in merges:
        sheet.include(max(r1, r2), max(c1, c2))
        sheet.merged_cells += max(0, r2 - r1 + 1) * max(0, c2 - c1 + 1)


def _dimensions_cells(data: bytes) -> int:
    """The cells calamine reserves for a DIMENSIONS record (u32 arithmetic, wrapping)."""
    if len(data) == 10:
        rf, rl, cf, cl = struct.unpack_from("<HHHH", data)
    elif len(data) == 14:
        rf, rl, cf, cl = struct.unpack_from("<IIHH", data)
    else:
        return 0
    if cf > 0xFF or cl < cf:
        cf = 0
    if rl >= 1 and cl >= 1:
        rows = ((int(rl) - 1 - int(rf)) & 0xFFFFFFFF) + 1
        cols = ((int(cl) - 1 - int(cf)) & 0xFFFFFFFF) + 1
        return rows * cols
    return 1
