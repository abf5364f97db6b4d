"""The editors a clerk chooses in (a non-editable combo each): yes/no, a value of the field's
enum (narrowed by its ladder), a region, park or project by name."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any

from PySide6.QtWidgets import QComboBox, QWidget

from landbank.domain.enums import ParcelStatus
from landbank.domain.fields import FieldSpec
from landbank.domain.ladders import Ladder, TransitionError, ladder_for
from landbank.ui.records.editor_base import FieldEditor

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
