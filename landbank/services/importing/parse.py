"""Ledger cells → field values, column by column, each distinct cell parsed once.

:class:`ColumnParser` reads the cells of the mapped columns of many rows at once (a ledger
repeats its values: one parser per column, run once per distinct cell) and says which rows
hold a cell that does not parse; the same parser reads one row cell by cell, naming each
refused cell (:meth:`ColumnParser.row_values`). Numbers convert from the unit of their header
or cell, dates come in every spelling, status words are read by their ladder, region cells
are resolved by :class:`~landbank.services.importing.regions.RegionResolver`. A cell that says
more than the value read from it ("0.8（二层）", "6/4.5", a 项目进展 sentence) is kept as a
remark, which the import adds to the record's 备注: nothing a clerk typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType, field_map
from landbank.domain.ledger_statuses import (
    ParcelWordError,
    factory_status,
    parcel_ladders,
    project_stage_from_text,
    word_remark,
)
from landbank.domain.ledger_words import (
    is_blank,
    number_remark,
    parse_ledger_date,
    parse_ledger_number,
)
from landbank.domain.units import Quantity
from landbank.domain.validation import MAX_INT, FieldError, coerce
from landbank.services.importing import landchina
from landbank.services.importing.columns import MappedColumn
from landbank.services.importing.regions import RegionResolver
from landbank.services.importing.spreadsheet import Cell, cell_text

_NUMERIC = frozenset({bool, int, float})
_MISSING = object()
# Fields whose cells may say more than their value: the rest is kept in 备注.
_REMARK_QUANTITIES = frozenset({Quantity.LENGTH, Quantity.LOAD})
CACHE_AFTER = 4000  # cells seen before a column of nearly all-new cells stops being cached


class ColumnParser:
    """Parses the mapped columns of one sheet (``by_key``) for one import."""

    def __init__(
        self,
        kind: RecordKind,
        by_key: Mapping[str, MappedColumn],
        layout: landchina.LandchinaLayout | None,
        regions: RegionResolver,
    ) -> None:
        self.kind = kind
        self.by_key = dict(by_key)
        self.layout = layout
        self.regions = regions
        self.specs = field_map(kind)
        # Per (field, unit of its header, numeric type of its cells): cell → value; refused.
        self._parsed: dict[tuple[str, str | None, type | None], dict[Any, Any]] = {}
        self._refused: dict[tuple[str, str | None, type | None], set[Any]] = {}
        self._ladders: dict[tuple[Any, Any], Any] = {}  # (readiness, status) or None: refused
        self._misses: dict[str, tuple[int, int]] = {}  # per field: cells parsed, cells new
        self._unique: set[str] = set()  # fields whose cells hardly repeat (codes): no cache
        self._remarks: dict[tuple[str, Any], str | None] = {}

    def use_sheet(
        self, by_key: Mapping[str, MappedColumn], layout: landchina.LandchinaLayout | None
    ) -> None:
        """The columns of the next sheet (their units may differ: the cache keys on them)."""
        self.by_key = dict(by_key)
        self.layout = layout

    # ------------------------------------------------------------ many rows

    def raw_columns(self, rows: Sequence[list[Cell]]) -> tuple[dict[str, Sequence[Any]], set[int]]:
        """The cells of each mapped field (then those a 中国土地市场网 file gives, see
        :func:`landchina.adapt_row`); rows whose cells cannot be adapted are the bad ones."""
        raw: dict[str, Sequence[Any]] = {}
        widths = set(map(len, rows))
        if len(widths) == 1:  # every row as wide (Excel): transposed at once
            transposed = list(zip(*rows, strict=True))
            for key, column in self.by_key.items():
                raw[key] = (
                    transposed[column.index]
                    if column.index < len(transposed)
                    else (None,) * len(rows)
                )
        else:
            for key, column in self.by_key.items():
                i = column.index
                raw[key] = [cells[i] if i < len(cells) else None for cells in rows]
        bad: set[int] = set()
        if self.layout is None:
            return raw, bad
        adapted: list[dict[str, object]] = []
        for j, cells in enumerate(rows):
            try:
                adapted.append(landchina.adapt_row(self.layout, cells))
            except FieldError:
                adapted.append({})
                bad.add(j)
        keys = dict.fromkeys(k for values in adapted for k in values)
        for key in keys:
            base = raw.get(key) or [None] * len(rows)
            raw[key] = [values.get(key, cell) for values, cell in zip(adapted, base, strict=True)]
        return raw, bad

    def parse_columns(self, raw: Mapping[str, Sequence[Any]], bad: set[int]) -> dict[str, list[Any]]:
        """Each column through :meth:`coerce`, once per distinct cell; rows with a cell that
        does not parse are added to ``bad``."""
        values: dict[str, list[Any]] = {}
        ladders = self.kind is RecordKind.PARCEL and ("readiness" in raw or "status" in raw)
        for key, cells in raw.items():
            if ladders and key in ("readiness", "status"):
                continue  # both decided together below, as row_values does
            values[key] = self._parse_column(self.specs[key], cells, bad)
        if ladders:
            count = len(next(iter(raw.values())))
            readiness_cells = raw.get("readiness") or [None] * count
            status_cells = raw.get("status") or [None] * count
            numeric = bool(
                (set(map(type, readiness_cells)) | set(map(type, status_cells))) & _NUMERIC
            )
            cache = self._ladders if not numeric else {}  # True == 1 == 1.0: not shared
            readiness: list[str | None] = []
            status: list[str | None] = []
            for j, pair in enumerate(zip(readiness_cells, status_cells, strict=True)):
                found = cache.get(pair, _MISSING)
                if found is _MISSING:
                    try:
                        found = parcel_ladders(_text_or_none(pair[0]), _text_or_none(pair[1]))
                    except FieldError:
                        found = None  # row_values gives the reason
                    cache[pair] = found
                if found is None:
                    bad.add(j)
                    readiness.append(None)
                    status.append(None)
                else:
                    readiness.append(found[0])
                    status.append(found[1])
            values["readiness"], values["status"] = readiness, status
        return values

    def _parser(self, spec: FieldSpec) -> Callable[[object], Any]:
        """:meth:`coerce` for one field, chosen once per column: a one-line text (most
        columns of a ledger, and the codes, each different) the short way, the same result."""
        column = self.by_key.get(spec.key)
        if spec.type is FieldType.FLOAT and (column is None or not column.unit):
            # A number cell under a header without a unit is itself (as parse_ledger_number).
            return lambda cell: cell if type(cell) is float else self.coerce(spec, cell)
        if spec.type is not FieldType.TEXT:
            return lambda cell: self.coerce(spec, cell)

        def text(cell: object) -> Any:
            if type(cell) is str:
                if len(cell) > 4 and cell.isascii() and " " not in cell and cell.isprintable():
                    return cell  # no whitespace at all (codes): nothing to squeeze, not blank
                return None if is_blank(cell) else (" ".join(cell.split()) or None)
            return self.coerce(spec, cell)

        return text

    def _parse_column(self, spec: FieldSpec, cells: Sequence[Any], bad: set[int]) -> list[Any]:
        """:meth:`coerce` of each cell (``None`` where it refuses one; the row joins ``bad``),
        once per distinct cell while the column repeats itself."""
        coerce_cell = self._parser(spec)
        numeric = set(map(type, cells)) & _NUMERIC  # (not of set(cells): 1 == 1.0 == True)
        if len(numeric) > 1 or spec.key in self._unique:
            # True == 1 == 1.0 cannot share a cache; a column of codes gains nothing by one.
            out: list[Any] = []
            for j, cell in enumerate(cells):
                try:
                    out.append(coerce_cell(cell))
                except FieldError:
                    out.append(None)
                    bad.add(j)
            return out
        column = self.by_key.get(spec.key)
        slot = (spec.key, column.unit if column is not None else None, next(iter(numeric), None))
        cache = self._parsed.setdefault(slot, {None: None})
        refused = self._refused.setdefault(slot, set())
        missing = set(cells).difference(cache)
        for cell in missing:
            try:
                cache[cell] = coerce_cell(cell)
            except FieldError:
                cache[cell] = None
                refused.add(cell)
        out = list(map(cache.__getitem__, cells))
        if refused:
            bad.update(j for j, cell in enumerate(cells) if cell in refused)
        seen, new = self._misses.get(spec.key, (0, 0))
        seen, new = seen + len(cells), new + len(missing)
        self._misses[spec.key] = (seen, new)
        if seen >= CACHE_AFTER and new > 0.9 * seen:  # nearly every cell new: stop caching
            self._unique.add(spec.key)
            self._parsed.pop(slot, None)
            self._refused.pop(slot, None)
        return out

    # ------------------------------------------------------------ remarks

    def remark_fields(self) -> list[str]:
        """The mapped fields whose cells may say more than their value: lengths and loads
        ("6/4.5", "0.8（二层）"), status words with a note ("已供地（2025年8月）"), project
        进展 sentences."""
        return [
            key
            for key in self.by_key
            if self.specs[key].quantity in _REMARK_QUANTITIES
            or (self.specs[key].type is FieldType.CHOICE and key in ("readiness", "status", "stage"))
        ]

    def remark(self, key: str, cell: object) -> str | None:
        """What ``cell`` says beyond the value read from it, or ``None``."""
        slot = (key, cell)
        known = self._remarks.get(slot, _MISSING)
        if known is not _MISSING:
            return known  # type: ignore[return-value]
        if cell is None or is_blank(cell):
            self._remarks[slot] = None
            return None
        found: str | None = None
        if key == "stage":
            try:
                _stage, exact = project_stage_from_text(cell_text(cell))
            except FieldError:
                exact = True  # refused: the row's error says so
            found = None if exact else cell_text(cell)
        elif key in ("readiness", "status"):
            found = word_remark(cell_text(cell))
        elif isinstance(cell, str):
            found = number_remark(cell)
        self._remarks[slot] = found
        return found

    def remarks_into_notes(
        self,
        given: dict[str, list[Any]],
        raw: Mapping[str, Sequence[Any]],
        count: int,
        header: Callable[[str], str],
    ) -> None:
        """What the cells say beyond their values, added to each row's 备注 as
        "header：remark" (nothing a clerk wrote is lost)."""
        fields = [
            k
            for k in self.remark_fields()
            if k in raw
            and (
                len(set(map(type, raw[k])) & {bool, int, float}) > 1  # 1 == 1.0 == True
                or any(self.remark(k, cell) for cell in set(raw[k]))
            )
        ]
        if not fields:
            return
        notes = given.setdefault("notes", [None] * count)
        for i in range(count):
            said = []
            for key in fields:
                remark = self.remark(key, raw[key][i])
                if remark:
                    said.append(f"{header(key)}：{remark}")
            if said:
                notes[i] = "；".join([*([notes[i]] if notes[i] else []), *said])

    # ------------------------------------------------------------ one row

    def row_values(
        self, cells: Sequence[Cell]
    ) -> tuple[dict[str, object], dict[str, Any], dict[str, str]]:
        """One row cell by cell: (raw cells by field, values parsed, reasons by field for the
        cells refused). Raises :class:`FieldError` for a row a 中国土地市场网 file's rules
        cannot read."""
        raw: dict[str, object] = {
            key: cells[column.index] if column.index < len(cells) else None
            for key, column in self.by_key.items()
        }
        if self.layout is not None:
            raw.update(landchina.adapt_row(self.layout, cells))
        values: dict[str, Any] = {}
        failed: dict[str, str] = {}
        for key, cell in raw.items():
            if self.kind is RecordKind.PARCEL and key in ("readiness", "status"):
                continue
            try:
                values[key] = self.coerce(self.specs[key], cell)
            except FieldError as exc:
                failed[key] = str(exc).removeprefix(f"“{cell_text(cell)}”")
        if self.kind is RecordKind.PARCEL and ("readiness" in raw or "status" in raw):
            try:
                values["readiness"], values["status"] = parcel_ladders(
                    _text_or_none(raw.get("readiness")), _text_or_none(raw.get("status"))
                )
            except ParcelWordError as exc:
                key = exc.field if exc.field in raw else ("status" if "status" in raw else "readiness")
                failed[key] = str(exc).removeprefix(f"“{cell_text(raw.get(key))}”")
        return raw, values, failed

    def coerce(self, spec: FieldSpec, cell: object) -> Any:
        """One cell → the field's value (``None`` when blank); raises :class:`FieldError`."""
        if isinstance(cell, landchina.RegionRef):
            return self.regions.place(cell)
        if is_blank(cell):
            return None
        column = self.by_key.get(spec.key)
        unit = column.unit if column is not None else None
        match spec.type:
            case FieldType.FLOAT | FieldType.INT:
                value = parse_ledger_number(cell, spec.quantity, unit)
                if spec.type is FieldType.INT and value is not None:
                    if value != int(value) or abs(value) > MAX_INT:
                        raise FieldError("应为整数")
                    return int(value)
                return value
            case FieldType.DATE:
                return parse_ledger_date(cell)
            case FieldType.REGION:
                return self.regions.ref(cell_text(cell))
            case FieldType.CHOICE if spec.key in ("readiness", "status") and self.kind is RecordKind.PARCEL:
                return cell_text(cell)  # both ladders decided together (parcel_ladders)
            case FieldType.CHOICE if spec.key == "status" and self.kind is RecordKind.FACTORY:
                return factory_status(cell_text(cell))
            case FieldType.CHOICE if spec.key == "stage":
                return project_stage_from_text(cell_text(cell))[0]
            case FieldType.BOOL if not isinstance(cell, bool):
                return coerce(spec, cell_text(cell))  # 1.0 from Excel is "1"
            case FieldType.TEXT | FieldType.LONG_TEXT | FieldType.PARK | FieldType.PROJECT:
                return coerce(spec, cell_text(cell) if not isinstance(cell, str) else cell)
        return coerce(spec, cell)


def _text_or_none(value: object) -> str | None:
    return None if is_blank(value) else cell_text(value)
