"""The rows of the printed list (文件 → 打印当前列表): what the table shows, read in full.

The filter bar's filter, the header's sort order, the visible columns in their on-screen order —
and every row, not just the pages the table has loaded, read from SQL page by page
(:func:`landbank.store.queries.fetch_page`). A 序号 column comes first and a 合计 row last, with
the sums of the quantity columns shown (the catalogue's ``summed`` fields, read in one SQL
aggregate like the status bar's); quantities are shown as
:func:`landbank.domain.units.format_quantity` writes them (亩 and 万元 with two decimals, m²
whole, thousands separated). The title names the city and the filter (“新乡市 收储地块台账（辉县市，
供应状态：可供，共 12 条；打印于 2026-11-24）”, :func:`landbank.services.exporting.titles.list_title`).
A list of more than :data:`MAX_PRINT_ROWS` records is refused (:class:`TooManyRows`) before any
row is read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtPrintSupport import QPrinter
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType, field_map
from landbank.domain.units import UNIT_DECIMALS, format_quantity
from landbank.store.queries import Names, RecordFilter, SortOrder, fetch_page, load_names, summarise
from landbank.ui.records.table_model import display_text, tr_field
from landbank.ui.reports.list_painting import paint_list

MAX_PRINT_ROWS = 5000
FETCH_ROWS = 1000  # rows read per query
INDEX_HEADER = "序号"
TOTAL_LABEL = "合计"
_NUMBERS = (FieldType.INT, FieldType.FLOAT)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ListPrint", text)


class TooManyRows(Exception):
    """The list holds more than can be printed; ``count`` says how many."""

    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


def print_text(spec: FieldSpec, value: object, names: Names) -> str:
    """A value as the printed list shows it: quantities in their unit's one format
    (:func:`format_quantity`), everything else as the table shows it."""
    if (
        spec.type is FieldType.FLOAT
        and isinstance(value, int | float)
        and spec.unit in UNIT_DECIMALS
    ):
        return format_quantity(float(value), spec.unit)
    return display_text(spec, value, names)


@dataclass(frozen=True)
class ListPrintout:
    """The list ready to lay out: 序号 first in every row, the 合计 row last."""

    title: str
    headers: tuple[str, ...]
    numeric: tuple[bool, ...]  # right-aligned columns (序号 is centred)
    whole: tuple[bool, ...]  # never wrapped: 序号, numbers, dates
    rows: tuple[tuple[str, ...], ...]
    totals: tuple[str, ...]  # 合计, then the sums ("" under the columns not summed)

    def paint(self, printer: QPrinter) -> int:
        """Paint every page on ``printer``; returns the pages."""
        return paint_list(printer, self)


def list_printout(
    session: Session,
    kind: RecordKind,
    columns: Sequence[str],
    *,
    flt: RecordFilter = RecordFilter(),
    sort: SortOrder = SortOrder(),
    limit: int = MAX_PRINT_ROWS,
    today: date | None = None,
) -> ListPrintout:
    """Read the list (every row, page by page) and format it. Raises :class:`TooManyRows`
    (before reading any row) when it holds more than ``limit``, :class:`KeyError` for an
    unknown column, :class:`SQLAlchemyError`."""
    # services.export brings openpyxl: loaded with the first print, not at start.
    from landbank.services.exporting.ledger import one_snapshot
    from landbank.services.exporting.titles import list_title

    fields = field_map(kind)
    specs = [fields[key] for key in columns]
    one_snapshot(session)  # count, sums and rows agree
    summary = summarise(session, kind, flt)
    if summary.count > limit:
        raise TooManyRows(summary.count)
    names = load_names(session)
    rows: list[tuple[str, ...]] = []
    while True:
        page = fetch_page(session, kind, flt, sort, offset=len(rows), limit=FETCH_ROWS)
        for values in page:
            cells = [print_text(spec, values.get(spec.key), names) for spec in specs]
            rows.append((str(len(rows) + 1), *cells))
        if len(rows) > limit:  # records were added meanwhile (no snapshot)
            raise TooManyRows(len(rows))
        if len(page) < FETCH_ROWS:
            break
    totals = [TOTAL_LABEL]
    for spec in specs:
        value = summary.sums.get(spec.key) if spec.summed else None
        totals.append("" if value is None else format_quantity(value, spec.unit))
    title = list_title(session, kind, flt, len(rows), names=names, action="打印", today=today)
    return ListPrintout(
        title=title,
        headers=(_tr(INDEX_HEADER), *(tr_field(spec.header) for spec in specs)),
        numeric=(False, *(spec.type in _NUMBERS for spec in specs)),
        whole=(True, *(spec.type in (*_NUMBERS, FieldType.DATE) for spec in specs)),
        rows=tuple(rows),
        totals=tuple(totals),
    )
