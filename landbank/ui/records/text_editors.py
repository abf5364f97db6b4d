"""The editors a clerk types into: text, long text, numbers and dates.

Numbers and dates are typed as clerks write them ("1,234.5", "约 120亩", "1.2万㎡",
"2026年3月15日") and read with :func:`landbank.domain.validation.coerce`; an empty editor means
``None``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QCalendarWidget,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)

from landbank.domain.fields import FieldSpec, FieldType
from landbank.domain.units import Quantity, format_number, normalise_text
from landbank.domain.validation import FieldError, coerce
from landbank.ui.records.editor_base import FieldEditor


class TextEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        self.line.setMaxLength(spec.max_length)
        self.line.setClearButtonEnabled(True)
        self.line.textChanged.connect(self.changed)
        self._add_input(self.line)

    def value(self) -> Any:
        return coerce(self.spec, self.line.text())

    def set_value(self, value: Any) -> None:
        self.line.setText("" if value is None else str(value))
        self.line.setCursorPosition(0)

    def state(self) -> object:
        return self.line.text()

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.line.setClearButtonEnabled(not read_only)


class LongTextEditor(FieldEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 4 + 12)
        self.text.textChanged.connect(self.changed)
        self._add_input(self.text)

    def value(self) -> Any:
        return coerce(self.spec, self.text.toPlainText())

    def set_value(self, value: Any) -> None:
        self.text.setPlainText("" if value is None else str(value))

    def state(self) -> object:
        return self.text.toPlainText()

    def set_read_only(self, read_only: bool) -> None:
        self.text.setReadOnly(read_only)


def _placeholder(spec: FieldSpec) -> str:
    match spec.quantity:
        case Quantity.LAND:
            return QCoreApplication.translate("FieldEditor", "如 120 或 8公顷")
        case Quantity.FLOOR:
            return QCoreApplication.translate("FieldEditor", "如 12000 或 1.2万㎡")
        case Quantity.MONEY:
            return QCoreApplication.translate("FieldEditor", "如 5000 或 5亿")
    return ""


class NumberEditor(FieldEditor):
    """A line that reads what clerks type; shows the unit, and the conversion when the clerk
    typed another unit ("8公顷" → "= 120 亩")."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        self.line.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.line.setPlaceholderText(_placeholder(spec))
        self.line.textChanged.connect(self._on_text)
        self._add_input(self.line)
        self._add_unit()
        self.hint = QLabel(self)
        self.hint.setObjectName("hint")
        self.hint.setStyleSheet("color: #666;")
        self.hint.hide()
        self._layout.addWidget(self.hint)
        # The value last given to set_value and how it was shown: unchanged text gives the
        # value back exactly (no rounding through the display).
        self._given: tuple[str, Any] | None = None

    def _grouped(self) -> bool:
        return self.spec.unit != "年" and not self.spec.key.endswith("year")

    def format(self, value: float | int) -> str:
        if self.spec.type is FieldType.INT:
            return f"{int(value):,}" if self._grouped() else str(int(value))
        return format_number(float(value), decimals=6)

    def value(self) -> Any:
        text = self.line.text()
        if self._given is not None and text == self._given[0]:
            return self._given[1]
        return coerce(self.spec, text)

    def set_value(self, value: Any) -> None:
        text = "" if value is None else self.format(value)
        self._given = (text, value)
        self.line.setText(text)

    def state(self) -> object:
        return self.line.text()

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)

    def _on_text(self, text: str) -> None:
        plain = normalise_text(text).replace(",", "").lstrip("+-")
        shown = ""
        if plain and not plain.replace(".", "", 1).isdigit():
            try:
                value = self.value()
            except FieldError:
                value = None
            if value is not None:
                shown = f"= {self.format(value)} {self.spec.unit}".rstrip()
        self.hint.setText(shown)
        self.hint.setVisible(bool(shown))
        self.changed.emit()


class DateEditor(FieldEditor):
    """A line for typed dates (2026-03-15, 2026/3/15, 2026年3月15日) and a calendar button;
    empty means no date."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.line = QLineEdit(self)
        self.line.setPlaceholderText(self.tr("如 2026-03-15"))
        self.line.setClearButtonEnabled(True)
        self.line.textChanged.connect(self.changed)
        self._add_input(self.line)
        self.button = QToolButton(self)
        self.button.setArrowType(Qt.ArrowType.DownArrow)
        self.button.setStyleSheet("QToolButton::menu-indicator { image: none; }")
        self.button.setToolTip(self.tr("从日历选择"))
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.calendar = QCalendarWidget()
        self.calendar.setGridVisible(True)
        self.calendar.setLocale(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
        menu = QMenu(self.button)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        menu.aboutToShow.connect(self._sync_calendar)
        self.calendar.clicked.connect(self._pick)
        self.calendar.activated.connect(self._pick)
        self.button.setMenu(menu)
        self._layout.addWidget(self.button)

    def value(self) -> Any:
        return coerce(self.spec, self.line.text())

    def set_value(self, value: Any) -> None:
        self.line.setText(value.isoformat() if isinstance(value, date) else (value or ""))

    def state(self) -> object:
        return self.line.text()

    def set_read_only(self, read_only: bool) -> None:
        self.line.setReadOnly(read_only)
        self.line.setClearButtonEnabled(not read_only)
        self.line.setPlaceholderText("" if read_only else self.tr("如 2026-03-15"))
        self.button.setVisible(not read_only)

    def _sync_calendar(self) -> None:
        try:
            current = self.value()
        except FieldError:
            current = None
        day: date = current or date.today()
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))

    def _pick(self, picked: QDate) -> None:
        self.line.setText(picked.toString("yyyy-MM-dd"))
        menu = self.button.menu()
        if menu is not None:
            menu.hide()
