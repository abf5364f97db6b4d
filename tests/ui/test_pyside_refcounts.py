"""PySide6 6.12.0 under Python 3.11 released a reference to None on every void call, and the
interpreter aborted (none_dealloc). pyproject.toml caps PySide6 below it; this test tells
whether the installed PySide6 is sound, in a subprocess so an abort fails one test only."""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
widget = QWidget()
before = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
for _ in range(5000):
    widget.setWindowTitle("x")      # returns None
    widget.isVisible()              # returns False
    widget.setVisible(False)
after = sys.getrefcount(None), sys.getrefcount(True), sys.getrefcount(False)
print([a - b for a, b in zip(after, before)])
"""


def test_void_calls_do_not_leak_or_steal_references() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, timeout=60, check=False)
    assert result.returncode == 0, result.stderr[-2000:]
    deltas = eval(result.stdout.strip().splitlines()[-1])  # a list of three ints we printed
    assert all(abs(d) < 100 for d in deltas), deltas
