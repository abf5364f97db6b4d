""".ods extents (:mod:`landbank.services.importing.sheet_extent`): ``content.xml``, row by
row, counting ``number-rows-repeated`` and ``number-columns-repeated`` as calamine expands them
— repeated *trailing* empty rows and cells (LibreOffice writes ``number-columns-repeated="1024"``
on every row) cost nothing and are not counted.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass

from landbank.services.importing.sheet_extent_common import (
    _ATTRS,
    _MARKUP_NOT_TAGS,
    _MAX_CARRY,
    _ZIP_ERRORS,
    SheetExtent,
    _attrs,
    _open_member,
    _pieces,
)
from landbank.services.importing.spreadsheet import SpreadsheetError

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
