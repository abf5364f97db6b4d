"""报表 → 标准地指标承诺书…: pick the project and the parcel, then the print preview (with
“导出 PDF…”) of :mod:`landbank.ui.reports.pledge`, on the project's recorded figures.

The project is one of the open projects (线索 … 拟开工), searched by any part of its name; the
parcel one of the ledger's land parcels by code and name, those of the project's preferred
county (else its own county) first, the others after a separator — a project may take land in
another county. The parcel and the project selected in the 地块 and 项目 lists are preselected.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from landbank.services.standards.pledge_choices import ParcelChoice, ProjectChoice, parcels_for


def _searchable(box: QComboBox) -> None:
    """An editable combo whose typed text finds items containing it (not only starting with)."""
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = box.completer()
    if completer is not None:
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


class PledgeOptionsDialog(QDialog):
    """The project and the parcel of a 标准地指标承诺书."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        projects: list[ProjectChoice],
        parcels: list[ParcelChoice],
        project_id: int | None = None,
        parcel_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("标准地指标承诺书"))
        self._projects = {p.id: p for p in projects}
        self._parcels = parcels
        self.project_box = QComboBox(self)
        self.project_box.setObjectName("pledgeProject")
        _searchable(self.project_box)
        for project in projects:
            self.project_box.addItem(project.name, project.id)
        self.parcel_box = QComboBox(self)
        self.parcel_box.setObjectName("pledgeParcel")
        self.parcel_box.setMinimumWidth(360)
        _searchable(self.parcel_box)
        self.note = QLabel(self)
        self.note.setObjectName("pledgeNote")
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("项目："), self.project_box)
        form.addRow(self.tr("地块："), self.parcel_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("预览…"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        if project_id is not None and (i := self.project_box.findData(project_id)) >= 0:
            self.project_box.setCurrentIndex(i)
        self._fill_parcels(parcel_id)
        self.project_box.currentIndexChanged.connect(lambda _i: self._fill_parcels())
        self.parcel_box.currentIndexChanged.connect(lambda _i: self._update())
        self._update()

    def project_id(self) -> int | None:
        value = self.project_box.currentData()
        return value if isinstance(value, int) else None

    def parcel_id(self) -> int | None:
        value = self.parcel_box.currentData()
        return value if isinstance(value, int) else None

    def _fill_parcels(self, keep: int | None = None) -> None:
        """The parcels, the project's county first; ``keep`` (else the current parcel) stays
        selected."""
        keep = keep if keep is not None else self.parcel_id()
        project = self._projects.get(self.project_id() or -1)
        county = project.county_id if project is not None else None
        ordered = parcels_for(self._parcels, county)
        self.parcel_box.blockSignals(True)
        self.parcel_box.clear()
        for n, parcel in enumerate(ordered):
            if n and county is not None and parcel.region_id != county == ordered[n - 1].region_id:
                self.parcel_box.insertSeparator(self.parcel_box.count())
            self.parcel_box.addItem(parcel.text, parcel.id)
        index = self.parcel_box.findData(keep) if keep is not None else -1
        self.parcel_box.setCurrentIndex(index if index >= 0 else (0 if ordered else -1))
        self.parcel_box.blockSignals(False)
        self._update()

    def _update(self) -> None:
        ready = self.project_id() is not None and self.parcel_id() is not None
        self.ok.setEnabled(ready)
        if not self._projects:
            self.note.setText(self.tr("没有在谈项目（线索至拟开工），无法打印承诺书"))
        elif not self._parcels:
            self.note.setText(self.tr("台账中没有地块"))
        else:
            self.note.setText(
                self.tr("按项目登记的总投资、预计年税收等数据，计算其在该地块的各项标准地指标")
            )

    def accept(self) -> None:
        if self.project_id() is not None and self.parcel_id() is not None:
            super().accept()
