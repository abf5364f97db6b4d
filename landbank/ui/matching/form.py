"""The left side of the matching dialog for a project: its requirements, editable for one
matching only; and the small dialog that asks until when a site is reserved (意向锁定).

投资强度 and 亩均税收 are derived (总投资 and 预计年税收 ÷ 需用地) and editable; while the
clerk has not typed their own, they follow a changed land need. Against a parcel's 标准地
they count as totals (× 需用地) spread over the parcel's own 亩 (see
:mod:`landbank.domain.matching`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType, field_map
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.validation import FieldError
from landbank.ui.matching.facts import site_facts
from landbank.ui.records.choice_editors import ParkEditor
from landbank.ui.records.editor_base import FieldEditor
from landbank.ui.records.field_editors import make_editor
from landbank.ui.records.references import References
from landbank.ui.records.table_model import tr_field

_CTX = "MatchDialog"

# Requirements field ← editor (field key of the project catalogue, or a derived figure).
_INTENSITY = FieldSpec(
    "investment_intensity_wan_per_mu", "投资强度", FieldType.FLOAT, "万元/亩", minimum=0
)
_TAX = FieldSpec("tax_per_mu_wan", "亩均税收", FieldType.FLOAT, "万元/亩", minimum=0)
_FORM_FIELDS: tuple[tuple[str, str], ...] = (
    ("land_mu", "req_land_mu"),
    ("land_max_mu", "req_land_max_mu"),
    ("factory_m2", "req_factory_m2"),
    ("ceiling_height_m", "req_ceiling_height_m"),
    ("floor_load_kn_m2", "req_floor_load_kn_m2"),
    ("power_kva", "req_power_kva"),
    ("industry", "industry"),
    ("preferred_region_id", "preferred_region_id"),
    ("preferred_park_id", "preferred_park_id"),
    ("investment_intensity_wan_per_mu", _INTENSITY.key),
    ("tax_per_mu_wan", _TAX.key),
    ("needed_by", "needed_by"),
    ("rent_or_buy", "rent_or_buy"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


class ReserveDialog(QDialog):
    """What will be reserved for whom, and until when (default: 90 days from today)."""

    def __init__(self, text: str, default: date, today: date, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("意向锁定"))
        self.setMinimumWidth(440)
        layout = QVBoxLayout(self)
        message = QLabel(text, self)
        message.setWordWrap(True)
        layout.addWidget(message)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("锁定至："), self))
        self.date = QDateEdit(QDate(default.year, default.month, default.day), self)
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setMinimumDate(QDate(today.year, today.month, today.day))
        row.addWidget(self.date)
        row.addStretch(1)
        layout.addLayout(row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定锁定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def until(self) -> date:
        d = self.date.date()
        return date(d.year(), d.month(), d.day())


def ask_reservation_until(parent: QWidget, text: str, default: date, today: date) -> date | None:
    """The expiry date the clerk confirms, or ``None`` when cancelled."""
    dialog = ReserveDialog(text, default, today, parent)
    try:
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return dialog.until()
        return None
    finally:
        dialog.deleteLater()


class RequirementsForm(QWidget):
    """A project's requirements, editable for this matching only (never saved)."""

    def __init__(
        self,
        base: Requirements,
        project: Mapping[str, Any],
        refs: References,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        # Derived figures to two decimals, as the form shows them (so an untouched form is
        # not "modified").
        self.base = replace(
            base,
            investment_intensity_wan_per_mu=_rounded(base.investment_intensity_wan_per_mu),
            tax_per_mu_wan=_rounded(base.tax_per_mu_wan),
        )
        self._project = dict(project)
        specs = field_map(RecordKind.PROJECT)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, FieldEditor] = {}
        for attr, key in _FORM_FIELDS:
            spec = {_INTENSITY.key: _INTENSITY, _TAX.key: _TAX}.get(key) or specs[key]
            editor = make_editor(spec, refs, self)
            label = tr_field(spec.label) if key in specs else _tr(spec.label)
            if key == "needed_by":
                label = _tr("需用日期")
            form.addRow(label + "：", editor)
            self.editors[attr] = editor
        park, region = self.editors["preferred_park_id"], self.editors["preferred_region_id"]
        if isinstance(park, ParkEditor):
            region.changed.connect(lambda: park.filter_region(region.value()))
        note = QLabel(
            _tr(
                "投资强度、亩均税收由总投资、预计年税收 ÷ 需用地算出，可改；"
                "对照标准地指标（含地块自身门槛）时按所供地块的亩数计算。"
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        form.addRow(note)
        self._auto: dict[str, object] = {}
        self.reset()
        self.editors["land_mu"].changed.connect(self._land_changed)

    def reset(self) -> None:
        """Back to what the project record says."""
        for attr, editor in self.editors.items():
            editor.set_value(getattr(self.base, attr))
        self._remember_auto()

    def _remember_auto(self) -> None:
        self._auto = {
            a: self.editors[a].state()
            for a in ("investment_intensity_wan_per_mu", "tax_per_mu_wan")
        }

    def _land_changed(self) -> None:
        """Derived figures follow the land need unless the clerk typed their own."""
        try:
            land = self.editors["land_mu"].value()
        except FieldError:
            return
        for attr, amount_key in (
            ("investment_intensity_wan_per_mu", "total_investment_wan"),
            ("tax_per_mu_wan", "expected_tax_wan"),
        ):
            editor = self.editors[attr]
            amount = self._project.get(amount_key)
            if editor.state() != self._auto[attr] or amount is None:
                continue
            editor.set_value(_rounded(float(amount) / float(land)) if land else None)
        self._remember_auto()

    def problems(self) -> list[str]:
        found = []
        for editor in self.editors.values():
            problem = editor.problem()
            if problem:
                found.append(f"{tr_field(editor.spec.label)}：{problem}")
        return found

    def requirements(self) -> Requirements:
        """The figures on screen (raises :class:`FieldError` for text that is no number)."""
        values = {attr: editor.value() for attr, editor in self.editors.items()}
        return replace(self.base, **values)

    def is_modified(self) -> bool:
        try:
            return self.requirements() != self.base
        except FieldError:
            return True


class RequirementsPanel(QGroupBox):
    """The form with what is wrong in it, 恢复项目数据 and the 重新匹配 button (disabled while
    a figure cannot be read)."""

    resetDone = Signal()

    def __init__(
        self,
        base: Requirements,
        project: Mapping[str, Any],
        refs: References,
        rematch_button: QPushButton,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(_tr("项目需求（仅用于本次匹配，不保存到项目）"), parent)
        self.form = RequirementsForm(base, project, refs, self)
        self.rematch_button = rematch_button
        layout = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        self.problems = QLabel(self)
        self.problems.setWordWrap(True)
        self.problems.setStyleSheet("color: #c62828;")
        self.problems.hide()
        layout.addWidget(self.problems)
        row = QHBoxLayout()
        self.reset_button = QPushButton(_tr("恢复项目数据"), self)
        self.reset_button.setAutoDefault(False)
        self.reset_button.setEnabled(False)
        self.reset_button.clicked.connect(self._reset)
        row.addWidget(self.reset_button)
        row.addStretch(1)
        row.addWidget(rematch_button)
        layout.addLayout(row)
        for editor in self.form.editors.values():
            editor.changed.connect(self._changed)

    def _changed(self) -> None:
        problems = self.form.problems()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.rematch_button.setEnabled(not problems)
        self.reset_button.setEnabled(self.form.is_modified())

    def _reset(self) -> None:
        self.form.reset()
        self._changed()
        self.resetDone.emit()


class SitePanel(QGroupBox):
    """The facts of the site whose projects are ranked (read only)."""

    def __init__(self, site: Site, rematch_button: QPushButton, parent: QWidget | None = None):
        super().__init__(_tr("场地情况"), parent)
        layout = QVBoxLayout(self)
        self.view = QTextBrowser(self)
        layout.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(rematch_button)
        layout.addLayout(row)
        self.show_site(site)

    def show_site(self, site: Site) -> None:
        facts = [(_tr("编号"), site.code), (_tr("名称"), site.name), *site_facts(site)]
        rows = "".join(
            f"<tr><td style='color:#666; padding-right:8px'>{escape(label)}</td>"
            f"<td>{escape(text)}</td></tr>"
            for label, text in facts
        )
        self.view.setHtml(f"<table cellspacing='3'>{rows}</table>")
