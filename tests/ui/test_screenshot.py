"""The GUI entry points: render_screenshot (offscreen PNG) and run_gui (open, demo, errors)."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.settings import config_dir
from landbank.store.migrate import open_database
from landbank.store.queries import count_records
from landbank.ui import app as app_module
from landbank.ui.app import choose_cjk_font, render_screenshot, run_gui
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.state import STATE_FILE
from tests.ui.conftest import Ledger


@pytest.mark.parametrize("view", ["parcels", "factories", "projects", "quotas"])
def test_render_screenshot_writes_a_png(
    qtbot: QtBot, tmp_path: Path, sqlite_url: str, small_ledger: Ledger, view: str
) -> None:
    out = tmp_path / "shots" / f"{view}.png"
    render_screenshot(sqlite_url, out, view, size=(1200, 760))
    image = QImage(str(out))
    assert not image.isNull()
    assert (image.width(), image.height()) == (1200, 760)
    # Not a blank canvas: the table and its text are painted.
    colours = {image.pixel(x, y) for x in range(0, 1200, 37) for y in range(0, 760, 23)}
    assert len(colours) > 5
    # The clerk's window layout is neither read nor written.
    assert not (config_dir() / STATE_FILE).exists()


def test_render_screenshot_refuses_unknown_view(tmp_path: Path, sqlite_url: str) -> None:
    with pytest.raises(KeyError):
        render_screenshot(sqlite_url, tmp_path / "x.png", "charts")


def test_a_cjk_font_is_chosen(qapp: QApplication) -> None:
    assert choose_cjk_font() is not None  # fonts-wqy-microhei on this machine


_closer: list[QTimer] = []


def _close_windows_soon() -> None:
    """Close the main window as soon as run_gui has shown it (the event loop then ends)."""
    timer = QTimer()
    timer.setInterval(20)

    def close() -> None:
        windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
        for window in windows:
            if window.isVisible():
                timer.stop()
                window.close()

    timer.timeout.connect(close)
    timer.start()
    _closer[:] = [timer]


def test_run_gui_demo_fills_an_empty_ledger(qapp: QApplication, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    _close_windows_soon()
    assert run_gui(str(db), demo=True) == 0
    engine = open_database(f"sqlite:///{db}")
    try:
        with AppContext(engine, app_module.Settings()).session() as s:
            assert count_records(s, RecordKind.REGION) == 5
            assert count_records(s, RecordKind.PARCEL) > 0
    finally:
        engine.dispose()
    assert (config_dir() / STATE_FILE).exists()  # the real window remembers its layout


def test_run_gui_asks_before_filling_and_respects_no(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent: Any, _title: str, text: str, *args: Any) -> QMessageBox.StandardButton:
        asked.append(text)
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "question", answer)
    from landbank.ui.identity_form import IdentityDialog

    monkeypatch.setattr(  # a new ledger asks for the bureau's name once: “以后再说”
        IdentityDialog, "exec", lambda self: asked.append(self.windowTitle()) or 0
    )
    db = tmp_path / "empty.sqlite3"
    _close_windows_soon()
    assert run_gui(str(db)) == 0
    assert asked == ["数据库为空。是否载入演示数据（一个示例城市：3 个县、2 个区）？", "本局信息"]
    engine = open_database(f"sqlite:///{db}")
    try:
        with AppContext(engine, app_module.Settings()).session() as s:
            assert count_records(s, RecordKind.REGION) == 0
    finally:
        engine.dispose()


def test_run_gui_reports_a_database_it_cannot_open(
    qapp: QApplication, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    foreign = tmp_path / "other.sqlite3"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text, *a: shown.append(text))
    assert run_gui(str(foreign)) == 2
    assert len(shown) == 1
    assert "不是 landbank 数据库" in shown[0]


def test_the_screenshot_command_says_nothing_in_english(
    tmp_path: Path, sqlite_url: str, small_ledger: Ledger
) -> None:
    """Offscreen Qt warns in English (propagateSizeHints …): not for the clerk's terminal."""
    import subprocess
    import sys

    db = sqlite_url.removeprefix("sqlite:///")
    out = tmp_path / "截图.png"
    done = subprocess.run(
        [sys.executable, "-m", "landbank", "screenshot", str(out), "--db", db],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr
    assert out.exists()
    assert "plugin" not in done.stderr
    assert not any(word.isascii() and word.isalpha() for word in done.stderr.split()), done.stderr
