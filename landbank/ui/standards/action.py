"""The menu action 数据 → 标准地指标…: made here so the main window's menu gets it with one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow


def standards_action(window: MainWindow) -> QAction:
    """The window's 标准地指标… action (made once, kept on the window)."""
    action: QAction | None = getattr(window, "standards_action", None)
    if action is None:
        action = QAction(window.tr("标准地指标(&S)…"), window)
        action.setStatusTip(
            window.tr("各县区（园区、产业）的标准地控制指标：投资强度、容积率、亩均税收等")
        )
        action.triggered.connect(lambda: open_standards(window))
        window.standards_action = action  # type: ignore[attr-defined]
    return action


def open_standards(window: MainWindow) -> None:
    from landbank.ui.standards.dialog import StandardsDialog

    dialog = StandardsDialog(window.ctx, window)
    dialog.exec()
    dialog.deleteLater()
