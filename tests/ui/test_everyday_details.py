"""Everyday details of the main window (issue 11): the title names the application once,
帮助 → 使用说明 shows the Chinese guide, the About box speaks Chinese."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from landbank.ui.app import DISPLAY_NAME, create_application
from landbank.ui.context import AppContext
from landbank.ui.guide_dialog import GuideDialog, guide_text
from landbank.ui.main_window import MainWindow


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    create_application()
    win = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(win)
    return win


def test_the_title_names_the_application_once(window: MainWindow) -> None:
    title = window.windowTitle()
    assert title.count(DISPLAY_NAME) == 1
    assert title.endswith(DISPLAY_NAME)  # so Qt does not append it a second time
    assert ".sqlite3" in title


def test_help_menu_opens_the_guide(qtbot: QtBot, window: MainWindow) -> None:
    texts = [a.text() for a in window.menuBar().actions()]
    assert "帮助(&H)" in texts
    assert window.guide_action.shortcut().toString() == "F1"
    dialog = GuideDialog(window)
    qtbot.addWidget(dialog)
    text = dialog.browser.toPlainText()
    assert "导入乡镇报来的台账" in text
    assert "Ctrl+P" in text
    assert guide_text().startswith("# 使用说明")


def test_no_english_in_the_about_box(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[Any] = []
    monkeypatch.setattr(QMessageBox, "about", lambda *args: shown.append(args))
    window.show_about()
    [(_parent, title, text)] = shown
    assert "landbank" not in title
    assert "landbank" not in text.split("数据库")[0]
    assert "收储地块与标准厂房台账" in text
    assert "关于" in window.about_action.text()
    assert "landbank" not in window.about_action.text()
