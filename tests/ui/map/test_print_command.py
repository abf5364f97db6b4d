"""文件 → 打印地图: the preview of the map in view (A4 landscape), its 导出 PDF, and the refusal
of an empty map."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QPageLayout
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox
from pytestqt.qtbot import QtBot

from landbank.services.mapping.features import MapData
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.map import printing
from landbank.ui.map.printing import MapPrintout
from tests.services.mapping.city import build_map_city


def _window(qtbot: QtBot, ctx: AppContext) -> MainWindow:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_print_map_previews_and_exports_the_map_in_view(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_map_city(ctx.engine)
    window = _window(qtbot, ctx)
    file_menu = window.menuBar().actions()[0].menu()
    assert isinstance(file_menu, QMenu)
    assert window.print_map_action in file_menu.actions()
    window.tabs.setCurrentIndex(window.map_link.index)
    tab = window.map_link.tab
    qtbot.waitUntil(lambda: not tab.stale)
    target = tmp_path / "地图.pdf"
    previews: list[tuple[str, int, QPageLayout.Orientation]] = []

    def preview(dialog: QPrintPreviewDialog) -> int:
        widget = dialog.findChild(QPrintPreviewWidget)
        assert widget is not None
        widget.updatePreview()
        previews.append(
            (dialog.windowTitle(), widget.pageCount(), dialog.printer().pageLayout().orientation())
        )
        monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
        dialog.export_action.trigger()  # type: ignore[attr-defined]
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
    window.print_map_action.trigger()
    [(title, pages, orientation)] = previews
    assert title == "打印预览 — 全市收储地块与标准厂房分布图"
    assert pages == 1
    assert orientation == QPageLayout.Orientation.Landscape
    text = subprocess.run(
        ["pdftotext", "-layout", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "全市收储地块与标准厂房分布图" in text
    assert "QS-001" in text
    assert window.statusBar().currentMessage() == f"已导出地图（1 页）到 {target}"


def test_an_empty_map_is_not_printed(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = _window(qtbot, ctx)
    told: list[Any] = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: told.append(a[1:3]))
    monkeypatch.setattr(
        QPrintPreviewDialog, "exec", lambda d: pytest.fail("no preview of an empty map")
    )
    window.print_map_action.trigger()
    assert told == [("打印地图", "地图上没有地块或厂房，无需打印。")]


def test_print_map_from_a_list_shows_the_map_first(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_map_city(ctx.engine)
    window = _window(qtbot, ctx)
    assert window.tabs.currentIndex() == 0
    previews: list[int] = []

    def preview(dialog: QPrintPreviewDialog) -> int:
        widget = dialog.findChild(QPrintPreviewWidget)
        assert widget is not None
        widget.updatePreview()
        previews.append(widget.pageCount())
        return 0

    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
    frames: list[QRectF] = []
    made = printing.map_printout

    def recorded(ctx: AppContext, data: MapData, frame: QRectF, filters: Any) -> MapPrintout:
        printout = made(ctx, data, frame, filters)
        frames.append(printout.frame)
        return printout

    monkeypatch.setattr(printing, "map_printout", recorded)
    window.print_map_action.trigger()
    assert previews == [1]
    assert window.tabs.currentIndex() == window.map_link.index
    data = window.map_link.tab.data
    assert len(data.parcels) == 5
    # What is printed is the whole map, as fitted in the window just shown.
    [frame] = frames
    for feature in data.features:
        x0, y0, x1, y1 = feature.bounds
        assert frame.contains(QPointF(x0, -y1)), feature.code
        assert frame.contains(QPointF(x1, -y0)), feature.code
