"""Read any ledger file into sheets of typed cells: .xlsx/.xlsm/.xls/.ods and .csv.

Excel and OpenDocument files are read with python-calamine (openpyxl cannot read .xls), with
``skip_empty_area=False`` so a row's index + 1 is the row number Excel shows
(:mod:`landbank.services.importing.calamine_read`). CSV comes as
UTF-8, UTF-8 with BOM or GBK/GB18030 (what Chinese Windows writes): the encoding and the
delimiter (comma, tab, semicolon) are detected, not asked.

Whatever cannot be read — not a spreadsheet, corrupt, empty, absurdly large once unpacked (a
zip bomb), or a sheet whose extent would make calamine allocate without bound (checked first,
by :mod:`landbank.services.importing.sheet_extent`: calamine aborts the process on a failed allocation)
— raises :class:`SpreadsheetError` whose ``str()`` tells the clerk why, in Chinese.
"""

from __future__ import annotations

import csv
import io
import threading
import zipfile
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from pathlib import Path

Cell = str | float | int | bool | date | datetime | time | timedelta | None


def cell_text(value: object) -> str:
    """A cell as the clerk reads it in Excel (2017.0 → "2017", dates without 00:00)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return " ".join(str(value).split())

MAX_FILE_BYTES = 200 * 1024 * 1024  # on disk
MAX_UNPACKED_BYTES = 500 * 1024 * 1024  # a zip-based workbook, all parts uncompressed
MAX_CELLS = 5_000_000  # per workbook
# Ledgers have fewer than 100 columns. 1,024 (AMJ) is the width of a sheet in LibreOffice
# before 7.4 and of WPS's old .et files, so a file saved by any of them with real content fits;
# wider is a stray cell far to the right (calamine lays out every column up to it, and every
# row of the import and of the wizard's preview walks them all), or not a ledger.
MAX_COLUMNS = 1_024
# A CSV line longer than this (in characters) is refused before the csv module splits it into
# fields: a line of 200 MB of commas would be a list of 200 million empty strings.
MAX_LINE_CHARS = 2 * 1024 * 1024
# One CSV field: 4 × Excel's 32,767 characters a cell (the csv module's own default).
MAX_FIELD_CHARS = 131_072

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (BIFF in an OLE2 container)
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".xlsb")
TEXT_SUFFIXES = (".csv", ".txt", ".tsv")


class SpreadsheetError(Exception):
    """A file that cannot be read as a ledger; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class MergedRange:
    """A merged block, 0-based and inclusive."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass
class Sheet:
    name: str
    rows: list[list[Cell]]
    merged: list[MergedRange] = field(default_factory=list)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def is_empty(self) -> bool:
        return not any(_filled(c) for row in self.rows for c in row)


@dataclass
class Workbook:
    path: Path
    sheets: list[Sheet]

    def sheet(self, name: str | None = None) -> Sheet:
        """The named sheet, or the first one holding anything."""
        if name is None:
            for sheet in self.sheets:
                if not sheet.is_empty():
                    return sheet
            raise SpreadsheetError(f"文件“{self.path.name}”中没有任何数据")
        for sheet in self.sheets:
            if sheet.name == name or sheet.name.strip() == name.strip():
                return sheet
        names = "、".join(s.name for s in self.sheets)
        raise SpreadsheetError(f"文件“{self.path.name}”中没有名为“{name}”的工作表（有：{names}）")


def _filled(cell: Cell) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


_prefetched: dict[tuple[Path, int, int], Future[Workbook]] = {}


def _file_key(path: Path) -> tuple[Path, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (path.resolve(), stat.st_size, stat.st_mtime_ns)


def prefetch_workbook(path: str | Path) -> None:
    """Check ``path`` and start reading it in a background thread, so that the next
    :func:`read_workbook` of the same unchanged file takes the result (or raises its error)
    instead of reading it again.

    calamine lets go of the GIL while it parses, so a command that still has its modules to
    import and its database to open does that meanwhile: the clerk waits for the longer of
    the two, not their sum. The file's checks (its size, and each sheet's extent, which must
    come before calamine allocates) run here, in the caller's thread: in the background they
    would share the GIL with the imports and finish later. A file changed since is read anew."""
    path = Path(path)
    key = _file_key(path)
    if key is None or key in _prefetched:
        return
    future: Future[Workbook] = Future()
    _prefetched[key] = future
    try:
        read = _checked_reader(path)
    except Exception as exc:  # raised where the file is read, as without the prefetch
        future.set_exception(exc)
        return

    def run() -> None:
        try:
            future.set_result(read())
        except BaseException as exc:  # handed to read_workbook, raised there
            future.set_exception(exc)

    threading.Thread(target=run, name="landbank-read", daemon=True).start()


def read_workbook(path: str | Path) -> Workbook:
    """Read every sheet of ``path``. Raises :class:`SpreadsheetError`."""
    path = Path(path)
    if _prefetched:
        key = _file_key(path)
        future = _prefetched.pop(key, None) if key is not None else None
        if future is not None:
            return future.result()
    return _checked_reader(path)()


def _checked_reader(path: Path) -> Callable[[], Workbook]:
    """Check ``path`` (exists, not empty, not too large, not a zip bomb, every sheet's extent
    bounded) and return the function that reads it. Raises :class:`SpreadsheetError`."""
    name, suffix = path.name, path.suffix.lower()
    head = file_head(path)
    if head.startswith((_ZIP_MAGIC, _OLE_MAGIC)):
        from landbank.services.importing.calamine_read import check_calamine

        if head.startswith(_ZIP_MAGIC):
            _check_zip(path)
        reader = check_calamine(path)
    elif suffix in EXCEL_SUFFIXES and suffix != ".xls":
        raise SpreadsheetError(f"文件“{name}”已损坏，或不是 Excel/WPS 表格文件")
    else:
        reader = partial(_read_text, path)

    def read() -> Workbook:
        workbook = reader()
        if all(sheet.is_empty() for sheet in workbook.sheets):
            raise SpreadsheetError(f"文件“{name}”中没有任何数据")
        return workbook

    return read


def file_head(path: Path) -> bytes:
    """The first bytes of ``path``, once it is known to be a file that can be read, neither
    empty nor too large: checked before anything else (a database) is opened for it.
    Raises :class:`SpreadsheetError`."""
    name = path.name
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(8)
    except FileNotFoundError:
        raise SpreadsheetError(f"文件不存在：{path}") from None
    except IsADirectoryError:
        raise SpreadsheetError(f"“{name}”是文件夹，不是电子表格文件") from None
    except OSError as exc:
        raise SpreadsheetError(f"无法打开文件“{name}”：{exc.strerror or exc}") from None
    if size == 0:
        raise SpreadsheetError(f"文件“{name}”是空的（0 字节）")
    if size > MAX_FILE_BYTES:
        raise SpreadsheetError(
            f"文件“{name}”过大（{size / 1024 / 1024:.0f} MB，最多 {MAX_FILE_BYTES // 1024 // 1024} MB）"
        )
    return head


def _check_zip(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise SpreadsheetError(f"文件“{path.name}”已损坏，无法读取") from None
    unpacked = sum(info.file_size for info in infos)
    if unpacked > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            f"文件“{path.name}”解压后过大（{unpacked / 1024 / 1024:.0f} MB，"
            f"最多 {MAX_UNPACKED_BYTES // 1024 // 1024} MB），拒绝读取"
        )
    names = {info.filename for info in infos}
    if not ({"xl/workbook.xml", "xl/workbook.bin", "content.xml"} & names):
        raise SpreadsheetError(f"文件“{path.name}”是压缩包，但不是 Excel/WPS 表格文件")


_ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM) or GBK/GB18030, whichever decodes; UTF-16 by its BOM."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data[:4096]:
        raise SpreadsheetError(f"文件“{name}”不是电子表格或文本表格（CSV）")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(f"文件“{name}”的文字编码无法识别（应为 UTF-8 或 GBK）")


def sniff_delimiter(text: str) -> str:
    """Comma, tab or semicolon: the one splitting the first lines most consistently."""
    lines = [line for line in text.splitlines()[:20] if line.strip()]
    best, best_score = ",", -1.0
    for delimiter in (",", "\t", ";"):
        counts = [line.count(delimiter) for line in lines]
        if not counts or max(counts) == 0:
            continue
        common = max(set(counts), key=counts.count)
        score = common * counts.count(common) / len(counts)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_text(path: Path) -> Workbook:
    data = path.read_bytes()
    text = decode_text(data, path.name)
    if not text.strip():
        raise SpreadsheetError(f"文件“{path.name}”中没有任何数据")
    delimiter = sniff_delimiter(text)
    _check_line_lengths(text, delimiter, path.name)
    rows: list[list[Cell]] = []
    cells = 0
    previous_limit = csv.field_size_limit(MAX_FIELD_CHARS)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for row in reader:
            if len(row) > MAX_COLUMNS:
                raise SpreadsheetError(
                    f"文件“{path.name}”的第 {reader.line_num:,} 行有 {len(row):,} 列"
                    f"（最多 {MAX_COLUMNS:,} 列），拒绝读取。请确认这是台账表格文件。"
                )
            cells += len(row)
            if cells > MAX_CELLS:
                raise SpreadsheetError(
                    f"文件“{path.name}”的单元格过多（超过 {MAX_CELLS:,} 个），拒绝读取"
                )
            rows.append([c if c.strip() else None for c in row])
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise SpreadsheetError(
                f"文件“{path.name}”中有单元格内容过长（超过 {MAX_FIELD_CHARS:,} 个字符），"
                "拒绝读取。请确认这是台账表格文件。"
            ) from None
        raise SpreadsheetError(f"无法读取“{path.name}”：{exc}") from None
    finally:
        csv.field_size_limit(previous_limit)
    return Workbook(path, [Sheet(path.stem, rows)])


def _check_line_lengths(text: str, delimiter: str, name: str) -> None:
    """Refuse a line longer than about ``MAX_LINE_CHARS`` before the csv module splits it.

    Without copying the text: every window of ``MAX_LINE_CHARS`` characters must hold a line
    break, so no line reaches twice that; lines up to ``MAX_LINE_CHARS`` always pass."""
    size = MAX_LINE_CHARS
    for start in range(0, max(len(text) - size, 0) + 1, size):
        end = start + size
        if end > len(text) or text.find("\n", start, end) >= 0 or text.find("\r", start, end) >= 0:
            continue
        first = max(text.rfind("\n", 0, start), text.rfind("\r", 0, start)) + 1
        stops = [i for i in (text.find("\n", end), text.find("\r", end)) if i >= 0]
        last = min(stops) if stops else len(text)
        line = text.count("\n", 0, first) + 1
        columns = text.count(delimiter, first, last) + 1
        what = (
            f"有约 {columns:,} 列（最多 {MAX_COLUMNS:,} 列）"
            if columns > MAX_COLUMNS
            else f"过长（{last - first:,} 个字符）"
        )
        raise SpreadsheetError(
            f"文件“{name}”的第 {line:,} 行{what}，拒绝读取。请确认这是台账表格文件。"
        )
