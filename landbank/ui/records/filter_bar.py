"""The filter bar above a record list: search, region, park, status, industry and area range
(quotas: region and year). Each change emits ``changed``; the view turns the bar into a
:class:`~landbank.store.queries.RecordFilter` with :meth:`FilterBar.record_filter`.

PySide6 6.12.0 on Python 3.11 drops a reference to ``None`` when Python reads back an invalid
QVariant (``combo.currentData()`` of an item without data), so every combo item carries an int
(``ALL`` = no filter).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QWidget,
)

from landbank.domain.completeness import INCOMPLETE_LABEL, MISMATCH_LABEL, applies_to
from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.store.queries import (
    AREA_COLUMN,
    INDUSTRY_COLUMN,
    STATUS_COLUMN,
    Names,
    RecordFilter,
)
from landbank.ui.records.references import pinyin_key
from landbank.ui.records.table_model import tr_field

ALL = -1  # combo data meaning "no filter"


class StatusButton(QPushButton):
    """Multi-select of the kind's status values in a drop-down menu of check boxes."""

    changed = Signal()

    def __init__(self, label: str, values: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._label = label
        menu = QMenu(self)
        self._actions: dict[str, QAction] = {}
        for value in values:
            action = menu.addAction(value)
            action.setCheckable(True)
            action.toggled.connect(self._toggled)
            self._actions[value] = action
        menu.addSeparator()
        menu.addAction(self.tr("全部"), self.clear)
        self.setMenu(menu)
        self._update_text()

    def selected(self) -> tuple[str, ...]:
        return tuple(v for v, a in self._actions.items() if a.isChecked())

    def set_selected(self, values: tuple[str, ...] | list[str]) -> None:
        for value, action in self._actions.items():
            action.blockSignals(True)
            action.setChecked(value in values)
            action.blockSignals(False)
        self._toggled()

    def clear(self) -> None:
        self.set_selected(())

    def _toggled(self) -> None:
        self._update_text()
        self.changed.emit()

    def _update_text(self) -> None:
        chosen = self.selected()
        shown = "、".join(chosen) if chosen else self.tr("全部")
        if len(shown) > 14:
            shown = self.tr("已选 {n} 项").format(n=len(chosen))
        self.setText(f"{self._label}：{shown}")


class FilterBar(QWidget):
    """Search, region, park, status, industry, area range (quotas: region and year)."""

    changed = Signal()

    def __init__(self, kind: RecordKind, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._names = Names({}, {}, {}, {})
        specs = field_map(kind)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.search: QLineEdit | None = None
        self.park: QComboBox | None = None
        self.status: StatusButton | None = None
        self.industry: QLineEdit | None = None
        self.area_min: QDoubleSpinBox | None = None
        self.area_max: QDoubleSpinBox | None = None
        self.year: QSpinBox | None = None
        self.incomplete: QCheckBox | None = None  # 资料不全 (sites)
        self.outline_mismatch: QCheckBox | None = None  # 红线面积不符 (parcels)
        if kind is not RecordKind.QUOTA:
            self.search = QLineEdit(self)
            self.search.setPlaceholderText(self._search_hint(kind))
            self.search.setClearButtonEnabled(True)
            self.search.setMinimumWidth(140)
            self.search.textChanged.connect(self.changed)
            layout.addWidget(self.search, 3)
        self.region = QComboBox(self)
        self.region.setMinimumContentsLength(6)
        self.region.currentIndexChanged.connect(self._region_changed)
        layout.addWidget(self.region)
        if "park_id" in specs:
            self.park = QComboBox(self)
            self.park.setMinimumContentsLength(6)
            self.park.currentIndexChanged.connect(self.changed)
            layout.addWidget(self.park)
        if kind in STATUS_COLUMN:
            spec = specs[STATUS_COLUMN[kind]]
            assert spec.choices is not None
            values = [c.value for c in spec.choices]
            self.status = StatusButton(tr_field(spec.label), values, self)
            self.status.changed.connect(self.changed)
            layout.addWidget(self.status)
        if kind in INDUSTRY_COLUMN:
            self.industry = QLineEdit(self)
            self.industry.setPlaceholderText(tr_field(specs[INDUSTRY_COLUMN[kind]].label))
            self.industry.setClearButtonEnabled(True)
            self.industry.setMaximumWidth(140)
            completer = QCompleter([], self.industry)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.industry.setCompleter(completer)
            self.industry.textChanged.connect(self.changed)
            layout.addWidget(self.industry, 1)
        if kind in AREA_COLUMN and kind is not RecordKind.QUOTA:
            spec = specs[AREA_COLUMN[kind]]
            layout.addWidget(QLabel(tr_field(spec.label), self))
            self.area_min = self._area_box(spec.unit, self.tr("最小"))
            self.area_max = self._area_box(spec.unit, self.tr("最大"))
            layout.addWidget(self.area_min)
            layout.addWidget(QLabel("–", self))
            layout.addWidget(self.area_max)
        if kind is RecordKind.QUOTA:
            self.year = QSpinBox(self)
            self.year.setRange(1999, 2100)
            self.year.setSpecialValueText(self.tr("全部年度"))
            self.year.setSuffix(self.tr(" 年"))
            self.year.setValue(self.year.minimum())
            self.year.valueChanged.connect(self.changed)
            layout.addWidget(self.year)
            layout.addStretch(1)
        if applies_to(kind):
            self.incomplete = self._check(
                self.tr(INCOMPLETE_LABEL),
                self.tr("只列出缺少推介所需资料的记录（资料完整度不足 100 %）"),
            )
            layout.addWidget(self.incomplete)
        if kind is RecordKind.PARCEL:
            self.outline_mismatch = self._check(
                self.tr(MISMATCH_LABEL), self.tr("只列出红线面积与收储面积相差超过 1 % 的地块")
            )
            layout.addWidget(self.outline_mismatch)
        self.clear_button = QPushButton(self.tr("清除筛选"), self)
        self.clear_button.clicked.connect(self.clear)
        layout.addWidget(self.clear_button)

    def _search_hint(self, kind: RecordKind) -> str:
        if kind is RecordKind.FACTORY:
            return self.tr("搜索编号、名称、产权单位…")
        if kind is RecordKind.PROJECT:
            return self.tr("搜索项目名称、投资方、产业…")
        return self.tr("搜索编号、名称、坐落…")

    def _check(self, text: str, tip: str) -> QCheckBox:
        box = QCheckBox(text, self)
        box.setToolTip(tip)
        box.toggled.connect(self.changed)
        return box

    def _area_box(self, unit: str, empty: str) -> QDoubleSpinBox:
        box = QDoubleSpinBox(self)
        box.setRange(0, 1e9)
        box.setDecimals(0 if unit == "m²" else 1)
        box.setSuffix(f" {unit}")
        box.setSpecialValueText(empty)
        box.setGroupSeparatorShown(True)
        box.setKeyboardTracking(False)
        box.setMinimumWidth(96)
        box.valueChanged.connect(self.changed)
        return box

    # -------------------------------------------------------------- choices

    def set_names(self, names: Names) -> None:
        """Fill the region and park lists (after a refresh), keeping the current choice."""
        self._names = names
        current = self.region.currentData() if self.region.count() else ALL
        self.region.blockSignals(True)
        self.region.clear()
        self.region.addItem(self.tr("全部县区"), ALL)
        for rid, name in sorted(names.regions.items(), key=lambda item: pinyin_key(item[1])):
            self.region.addItem(name, rid)
        self.region.setCurrentIndex(max(0, self.region.findData(current)))
        self.region.blockSignals(False)
        self._fill_parks()

    def set_industries(self, values: list[str]) -> None:
        if self.industry is not None:
            completer = self.industry.completer()
            model = completer.model()
            model.setStringList(values)  # type: ignore[attr-defined]

    def _fill_parks(self) -> None:
        if self.park is None:
            return
        region = self.region.currentData()
        current = self.park.currentData() if self.park.count() else ALL
        self.park.blockSignals(True)
        self.park.clear()
        self.park.addItem(self.tr("全部园区"), ALL)
        parks = [
            (pid, name)
            for pid, name in self._names.parks.items()
            if region == ALL or self._names.park_region.get(pid) == region
        ]
        for pid, name in sorted(parks, key=lambda item: pinyin_key(item[1])):
            self.park.addItem(name, pid)
        self.park.setCurrentIndex(max(0, self.park.findData(current)))
        self.park.blockSignals(False)

    def _region_changed(self) -> None:
        self._fill_parks()
        self.changed.emit()

    # -------------------------------------------------------------- the filter

    def record_filter(self) -> RecordFilter:
        region = self.region.currentData() if self.region.count() else ALL
        park = self.park.currentData() if self.park is not None and self.park.count() else ALL
        area_min = self.area_min.value() if self.area_min is not None else 0.0
        area_max = self.area_max.value() if self.area_max is not None else 0.0
        return RecordFilter(
            search=self.search.text().strip() if self.search is not None else "",
            region_ids=(region,) if region != ALL else (),
            park_ids=(park,) if park != ALL else (),
            statuses=self.status.selected() if self.status is not None else (),
            industry=self.industry.text().strip() if self.industry is not None else "",
            area_min=area_min or None,  # 0 shows "最小": no lower bound
            area_max=area_max or None,
            year=self.year.value() if self.year is not None and self.year.value() > 1999 else None,
            incomplete=self.incomplete is not None and self.incomplete.isChecked(),
            outline_mismatch=self.outline_mismatch is not None
            and self.outline_mismatch.isChecked(),
        )

    def clear(self) -> None:
        """Back to no filter, with one ``changed`` signal instead of one per widget."""
        self.blockSignals(True)
        try:
            if self.search is not None:
                self.search.clear()
            self.region.setCurrentIndex(0)
            if self.park is not None:
                self.park.setCurrentIndex(0)
            if self.status is not None:
                self.status.clear()
            if self.industry is not None:
                self.industry.clear()
            for area in (self.area_min, self.area_max):
                if area is not None:
                    area.setValue(area.minimum())
            if self.year is not None:
                self.year.setValue(self.year.minimum())
            for box in (self.incomplete, self.outline_mismatch):
                if box is not None:
                    box.setChecked(False)
        finally:
            self.blockSignals(False)
        self.changed.emit()

    def focus_search(self) -> None:
        target = self.search if self.search is not None else self.region
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        if self.search is not None:
            self.search.selectAll()
