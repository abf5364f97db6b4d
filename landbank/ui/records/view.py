"""One record list: a filter bar above a table, and the selected record's details beside it.

The same widget serves parcels, factories, projects and quotas; what differs comes from the
field catalogue and :mod:`landbank.store.queries` (which column is the status, the industry,
the area). Filter changes (:mod:`landbank.ui.records.filter_bar`) are debounced and re-query
SQL; nothing is filtered in Python.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` when Python reads back an invalid
QVariant (``index.data()`` of an empty role), so rows are read from the model directly. (It
does the same on every call of a void method; only a fixed PySide6 cures that.)
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QItemSelectionModel, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldType, field_map
from landbank.domain.units import format_quantity
from landbank.store.queries import INDUSTRY_COLUMN, distinct_values
from landbank.ui.context import AppContext
from landbank.ui.records.filter_bar import FilterBar
from landbank.ui.records.table_model import (
    COMPUTED_KEYS,
    RecordTableModel,
    display_text,
    outline_mismatch_of,
    tr_field,
)
from landbank.ui.state import UiState

DEBOUNCE_MS = 150
MAX_DEFAULT_WIDTH = 200


class RecordView(QWidget):
    """Filter bar, table and detail pane of one kind of record."""

    editRequested = Signal()
    selectionChanged = Signal()
    totalsChanged = Signal()

    def __init__(
        self,
        ctx: AppContext,
        kind: RecordKind,
        parent: QWidget | None = None,
        *,
        default_columns: bool = True,
        load: bool = True,
    ) -> None:
        """``default_columns=False`` when the caller restores a saved layout next
        (:meth:`restore_state`, which falls back to the default columns): the columns are then
        not first fitted to their contents for nothing. ``load=False``: the list reads nothing
        until its first :meth:`refresh` (the window's lists whose tabs are not shown yet)."""
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.model = RecordTableModel(ctx, kind, self, load=load)
        self._fit_after_load = False  # default columns asked for before the rows were read
        self.filter_bar = FilterBar(kind, self)
        self.table = QTableView(self)
        self.detail = QTextBrowser(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_filter)
        self._setup_table()
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setCollapsible(0, False)
        self.splitter.setSizes([1000, 240])
        self.detail.setPlaceholderText(self.tr("选择一条记录，在此查看其全部字段。"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.splitter, 1)
        if load:
            self.filter_bar.set_names(self.model.names)
            self._load_industries()
        self.filter_bar.changed.connect(self._timer.start)
        self.model.totalsChanged.connect(self.totalsChanged)
        self.model.modelReset.connect(self._selection_changed)
        if default_columns:
            self.apply_default_columns()

    def _setup_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(table.fontMetrics().height() + 10)
        header = table.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSortIndicatorClearable(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        table.setSortingEnabled(True)
        table.doubleClicked.connect(lambda _index: self.editRequested.emit())
        edit = QAction(self.tr("编辑"), table)
        edit.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        edit.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        edit.triggered.connect(self.editRequested)
        table.addAction(edit)
        table.selectionModel().selectionChanged.connect(self._selection_changed)

    # -------------------------------------------------------------- columns

    def column_keys(self) -> list[str]:
        return [spec.key for spec in self.model.columns]

    def visible_columns(self) -> list[int]:
        """Logical column numbers of the shown columns, in the order they are shown."""
        header = self.table.horizontalHeader()
        logical = (header.logicalIndex(v) for v in range(header.count()))
        return [c for c in logical if not header.isSectionHidden(c)]

    def visible_field_columns(self) -> list[int]:
        """The shown columns that are stored fields, in the order shown: what a copy, an
        export, a printout or a paste works on (a computed column such as 资料完整度 is not)."""
        columns = self.model.columns
        return [c for c in self.visible_columns() if columns[c].key not in COMPUTED_KEYS]

    def visible_field_keys(self) -> list[str]:
        """Keys of :meth:`visible_field_columns`."""
        return [self.model.columns[c].key for c in self.visible_field_columns()]

    def apply_default_columns(self) -> None:
        if not self.model.loaded:
            self._fit_after_load = True  # fitted to the rows once they are read
        header = self.table.horizontalHeader()
        for column, spec in enumerate(self.model.columns):
            header.moveSection(header.visualIndex(column), column)
            header.setSectionHidden(column, not spec.visible)
        self.table.resizeColumnsToContents()
        for column in self.visible_columns():
            if header.sectionSize(column) > MAX_DEFAULT_WIDTH:
                header.resizeSection(column, MAX_DEFAULT_WIDTH)

    def _header_menu(self, pos: QPoint) -> None:
        header = self.table.horizontalHeader()
        menu = QMenu(self)
        for column, spec in enumerate(self.model.columns):
            action = menu.addAction(tr_field(spec.header))
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(column))
            action.toggled.connect(lambda on, c=column: self._show_column(c, on))
        menu.addSeparator()
        menu.addAction(self.tr("恢复默认列"), self.apply_default_columns)
        menu.exec(header.mapToGlobal(pos))
        menu.deleteLater()  # one menu per right-click: don't keep them all

    def _show_column(self, column: int, shown: bool) -> None:
        if not shown and len(self.visible_columns()) <= 1:
            return  # keep at least one column
        header = self.table.horizontalHeader()
        header.setSectionHidden(column, not shown)
        if shown and header.sectionSize(column) < 40:
            self.table.resizeColumnToContents(column)

    def restore_state(self, state: UiState) -> None:
        saved = state.header_state(self.kind.value, self.column_keys())
        if saved is None or not self.table.horizontalHeader().restoreState(saved):
            self.apply_default_columns()
        splitter = state.splitter_state(self.kind.value)
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def save_state(self, state: UiState) -> None:
        header = self.table.horizontalHeader().saveState()
        state.set_header_state(self.kind.value, self.column_keys(), header)
        state.set_splitter_state(self.kind.value, self.splitter.saveState())

    # -------------------------------------------------------------- data

    def apply_filter(self) -> None:
        self._timer.stop()
        self.model.set_filter(self.filter_bar.record_filter())

    def refresh(self, select_id: int | None = None) -> bool:
        """Re-read the rows, names and lists; keep (or make) the selection. Returns whether
        ``select_id`` (when given) is now selected."""
        keep = select_id if select_id is not None else self.current_id()
        self.model.refresh()
        if self._fit_after_load:
            self._fit_after_load = False
            self.apply_default_columns()
        self.filter_bar.set_names(self.model.names)
        self._load_industries()
        if keep is None:
            return True
        selected = self.select_id(keep, reveal=select_id is not None)
        return selected or select_id is None

    def _load_industries(self) -> None:
        if self.kind in INDUSTRY_COLUMN:
            with self.ctx.session() as session:
                values = distinct_values(session, self.kind, INDUSTRY_COLUMN[self.kind])
            self.filter_bar.set_industries(values)

    def select_id(self, record_id: int, *, reveal: bool = False, max_rows: int = 5000) -> bool:
        """Select a record's row; with ``reveal`` fetch further pages to find it."""
        row = self.model.row_of_id(record_id)
        while (
            row is None
            and reveal
            and self.model.canFetchMore()
            and (self.model.rowCount() < max_rows)
        ):
            self.model.fetchMore()
            row = self.model.row_of_id(record_id)
        if row is None:
            return False
        index = self.model.index(row, max(0, self.visible_columns()[0]))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index)
        return True

    def select_first(self) -> None:
        if self.model.rowCount():
            self.select_id(self.model.record_id(0))

    def selected_rows(self) -> list[int]:
        return sorted(index.row() for index in self.table.selectionModel().selectedRows())

    def selected_ids(self) -> list[int]:
        return [self.model.record_id(row) for row in self.selected_rows()]

    def current_id(self) -> int | None:
        rows = self.selected_rows()
        current = self.table.currentIndex()
        if current.isValid() and current.row() in rows:
            return self.model.record_id(current.row())
        return self.model.record_id(rows[0]) if rows else None

    def focus_search(self) -> None:
        self.filter_bar.focus_search()

    def summary_text(self) -> str:
        parts = [self.tr("共 {n} 条").format(n=f"{self.model.total:,}")]
        specs = field_map(self.kind)
        for key, value in self.model.sums.items():
            spec = specs[key]
            parts.append(
                self.tr("{label} 合计 {value} {unit}").format(
                    label=tr_field(spec.label),
                    value=format_quantity(value, spec.unit),
                    unit=spec.unit,
                )
            )
        return " · ".join(part.strip() for part in parts)

    def _selection_changed(self) -> None:
        rows = self.selected_rows()
        self.detail.setHtml(self._detail_html(rows[0]) if len(rows) == 1 else "")
        self.selectionChanged.emit()

    def _detail_html(self, row: int) -> str:
        values = self.model.row_dict(row)
        names = self.model.names
        lines = []
        for spec in self.model.columns:
            value = values.get(spec.key)
            if value is None or value == "":
                continue
            if spec.type is FieldType.LONG_TEXT:
                text = escape(str(value)).replace("\n", "<br>")
            else:
                text = escape(display_text(spec, value, names))
            lines.append(
                f"<tr><td style='color:#666;padding-right:8px'>{escape(tr_field(spec.header))}"
                f"</td><td>{text}</td></tr>"
            )
        warning = outline_mismatch_of(values)
        if warning:  # 红线面积不符, on the record
            text = escape(self.tr("红线面积不符：{0}").format(warning))
            lines.insert(0, f"<tr><td colspan='2' style='color:#c62828'>⚠ {text}</td></tr>")
        return "<table cellspacing='2'>" + "".join(lines) + "</table>"
