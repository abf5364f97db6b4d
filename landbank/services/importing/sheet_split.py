"""A large .xlsx worksheet read by calamine in parts, at the same time.

calamine parses a sheet on one core, with the GIL let go; a clerk's PC has two or more. A
sheet whose XML is large (a 100,000-row ledger is 80 MB of it) is cut between two ``<row>``
elements into a few parts; each part is put back into a copy of the workbook (its other
worksheets left empty) and parsed by calamine in a thread of its own (from a temporary file: calamine reads a file
without the GIL, a Python file object only through it); the rows are laid
end to end again. Each cell keeps its place, because calamine places a cell by its own ``r``
attribute — so only a sheet the extent check found in that plain form (every cell with ``r``
first, canonical, no namespace prefix: ``SheetExtent.plain_part``) is read this way, and only
when its XML holds no comment, CDATA or processing instruction a cut could fall into.
Anything else, or a cut that fails, is read whole, as before.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

# Below this (uncompressed XML of one sheet) a sheet is read whole: threads and copies would
# cost more than they save.
SPLIT_MIN_BYTES: Final = 8 * 1024 * 1024
_EMPTY_SHEET: Final = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)
_SHEET_DATA: Final = b"<sheetData>"
_SHEET_DATA_END: Final = b"</sheetData>"


def split_parts() -> int:
    """How many parts a large sheet is read in: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def cut_sheet_xml(xml: bytes, parts: int) -> list[bytes] | None:
    """``xml`` (a worksheet part) as ``parts`` worksheets, each with the rows of one stretch
    of ``<sheetData>`` between the original's head and tail; ``None`` when the sheet is not
    in the plain form the cut needs (see the module doc)."""
    if parts < 2 or xml[:1] != b"<":
        return None
    # (One byte is looked for first: "<" is everywhere, so "<!" takes 10x longer to rule out.)
    if b"!" in xml and b"<!" in xml:  # a comment or CDATA
        return None
    start = xml.find(_SHEET_DATA)
    end = xml.rfind(_SHEET_DATA_END)
    if start < 0 or end < start:
        return None
    start += len(_SHEET_DATA)
    if xml.find(b"sheetData", start, end) >= 0:
        return None
    if xml.find(b"?", start, end) >= 0 and xml.find(b"<?", start, end) >= 0:
        return None  # a processing instruction
    if not xml.startswith(b"<row", start):
        return None
    head, tail = memoryview(xml)[:start], memoryview(xml)[end:]
    cuts = [start]
    for k in range(1, parts):
        cut = xml.find(b"<row", start + (end - start) * k // parts, end)
        if cut < 0 or cut <= cuts[-1]:
            break
        cuts.append(cut)
    cuts.append(end)
    if len(cuts) < 3:
        return None
    return [b"".join((head, memoryview(xml)[a:b], tail)) for a, b in itertools.pairwise(cuts)]


def _workbook_copy(archive: zipfile.ZipFile, sheet_part: str, xml: bytes, target: Path) -> None:
    """The workbook as ``target`` with ``xml`` as ``sheet_part`` and its other worksheets
    empty (stored, not compressed: calamine only unpacks it again)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            name = info.filename
            if name == sheet_part:
                copy.writestr(name, xml)
            elif "worksheets/" in name.replace("\\", "/").lower() and name.lower().endswith(".xml"):
                copy.writestr(name, _EMPTY_SHEET)
            else:
                copy.writestr(name, archive.read(info))


RawSheet = Any  # python_calamine.CalamineSheet
SheetOpener = Callable[[str], RawSheet]


def read_sheet_parts(
    archive: zipfile.ZipFile, sheet_part: str, pieces: Sequence[bytes], open_sheet: SheetOpener
) -> tuple[list[list[Any]], RawSheet]:
    """Parse each of ``pieces`` (from :func:`cut_sheet_xml`) in a thread of its own, through
    ``open_sheet`` (a workbook copy's path → its calamine sheet), and lay their rows end to end as
    ``to_python(skip_empty_area=False)`` of the whole sheet would give them (calamine's empty
    cell ``""`` included). Returns the rows and the first part's sheet (its merged ranges are
    the whole sheet's: they sit in the tail every part has). ``pieces``, a list, is emptied
    once written to the copies. Raises what calamine raises (and ``OSError``)."""
    with tempfile.TemporaryDirectory(prefix="landbank-read-", ignore_cleanup_errors=True) as folder:
        copies = [Path(folder) / f"part{i}.xlsx" for i in range(len(pieces))]
        for piece, copy in zip(pieces, copies, strict=True):
            _workbook_copy(archive, sheet_part, piece, copy)
        if isinstance(pieces, list):
            pieces.clear()  # written: their memory is the parse's
        return _parse_parts([str(copy) for copy in copies], open_sheet)


def _parse_parts(
    copies: Sequence[str], open_sheet: SheetOpener
) -> tuple[list[list[Any]], RawSheet]:
    results: list[Any] = [None] * len(copies)

    def parse(i: int) -> None:
        try:
            sheet = open_sheet(copies[i])
            rows = sheet.to_python(skip_empty_area=i > 0) if sheet.height else []
            results[i] = (sheet, rows)
        except BaseException as exc:
            results[i] = exc

    threads = [
        threading.Thread(target=parse, args=(i,), name=f"landbank-read-{i}")
        for i in range(1, len(copies))
    ]
    for thread in threads:
        thread.start()
    parse(0)
    for thread in threads:
        thread.join()
    for result in results:
        if isinstance(result, BaseException):
            raise result
    first_sheet, rows = results[0]
    rows = list(rows)
    for sheet, part_rows in results[1:]:
        if not part_rows:
            continue
        top, left = sheet.start
        rows.extend([] for _ in range(top - len(rows)))  # rows no part holds: empty
        if left:
            pad = [""] * left
            rows.extend(pad + row for row in part_rows)
        else:
            rows.extend(part_rows)
    width = max((len(row) for row in rows), default=0)
    for row in rows:
        if len(row) < width:
            row.extend([""] * (width - len(row)))
    return rows, first_sheet


def read_large_sheet(path: Path, part: str, index: int) -> tuple[list[list[Any]], RawSheet] | None:
    """The sheet at ``index`` of the .xlsx ``path`` (its worksheet ``part``, found in the
    plain form by the extent check) read in parts — as :func:`read_sheet_parts` returns it —
    when it is large enough, the machine has cores to spare and :func:`cut_sheet_xml` cuts
    it; else ``None``, and also when anything fails on the way: the caller then reads the
    sheet whole, and meets the file's own error, if it has one, there."""
    from python_calamine import CalamineWorkbook

    parts = split_parts()
    if parts < 2:
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo(part)
            if info.file_size < SPLIT_MIN_BYTES:
                return None
            pieces = cut_sheet_xml(archive.read(info), parts)
            if pieces is None:
                return None
            return read_sheet_parts(
                archive,
                part,
                pieces,
                lambda copy: CalamineWorkbook.from_path(copy).get_sheet_by_index(index),
            )
    except Exception:
        return None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # (pyo3's, for a Rust panic)
            raise
        return None
