"""帮助 → 使用说明: the short Chinese guide (docs/使用说明.md) in a window of its own."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

GUIDE_PATH = Path(__file__).resolve().parents[2] / "docs" / "使用说明.md"


def guide_text() -> str:
    """The guide as Markdown; a short note when the file is missing (a broken install)."""
    try:
        return GUIDE_PATH.read_text(encoding="utf-8")
    except OSError:
        return "# 使用说明\n\n找不到使用说明文件（docs/使用说明.md），请重新安装本软件。"


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
