"""The main window's menu bar and tool bar: which of its actions go in which menu."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolBar

from landbank.ui.efficiency.action import efficiency_action
from landbank.ui.outlines.action import outline_import_action
from landbank.ui.standards.action import standards_action

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow


def build_menus(window: MainWindow) -> None:
    """文件, 编辑, 视图, 数据 and 帮助 in the menu bar, and the 常用 tool bar, from the window's
    actions (the 报表 menu is :mod:`landbank.ui.reports.menu`'s)."""
    bar = window.menuBar()
    file_menu = bar.addMenu(window.tr("文件(&F)"))
    file_menu.addAction(window.import_action)
    file_menu.addAction(outline_import_action(window))
    file_menu.addAction(window.export_action)
    file_menu.addAction(window.print_action)
    file_menu.addAction(window.print_map_action)
    file_menu.addAction(window.template_action)
    file_menu.addSeparator()
    file_menu.addAction(window.backup_action)
    file_menu.addSeparator()
    file_menu.addAction(window.settings_action)
    file_menu.addSeparator()
    file_menu.addAction(window.quit_action)
    edit_menu = bar.addMenu(window.tr("编辑(&E)"))
    edit_menu.addAction(window.undo_action)
    edit_menu.addSeparator()
    for action in (window.new_action, window.edit_action, window.delete_action):
        edit_menu.addAction(action)
    edit_menu.addSeparator()
    edit_menu.addAction(window.copy_action)
    edit_menu.addAction(window.paste_action)
    edit_menu.addSeparator()
    edit_menu.addAction(window.find_action)
    edit_menu.addAction(window.history_action)
    view_menu = bar.addMenu(window.tr("视图(&V)"))
    view_menu.addAction(window.refresh_action)
    view_menu.addAction(window.clear_filter_action)
    view_menu.addSeparator()
    for action in window.tab_actions:
        view_menu.addAction(action)
    data_menu = bar.addMenu(window.tr("数据(&D)"))
    data_menu.addAction(window.reference_action)
    data_menu.addAction(standards_action(window))
    data_menu.addAction(efficiency_action(window.ctx, window))
    data_menu.addAction(window.match_action)
    data_menu.addSeparator()
    data_menu.addAction(window.users_action)
    data_menu.addAction(window.ledger_import_action)
    help_menu = bar.addMenu(window.tr("帮助(&H)"))
    help_menu.addAction(window.guide_action)
    help_menu.addSeparator()
    help_menu.addAction(window.about_action)
    toolbar = QToolBar(window.tr("常用"), window)
    toolbar.setObjectName("MainToolBar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    toolbar.setMovable(False)
    for action in (window.new_action, window.edit_action, window.delete_action):
        toolbar.addAction(action)
    toolbar.addSeparator()
    toolbar.addAction(window.history_action)
    toolbar.addAction(window.match_action)
    toolbar.addAction(window.refresh_action)
    window.addToolBar(toolbar)
