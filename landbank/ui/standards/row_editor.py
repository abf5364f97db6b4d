"""One row of the 标准地 table added or changed: 县区, 园区 (blank: every park), 产业 (blank: every
industry) and each bound with its unit; a blank bound shows the national floor where one
applies. The checks are the service's (:func:`~landbank.services.standards.saving.check_standard`):
problems are listed in red in the dialog and keep it open; warnings (a value looser than the
national floor) are listed and the row is saved."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col, select

from landbank.domain.standards.headers import parse_threshold
from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.errors import describe_error
from landbank.services.records.saving import RecordError
from landbank.services.standards.rows import (
    BOUND_COLUMNS,
    Bound,
    StandardEntry,
    bound_header,
    national_bound,
)
from landbank.services.standards.saving import (
    StandardInput,
    StandardInvalid,
    check_standard,
    create_standard,
    update_standard,
)
from landbank.store.models import Park, Region
from landbank.ui.context import AppContext


def _tr(text: str) -> str:
    return QCoreApplication.translate("StandardRowDialog", text)


class StandardRowDialog(QDialog):
    """Add a row (``entry`` None) or change ``entry``; OK saves it (audited)."""

    def __init__(
        self, ctx: AppContext, entry: StandardEntry | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.entry = entry
        self.setWindowTitle(_tr("修改标准地指标") if entry else _tr("新增标准地指标"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.county = QComboBox(self)
        self.park = QComboBox(self)
        self.industry = QLineEdit(self)
        self.industry.setPlaceholderText(_tr("空白表示全部产业"))
        self.industry.setMaxLength(100)
        form.addRow(_tr("县区"), self.county)
        form.addRow(_tr("园区"), self.park)
        form.addRow(_tr("产业"), self.industry)
        layout.addLayout(form)
        grid = QGridLayout()
        self.fields: dict[tuple[Indicator, Bound], QLineEdit] = {}
        for n, (indicator, bound) in enumerate(BOUND_COLUMNS):
            edit = QLineEdit(self)
            edit.setMinimumWidth(110)
            floor = national_bound(indicator, bound)
            if floor is not None:
                edit.setPlaceholderText(
                    _tr("国家标准 {value}").format(value=indicator.format(floor))
                )
            else:
                edit.setPlaceholderText(_tr("未设定"))
            grid.addWidget(QLabel(bound_header(indicator, bound), self), n // 2, (n % 2) * 2)
            grid.addWidget(edit, n // 2, (n % 2) * 2 + 1)
            self.fields[(indicator, bound)] = edit
        layout.addLayout(grid)
        self.notes = QLineEdit(self)
        self.notes.setMaxLength(2000)
        notes_form = QFormLayout()
        notes_form.addRow(_tr("备注"), self.notes)
        layout.addLayout(notes_form)
        self.messages = QLabel(self)
        self.messages.setWordWrap(True)
        self.messages.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.messages)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("保存"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("取消"))
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._load_places()
        self.county.currentIndexChanged.connect(self._load_parks)
        self._load_parks()
        if entry is not None:
            self._show(entry)

    # ------------------------------------------------------------------ places

    def _load_places(self) -> None:
        rights = self.ctx.rights
        with self.ctx.session() as session:
            regions = session.execute(
                select(col(Region.id), col(Region.name)).order_by(col(Region.id))
            ).all()
            self._parks = session.execute(
                select(col(Park.id), col(Park.name), col(Park.region_id)).order_by(col(Park.id))
            ).all()
        for region_id, name in regions:
            if rights.scope == "county" and rights.region_id != region_id:
                continue  # a county login adds rows of its own county only
            self.county.addItem(name, region_id)

    def _load_parks(self) -> None:
        region_id = self.county.currentData()
        current = self.park.currentData()
        self.park.clear()
        self.park.addItem(_tr("（全部园区）"), None)
        for park_id, name, park_region in self._parks:
            if park_region == region_id:
                self.park.addItem(name, park_id)
        index = self.park.findData(current)
        self.park.setCurrentIndex(max(index, 0))

    def _show(self, entry: StandardEntry) -> None:
        self.county.setCurrentIndex(max(self.county.findData(entry.region_id), 0))
        self._load_parks()
        self.park.setCurrentIndex(max(self.park.findData(entry.park_id), 0))
        self.industry.setText(entry.industry or "")
        for (indicator, bound), edit in self.fields.items():
            figure = entry.figure(indicator, bound)
            edit.setText("" if figure is None else f"{figure:.15g}")
        self.notes.setText(entry.notes or "")

    # ------------------------------------------------------------------ values

    def given(self) -> tuple[StandardInput | None, list[str]]:
        """The row as typed, or the reasons a cell cannot be read."""
        problems: list[str] = []
        values: dict[Indicator, Threshold] = {}
        for (indicator, bound), edit in self.fields.items():
            text = unicodedata.normalize("NFKC", edit.text()).strip()
            got = parse_threshold(indicator, text, bound)
            if isinstance(got, str):
                problems.append(f"{bound_header(indicator, bound)}：{got}")
                continue
            if got is None:
                continue
            if (got.low if bound == "low" else got.high) is None:
                problems.append(
                    f"{bound_header(indicator, bound)}：“{edit.text()}”应填{'下限' if bound == 'low' else '上限'}"
                )
                continue
            old = values.get(indicator, Threshold())
            values[indicator] = Threshold(
                got.low if bound == "low" else old.low, got.high if bound == "high" else old.high
            )
        region_id = self.county.currentData()
        if region_id is None:
            problems.append(_tr("请先选择县区（台账中还没有县区时，请先在“数据 → 行政区与园区”中登记）"))
            return None, problems
        given = StandardInput(
            int(region_id), self.park.currentData(), self.industry.text(), values, self.notes.text()
        )
        return given, problems

    def save(self) -> None:
        given, problems = self.given()
        warnings: list[str] = []
        if given is not None and not problems:
            with self.ctx.session() as session:
                problems, warnings = check_standard(
                    session, given, standard_id=self.entry.id if self.entry else None
                )
        if problems:
            self._say(problems, warnings)
            return
        assert given is not None
        try:
            with self.ctx.write_session() as session:
                if self.entry is None:
                    create_standard(session, given, user=self.ctx.user)
                else:
                    update_standard(
                        session, self.entry.id, given,
                        expected_version=self.entry.version, user=self.ctx.user,
                    )
        except StandardInvalid as exc:
            self._say(exc.problems, warnings)
            return
        except RecordError as exc:  # a conflict, a refusal of the server
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            return
        except SQLAlchemyError as exc:
            QMessageBox.warning(self, self.windowTitle(), describe_error(exc))
            return
        self.warnings = warnings
        self.accept()

    def _say(self, problems: list[str], warnings: list[str]) -> None:
        lines = [f"<span style='color:#c00000'>· {p}</span>" for p in problems]
        lines += [f"<span style='color:#8a6d00'>提示：{w}</span>" for w in warnings]
        self.messages.setText("<br>".join(lines))
