"""The small form of one year's figures (年度经营数据) of the firm on a parcel, opened by the
土地利用状况 tab's 添加…/编辑… (:mod:`landbank.ui.records.land_life_panel`).

Figures are typed as clerks write them (“1,200”, “约 120”, “１２０”, “12万元” in a 万元 field);
a blank is “not reported”. What cannot be read, and what the service refuses
(:func:`landbank.services.land_life.yields.check_yield`), is said under the form and 确定 stays
disabled until it is fixed.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.units import Quantity, UnitError, format_number, parse_number
from landbank.services.land_life.yields import FIGURES, FIRST_YEAR, YieldInput, check_yield


class YieldDialog(QDialog):
    """Asks for one year's figures; :attr:`result_input` holds them after 确定."""

    def __init__(
        self, title: str, given: YieldInput | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(340)
        self.result_input: YieldInput | None = None
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.year = QSpinBox(self)
        self.year.setRange(FIRST_YEAR, date.today().year)
        self.year.setValue(given.year if given else date.today().year - 1)
        self.year.setSuffix(self.tr(" 年"))
        form.addRow(self.tr("年度"), self.year)
        self.edits: dict[str, QLineEdit] = {}
        for key, (label, unit) in FIGURES.items():
            edit = QLineEdit(self)
            value = getattr(given, key) if given else None
            if value is not None:
                edit.setText(str(value) if key == "employees" else format_number(value))
            edit.setPlaceholderText(self.tr("未填报"))
            edit.textChanged.connect(self._check)
            form.addRow(f"{label}（{unit}）", edit)
            self.edits[key] = edit
        self.notes = QLineEdit(self)
        self.notes.setText(given.notes or "" if given else "")
        form.addRow(self.tr("备注"), self.notes)
        layout.addLayout(form)
        self.problems = QLabel(self)
        self.problems.setStyleSheet("color: #c62828;")
        self.problems.setWordWrap(True)
        layout.addWidget(self.problems)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.year.valueChanged.connect(self._check)
        self._check()

    def read(self) -> tuple[YieldInput | None, list[str]]:
        """The figures as typed, or the reasons they cannot be."""
        problems: list[str] = []
        values: dict[str, float | int | None] = {}
        for key, edit in self.edits.items():
            label = FIGURES[key][0]
            quantity = Quantity.MONEY if key.endswith("_wan") else Quantity.PLAIN
            try:
                value = parse_number(edit.text(), quantity)
            except UnitError as exc:
                problems.append(f"{label}：{exc}")
                continue
            if key == "employees" and value is not None:
                if value != int(value):
                    problems.append(self.tr("从业人数应为整数"))
                    continue
                value = int(value)
            values[key] = value
        if problems:
            return None, problems
        given = YieldInput(self.year.value(), **values, notes=self.notes.text())  # type: ignore[arg-type]
        problems = check_yield(given)
        return (None, problems) if problems else (given, [])

    def _check(self) -> None:
        _given, problems = self.read()
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problems)

    def _accept(self) -> None:
        given, problems = self.read()
        if given is None:
            self.problems.setText("\n".join(problems))
            return
        self.result_input = given
        self.accept()
