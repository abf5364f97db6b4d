"""导入标准地指标: a file, what to do with rows the table already holds (停止并列出 / 用文件更新 /
跳过), 试导入 or 导入; the report (every refused row with its sheet, row, column, value and
reason) shown in the dialog. Nothing is written when any row is refused."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.services.errors import describe_error
from landbank.services.importing.spreadsheet import SpreadsheetError
from landbank.services.records.saving import RecordError
from landbank.services.standards.importing import OnDuplicate, StandardsImport, import_standards
from landbank.ui.context import AppContext

_POLICIES: tuple[tuple[str, OnDuplicate], ...] = (
    ("停止并列出（不导入）", "stop"),
    ("用文件中的数值更新", "update"),
    ("跳过，保留台账中的", "skip"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("StandardsImportDialog", text)


class StandardsImportDialog(QDialog):
    """Import the indicator table from Excel/WPS/CSV; ``imported`` after a write."""

    imported = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("导入标准地指标"))
        self.resize(720, 460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        file_row = QHBoxLayout()
        self.path = QLineEdit(self)
        self.path.setPlaceholderText(_tr("表头如：县区、园区、产业、固定资产投资强度(万元/亩)、容积率下限 …"))
        browse = QPushButton(_tr("浏览…"), self)
        browse.clicked.connect(self.browse)
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form.addRow(_tr("文件"), file_row)
        self.policy = QComboBox(self)
        for text, value in _POLICIES:
            self.policy.addItem(_tr(text), value)
        form.addRow(_tr("台账中已有的行"), self.policy)
        layout.addLayout(form)
        self.report = QPlainTextEdit(self)
        self.report.setReadOnly(True)
        layout.addWidget(self.report, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.dry_button = QPushButton(_tr("试导入"), self)
        self.import_button = QPushButton(_tr("导入"), self)
        close = QPushButton(_tr("关闭"), self)
        self.dry_button.clicked.connect(lambda: self.run(dry_run=True))
        self.import_button.clicked.connect(lambda: self.run(dry_run=False))
        close.clicked.connect(self.accept)
        for button in (self.dry_button, self.import_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.last: StandardsImport | None = None

    def browse(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(
            self, _tr("选择标准地指标表"), str(Path.home()),
            _tr("表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)"),
        )
        if name:
            self.path.setText(name)

    def run(self, *, dry_run: bool) -> StandardsImport | None:
        path = self.path.text().strip()
        if not path:
            self.report.setPlainText(_tr("请先选择要导入的文件"))
            return None
        try:
            with self.ctx.write_session() as session:
                report = import_standards(
                    session, path, user=self.ctx.user,
                    on_duplicate=self.policy.currentData(), dry_run=dry_run,
                )
                if not report.written:
                    session.rollback()
        except (SpreadsheetError, RecordError) as exc:
            self.report.setPlainText(str(exc))
            return None
        except SQLAlchemyError as exc:
            self.report.setPlainText(describe_error(exc))
            return None
        self.last = report
        self.report.setPlainText("\n".join(report.lines()))
        if report.written:
            self.imported.emit()
        return report
