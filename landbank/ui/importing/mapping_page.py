"""The import wizard's columns page: a field per column (remembered once confirmed), the first
rows as the import will read them, the defaults panel and the duplicate policy."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from landbank.domain.fields import field_map
from landbank.services.importing.columns import map_columns, remember_mapping
from landbank.services.importing.preview import ImportPreview, preview_table
from landbank.store.queries import load_names
from landbank.ui.importing.defaults_panel import DefaultsPanel
from landbank.ui.importing.pages import (
    MAX_PREVIEW_COLUMN_WIDTH,
    NOT_IMPORTED,
    POLICIES,
    PREVIEW_ROWS,
    ImportState,
    error_label,
    read_only_table,
    show_error,
    table_item,
    tr,
)


class MappingPage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(self.tr("列对应"))
        self.setSubTitle(
            self.tr(
                "为文件的每一列选择对应的字段；不需要的列选“（不导入）”。确认后的对应关系会被记住。"
            )
        )
        self.specs = [s for s in field_map(state.kind).values() if not s.read_only]
        self.remembered_label = QLabel(self)
        self.columns_table = read_only_table(
            self, [self.tr("文件中的列"), self.tr("导入为"), self.tr("说明")]
        )
        header = self.columns_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.rows_table = read_only_table(self, [])
        self.rows_label = QLabel(self)
        self.policy_combo = QComboBox(self)
        for key, text in POLICIES:
            self.policy_combo.addItem(tr(text), key)
        self.policy_combo.setCurrentIndex(2)
        self.all_uses_check = QCheckBox(self.tr("全部用途（不只工业用地）"), self)
        self.all_uses_check.toggled.connect(lambda _checked: self._mapping_changed())
        self.error_label = error_label(self)
        with state.ctx.session() as session:
            regions = sorted(load_names(session).regions.values())
        self.defaults_panel = DefaultsPanel(state.kind, regions, self)
        if state.ctx.rights.region_name:  # a county clerk's rows naming no county: its own
            self.defaults_panel.region_combo.setCurrentText(state.ctx.rights.region_name)
        options = QHBoxLayout()
        options.addWidget(QLabel(self.tr("遇到重复："), self))
        options.addWidget(self.policy_combo)
        options.addSpacing(24)
        options.addWidget(self.all_uses_check)
        options.addStretch(1)
        tables = QHBoxLayout()
        tables.addWidget(self.columns_table, 2)
        right = QVBoxLayout()
        right.addWidget(self.rows_label)
        right.addWidget(self.rows_table, 1)
        tables.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(self.remembered_label)
        layout.addLayout(tables, 1)
        layout.addWidget(self.defaults_panel)
        layout.addLayout(options)
        layout.addWidget(self.error_label)
        self.combos: list[QComboBox] = []

    def initializePage(self) -> None:
        preview = self.state.preview
        assert preview is not None
        self.remembered_label.setText(
            self.tr("已按上次确认的对应关系填好。")
            if preview.remembered
            else self.tr("已按表头自动对应，请核对。")
        )
        self.combos = []
        self.columns_table.setRowCount(len(preview.columns.columns))
        for row, column in enumerate(preview.columns.columns):
            self.columns_table.setItem(row, 0, table_item(column.header or self.tr("（无表头）")))
            combo = QComboBox(self.columns_table)
            combo.addItem(tr(NOT_IMPORTED), None)
            for spec in self.specs:
                combo.addItem(tr(spec.header), spec.key)
            found = combo.findData(column.key) if column.key is not None else 0
            combo.setCurrentIndex(max(found, 0))
            combo.currentIndexChanged.connect(self._mapping_changed)
            self.columns_table.setCellWidget(row, 1, combo)
            self.combos.append(combo)
        self.columns_table.resizeRowsToContents()
        landchina = preview.layout is not None
        self.all_uses_check.setVisible(landchina)
        self.all_uses_check.setChecked(self.state.all_land_uses)
        show_error(self.error_label, "")
        self._mapping_changed()

    def _all_land_uses(self) -> bool:
        """全部用途 ticked, for a 中国土地市场网 file (the only one that offers it)."""
        preview = self.state.preview
        return preview is not None and preview.layout is not None and self.all_uses_check.isChecked()

    def keys(self) -> list[str | None]:
        keys: list[str | None] = []
        for combo in self.combos:
            data = combo.currentData()
            keys.append(data if isinstance(data, str) else None)
        return keys

    def _mapping_changed(self) -> None:
        """The first rows as the import will read them under the mapping chosen: what a
        中国土地市场网 file derives (县区 from 地区, 代码 from 链接 …) shown too."""
        preview = self.state.preview
        assert preview is not None
        keys = self.keys()
        shown = preview_table(preview, keys, limit=PREVIEW_ROWS, all_land_uses=self._all_land_uses())
        specs = field_map(self.state.kind)
        table = self.rows_table
        table.clear()
        table.setColumnCount(1 + len(shown.keys))
        table.setHorizontalHeaderLabels([self.tr("行"), *(tr(specs[k].header) for k in shown.keys)])
        for c, key in enumerate(shown.keys, start=1):
            item = table.horizontalHeaderItem(c)
            if item is not None and key in shown.derived:
                item.setToolTip(self.tr("不是文件中的某一列，由文件的其他列得出"))
        table.setRowCount(len(shown.rows))
        for r, (number, texts) in enumerate(shown.rows):
            table.setItem(r, 0, table_item(str(number)))
            for c, text in enumerate(texts, start=1):
                table.setItem(r, c, table_item(text))
        table.resizeColumnsToContents()
        for c in range(table.columnCount()):  # long text (坐落) keeps the others in view
            table.setColumnWidth(c, min(table.columnWidth(c), MAX_PREVIEW_COLUMN_WIDTH))
        if shown.other_uses:
            text = self.tr("前 {shown} 行（共 {n} 行工业用地；另有 {other} 行其他用途，不导入）将这样读取：")
        else:
            text = self.tr("前 {shown} 行（共 {n} 行）将这样读取：")
        self.rows_label.setText(
            text.format(shown=len(shown.rows), n=shown.total, other=shown.other_uses)
        )
        self._show_notes(preview)
        self.defaults_panel.show_preview(preview, keys)
        chosen = any(key is not None for key in keys)
        show_error(self.error_label, "" if chosen else self.tr("请至少为一列选择字段。"))
        self.completeChanged.emit()

    def _show_notes(self, preview: ImportPreview) -> None:
        """Units converted, repeated fields, and the columns a 中国土地市场网 file's rules read
        whatever the mapping says — so the columns left “（不导入）” without a note are exactly
        those the check page lists as not imported."""
        columns = map_columns(self.state.kind, preview.headers, self.keys())
        repeated = set(columns.duplicates)
        specs = field_map(self.state.kind)
        read = preview.layout.read_columns() if preview.layout is not None else frozenset()
        for row, column in enumerate(columns.columns):
            note = ""
            if column.key is None and column.index in read:
                note = self.tr("按中国土地市场网规则读取（县区、编号、备注等）")
            elif column.header in repeated and self.keys()[row] is not None:
                note = self.tr("与后面的列重复，不导入")
            elif column.key is not None and column.unit and column.unit != specs[column.key].unit:
                note = self.tr("按{unit}换算为{target}").format(
                    unit=column.unit, target=specs[column.key].unit
                )
            self.columns_table.setItem(row, 2, table_item(note))

    def isComplete(self) -> bool:
        return any(key is not None for key in self.keys()) or (
            self.state.preview is not None and self.state.preview.layout is not None
        )

    def validatePage(self) -> bool:
        preview = self.state.preview
        assert preview is not None
        keys = self.keys()
        self.state.mapping = tuple(keys)
        data = self.policy_combo.currentData()
        self.state.on_duplicate = data if data in ("update", "skip", "stop") else "stop"
        self.state.all_land_uses = self._all_land_uses()
        self.state.defaults = self.defaults_panel.values()
        self.state.region = self.defaults_panel.region()
        self.state.create_regions = self.defaults_panel.create_regions()
        try:
            remember_mapping(self.state.kind, preview.headers, keys)
        except OSError as exc:  # not remembered: the import itself still works
            show_error(
                self.error_label,
                self.tr("无法记住列对应：{reason}").format(reason=exc.strerror or exc),
            )
        return True
