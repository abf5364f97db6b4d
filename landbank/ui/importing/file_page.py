"""The import wizard's first page: the file, read on the worker with a busy bar and Cancel."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from landbank.services.importing.preview import ImportPreview
from landbank.ui.importing.pages import (
    FILE_FILTER,
    ImportState,
    PreviewLoader,
    error_label,
    show_error,
    tr,
)
from landbank.ui.importing.worker import PreviewRequest


class FilePage(QWizardPage):
    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setTitle(self.tr("选择文件"))
        self.setSubTitle(
            self.tr(
                "选择要导入的台账文件（Excel、WPS 表格或 CSV）。导入前会先检查，有错误则不写入任何数据。"
            )
        )
        self.kind_label = QLabel(QCoreApplication.translate("kinds", state.kind.label), self)
        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText(self.tr("文件路径"))
        self.path_edit.editingFinished.connect(self._path_edited)
        self.browse_button = QPushButton(self.tr("浏览(&B)…"), self)
        self.browse_button.clicked.connect(self.browse)
        self.error_label = error_label(self)
        self.info_label = QLabel(self)
        self.info_label.setWordWrap(True)
        self.loader = PreviewLoader(state, self)
        self.loader.loaded.connect(self._loaded)
        self.loader.failed.connect(self._failed)
        self.loader.cancelled.connect(self._cancelled)
        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(self.tr("导入到："), self.kind_label)
        form.addRow(self.tr("文件："), row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.loader)
        layout.addWidget(self.error_label)
        layout.addWidget(self.info_label)
        layout.addStretch(1)

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self, self.tr("选择台账文件"), self.path_edit.text(), tr(FILE_FILTER)
        )
        if chosen:
            self.set_path(Path(chosen))

    def set_path(self, path: Path) -> None:
        """Read ``path`` on the worker; the page is complete once its preview has come."""
        self.path_edit.setText(str(path))
        self._load(path)

    def _path_edited(self) -> None:
        text = self.path_edit.text().strip()
        if not text:
            return
        path, preview, request = Path(text), self.state.preview, self.loader.request
        if request is not None and request.path == path:
            return  # being read
        if preview is None or path != preview.path or request is not None:
            self._load(path)

    def _load(self, path: Path) -> None:
        show_error(self.error_label, "")
        self.info_label.clear()
        self.loader.load(
            PreviewRequest(self.state.kind, path),
            self.tr("正在读取“{name}”……").format(name=path.name),
        )
        self.completeChanged.emit()

    def _loaded(self, preview: ImportPreview) -> None:
        self.state.preview = preview
        text = self.tr("工作表“{sheet}”，表头在第 {row} 行，{n} 行数据").format(
            sheet=preview.sheet, row=preview.header_row, n=len(preview.rows)
        )
        if preview.profile:
            text += self.tr("；识别为{profile}文件").format(profile=preview.profile)
        self.info_label.setText(text)
        self.completeChanged.emit()

    def _failed(self, reason: str) -> None:
        self.state.preview = None
        show_error(self.error_label, reason)
        self.completeChanged.emit()

    def _cancelled(self) -> None:
        self.info_label.setText(
            self.tr("已取消读取。请重新选择文件，或在路径框中按回车再次读取。")
        )
        self.completeChanged.emit()

    def cleanupPage(self) -> None:
        self.loader.cancel()

    def isComplete(self) -> bool:
        preview = self.state.preview
        return (
            not self.loader.busy
            and preview is not None
            and str(preview.path) == self.path_edit.text().strip()
        )


