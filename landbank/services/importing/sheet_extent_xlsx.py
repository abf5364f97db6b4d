""".xlsx/.xlsm extents (:mod:`landbank.services.importing.sheet_extent`): each worksheet
part calamine would open (``_rels/.rels`` → ``workbook.xml`` + its rels) is scanned with regular
expressions over decompressed pieces. Only the cells calamine keeps count — a ``<c>`` that is
neither self-closing nor closed at once — at the position in their own ``r`` attribute;
``<dimension>`` is ignored (it can lie). Merged ranges count too (landbank fills merged blocks
later). The fast path asks one question per piece: "is any cell beyond the extent seen so
far?"; a sheet written in an unusual form (cells without ``r``, ``r`` not the first attribute,
lower-case references) is re-read by a tokenizer that follows calamine's own row/column
counting. ``sharedStrings.xml`` is checked as well: calamine reserves its ``uniqueCount``
before reading a single string.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from landbank.services.importing.sheet_extent_common import (
    _ATTRS,
    _PFX,
    _ZIP_ERRORS,
    SheetExtent,
    _about,
    _add_merges,
    _attrs,
    _local,
    _open_member,
    _pieces,
    _read_small,
    column_letters,
)
from landbank.services.importing.sheet_extent_walk import scan_tokens
from landbank.services.importing.spreadsheet import SpreadsheetError

# calamine reserves room for sharedStrings' uniqueCount (24 bytes each) before reading any.
MAX_SHARED_STRINGS: Final = 5_000_000

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
            infos = members.get(part, ())
            for info in infos:  # a name twice in the zip: both are checked
                one = SheetExtent(sheet_name)
                plain = _scan_worksheet(archive, info, one, f"{what}的工作表“{sheet_name}”")
                found.include(one.rows - 1, one.cols - 1)
                found.merged_cells = max(found.merged_cells, one.merged_cells)
                if plain and len(infos) == 1:
                    found.plain_part = info.filename
            scanned[part] = found
        seen = scanned[part]
        extents.append(
            SheetExtent(sheet_name, seen.rows, seen.cols, seen.merged_cells, plain_part=seen.plain_part)
        )
    for name, infos in members.items():
        if name.rsplit("/", 1)[-1] == "sharedstrings.xml":
            for info in infos:
                _check_shared_strings(archive, info, what)
    return extents


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
) -> bool:
    """Find ``sheet``'s extent in the worksheet part ``info``; ``True`` when every cell
    was in the plain form (the fast path, no namespace prefix)."""
    try:
        with _open_member(archive, info, what) as fh:
            return _scan_fast(_pieces(fh, what, markup=False), sheet)
    except _Unusual:
        sheet.rows = sheet.cols = sheet.merged_cells = 0
        with _open_member(archive, info, what) as fh:
            scan_tokens(_pieces(fh, what), sheet)
        return False
    except _ZIP_ERRORS:
        raise SpreadsheetError(f"{what}已损坏，无法读取") from None


def _scan_fast(pieces: Iterable[bytes], sheet: SheetExtent) -> bool:
    """Sheets as Excel, WPS, LibreOffice and openpyxl write them: every cell starts
    ``<c r="REF"``. Rows come in order, so a piece's last cells give its extent; one regex
    pass then makes sure no cell lies beyond it (normally none does). A cell beyond it makes
    the piece be read cell by cell; a cell in another form sends the sheet to the tokenizer.
    (Comments and CDATA are not told apart here: a cell quoted in one only counts extra.)
    ``True`` when no piece used namespace prefixes."""
    rows, cols = 0, 0
    unprefixed = True
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
        unprefixed = unprefixed and not prefixed
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
    return unprefixed


def _column_count(letters: bytes) -> int:
    count = 0
    for ch in letters:
        count = count * 26 + ch - 64
    return count


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
