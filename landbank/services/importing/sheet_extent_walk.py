""".xlsx extents the slow, sure way (:mod:`landbank.services.importing.sheet_extent_xlsx` takes
it for a sheet its fast path cannot place): a tokenizer over the worksheet's tags that follows
calamine's own walk (xlsx/cells_reader.rs) — ``<row r>`` sets the row, ``</row>`` moves to the
next, a ``<c>`` takes the column of its ``r`` or the next one — with comments, CDATA and
processing instructions skipped, and references read as calamine reads them (either case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from landbank.services.importing.sheet_extent_common import (
    _ATTRS,
    _PFX,
    SheetExtent,
    _add_merges,
    _attrs,
)


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


def scan_tokens(pieces: Iterable[bytes], sheet: SheetExtent) -> None:
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
