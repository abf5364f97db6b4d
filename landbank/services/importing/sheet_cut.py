"""A worksheet's XML cut between ``<row>`` elements into several worksheets, as it streams
out of the zip (:mod:`landbank.services.importing.sheet_split` reads the parts at once).

Each part is the original's head (up to and with ``<sheetData>``), one stretch of its rows, and
its tail (from ``</sheetData>``). The cuts fall at the first ``<row`` after equal shares of the
part's size. A sheet is cut only in the plain form: ``<sheetData>`` once, a ``<row`` right after
it, no comment or CDATA anywhere and no processing instruction among the rows — anything a cut
could fall into. Nothing here reads a cell.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Final

_SHEET_DATA: Final = b"<sheetData>"
_SHEET_DATA_END: Final = b"</sheetData>"
_ROW: Final = b"<row"
_HELD: Final = 16  # bytes held back between chunks: a marker may straddle two
_MAX_HEAD: Final = 4 * 1024 * 1024  # <sheetData> further in than this: not cut


class SheetCutter:
    """Feed a worksheet's bytes (:meth:`feed`, in chunks of any size), then :meth:`finish`:
    ``True`` when the sheet was cut into parts, written to ``sinks`` (one per part, each a
    function taking bytes), at least two of them holding rows. ``size`` is the sheet's whole
    size, known beforehand (the zip says it); the cuts are placed by it."""

    def __init__(self, size: int, sinks: Sequence[Callable[[bytes], object]]) -> None:
        self.size = size
        self.sinks = sinks
        self.failed = len(sinks) < 2
        self._state = "head"
        self._held = b""  # not yet written: the head until <sheetData>, else a carry
        self._offset = 0  # where ``_held`` starts in the sheet
        self._cuts: list[int] = []  # where the next parts start at the earliest
        self._part = 0
        self._first_row = True
        self._tail: list[bytes] = []

    def feed(self, chunk: bytes) -> None:
        if self.failed:
            return
        data = self._held + chunk if self._held else chunk
        # One byte first: "<" is everywhere, "!" rare ("<!" alone takes 10x longer).
        if b"!" in chunk and b"<!" in data:  # a comment or CDATA
            self.failed = True
            return
        if self._state == "head":
            rest = self._head(data)
            if rest is None:
                return
            data = rest
        if self._state == "body":
            self._body(data)
        else:
            self._tail.append(data)
            self._held = b""

    def finish(self) -> bool:
        if self.failed or self._state != "tail" or self._part == 0:
            self.failed = True
            return False
        tail = b"".join(self._tail)
        if tail.find(b"sheetData", len(_SHEET_DATA_END)) >= 0:  # <sheetData> twice
            self.failed = True
            return False
        for sink in self.sinks:
            sink(tail)
        return True

    def _head(self, data: bytes) -> bytes | None:
        """Write the head to every part once ``<sheetData>`` is met; the rest of ``data``."""
        at = data.find(_SHEET_DATA)
        if at < 0:
            if len(data) > _MAX_HEAD or (data and data[:1] != b"<"):
                self.failed = True
            self._held = data
            return None
        if data[:1] != b"<":
            self.failed = True
            return None
        end = at + len(_SHEET_DATA)
        for sink in self.sinks:
            sink(data[:end])
        start = self._offset + end
        parts = len(self.sinks)
        self._cuts = [start + (self.size - start) * k // parts for k in range(1, parts)]
        self._offset = start
        self._held = b""
        self._state = "body"
        return data[end:]

    def _body(self, data: bytes) -> None:
        """Write the rows of ``data`` to their parts, holding back its last bytes (a marker
        may go on in the next chunk) unless ``</sheetData>`` ends the rows here."""
        end = data.find(_SHEET_DATA_END)
        rows = data if end < 0 else data[:end]
        if self._first_row:
            if len(rows) < len(_ROW) and end < 0:
                self._held = data
                return
            if not rows.startswith(_ROW):
                self.failed = True
                return
            self._first_row = False
        keep = len(rows) if end >= 0 else max(0, len(rows) - _HELD)
        # (The held bytes may begin </sheetData>: looked at again with the next chunk.)
        if rows.find(b"sheetData", 0, keep) >= 0 or (b"?" in rows and b"<?" in rows):
            self.failed = True  # <sheetData> twice, or a processing instruction
            return
        written = 0
        while self._part < len(self._cuts):
            # (a <row starting before ``keep``; it may end in the held bytes)
            at = rows.find(_ROW, max(written, self._cuts[self._part] - self._offset), keep + 3)
            if at < 0:
                break
            self.sinks[self._part](rows[written:at])
            written = at
            self._part += 1
        self.sinks[self._part](rows[written:keep])
        self._offset += keep
        if end >= 0:
            self._state = "tail"
            self._held = b""
            self._tail.append(data[end:])
        else:
            self._held = rows[keep:]


def cut_sheet_xml(xml: bytes, parts: int, chunks: Iterable[int] = ()) -> list[bytes] | None:
    """``xml`` cut into ``parts`` worksheets (fed whole, or in ``chunks`` of those sizes,
    cycling); ``None`` when it is not cut (see :class:`SheetCutter`)."""
    pieces: list[list[bytes]] = [[] for _ in range(parts)]
    cutter = SheetCutter(len(xml), [piece.append for piece in pieces])
    sizes = list(chunks) or [len(xml) or 1]
    at, i = 0, 0
    while at < len(xml):
        size = sizes[i % len(sizes)]
        cutter.feed(xml[at : at + size])
        at, i = at + size, i + 1
    if not cutter.finish():
        return None
    return [b"".join(piece) for piece in pieces]
