"""One table model for every kind of record, paged from SQL.

The model never holds a whole ledger: it counts and sums in SQL, fetches the first page of 200
rows, and fetches the next page when the view scrolls near the end (``canFetchMore`` /
``fetchMore``). Sorting and filtering re-query. Columns come from the field catalogue
(:data:`landbank.domain.fields.FIELDS`); references are shown by name from a cache refreshed
by :meth:`RecordTableModel.refresh`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor

from landbank.domain.completeness import (
    COMPLETENESS_FIELD,
    COMPLETENESS_KEY,
    MISSING_KEY,
    applies_to,
    mismatch_text,
    outline_area_mismatch,
)
from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, FieldSpec, FieldType
from landbank.domain.units import format_number, format_quantity
from landbank.store.queries import (
    Names,
    RecordFilter,
    SortOrder,
    Summary,
    fetch_page,
    load_names,
    summarise,
    summed_keys,
)
from landbank.ui.context import AppContext

PAGE_SIZE = 200
ROW_RECORD_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
FIELD_KEY_ROLE = Qt.ItemDataRole.UserRole + 3  # headerData: the column's field key

_NUMERIC = (FieldType.INT, FieldType.FLOAT)
_REFERENCE = (FieldType.REGION, FieldType.PARK, FieldType.PROJECT)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_RIGHT_INT, _LEFT_INT = int(_RIGHT), int(_LEFT)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_ROLES = frozenset(
    (_DISPLAY, _EDIT, _ALIGNMENT, _TOOLTIP, _FOREGROUND, int(ROW_RECORD_ROLE), int(SORT_ROLE))
)
_MISMATCH_BRUSH = QBrush(QColor("#c62828"))
OUTLINE_AREA_KEY = "outline_area_mu"
# Columns computed by the store, not stored fields: shown and sorted, never edited, pasted,
# exported or printed (``RecordView.visible_field_keys``).
COMPUTED_KEYS = frozenset({COMPLETENESS_KEY})

Index = QModelIndex | QPersistentModelIndex


def tr_field(text: str) -> str:
    """A field label or header through Qt's translations (context "fields")."""
    return QCoreApplication.translate("fields", text)


def plain_number(value: float | int) -> str:
    """A number without thousands separators, as spreadsheets parse it: 1234.5, 2026, 0.35."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int) or float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def _is_year(spec: FieldSpec) -> bool:
    return spec.unit == "年" or spec.key.endswith("year")


def columns_of(kind: RecordKind) -> tuple[FieldSpec, ...]:
    """The table's columns: the catalogue's fields, then a site's 资料完整度."""
    return FIELDS[kind] + ((COMPLETENESS_FIELD,) if applies_to(kind) else ())


def outline_mismatch_of(values: dict[str, Any]) -> str | None:
    """“红线面积 118.60 亩，与收储面积 117.35 亩相差 1.07 %” when a row's outline is over 1 %
    off its 收储面积, else ``None``."""
    area, outline = values.get("area_mu"), values.get(OUTLINE_AREA_KEY)
    if area is None or outline is None or not outline_area_mismatch(area, outline):
        return None
    return mismatch_text(area, outline)


def missing_tip(missing: Any) -> str | None:
    """What a site misses for a 推介 (the 资料完整度 cell's tooltip)."""
    if missing is None:
        return None
    if not missing:
        return QCoreApplication.translate("RecordTableModel", "资料齐全，可以推介")
    items = "、".join(QCoreApplication.translate("RecordTableModel", m) for m in missing)
    return QCoreApplication.translate("RecordTableModel", "缺：{items}").format(items=items)


