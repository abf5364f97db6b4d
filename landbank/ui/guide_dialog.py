"""帮助 → 使用说明: the short Chinese guide (resources/使用说明.md, shipped with landbank) in a
window of its own."""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from landbank.resource_files import GUIDE, read_text


def guide_text() -> str:
    """The guide as Markdown; a short note when the file is missing (a broken install)."""
    try:
        return read_text(*GUIDE)
    except OSError as exc:
        return f"# 使用说明\n\n{exc}"


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("使用说明"))
        self.browser = QTextBrowser(self)
        self.browser.setOpenExternalLinks(False)
        self.browser.setMarkdown(guide_text())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(QSize(760, 640))
