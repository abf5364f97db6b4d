""".xls extents (:mod:`landbank.services.importing.sheet_extent`): the OLE2 container is
parsed just enough to check that its sector chains end (calamine follows a looping chain until
memory runs out) and to take out the Workbook stream; then the BIFF cell records are read per
sheet as calamine reads them. A BIFF8 column is 16 bits for calamine, so one record at column
65535 asks for 65536 × 65536 cells; and calamine reserves the sheet's DIMENSIONS record up
front, which is checked as well.
"""

from __future__ import annotations

import mmap
import struct
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final

from landbank.services.importing.sheet_extent_common import SheetExtent, _about
from landbank.services.importing.spreadsheet import SpreadsheetError

# A genuine BIFF8 sheet is at most 65536 rows × 256 columns; calamine reserves the DIMENSIONS
# record's area (40 bytes a cell) before reading a cell: more than that is a lie.
_XLS_MAX_RESERVED: Final = 65536 * 256

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
