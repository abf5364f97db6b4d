"""Paste rows copied from Excel or WPS into a record table: all rows or none.

The clipboard holds tab-separated text in Excel's dialect (rows end in ``\\r\\n``, a cell with a
tab, a quote or a line break is quoted), so the :mod:`csv` module reads it. When the first row
names fields (“地块编号”, “收储面积(亩)”, “面积（公顷）” …) it is a header and decides the
columns, and a unit in a header applies to the bare numbers below it; otherwise the table's
visible columns, in order, do. Headers are matched by :func:`landbank.services.importing.columns.match_header`
(the field catalogue and the synonyms of ``resources/import_synonyms.json``), as file import does.

A cell landbank's own copy guarded against formulas (“'=1+1”, see
:mod:`landbank.domain.spreadsheet_text`) loses the apostrophe again, so rows copied from one
ledger paste into another unchanged.

Every cell is parsed with :func:`landbank.domain.validation.coerce` (units, full-width digits,
dates) and every row saved with :func:`landbank.services.records.saving.create_record` (validation,
references by name, audit) inside a SAVEPOINT: when any row has an error, the savepoint is
rolled back and nothing of the paste remains; the errors name the row, the column and the
reason, so the clerk can fix the sheet and paste again.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, field_map
from landbank.domain.spreadsheet_text import unguard_pasted
from landbank.domain.units import normalise_text
from landbank.domain.validation import FieldError, coerce
from landbank.services.importing.columns import match_header

__all__ = ["PasteResult", "RowError", "match_header", "paste_rows", "split_rows"]
from landbank.services.errors import describe_error
from landbank.services.records.saving import ValidationFailed, create_record

_BARE_NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)$")


@dataclass(frozen=True)
class RowError:
    """Why one cell (or one row, when ``column`` is empty) cannot be pasted."""

    row: int  # 1-based row of the pasted text, a header row counted
    column: str  # the column's header as the table shows it: "收储面积(亩)"
    value: str
    reason: str

    def describe(self) -> str:
        where = f"第 {self.row} 行"
        if self.column:
            where += f"「{self.column}」"
        if self.value:
            where += f"“{self.value}”"
        return f"{where}：{self.reason}"


@dataclass(frozen=True)
class PasteResult:
    created: list[int]  # ids of the new records; empty when there are errors
    errors: list[RowError]
    header: bool = False  # the first row was taken as a header
    ignored_columns: list[str] = field(default_factory=list)  # header cells naming no field

    @property
    def ok(self) -> bool:
        return not self.errors

    def describe(self) -> str:
        if self.errors:
            lines = [f"粘贴未执行，共 {len(self.errors)} 处错误："]
            lines += [e.describe() for e in self.errors]
            if self.ignored_columns:  # often the cause: a column that went nowhere
                lines.append(f"（未识别、已忽略的列：{'、'.join(self.ignored_columns)}）")
            return "\n".join(lines)
        text = f"已粘贴 {len(self.created)} 条记录"
        if self.ignored_columns:
            text += f"（已忽略无法识别的列：{'、'.join(self.ignored_columns)}）"
        return text


@dataclass(frozen=True)
class _Column:
    spec: FieldSpec | None  # None: a column that is not pasted
    unit: str | None = None  # a unit word from the header, applied to bare numbers


def split_rows(text: str) -> list[list[str]]:
    """Excel/WPS clipboard text → rows of cells (quoted cells may hold tabs and newlines)."""
    return list(csv.reader(io.StringIO(text, newline=""), dialect="excel-tab"))


def _read_header(
    kind: RecordKind, cells: list[str]
) -> tuple[list[_Column], list[RowError], list[str]] | None:
    """The columns a header row names, or ``None`` when the row is data."""
    columns: list[_Column] = []
    errors: list[RowError] = []
    ignored: list[str] = []
    seen: dict[str, str] = {}
    matched = 0
    for cell in cells:
        try:
            found = match_header(kind, cell)
        except FieldError as exc:
            matched += 1
            errors.append(RowError(1, cell.strip(), "", str(exc)))
            columns.append(_Column(None))
            continue
        if found is None:
            if cell.strip():
                ignored.append(cell.strip())
            columns.append(_Column(None))
            continue
        matched += 1
        spec, unit = found
        if spec.key in seen:
            errors.append(RowError(1, cell.strip(), "", f"与“{seen[spec.key]}”是同一列"))
            columns.append(_Column(None))
            continue
        seen[spec.key] = cell.strip()
        if spec.read_only:  # kept by the system (意向项目, 锁定截止): not pasted
            ignored.append(cell.strip())
            columns.append(_Column(None))
            continue
        columns.append(_Column(spec, unit))
    non_empty = sum(1 for c in cells if c.strip())
    if not matched or matched * 2 < non_empty:
        return None
    return columns, errors, ignored


def _strip_value(reason: str, value: str) -> str:
    """“abc”不是有效的数字 → 不是有效的数字 (the value is shown separately)."""
    return reason.removeprefix(f"“{value}”")


def paste_rows(
    session: Session,
    kind: RecordKind,
    text: str,
    *,
    columns: Sequence[str],
    user: str,
    source: str = "粘贴",
) -> PasteResult:
    """Create one record per pasted row, all or none (see the module doc).

    ``columns`` are the field keys of the table's visible columns, in order; they apply when
    the first row is not a header. The session is only flushed; the caller commits.
    """
    specs = field_map(kind)
    unknown = [key for key in columns if key not in specs]
    if unknown:
        raise KeyError(f"unknown fields for {kind}: {unknown}")
    rows = split_rows(text)
    header = _read_header(kind, rows[0]) if rows else None
    errors: list[RowError] = []
    ignored: list[str] = []
    if header is not None:
        layout, errors, ignored = header
        first = 1
    else:
        layout = [_Column(None if specs[key].read_only else specs[key]) for key in columns]
        first = 0
    parsed: list[tuple[int, dict[str, object], dict[str, str]]] = []
    for index in range(first, len(rows)):
        cells = rows[index]
        if not any(cell.strip() for cell in cells):
            continue  # blank lines (trailing or between blocks) are not records
        values, raw, row_errors = _parse_row(kind, index + 1, cells, layout)
        errors += row_errors
        if not row_errors:
            parsed.append((index + 1, values, raw))
    created: list[int] = []
    savepoint = session.begin_nested()
    try:
        for line, values, raw in parsed:
            errors += _create(session, kind, line, values, raw, user, source, created)
    except BaseException:
        savepoint.rollback()
        raise
    if errors:
        savepoint.rollback()
        return PasteResult([], errors, header is not None, ignored)
    savepoint.commit()
    return PasteResult(created, [], header is not None, ignored)


def _parse_row(
    kind: RecordKind, line: int, cells: list[str], layout: list[_Column]
) -> tuple[dict[str, object], dict[str, str], list[RowError]]:
    values: dict[str, object] = {}
    raw: dict[str, str] = {}
    errors: list[RowError] = []
    for position, cell in enumerate(cells):
        if position >= len(layout):
            if cell.strip():
                errors.append(
                    RowError(
                        line,
                        f"第 {position + 1} 列",
                        cell.strip(),
                        f"多出的列（表格只有 {len(layout)} 列）",
                    )
                )
            continue
        column = layout[position]
        spec = column.spec
        if spec is None:
            continue
        text = unguard_pasted(cell).strip()  # “'=1+1” copied from landbank is “=1+1”
        raw[spec.key] = text
        if column.unit and _BARE_NUMBER.match(normalise_text(text)):
            text += column.unit
        try:
            values[spec.key] = coerce(spec, text)
        except FieldError as exc:
            errors.append(RowError(line, spec.header, cell.strip(), _strip_value(str(exc), text)))
    return values, raw, errors


def _create(
    session: Session,
    kind: RecordKind,
    line: int,
    values: dict[str, object],
    raw: dict[str, str],
    user: str,
    source: str,
    created: list[int],
) -> list[RowError]:
    specs = field_map(kind)
    try:
        with session.begin_nested():
            record = create_record(session, kind, values, user=user, source=source)
    except ValidationFailed as exc:
        return [
            RowError(
                line,
                specs[key].header if key in specs else key,
                raw.get(key, ""),
                _strip_value(reason, raw.get(key, "")),
            )
            for key, reason in exc.errors.by_field.items()
        ]
    except IntegrityError as exc:
        return [RowError(line, "", "", describe_error(exc))]
    assert record.id is not None
    created.append(record.id)
    return []
