"""The ranked table of the matching dialog: its model, one row per candidate.

Rows are :class:`landbank.services.matching.export.MatchRow` values — the same rows the printout
and the Excel export use — so what the clerk sees, prints and exports cannot disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import QWidget

from landbank.domain.units import format_quantity
from landbank.services.matching.export import CRITERION_LABELS, MatchRow, criterion_keys, units_of
from landbank.ui.matching.facts import area_text, place_text
from landbank.ui.matching.marks import (
    LABEL_COLOURS,
    LABEL_RANK,
    MARK_COLOURS,
    MARK_ORDER,
    criterion_kind_text,
)
from landbank.ui.records.references import pinyin_key

_CTX = "MatchDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _header_text(label: str) -> str:
    """Criterion headers on two short lines, so their mark columns stay narrow."""
    if len(label) <= 2:
        return label
    if "/" in label:
        left, right = label.split("/", 1)
        return f"{left}/\n{right}"
    return f"{label[:2]}\n{label[2:]}"


class CandidateModel(QAbstractTableModel):
    """Ranked candidates: 排名, subject, 县区, 面积, 得分, 结论, then one mark per criterion
    (tooltip: the reason). Sortable by every column; the rows are :class:`MatchRow`."""

    RANK, SUBJECT, REGION, AREA, SCORE, LABEL = range(6)
    FIXED = 6

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[MatchRow] = []
        self.keys: list[str] = []
        self.units: list[str] = []
        self.subject_header = _tr("地块/厂房")
        self.area_header = _tr("面积")

    def set_rows(self, rows: Sequence[MatchRow], *, subject_header: str, area_header: str) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.keys = criterion_keys(self._rows)
        self.units = units_of(self._rows)
        self.subject_header = subject_header
        self.area_header = area_header
        self.endResetModel()

    def rows(self) -> list[MatchRow]:
        return list(self._rows)

    def row(self, index: int) -> MatchRow:
        return self._rows[index]

    def key_of(self, column: int) -> str | None:
        """The criterion shown in ``column``, or ``None`` for the fixed columns."""
        offset = column - self.FIXED
        return self.keys[offset] if 0 <= offset < len(self.keys) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.FIXED + len(self.keys)

    def _area_cell(self, row: MatchRow) -> str:
        if len(self.units) == 1:  # the unit is in the header
            return format_quantity(row.area, row.unit) if row.area is not None else ""
        return area_text(row.area, row.unit)

    def cell_text(self, r: int, column: int) -> str:
        row = self._rows[r]
        match column:
            case self.RANK:
                return str(row.rank)
            case self.SUBJECT:
                return row.subject
            case self.REGION:
                return row.region
            case self.AREA:
                return self._area_cell(row)
            case self.SCORE:
                return f"{row.score:.1f}"
            case self.LABEL:
                return row.label
        key = self.key_of(column)
        found = row.criterion(key) if key else None
        return found.mark if found is not None else ""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        column = index.column()
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(index.row(), column)
        key = self.key_of(column)
        found = row.criterion(key) if key else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if found is not None:
                return f"{found.label}：{found.reason}"
            if column == self.SUBJECT:
                return (
                    "\n".join(f"{s.title}（{s.status}）" for s in row.sites)
                    if (row.is_combination)
                    else "\n".join((row.subject, *row.notes))
                )
            if column == self.REGION and row.park:
                return place_text(row.region, row.park)
            return None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in (self.RANK, self.AREA, self.SCORE):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if found is not None or column == self.LABEL:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            if found is not None:
                return QBrush(QColor(MARK_COLOURS.get(found.mark, "#000")))
            if column == self.LABEL:
                return QBrush(QColor(LABEL_COLOURS.get(row.label, "#000")))
            return None
        if role == Qt.ItemDataRole.FontRole and (found is not None or column == self.SCORE):
            font = QFont()
            font.setBold(True)
            return font
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        key = self.key_of(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if key is not None:
                return _header_text(_tr(CRITERION_LABELS[key]))
            fixed = (
                _tr("排名"),
                self.subject_header,
                _tr("县区"),
                self.area_header,
                _tr("得分"),
                _tr("结论"),
            )
            return fixed[section] if 0 <= section < len(fixed) else None
        if role == Qt.ItemDataRole.ToolTipRole and key is not None:
            sample = next((c for r in self._rows for c in r.criteria if c.key == key), None)
            if sample is not None:
                return f"{sample.label}：{criterion_kind_text(sample)}"
        return None

    def _sort_key(self, column: int) -> Callable[[MatchRow], Any]:
        if column == self.SUBJECT:
            return lambda r: pinyin_key(r.subject)
        if column == self.REGION:
            return lambda r: (pinyin_key(r.region), r.rank)
        if column == self.AREA:
            return lambda r: (r.unit, r.area if r.area is not None else -1.0)
        if column == self.SCORE:
            return lambda r: (r.score, -r.rank)
        if column == self.LABEL:  # a capped label ranks below a lower score's 优先推荐
            return lambda r: (LABEL_RANK.get(r.label, -1), r.score, -r.rank)
        key = self.key_of(column)
        if key is None:
            return lambda r: r.rank

        def by_mark(r: MatchRow) -> tuple[int, float, int]:
            c = r.criterion(key)
            if c is None:
                return (9, 0.0, r.rank)
            return (MARK_ORDER.get(c.mark, 9), -(c.score or 0.0), r.rank)

        return by_mark

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not self._rows:
            return
        self.layoutAboutToBeChanged.emit()
        before = list(self._rows)
        self._rows.sort(key=self._sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        position = {id(r): i for i, r in enumerate(self._rows)}
        old = self.persistentIndexList()
        new = [self.index(position[id(before[i.row()])], i.column()) for i in old]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()
