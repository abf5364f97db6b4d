"""The import wizard's defaults panel: what the file does not say, and what the import will
put there — each value the clerk may change before the check (see
:mod:`landbank.services.importing.defaults` for the rules)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldType, field_map
from landbank.services.importing.preview import ImportPreview, blank_counts, title_county
from landbank.services.importing.regions import CITY_LEADS

AUTOMATIC = "（自动）"


def tr(text: str) -> str:
    return QCoreApplication.translate("ImportWizard", text)


# Per kind: (field, what the import puts there when the clerk gives nothing, editable).
RULES: dict[RecordKind, tuple[tuple[str, str, bool], ...]] = {
    RecordKind.PARCEL: (
        ("code", "县区简称+年份+序号（台账中已有的地块沿用其编号）", False),
        ("readiness", "有收储日期：已收储(毛地)，否则：拟收储", True),
        ("status", "可供", True),
        ("township", "一个乡镇一张工作表时取工作表名", True),
    ),
    RecordKind.FACTORY: (
        ("code", "园区+栋号，或栋号", False),
        ("name", "厂房编号", False),
        ("status", "竣工时间为“在建”或未到：在建，否则：已建成", True),
        ("idle_area_m2", "状态为闲置时：建筑面积", False),
    ),
    RecordKind.PROJECT: (("stage", "线索", True),),
}


class DefaultsPanel(QGroupBox):
    """One line per default: the field, the rows that leave it empty, the automatic value and
    an editor for the clerk's own (blank: automatic). The county of rows naming none comes
    first, with the choice to allow counties the ledger does not hold yet."""

    changed = Signal()

    def __init__(self, kind: RecordKind, regions: list[str], parent: QWidget | None = None) -> None:
        super().__init__(tr("文件未写明的内容（默认值，可修改）"), parent)
        self.kind = kind
        self.specs = field_map(kind)
        self.grid = QGridLayout(self)
        self.grid.setColumnStretch(3, 1)
        self.region_combo = QComboBox(self)
        self.region_combo.setEditable(True)
        self.region_combo.addItem("")
        self.region_combo.addItems(regions)
        self.region_combo.setMinimumContentsLength(10)
        self.region_combo.currentTextChanged.connect(lambda _t: self.changed.emit())
        self.region_rows = QLabel(self)
        self.region_auto = QLabel(self)
        self.create_check = QCheckBox(tr("新建县区：允许新建台账中还没有的县区"), self)
        self.create_check.toggled.connect(lambda _c: self.changed.emit())
        self.grid.addWidget(QLabel(tr("县区"), self), 0, 0)
        self.grid.addWidget(self.region_rows, 0, 1)
        self.grid.addWidget(self.region_combo, 0, 2)
        self.grid.addWidget(self.region_auto, 0, 3)
        self.editors: dict[str, QComboBox] = {}
        self.counts: dict[str, QLabel] = {}
        for row, (key, automatic, editable) in enumerate(RULES.get(kind, ()), start=1):
            spec = self.specs[key]
            self.grid.addWidget(QLabel(tr(spec.label), self), row, 0)
            count = QLabel(self)
            self.counts[key] = count
            self.grid.addWidget(count, row, 1)
            if editable:
                editor = QComboBox(self)
                editor.addItem(tr(AUTOMATIC), "")
                if spec.type is FieldType.CHOICE and spec.choices is not None:
                    for choice in spec.choices:
                        editor.addItem(tr(choice.value), choice.value)
                else:
                    editor.setEditable(True)
                editor.currentIndexChanged.connect(lambda _i: self.changed.emit())
                self.editors[key] = editor
                self.grid.addWidget(editor, row, 2)
            self.grid.addWidget(QLabel(tr("自动：") + tr(automatic), self), row, 3)
        self.grid.addWidget(self.create_check, len(RULES.get(kind, ())) + 1, 0, 1, 4)

    def show_preview(self, preview: ImportPreview, mapping: list[str | None]) -> None:
        """Rows that leave each field empty under ``mapping``; the county of the title."""
        keys = ["region_id", *(key for key, _a, _e in RULES.get(self.kind, ()))]
        counts = blank_counts(preview, keys, mapping)
        if self.kind is RecordKind.PARCEL and {"readiness", "status"} <= set(counts):
            both = blank_counts(preview, ["readiness"], mapping)["readiness"]
            counts["readiness"] = min(both, counts["status"])
        self.region_rows.setText(tr("{n} 行未写").format(n=counts["region_id"]))
        county = title_county(preview)
        if county:
            auto = tr("取自标题：{county}").format(county=county)
        elif self.kind is RecordKind.PROJECT:
            auto = tr("市级项目线索：{name}").format(name=CITY_LEADS)
        else:
            auto = tr("无（未写县区的行不能导入，请在左侧选择）") if counts["region_id"] else ""
        self.region_auto.setText(tr("自动：") + auto if auto else "")
        for key, label in self.counts.items():
            label.setText(tr("{n} 行未写").format(n=counts.get(key, 0)))

    def values(self) -> dict[str, str]:
        """The clerk's defaults by field key (the automatic ones left out)."""
        result: dict[str, str] = {}
        for key, editor in self.editors.items():
            data = editor.currentData()
            text = data if isinstance(data, str) and data else ""
            if editor.isEditable() and editor.currentIndex() <= 0:
                text = editor.currentText().strip()
                text = "" if text == tr(AUTOMATIC) else text
            if text:
                result[key] = text
        return result

    def region(self) -> str | None:
        text = self.region_combo.currentText().strip()
        return text or None

    def create_regions(self) -> bool:
        return self.create_check.isChecked()
