"""What every field editor is (landbank.ui.records.field_editors picks one per field type).

Every editor has the same small interface: ``value()`` (raises
:class:`~landbank.domain.validation.FieldError` with the reason when the typed text cannot be
read), ``set_value(v)``, ``problem()`` (the reason, or ``None``), ``state()`` (what is on screen,
to tell whether the clerk typed something) and a ``changed`` signal; an empty editor means
``None``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from landbank.domain.fields import FieldSpec
from landbank.domain.validation import FieldError


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