def display_text(spec: FieldSpec, value: Any, names: Names, *, plain: bool = False) -> str:
    """A value as a table cell shows it; ``plain`` drops thousands separators (clipboard)."""
    if value is None or value == "":
        return ""
    if spec.key == COMPLETENESS_KEY:
        return str(int(value)) if plain else f"{int(value)} %"
    if spec.type in _REFERENCE:
        return names.label(spec.type, int(value))
    if spec.type is FieldType.BOOL:
        yes = QCoreApplication.translate("RecordTableModel", "是")
        no = QCoreApplication.translate("RecordTableModel", "否")
        return yes if value else no
    if spec.type in _NUMERIC and isinstance(value, int | float):
        if plain or (spec.type is FieldType.INT and _is_year(spec)):
            return plain_number(value)
        if spec.type is FieldType.INT:
            return format_number(float(value), 0)
        return format_quantity(float(value), spec.unit)  # one format per unit (亩 15.00)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if spec.type is FieldType.LONG_TEXT or "\n" in text or "\t" in text:
        text = " ".join(text.split())
    return text


class RecordTableModel(QAbstractTableModel):
    """Rows of one :class:`RecordKind`, filtered, sorted and paged in SQL."""

    RowRecordRole = ROW_RECORD_ROLE
    SortRole = SORT_ROLE
    FieldKeyRole = FIELD_KEY_ROLE

    # Emitted after the total count and the sums were recomputed (filter or refresh).
    totalsChanged = Signal()

    def __init__(
        self,
        ctx: AppContext,
        kind: RecordKind,
        parent: QObject | None = None,
        *,
        page_size: int = PAGE_SIZE,
        load: bool = True,
    ) -> None:
        """``load=False``: nothing is read until :meth:`refresh` (a list whose tab is not shown
        yet); filter and sort asked for meanwhile are kept for that first read."""
        super().__init__(parent)
        self._ctx = ctx
        self._kind = kind
        self._columns: tuple[FieldSpec, ...] = columns_of(kind)
        self._page_size = page_size
        self._filter = RecordFilter()
        self._sort = SortOrder()
        self._rows: list[dict[str, Any]] = []
        self._total = 0
        self._sums: dict[str, float] = {}
        self._names = Names({}, {}, {}, {})
        self._deferred = not load
        self._reload(names=True)

    # -------------------------------------------------------------- public API

    @property
    def kind(self) -> RecordKind:
        return self._kind

    @property
    def loaded(self) -> bool:
        """Whether the rows were read (see ``load`` of the constructor)."""
        return not self._deferred

    @property
    def columns(self) -> tuple[FieldSpec, ...]:
        return self._columns

    @property
    def names(self) -> Names:
        return self._names

    @property
    def record_filter(self) -> RecordFilter:
        return self._filter

    @property
    def sort_order(self) -> SortOrder:
        return self._sort

    @property
    def total(self) -> int:
        """Rows matching the filter (all of them, loaded or not)."""
        return self._total

    @property
    def sums(self) -> dict[str, float]:
        """Totals of the summed fields over every row matching the filter."""
        return dict(self._sums)

    def column_of(self, key: str) -> int:
        for i, spec in enumerate(self._columns):
            if spec.key == key:
                return i
        raise KeyError(key)

    def row_dict(self, row: int) -> dict[str, Any]:
        return self._rows[row]

    def record_id(self, row: int) -> int:
        return int(self._rows[row]["id"])

    def record_version(self, row: int) -> int:
        return int(self._rows[row]["version"])

    def row_of_id(self, record_id: int) -> int | None:
        """The row of a loaded record, or ``None`` when it is not (yet) loaded."""
        for i, values in enumerate(self._rows):
            if values["id"] == record_id:
                return i
        return None

    def set_filter(self, flt: RecordFilter) -> None:
        if flt == self._filter:
            return
        self._filter = flt
        self._reload()

    def set_sort_order(self, order: SortOrder) -> None:
        if order == self._sort:
            return
        self._sort = order
        self._reload(totals=False)

    def refresh(self) -> None:
        """Re-read names, totals and as many rows as were loaded (the scroll position holds);
        the first read of a model made with ``load=False``."""
        self._deferred = False
        self._reload(names=True, keep=len(self._rows))

    # -------------------------------------------------------------- loading

    def _reload(self, *, names: bool = False, totals: bool = True, keep: int = 0) -> None:
        if self._deferred:
            return  # read by the first refresh(), with the filter and sort asked for by then
        limit = max(self._page_size, keep)
        with self._ctx.session() as session:
            if names:
                self._names = load_names(session)
            rows = fetch_page(session, self._kind, self._filter, self._sort, limit=limit)
            if totals:
                summary = (
                    _summarise_rows(self._kind, rows)  # all matches are loaded: no second scan
                    if len(rows) < limit
                    else summarise(  # a search scans the whole table: on several cores
                        session, self._kind, self._filter, in_parts=bool(self._filter.search.strip())
                    )
                )
        self.beginResetModel()
        self._rows = rows
        if totals:
            self._total = summary.count
            self._sums = summary.sums
        self._total = max(self._total, len(self._rows))
        self.endResetModel()
        if totals:
            self.totalsChanged.emit()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        if parent.isValid():
            return False
        return len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore(parent):
            return
        with self._ctx.session() as session:
            page = fetch_page(
                session,
                self._kind,
                self._filter,
                self._sort,
                offset=len(self._rows),
                limit=self._page_size,
            )
        if not page:  # rows were deleted meanwhile: stop asking
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
        self._rows.extend(page)
        self.endInsertRows()

    # -------------------------------------------------------------- Qt model interface

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._columns):
            spec = self._columns[section]
            if role == Qt.ItemDataRole.DisplayRole:
                return tr_field(spec.header)
            if role == Qt.ItemDataRole.ToolTipRole:
                return tr_field(spec.header)
            if role == FIELD_KEY_ROLE:
                return spec.key
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(_RIGHT if spec.type in _NUMERIC else _LEFT)
            return None
        # Not super().headerData(): PySide6 6.12 hands its invalid QVariants to Python as a
        # None it does not own, and every call would drop a reference to None.
        if orientation == Qt.Orientation.Vertical and role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Called for every role of every cell the view measures or paints (fitting 12 columns
        # to 200 rows asks ~19,000 times): the roles answered are plain ints, looked up once.
        if role not in _ROLES or not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._rows) and 0 <= column < len(self._columns)):
            return None
        spec = self._columns[column]
        values = self._rows[row]
        value = values.get(spec.key)
        if role == _DISPLAY:
            return display_text(spec, value, self._names)
        if role in (_EDIT, SORT_ROLE):
            return value
        if role == ROW_RECORD_ROLE:
            return values
        if role == _ALIGNMENT:
            return _RIGHT_INT if spec.type in _NUMERIC else _LEFT_INT
        if role == _FOREGROUND:  # 红线面积不符 in red
            if spec.key == OUTLINE_AREA_KEY and outline_mismatch_of(values):
                return _MISMATCH_BRUSH
            return None
        if role == _TOOLTIP and spec.type is FieldType.LONG_TEXT and value:
            return str(value)
        if role == _TOOLTIP and spec.key == OUTLINE_AREA_KEY:
            return outline_mismatch_of(values)
        if role == _TOOLTIP and spec.key == COMPLETENESS_KEY:
            return missing_tip(values.get(MISSING_KEY))
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self._columns):
            key = self._columns[column].key
            wanted = SortOrder(key, descending=order == Qt.SortOrder.DescendingOrder)
        else:  # the sort indicator was cleared: back to the order records were entered
            wanted = SortOrder()
        self.set_sort_order(wanted)


def _summarise_rows(kind: RecordKind, rows: list[dict[str, Any]]) -> Summary:
    """What :func:`summarise` would give, from rows that are every match of the filter."""
    keys = summed_keys(kind)
    return Summary(len(rows), {k: float(sum(r.get(k) or 0 for r in rows)) for k in keys})
