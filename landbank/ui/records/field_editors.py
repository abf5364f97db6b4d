"""One editor widget per field type of the catalogue (landbank.domain.fields).

Every editor has the same small interface: ``value()`` (raises
:class:`~landbank.domain.validation.FieldError` with the reason when the typed text cannot be
read), ``set_value(v)``, ``problem()`` (the reason, or ``None``), ``state()`` (what is on screen,
to tell whether the clerk typed something) and a ``changed`` signal. Numbers and dates are
typed as clerks write them ("1,234.5", "约 120亩", "1.2万㎡", "2026年3月15日") and read with
:func:`landbank.domain.validation.coerce`; an empty editor means ``None``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from PySide6.QtCore import QCollator, QCoreApplication, QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QToolButton,
    QWidget,
    QWidgetAction,
)
from sqlmodel import Session

from landbank.domain.enums import ParcelStatus, RecordKind
from landbank.domain.fields import FieldSpec, FieldType
from landbank.domain.ladders import Ladder, TransitionError, ladder_for
from landbank.domain.units import Quantity, format_number, normalise_text
from landbank.domain.validation import FieldError, coerce
from landbank.store.queries import fetch_page, load_names

_COLLATOR = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def pinyin_key(name: str) -> Any:
    """Sort key putting Chinese names in pinyin order, as clerks expect."""
    return _COLLATOR.sortKey(name)


@dataclass(frozen=True)
class References:
    """Regions, parks and projects to choose from, by name, sorted as clerks expect (pinyin)."""

    regions: list[tuple[int, str]] = field(default_factory=list)
    region_kinds: dict[int, str] = field(default_factory=dict)
    parks: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, region id
    projects: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session) -> References:
        names = load_names(session)
        rows = fetch_page(session, RecordKind.REGION, limit=1_000_000)
        return cls(
            regions=sorted(names.regions.items(), key=lambda r: pinyin_key(r[1])),
            region_kinds={int(r["id"]): str(r["kind"]) for r in rows},
            parks=sorted(
                ((pid, name, names.park_region[pid]) for pid, name in names.parks.items()),
                key=lambda p: pinyin_key(p[1]),
            ),
            projects=sorted(names.projects.items(), key=lambda p: pinyin_key(p[1])),
        )

    def region_id(self, name: str) -> int | None:
        name = name.strip()
        return next((rid for rid, rname in self.regions if rname == name), None)

    def region_name(self, region_id: int | None) -> str:
        return next((n for rid, n in self.regions if rid == region_id), "")


class FieldEditor(QWidget):
    """Base of the editors: an input widget, optionally followed by a unit label."""

    changed = Signal()

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def state(self) -> object:
        """What the clerk sees, comparable between two moments (dirty check)."""
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def problem(self) -> str | None:
        try:
            self.value()
        except FieldError as exc:
            return str(exc)
        return None

    def focus(self) -> None:
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def _add_input(self, widget: QWidget, stretch: int = 1) -> None:
        self._layout.addWidget(widget, stretch)
        self.setFocusProxy(widget)

    def _add_unit(self) -> None:
        if self.spec.unit:
            unit = QLabel(self.spec.unit, self)
            unit.setObjectName("unit")
            unit.setMinimumWidth(unit.sizeHint().width())
            self._layout.addWidget(unit)


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


# Values of a choice field only the system sets, never offered in an edit dialog.
MANAGED_CHOICES: dict[str, frozenset[str]] = {"status": frozenset({ParcelStatus.RESERVED.value})}


class _ComboEditor(FieldEditor):
    """A non-editable combo whose item data is the value; the first item is empty (None)."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo = QComboBox(self)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(6)
        self.combo.currentIndexChanged.connect(self._on_index)
        self._add_input(self.combo)
        self._add_unit()

    def _on_index(self, _index: int) -> None:
        self.changed.emit()

    def value(self) -> Any:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        if index < 0:
            index = self._add_unknown(value)
        self.combo.setCurrentIndex(index)

    def _add_unknown(self, value: Any) -> int:
        self.combo.addItem(str(value), value)
        return self.combo.count() - 1

    def state(self) -> object:
        return self.combo.currentData()


class BoolEditor(_ComboEditor):
    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        self.combo.addItem(self.tr("空"), None)
        self.combo.addItem(self.tr("是"), True)
        self.combo.addItem(self.tr("否"), False)

    def set_value(self, value: Any) -> None:
        self.combo.setCurrentIndex(
            {None: 0, True: 1, False: 2}[None if value is None else bool(value)]
        )


def _choice_text(choice: StrEnum) -> str:
    label = getattr(type(choice), "label", None)
    return str(choice.label) if isinstance(label, property) else choice.value  # type: ignore[attr-defined]


