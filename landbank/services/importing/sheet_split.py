"""A large .xlsx worksheet read by calamine in parts, at the same time.

calamine parses a sheet on one core, with the GIL let go; a clerk's PC has two or more. A
worksheet whose XML is large (a 100,000-row ledger is 80 MB of it) is cut between ``<row>``
elements (:mod:`landbank.services.importing.sheet_cut`) as it streams out of the zip, each
part into a copy of the workbook (its other worksheets empty) in a temporary folder — in a
thread started before the file's extent check (:class:`PreparedParts`), which it overlaps:
cutting reads no cell, and calamine opens nothing before the check has passed. Then each copy
is parsed by calamine in a thread of its own (from a file calamine reads without the GIL; a
Python file object it reads only through it) and the rows are laid end to end again
(:func:`parse_parts`). Each cell keeps its place, because calamine places a cell by its own
``r`` attribute — so a sheet is read this way only when the extent check found it in that
plain form (every cell with ``r`` first, canonical, no namespace prefix:
``SheetExtent.plain_part``). Anything else, or a step that fails, and the sheet is read whole.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Final

from landbank.services.importing.sheet_cut import SheetCutter

# Below this (uncompressed XML of one sheet) a sheet is read whole: threads and copies would
# cost more than they save. Above the maximum, the copies' disk space is not worth it.
SPLIT_MIN_BYTES: Final = 8 * 1024 * 1024
SPLIT_MAX_BYTES: Final = 512 * 1024 * 1024
MAX_SPLIT_SHEETS: Final = 4
_CHUNK: Final = 1024 * 1024
_EMPTY_SHEET: Final = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)

RawSheet = Any  # python_calamine.CalamineSheet
SheetOpener = Callable[[str], RawSheet]


def split_parts() -> int:
    """How many parts a large sheet is read in: one per core, at most 4."""
    return max(1, min(4, os.cpu_count() or 1))


def _is_worksheet(name: str) -> bool:
    name = name.replace("\\", "/").lower()
    return "worksheets/" in name and name.endswith(".xml")


class PreparedParts:
    """The large worksheets of an .xlsx cut into workbook copies, in a thread of their own
    (:meth:`start`); :meth:`copies` waits for it and gives a worksheet's copies, or ``None``;
    :meth:`close` stops it and removes the copies."""

    def __init__(self, path: Path, members: Sequence[str], parts: int) -> None:
        self.path = path
        self.members = list(members)
        self.parts = parts
        self.folder = Path(tempfile.mkdtemp(prefix="landbank-read-"))
        self._copies: dict[str, list[str]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="landbank-cut", daemon=True)

    @classmethod
    def start(cls, path: Path) -> PreparedParts | None:
        """Start cutting ``path``'s large worksheets; ``None`` when there is nothing to cut
        (one core, no worksheet of :data:`SPLIT_MIN_BYTES` or more, not a readable zip)."""
        parts = split_parts()
        if parts < 2:
            return None
        try:
            with zipfile.ZipFile(path) as archive:
                infos = archive.infolist()
        except (OSError, zipfile.BadZipFile, ValueError, EOFError):
            return None
        if len({i.filename for i in infos}) < len(infos):
            return None  # a name twice in the zip: read as calamine reads it, whole
        members = [
            i.filename
            for i in infos
            if _is_worksheet(i.filename) and SPLIT_MIN_BYTES <= i.file_size <= SPLIT_MAX_BYTES
        ]
        if not members or len(members) > MAX_SPLIT_SHEETS:
            return None
        try:
            prepared = cls(path, members, parts)
        except OSError:
            return None
        prepared._thread.start()
        return prepared

    def copies(self, member: str) -> list[str] | None:
        """The copies of ``member`` (one per part, in order), once cut; ``None`` when it
        was not cut."""
        self._thread.join()
        return self._copies.get(member)

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self) -> None:
        try:
            with zipfile.ZipFile(self.path) as archive:
                for number, member in enumerate(self.members):
                    if self._stop.is_set():
                        return
                    targets = [self.folder / f"sheet{number}-part{i}.xlsx" for i in range(self.parts)]
                    if self._cut(archive, member, targets):
                        self._copies[member] = [str(t) for t in targets]
        except Exception:  # a sheet not cut is read whole
            self._copies.clear()

    def _cut(self, archive: zipfile.ZipFile, member: str, targets: Sequence[Path]) -> bool:
        info = archive.getinfo(member)
        books = [zipfile.ZipFile(t, "w", zipfile.ZIP_STORED) for t in targets]
        try:
            for book in books:
                for other in archive.infolist():
                    if self._stop.is_set():
                        return False
                    if other.filename == member:
                        continue
                    if _is_worksheet(other.filename):
                        book.writestr(other.filename, _EMPTY_SHEET)
                        continue
                    with archive.open(other) as source, book.open(other.filename, "w") as copy:
                        shutil.copyfileobj(source, copy, _CHUNK)
            streams = [book.open(member, "w") for book in books]
            try:
                cutter = SheetCutter(info.file_size, [s.write for s in streams])
                with archive.open(info) as source:
                    while not cutter.failed and (chunk := source.read(_CHUNK)):
                        if self._stop.is_set():
                            return False
                        cutter.feed(chunk)
                return cutter.finish()
            finally:
                for stream in streams:
                    stream.close()
        finally:
            for book in books:
                book.close()


def parse_parts(copies: Sequence[str], open_sheet: SheetOpener) -> tuple[list[list[Any]], RawSheet]:
    """Parse each copy (from :class:`PreparedParts`) in a thread of its own, through
    ``open_sheet`` (a copy's path → its calamine sheet), and lay their rows end to end as
    ``to_python(skip_empty_area=False)`` of the whole sheet would give them (calamine's empty
    cell ``""`` included). Returns the rows and the first part's sheet (its merged ranges are
    the whole sheet's: they sit in the tail every part has). Raises what calamine raises."""
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


def read_prepared_sheet(
    prepared: PreparedParts | None, part: str, index: int
) -> tuple[list[list[Any]], RawSheet] | None:
    """The sheet at ``index`` (worksheet ``part``, found in the plain form by the extent
    check) read from its prepared copies, as :func:`parse_parts` returns it; ``None`` when it
    was not cut, and also when anything fails: the caller then reads the sheet whole, and
    meets the file's own error, if it has one, there."""
    from python_calamine import CalamineWorkbook

    if prepared is None:
        return None
    copies = prepared.copies(part)
    if copies is None:
        return None
    try:
        return parse_parts(copies, lambda copy: CalamineWorkbook.from_path(copy).get_sheet_by_index(index))
    except Exception:
        return None
    except BaseException as exc:
        if type(exc).__name__ != "PanicException":  # (pyo3's, for a Rust panic)
            raise
        return None
