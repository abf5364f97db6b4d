"""The 评价方法 editor of the 亩均效益评价 dialog (issue 16 item 6): the preset, a weight per
indicator (0: not scored; the weights sum to 100), the multiple of the previous year's county
average that makes a base value, and an optional fixed base per indicator — for the county
chosen or the city's default. Saved through :func:`landbank.services.efficiency.scheme.set_scheme`;
every problem is listed in red and nothing is written. A login that may not change the scheme
sees it read-only with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.land_life.efficiency import PRESETS, Measure
from landbank.services.efficiency.scheme import CITY, CountyScheme, scheme_for, set_scheme
from landbank.services.errors import describe_error
from landbank.services.records.saving import RecordError
from landbank.ui.context import AppContext

CITY_SCOPE = -1  # the scope box's data for the city's default


class SchemeEditor(QGroupBox):
    """Edits the scheme of one county (or the city's default); ``saved`` after a change."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("评价方法"))
        self.ctx = ctx
        self.region_id: int | None = None
        self.county = ""
        self.scope_box = QComboBox(self)
        self.preset_box = QComboBox(self)
        for name in PRESETS:
            self.preset_box.addItem(name, name)
        self.preset_box.activated.connect(self._preset_chosen)
        self.source_label = QLabel(self)
        self.source_label.setStyleSheet("color: #555;")
        self.source_label.setWordWrap(True)
        self.weights: dict[Measure, QDoubleSpinBox] = {}
        self.bases: dict[Measure, QDoubleSpinBox] = {}
        grid = QGridLayout()
        for column, text in enumerate((self.tr("指标"), self.tr("权重"), self.tr("固定基准值"))):
            grid.addWidget(QLabel(f"<b>{text}</b>"), 0, column)
        for row, m in enumerate(Measure, start=1):
            weight = QDoubleSpinBox(self)
            weight.setRange(0.0, 100.0)
            weight.setDecimals(1)
            base = QDoubleSpinBox(self)
            base.setRange(0.0, 1e9)
            base.setDecimals(2)
            base.setSpecialValueText(self.tr("按上年县均值"))
            base.setSuffix(f" {m.unit}")
            base.setToolTip(self.tr("0：按上一年度本县区平均值 × 倍数"))
            weight.valueChanged.connect(self._show_total)
            grid.addWidget(QLabel(m.value), row, 0)
            grid.addWidget(weight, row, 1)
            grid.addWidget(base, row, 2)
            self.weights[m], self.bases[m] = weight, base
        self.total_label = QLabel(self)
        self.multiple = QDoubleSpinBox(self)
        self.multiple.setRange(0.1, 10.0)
        self.multiple.setDecimals(2)
        self.multiple.setPrefix(self.tr("上年县均值 × "))
        self.problems = QLabel(self)
        self.problems.setStyleSheet("color: #c62828;")
        self.problems.setWordWrap(True)
        self.save_button = QPushButton(self.tr("保存评价方法"), self)
        self.save_button.clicked.connect(self.save)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("适用于：")))
        top.addWidget(self.scope_box, 1)
        top.addWidget(QLabel(self.tr("预设：")))
        top.addWidget(self.preset_box, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(self.tr("基准值：")))
        bottom.addWidget(self.multiple, 1)
        bottom.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.source_label)
        layout.addLayout(grid)
        layout.addWidget(self.total_label)
        layout.addLayout(bottom)
        layout.addWidget(self.problems)
        self.scope_box.activated.connect(lambda _i: self.load())

    def set_county(self, region_id: int | None, county: str) -> None:
        """Edit the scheme of ``region_id`` (the scope box also offers the city's default)."""
        self.region_id, self.county = region_id, county
        self.scope_box.blockSignals(True)
        self.scope_box.clear()
        if region_id is not None:
            self.scope_box.addItem(county, region_id)
        self.scope_box.addItem(self.tr(CITY), CITY_SCOPE)
        self.scope_box.setCurrentIndex(0)
        self.scope_box.blockSignals(False)
        self.load()

    def scope(self) -> int | None:
        data = self.scope_box.currentData()
        return None if data in (None, CITY_SCOPE) else int(data)

    def load(self) -> None:
        try:
            with self.ctx.session() as session:
                shown = scheme_for(session, self.scope())
        except SQLAlchemyError as exc:
            self.problems.setText(describe_error(exc))
            return
        self.show_scheme(shown)
        self.problems.clear()
        self.follow_rights()

    def show_scheme(self, shown: CountyScheme) -> None:
        self.preset_box.setCurrentIndex(max(0, self.preset_box.findData(shown.preset)))
        for m, box in self.weights.items():
            box.setValue(shown.scheme.weights.get(m, 0.0))
        for m, box in self.bases.items():
            box.setValue(shown.fixed_bases.get(m, 0.0))
        self.multiple.setValue(shown.scheme.base_multiple)
        self.source_label.setText(self.tr("现行：{text}").format(text=shown.describe()))
        self._show_total()

    def _preset_chosen(self, _index: int) -> None:
        preset = PRESETS[self.preset_box.currentData()]
        for m, box in self.weights.items():
            box.setValue(preset.weights.get(m, 0.0))
        self.multiple.setValue(preset.base_multiple)

    def _show_total(self) -> None:
        total = sum(box.value() for box in self.weights.values())
        colour = "#2e7d32" if abs(total - 100.0) <= 0.01 else "#c62828"
        self.total_label.setText(self.tr("权重合计 {t}（须为 100）").format(t=f"{total:g}"))
        self.total_label.setStyleSheet(f"color: {colour};")

    def refusal(self) -> str | None:
        rights = self.ctx.rights
        refused = rights.can_write_any()
        scope = self.scope()
        if refused is None and rights.scope == "county":
            if scope is None:
                refused = self.tr("县区账号不能修改全市默认的评价方法：由市级账号维护")
            elif rights.region_id != scope:
                refused = rights.other_county(self.county)
        return refused

    def follow_rights(self) -> None:
        refused = self.refusal()
        self.save_button.setEnabled(refused is None)
        self.save_button.setToolTip(refused or "")

    def save(self) -> bool:
        weights = {m: box.value() for m, box in self.weights.items()}
        bases = {m: box.value() for m, box in self.bases.items() if box.value() > 0}
        try:
            with self.ctx.write_session() as session:
                saved = set_scheme(
                    session, self.scope(), self.preset_box.currentData(), user=self.ctx.user,
                    weights=weights, base_multiple=self.multiple.value(), fixed_bases=bases,
                )  # fmt: skip
        except RecordError as exc:
            problems = getattr(exc, "problems", None) or [str(exc)]
            self.problems.setText("\n".join(problems))
            return False
        except SQLAlchemyError as exc:
            self.problems.setText(describe_error(exc))
            return False
        self.problems.clear()
        self.show_scheme(saved)
        self.saved.emit()
        return True
