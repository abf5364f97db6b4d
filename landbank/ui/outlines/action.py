"""The menu action 文件 → 导入地块红线…: made here so the main window's menu gets it with one
line; after an import the lists refresh."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox

from landbank.domain.enums import RecordKind

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow


def outline_import_action(window: MainWindow) -> QAction:
    """The window's 导入地块红线… action (made once, kept on the window)."""
    action: QAction | None = getattr(window, "outline_import_action", None)
    if action is None:
        action = QAction(window.tr("导入地块红线(&O)…"), window)
        action.setStatusTip(
            window.tr("从界址点坐标、GeoJSON 或 Shapefile 导入地块、园区红线或厂房位置")
        )
        action.triggered.connect(lambda: open_outline_import(window))
        window.outline_import_action = action  # type: ignore[attr-defined]
    return action


def open_outline_import(window: MainWindow) -> None:
    from landbank.ui.outlines.dialog import OutlineImportDialog

    reason = window.ctx.rights.can_write_any()
    if reason:
        QMessageBox.information(window, window.tr("导入地块红线"), reason)
        return
    dialog = OutlineImportDialog(window.ctx, window)

    def imported(kind: RecordKind, count: int) -> None:
        window.refresh_after_change(kind)
        window.show_message(window.tr("已导入 {n} 条红线").format(n=count), 2)

    dialog.imported.connect(imported)
    dialog.exec()
    dialog.deleteLater()
