"""What an import would read, before anything is written: the sheet, the header row, the
column mapping and the data rows. The import runs on it; an import wizard shows it (sheet and
header row can be changed, every column re-mapped, and the confirmed mapping remembered with
:func:`landbank.services.importing.columns.remember_mapping`)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType, field_map
from landbank.domain.ledger_words import is_blank, parse_ledger_number
from landbank.domain.validation import FieldError
from landbank.services.collector import collector_paused
from landbank.services.importing import IMPORT_KINDS, landchina
from landbank.services.importing.columns import (
    ColumnMap,
    MappedColumn,
    map_columns,
    remembered_mapping,
)
from landbank.services.importing.sheet_layout import DataRow, data_rows, locate_header
from landbank.services.importing.spreadsheet import (
    Cell,
    SpreadsheetError,
    Workbook,
    cell_text,
    read_workbook,
)


@dataclass
class ImportPreview:
    kind: RecordKind
    path: Path
    sheet_names: list[str]
    sheet: str
    header_row: int  # where the header starts, as Excel numbers rows
    header_last_row: int  # where it ends (header_row + 1 for a header written over two rows)
    header: list[Cell]  # the headers, for the report file
    headers: list[str]  # one text per column (two header rows joined: "容积率下限")
    columns: ColumnMap
    layout: landchina.LandchinaLayout | None  # a 中国土地市场网 export
    remembered: bool  # the mapping confirmed earlier for these headers was applied
    rows: list[DataRow]
    # The file as read: another sheet or header row is previewed without reading it again.
    book: Workbook = field(repr=False, compare=False)

    @property
    def profile(self) -> str:
        return "中国土地市场网供地结果" if self.layout is not None else ""


def preview_import(
    kind: RecordKind,
    path: str | Path,
    *,
    sheet: str | None = None,
    header_row: int | None = None,
    mapping: Sequence[str | None] | None = None,
    book: Workbook | None = None,
) -> ImportPreview:
    """Read ``path`` and decide sheet, header row and columns. ``mapping`` (a field key or
    ``None`` per column) overrides the automatic and the remembered mapping; ``book`` is the
    file already read (:attr:`ImportPreview.book`). Raises :class:`SpreadsheetError` when the
    file cannot be read or holds no such ledger."""
    if kind not in IMPORT_KINDS:
        raise ValueError(f"cannot import {kind}")
    path = Path(path)
    with collector_paused():
        return _preview(kind, path, sheet, header_row, mapping, book)


def _preview(
    kind: RecordKind,
    path: Path,
    sheet: str | None,
    header_row: int | None,
    mapping: Sequence[str | None] | None,
    book: Workbook | None,
) -> ImportPreview:
    if book is None:
        book = read_workbook(path)
    spot = locate_header(book.sheets, sheet, header_row, kind, path.name)
    chosen, header_index, headers = spot.sheet, spot.first, spot.headers
    layout = landchina.detect(headers) if kind is RecordKind.PARCEL else None
    remembered = remembered_mapping(kind, headers) if mapping is None else None
    columns = map_columns(kind, headers, mapping if mapping is not None else remembered)
    if not columns.by_key() and layout is None:
        raise SpreadsheetError(
            f"“{path.name}”第 {header_index + 1} 行没有可识别的{kind.label}列（请检查表头或指定表头行）"
        )
    return ImportPreview(
        kind=kind,
        path=path,
        sheet_names=[s.name for s in book.sheets],
        sheet=chosen.name,
        header_row=header_index + 1,
        header_last_row=spot.last + 1,
        header=list(headers),
        headers=headers,
        columns=columns,
        layout=layout,
        remembered=remembered is not None,
        rows=data_rows(chosen, spot.last, columns),
        book=book,
    )


def title_lines(preview: ImportPreview) -> list[str]:
    """The text of the rows above the header (a ledger's title, 填报单位 …), then the sheet's
    name: where a ledger that has no 县区 column names its county."""
    sheet = next((s for s in preview.book.sheets if s.name == preview.sheet), None)
    lines: list[str] = []
    for row in sheet.rows[: preview.header_row - 1] if sheet is not None else []:
        text = " ".join(cell_text(c) for c in row if not is_blank(c))
        if text:
            lines.append(text)
    lines.append(preview.sheet)
    return lines


def title_county(preview: ImportPreview) -> str | None:
    """The county the rows above the header (or the sheet's name) name, as the import reads
    it for rows that name none (its city unknown here: the wizard shows it as a hint)."""
    from landbank.services.importing.gazetteer_data import gazetteer

    names = gazetteer()
    for text in title_lines(preview):
        county = names.find_in_title(text)
        if county is not None:
            return county.name
    return None


def blank_counts(
    preview: ImportPreview, keys: Sequence[str], mapping: Sequence[str | None] | None = None
) -> dict[str, int]:
    """Per field of ``keys``: the data rows that leave it empty under ``mapping`` (all of
    them when no column holds it) — the rows a default would fill."""
    columns = preview.columns if mapping is None else map_columns(preview.kind, preview.headers, mapping)
    by_key = columns.by_key()
    counts: dict[str, int] = {}
    for key in keys:
        column = by_key.get(key)
        if column is None:
            counts[key] = len(preview.rows)
            continue
        i = column.index
        counts[key] = sum(1 for row in preview.rows if i >= len(row.cells) or is_blank(row.cells[i]))
    return counts


def same_layout(preview: ImportPreview) -> list[tuple[str, bool]]:
    """Every sheet of the file and whether its header maps to the fields of ``preview``'s
    (only the headers are read: a sheet's rows are previewed when it is imported)."""
    fields = set(preview.columns.by_key())
    result: list[tuple[str, bool]] = []
    for sheet in preview.book.sheets:
        if sheet.name == preview.sheet:
            result.append((sheet.name, True))
            continue
        if sheet.is_empty():
            result.append((sheet.name, False))
            continue
        try:
            spot = locate_header([sheet], sheet.name, None, preview.kind, preview.path.name)
        except SpreadsheetError:
            result.append((sheet.name, False))
            continue
        mapped = set(map_columns(preview.kind, spot.headers).by_key())
        result.append((sheet.name, mapped == fields))
    return result


def preview_sheets(
    kind: RecordKind,
    path: str | Path,
    names: Sequence[str] | None,
    *,
    header_row: int | None = None,
    mapping: Sequence[str | None] | None = None,
    book: Workbook | None = None,
) -> tuple[list[ImportPreview], list[tuple[str, str]]]:
    """The sheets of one import: the named ones (each must hold the ledger), or with ``None``
    every sheet of the layout the file is mostly in — the one whose header names the most
    fields, and every sheet whose header maps to the same fields. The others are returned as
    (name, reason) to be listed as not imported (说明, 汇总 …). Raises
    :class:`SpreadsheetError`."""
    path = Path(path)
    if book is None:
        with collector_paused():
            book = read_workbook(path)
    if names is not None:
        previews = [
            preview_import(kind, path, sheet=name, header_row=header_row, mapping=mapping, book=book)
            for name in names
        ]
        return previews, []
    found: list[ImportPreview] = []
    skipped: list[tuple[str, str]] = []
    for sheet in book.sheets:
        if sheet.is_empty():
            skipped.append((sheet.name, "空白工作表"))
            continue
        try:
            found.append(
                preview_import(
                    kind, path, sheet=sheet.name, header_row=header_row, mapping=mapping, book=book
                )
            )
        except SpreadsheetError:
            skipped.append((sheet.name, f"没有{kind.label}台账的表头"))
    if not found:
        raise SpreadsheetError(
            f"“{path.name}”的各工作表中都找不到{kind.label}台账的表头（如“地块编号”“县区”“收储面积(亩)”）"
        )
    model = max(found, key=lambda p: (len(p.columns.by_key()), len(p.rows)))
    fields = set(model.columns.by_key())
    kept: list[ImportPreview] = []
    for preview in found:
        if set(preview.columns.by_key()) == fields:
            kept.append(preview)
        else:
            skipped.append((preview.sheet, f"表头与工作表“{model.sheet}”不同（不是同一种台账）"))
    order = [s.name for s in book.sheets]
    skipped.sort(key=lambda item: order.index(item[0]))
    return kept, skipped


def row_values(
    by_key: Mapping[str, MappedColumn],
    layout: landchina.LandchinaLayout | None,
    cells: Sequence[Cell],
) -> dict[str, object]:
    """The cells one row gives each field, as the import reads them: the mapped columns, then
    what a 中国土地市场网 file derives (:func:`landchina.adapt_row`: the code from 链接, the
    region from 行政区 or 地区 …) over them. Raises :class:`FieldError` for a row that file's
    rules cannot read (the import reports it as the row's error)."""
    raw: dict[str, object] = {
        key: cells[column.index] if column.index < len(cells) else None
        for key, column in by_key.items()
    }
    if layout is not None:
        raw.update(landchina.adapt_row(layout, cells))
    return raw


@dataclass(frozen=True)
class PreviewTable:
    """The first data rows as the import will read them: one text per field."""

    keys: list[str]  # the mapped fields in file order, then those derived from other columns
    derived: frozenset[str]  # fields no mapped column holds (中国土地市场网: 代码 from 链接 …)
    rows: list[tuple[int, list[str]]]  # (row number as Excel shows it, texts)
    total: int  # data rows the import will read
    other_uses: int  # 中国土地市场网 rows of other land uses, which it skips


def preview_table(
    preview: ImportPreview,
    mapping: Sequence[str | None] | None = None,
    *,
    limit: int = 20,
    all_land_uses: bool = False,
) -> PreviewTable:
    """The first ``limit`` rows of ``preview`` under ``mapping`` (a field key or ``None`` per
    column; the preview's own mapping when ``None``), read by :func:`row_values` as the
    import reads them — a 县区 derived from 地区 shows, not the empty 行政区; of a
    中国土地市场网 file only the 工业用地 rows, as the import takes them (all rows with
    ``all_land_uses``)."""
    columns = preview.columns if mapping is None else map_columns(preview.kind, preview.headers, mapping)
    by_key = columns.by_key()
    specs = field_map(preview.kind)
    rows = preview.rows
    layout = preview.layout
    if layout is not None and not all_land_uses:
        rows = [r for r in rows if landchina.is_industrial(layout, r.cells)]
    shown = rows[:limit]
    values: list[dict[str, object]] = []
    for row in shown:
        try:
            values.append(row_values(by_key, preview.layout, row.cells))
        except FieldError:  # the dry run names the reason; the cells as they are meanwhile
            values.append(row_values(by_key, None, row.cells))
    derived = [k for k in specs if k not in by_key and any(k in v for v in values)]
    units = {k: c.unit for k, c in by_key.items() if c.unit and c.unit != specs[k].unit}
    keys = [*by_key, *derived]
    return PreviewTable(
        keys=keys,
        derived=frozenset(derived),
        rows=[
            (row.number, [_shown(specs[k], v.get(k), units.get(k)) for k in keys])
            for row, v in zip(shown, values, strict=True)
        ],
        total=len(rows),
        other_uses=len(preview.rows) - len(rows),
    )


def _shown(spec: FieldSpec, value: object, unit: str | None = None) -> str:
    """A cell as the import reads it; a number under a header of another unit (面积(公顷))
    converted to the field's, as the import stores it."""
    if isinstance(value, landchina.RegionRef):
        return value.name
    if unit and spec.type in (FieldType.FLOAT, FieldType.INT):
        try:
            number = parse_ledger_number(value, spec.quantity, unit)
        except FieldError:  # the dry run names the reason; the cell as it is meanwhile
            return cell_text(value)
        return "" if number is None else f"{number:.15g}"
    if spec.type is FieldType.REGION and not is_blank(value):
        return landchina.region_ref(cell_text(value)).name
    return cell_text(value)