class ChoiceEditor(_ComboEditor):
    """The values of an enum a clerk may choose here. For a ladder field ``set_origin(old)``
    offers only the values the ladder allows from ``old`` (staying included); a value only the
    system sets (a parcel's 意向锁定, made for a project in the matching window) is never
    offered unless it is the record's own."""

    def __init__(self, spec: FieldSpec, parent: QWidget | None = None) -> None:
        super().__init__(spec, parent)
        assert spec.choices is not None
        self.choices: list[StrEnum] = list(spec.choices)
        self.ladder: Ladder | None = ladder_for(spec.choices) if spec.ladder else None
        self.origin: str | None = None
        self._fill(None)

    def _offered(self, old: str | None) -> list[StrEnum]:
        allowed = set(self.ladder.allowed_from(old)) if self.ladder and old else None
        return [
            choice
            for choice in self.choices
            if (allowed is None or choice.value in allowed)
            and (choice.value not in MANAGED_CHOICES.get(self.spec.key, ()) or choice.value == old)
        ]

    def _fill(self, old: str | None) -> None:
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", None)
        for choice in self._offered(old):
            self.combo.addItem(_choice_text(choice), choice.value)
        index = self.combo.findData(current) if current is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def set_origin(self, old: str | None) -> None:
        self.origin = old
        self._fill(old)

    def set_value(self, value: Any) -> None:
        super().set_value(value.value if isinstance(value, StrEnum) else value)

    def ladder_reason(self, value: str | None) -> str | None:
        if self.ladder is None or self.origin is None or value is None:
            return None
        try:
            self.ladder.check(self.origin, value)
        except TransitionError as exc:
            return str(exc)
        return None

    def problem(self) -> str | None:
        return super().problem() or self.ladder_reason(self.value())


class ReferenceEditor(_ComboEditor):
    """A region or a project, by name; the item data is the id."""

    def __init__(
        self, spec: FieldSpec, items: Sequence[tuple[int, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(spec, parent)
        self.set_items(items)

    def set_items(self, items: Sequence[tuple[int, str]]) -> None:
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", None)
        for ref_id, name in items:
            self.combo.addItem(name, ref_id)
        index = self.combo.findData(current) if current is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)
        if self.combo.currentData() != current:
            self.changed.emit()

    def _add_unknown(self, value: Any) -> int:
        self.combo.addItem(f"#{value}", value)
        return self.combo.count() - 1


class ParkEditor(ReferenceEditor):
    """Parks, narrowed to the chosen region by :meth:`filter_region`."""

    def __init__(
        self, spec: FieldSpec, parks: Sequence[tuple[int, str, int]], parent: QWidget | None = None
    ) -> None:
        self.parks = list(parks)
        self.region_names: dict[int, str] = {}
        super().__init__(spec, self._items(None), parent)

    def _items(self, region_id: int | None) -> list[tuple[int, str]]:
        if region_id is not None:
            return [(pid, name) for pid, name, rid in self.parks if rid == region_id]
        names = [name for _pid, name, _rid in self.parks]
        return [
            (pid, f"{name}（{self.region_names.get(rid, '')}）" if names.count(name) > 1 else name)
            for pid, name, rid in self.parks
        ]

    def filter_region(self, region_id: int | None) -> None:
        self.set_items(self._items(region_id))

    def _add_unknown(self, value: Any) -> int:
        name = next((n for pid, n, _rid in self.parks if pid == value), f"#{value}")
        self.combo.addItem(name, value)
        return self.combo.count() - 1


def make_editor(
    spec: FieldSpec, refs: References | None = None, parent: QWidget | None = None
) -> FieldEditor:
    """The editor for ``spec``; reference fields choose among ``refs``."""
    refs = refs or References()
    match spec.type:
        case FieldType.TEXT:
            return TextEditor(spec, parent)
        case FieldType.LONG_TEXT:
            return LongTextEditor(spec, parent)
        case FieldType.INT | FieldType.FLOAT:
            return NumberEditor(spec, parent)
        case FieldType.DATE:
            return DateEditor(spec, parent)
        case FieldType.BOOL:
            return BoolEditor(spec, parent)
        case FieldType.CHOICE:
            return ChoiceEditor(spec, parent)
        case FieldType.REGION:
            return ReferenceEditor(spec, refs.regions, parent)
        case FieldType.PARK:
            editor = ParkEditor(spec, refs.parks, parent)
            editor.region_names = dict(refs.regions)
            editor.filter_region(None)
            return editor
        case FieldType.PROJECT:
            return ReferenceEditor(spec, refs.projects, parent)
    raise AssertionError(spec.type)
