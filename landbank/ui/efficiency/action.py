"""The menu action 亩均效益评价…: made here so the main window's menu and the 指标进度 dashboard
get it with one line each."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from landbank.ui.context import AppContext


def efficiency_action(ctx: AppContext, parent: QWidget) -> QAction:
    """The 亩均效益评价… action of ``parent`` (made once, kept on it)."""
    action: QAction | None = getattr(parent, "efficiency_action", None)
    if action is None:
        action = QAction(parent.tr("亩均效益评价(&E)…"), parent)
        action.setStatusTip(
            parent.tr("供地后企业按县区评价方法打分，分 A/B/C/D/T 类；可调整各县区的评价方法")
        )
        action.triggered.connect(lambda: open_efficiency(ctx, parent))
        parent.efficiency_action = action  # type: ignore[attr-defined]
    return action


def open_efficiency(ctx: AppContext, parent: QWidget) -> None:
    from landbank.ui.efficiency.dialog import EfficiencyDialog

    dialog = EfficiencyDialog(ctx, parent)
    dialog.exec()
    dialog.deleteLater()
