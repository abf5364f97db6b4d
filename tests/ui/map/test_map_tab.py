"""The 地图 tab: the lists' filters drive it, a click selects the record in its list (the map
stays in view), a selection in a list is marked and centred on the map, the scale bar is true,
an empty filter says how to get outlines."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from pyproj import Geod
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsSimpleTextItem, QLineEdit
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.store.queries import RecordFilter
from landbank.ui.app import render_screenshot
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.map.decor import legend_size
from landbank.ui.map.painting import anchor_point
from landbank.ui.map.style import LabelPlacer, status_colour
from landbank.ui.map.tab import MapTab
from landbank.ui.map.view import LEGEND_AT, NORTH_ARROW_COLUMN_PX
from landbank.ui.records.view import RecordView
from tests.services.mapping.city import LAT, LON, MapCity, build_map_city

NO_KEYS = Qt.KeyboardModifier.NoModifier


@pytest.fixture
def city(ctx: AppContext) -> MapCity:
    return build_map_city(ctx.engine)


@pytest.fixture
def window(qtbot: QtBot, ctx: AppContext, city: MapCity) -> MainWindow:
    win = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(win)
    win.resize(1200, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def show_map(qtbot: QtBot, window: MainWindow) -> MapTab:
    tab = window.map_link.tab
    window.tabs.setCurrentIndex(window.map_link.index)
    qtbot.waitUntil(lambda: not tab.stale and tab.view.map_scene() is not None)
    return tab


def feature_point(tab: MapTab, kind: RecordKind, record_id: int) -> QPoint:
    feature = tab.data.find(kind, record_id)
    assert feature is not None
    return tab.view.mapFromScene(anchor_point(feature))


def test_the_map_shows_the_lists_records_with_their_counts(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = show_map(qtbot, window)
    assert window.tabs.tabText(window.map_link.index) == "地图"
    assert {f.code for f in tab.data.parcels} == {"QS-001", "QS-002", "QS-003", "BJ-001", "BJ-002"}
    assert {f.code for f in tab.data.factories} == {"F-1", "F-2", "F-3"}
    assert "地块 5 个" in tab.info.text()
    assert "1 个地块无红线" in tab.info.text()
    assert "1 栋厂房无坐标" in tab.info.text()
    assert tab.stack.currentWidget() is tab.view
    # Labels are placed for what is in view; the map is not blank.
    assert tab.view.update_labels() == 8
    image = tab.view.grab().toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 11)
    }
    assert len(colours) > 8


def test_the_scale_bar_is_true(qtbot: QtBot, window: MainWindow) -> None:
    tab = show_map(qtbot, window)
    view = tab.view
    view.viewport().repaint()
    bar = view.last_scale_bar
    assert bar is not None
    assert bar.pixels == pytest.approx(bar.metres * view.pixels_per_metre())
    assert str(int(bar.metres)).rstrip("0")[0] in "125"  # a round length
    # Two places 1,000 m apart on the ground are 1,000 m apart by the view's scale.
    projection = tab.data.projection
    assert projection is not None
    lon2, lat2, _ = Geod(ellps="GRS80").fwd(LON, LAT, 60.0, 1000.0)
    a = view.mapFromScene(QPointF(*_scene(projection.point(LON, LAT))))
    b = view.mapFromScene(QPointF(*_scene(projection.point(lon2, lat2))))
    pixels = math.hypot(b.x() - a.x(), b.y() - a.y())
    assert pixels / view.pixels_per_metre() == pytest.approx(1000.0, rel=0.01)
    # Zooming keeps it true.
    view.zoom_in()
    view.viewport().repaint()
    assert view.last_scale_bar is not None
    assert view.last_scale_bar.pixels == pytest.approx(
        view.last_scale_bar.metres * view.pixels_per_metre()
    )


def _search(view: RecordView) -> QLineEdit:
    assert view.filter_bar.search is not None
    return view.filter_bar.search


def _scene(point: tuple[float, float]) -> tuple[float, float]:
    return point[0], -point[1]


def test_a_click_selects_the_record_in_its_list_and_keeps_the_map(
    qtbot: QtBot, window: MainWindow, city: MapCity
) -> None:
    tab = show_map(qtbot, window)
    qs1 = city.parcels["QS-001"]
    QTest.mouseClick(
        tab.view.viewport(),
        Qt.MouseButton.LeftButton,
        NO_KEYS,
        feature_point(tab, RecordKind.PARCEL, qs1),
    )
    assert window.views[RecordKind.PARCEL].current_id() == qs1
    assert window.tabs.currentIndex() == window.map_link.index  # the map stays
    assert window.current_kind() is RecordKind.PARCEL
    assert "QS-001" in window.statusBar().currentMessage()
    assert tab.view.map_scene().highlighted == (RecordKind.PARCEL, qs1)  # type: ignore[union-attr]
    assert window.edit_action.isEnabled()
    # A building: its list, and the window's commands now act on buildings.
    f1 = city.factories["F-1"]
    QTest.mouseClick(
        tab.view.viewport(),
        Qt.MouseButton.LeftButton,
        NO_KEYS,
        feature_point(tab, RecordKind.FACTORY, f1),
    )
    assert window.views[RecordKind.FACTORY].current_id() == f1
    assert window.current_kind() is RecordKind.FACTORY
    assert "F-1" in window.statusBar().currentMessage()
    # A drag pans; it selects nothing.
    before = window.views[RecordKind.PARCEL].current_id()
    start = feature_point(tab, RecordKind.PARCEL, city.parcels["QS-002"])
    QTest.mousePress(tab.view.viewport(), Qt.MouseButton.LeftButton, NO_KEYS, start)
    QTest.mouseMove(tab.view.viewport(), start + QPoint(60, 40))
    QTest.mouseRelease(
        tab.view.viewport(), Qt.MouseButton.LeftButton, NO_KEYS, start + QPoint(60, 40)
    )
    assert window.views[RecordKind.PARCEL].current_id() == before


def test_a_double_click_opens_the_record(
    qtbot: QtBot, window: MainWindow, city: MapCity, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = show_map(qtbot, window)
    opened: list[tuple[RecordKind, int | None]] = []
    monkeypatch.setattr(
        window.record_commands,
        "edit_record",
        lambda: opened.append((window.current_kind(), window.current_view().current_id())),
    )
    QTest.mouseDClick(
        tab.view.viewport(),
        Qt.MouseButton.LeftButton,
        NO_KEYS,
        feature_point(tab, RecordKind.PARCEL, city.parcels["BJ-001"]),
    )
    assert opened == [(RecordKind.PARCEL, city.parcels["BJ-001"])]


def test_a_selection_in_the_list_is_marked_and_centred(
    qtbot: QtBot, window: MainWindow, city: MapCity
) -> None:
    tab = show_map(qtbot, window)
    tab.view.fit()
    window.show_kind(RecordKind.PARCEL)
    view = window.views[RecordKind.PARCEL]
    qtbot.waitUntil(lambda: view.model.rowCount() == 7)
    assert view.select_id(city.parcels["BJ-002"])
    assert tab.view.map_scene().highlighted == (RecordKind.PARCEL, city.parcels["BJ-002"])  # type: ignore[union-attr]
    window.tabs.setCurrentIndex(window.map_link.index)
    qtbot.waitUntil(lambda: not tab.stale)
    centre = tab.view.visible_scene_rect().center()
    feature = tab.data.find(RecordKind.PARCEL, city.parcels["BJ-002"])
    assert feature is not None
    assert math.hypot(centre.x() - feature.anchor[0], centre.y() + feature.anchor[1]) < 5
    # A parcel without outline is not on the map: nothing marked, nothing breaks.
    window.show_kind(RecordKind.PARCEL)
    assert view.select_id(city.parcels["QS-004"])
    assert tab.view.map_scene().highlighted is None  # type: ignore[union-attr]


def test_the_filter_bar_drives_the_map(qtbot: QtBot, window: MainWindow, city: MapCity) -> None:
    tab = show_map(qtbot, window)
    loads = tab.loads
    window.show_kind(RecordKind.PARCEL)
    parcels = window.views[RecordKind.PARCEL]
    _search(parcels).setText("BJ")
    parcels.apply_filter()
    factories = window.views[RecordKind.FACTORY]
    factories.model.set_filter(RecordFilter(region_ids=(city.regions["青山县"],)))
    assert tab.stale  # read again when next shown, not while hidden
    tab = show_map(qtbot, window)
    assert tab.loads == loads + 1
    assert {f.code for f in tab.data.parcels} == {"BJ-001", "BJ-002"}
    assert {f.code for f in tab.data.factories} == {"F-1", "F-2"}
    # The 厂房 box hides the buildings.
    tab.show_factories.setChecked(False)
    qtbot.waitUntil(lambda: not tab.stale)
    assert tab.data.factories == []
    assert "厂房" not in tab.info.text()
    # A filter matching nothing with an outline: the message says how to get outlines.
    window.show_kind(RecordKind.PARCEL)
    _search(parcels).setText("QS-004")
    parcels.apply_filter()
    tab = show_map(qtbot, window)
    assert tab.stack.currentWidget() is tab.empty
    assert "当前筛选下没有带红线的地块；文件 → 导入地块红线 可导入" in tab.empty.text()


def test_an_empty_ledger_says_so(qtbot: QtBot, ctx: AppContext) -> None:
    win = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(win)
    win.show()
    tab = show_map(qtbot, win)
    assert tab.stack.currentWidget() is tab.empty
    assert tab.empty.text() == "当前筛选下没有地块或厂房。"
    assert win.current_kind() is RecordKind.PARCEL  # the commands still have a list


def test_a_record_saved_elsewhere_is_redrawn(
    qtbot: QtBot, window: MainWindow, city: MapCity
) -> None:
    from landbank.services.records.saving import update_record

    tab = show_map(qtbot, window)
    with window.ctx.write_session() as s:
        update_record(
            s,
            RecordKind.PARCEL,
            city.parcels["QS-001"],
            {"code": "QS-101"},
            expected_version=1,
            user="测试员",
        )
    window.refresh_after_change(RecordKind.PARCEL, city.parcels["QS-001"])
    qtbot.waitUntil(lambda: not tab.stale)
    feature = tab.data.find(RecordKind.PARCEL, city.parcels["QS-001"])
    assert feature is not None
    assert feature.code == "QS-101"


def test_screenshot_of_the_map(
    qtbot: QtBot, tmp_path: Path, sqlite_url: str, city: MapCity
) -> None:
    out = tmp_path / "map.png"
    render_screenshot(sqlite_url, out, "map", size=(1000, 700))
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    # The parcels' colours are painted (可供 green, 已出让/划拨 purple under their fill).
    colours = {image.pixelColor(x, y).name() for x in range(0, 1000, 5) for y in range(120, 700, 5)}
    assert len(colours) > 20


def test_labels_never_overlap_and_thin_out_when_zoomed_out(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = show_map(qtbot, window)
    view = tab.view
    assert view.update_labels() == 8
    for _ in range(12):
        view.zoom_out()
    shown = view.update_labels()
    assert 1 <= shown < 8
    scene = view.map_scene()
    assert scene is not None
    boxes = [
        view.mapFromScene(item.sceneBoundingRect()).boundingRect()
        for item in scene.items()
        if isinstance(item, QGraphicsSimpleTextItem) and item.isVisible()
    ]
    assert len(boxes) == shown
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    # None under the legend, the arrow or the scale bar, none cut by the edge.
    viewport = view.viewport().rect()
    for box in boxes:
        assert viewport.contains(box)
        assert not any(QRectF(box).intersects(decor) for decor in view.decor_boxes())


def test_label_placer_keeps_the_first_of_overlapping_boxes() -> None:
    placer = LabelPlacer(cell=10, limit=3)
    assert placer.place(QRectF(0, 0, 30, 10))
    assert not placer.place(QRectF(25, 5, 30, 10))  # overlaps the first
    assert placer.place(QRectF(31, 0, 30, 10))
    assert placer.place(QRectF(0, 40, 5, 5))
    assert not placer.place(QRectF(100, 100, 5, 5))  # the limit


def test_labels_follow_a_pan(qtbot: QtBot, window: MainWindow, city: MapCity) -> None:
    """Panning east (the horizontal scroll bar moves, as a drag does) places the labels of
    what came into view at once."""
    tab = show_map(qtbot, window)
    view = tab.view
    qs1 = tab.data.find(RecordKind.PARCEL, city.parcels["QS-001"])
    qs2 = tab.data.find(RecordKind.PARCEL, city.parcels["QS-002"])
    assert qs1 is not None
    assert qs2 is not None
    for _ in range(8):
        view.zoom_in()
    view.centerOn(anchor_point(qs1))
    view.update_labels()
    scene = view.map_scene()
    assert scene is not None

    def shown() -> set[str]:
        return {
            item.text()
            for item in scene.items()
            if isinstance(item, QGraphicsSimpleTextItem) and item.isVisible()
        }

    assert "QS-001" in shown()
    assert "QS-002" not in shown()
    bar = view.horizontalScrollBar()
    bar.setValue(bar.value() + round((qs2.anchor[0] - qs1.anchor[0]) * view.pixels_per_metre()))
    qtbot.waitUntil(lambda: "QS-002" in shown(), timeout=500)
    assert "QS-001" not in shown()


def test_fit_keeps_the_features_clear_of_the_legend_and_the_arrow(
    qtbot: QtBot, window: MainWindow
) -> None:
    tab = show_map(qtbot, window)
    view = tab.view
    view.fit()
    width, height = legend_size(view.decor_font, (RecordKind.PARCEL, RecordKind.FACTORY))
    legend = QRectF(LEGEND_AT, LEGEND_AT, width, height)
    viewport = QRectF(view.viewport().rect())
    for feature in tab.data.features:
        x0, y0, x1, y1 = feature.bounds
        box = view.mapFromScene(QRectF(QPointF(x0, -y1), QPointF(x1, -y0))).boundingRect()
        assert not QRectF(box).intersects(legend), feature.code
        assert viewport.contains(QRectF(box)), feature.code
        assert box.right() < viewport.right() - NORTH_ARROW_COLUMN_PX + 1, feature.code


def test_the_map_is_built_when_first_shown(qtbot: QtBot, window: MainWindow, city: MapCity) -> None:
    """A window opening on a list neither builds the map nor reads it; a record selected in
    its list before is marked once the map is shown."""
    assert not isinstance(window.tabs.widget(window.map_link.index), MapTab)
    window.show_kind(RecordKind.PARCEL)
    view = window.views[RecordKind.PARCEL]
    qtbot.waitUntil(lambda: view.model.rowCount() == 7)
    assert view.select_id(city.parcels["QS-003"])
    assert not isinstance(window.tabs.widget(window.map_link.index), MapTab)
    tab = show_map(qtbot, window)
    assert window.tabs.widget(window.map_link.index) is tab
    assert window.tabs.tabText(window.map_link.index) == "地图"
    assert tab.loads == 1
    assert tab.view.map_scene().highlighted == (RecordKind.PARCEL, city.parcels["QS-003"])  # type: ignore[union-attr]


def test_the_window_module_loads_neither_numpy_nor_pyproj() -> None:
    code = (
        "import sys, landbank.ui.main_window; print(sorted({'numpy', 'pyproj'} & set(sys.modules)))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_keys_zoom_and_fit(qtbot: QtBot, window: MainWindow) -> None:
    tab = show_map(qtbot, window)
    view = tab.view
    view.setFocus()
    fitted = view.pixels_per_metre()
    QTest.keyClick(view, Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_metre() == pytest.approx(fitted * 1.25)
    QTest.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_metre() == pytest.approx(fitted / 1.25)
    QTest.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.pixels_per_metre() == pytest.approx(fitted)
    # The wheel zooms about the mouse: one notch is one step.
    at = QPointF(200, 150)
    wheel = QWheelEvent(
        at,
        view.viewport().mapToGlobal(at),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), wheel)
    assert view.pixels_per_metre() == pytest.approx(fitted * 1.25)
    # Ctrl+5 is the tab.
    window.show_kind(RecordKind.PARCEL)
    QTest.keyClick(window, Qt.Key.Key_5, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.currentIndex() == window.map_link.index


def test_landbank_screenshot_view_map(
    qtbot: QtBot, tmp_path: Path, sqlite_url: str, city: MapCity, capsys: pytest.CaptureFixture[str]
) -> None:
    from landbank.cli import main

    out = tmp_path / "地图.png"
    assert (
        main(["screenshot", str(out), "--view", "map", "--size", "1100x650", "--db", sqlite_url])
        == 0
    )
    assert f"已保存截图：{out}" in capsys.readouterr().out
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1100, 650)
    green = status_colour(RecordKind.PARCEL, "可供")
    colours = {image.pixelColor(x, y).name() for x in range(0, 1100, 3) for y in range(100, 650, 3)}
    # 可供 parcels are filled with their colour over the background (blended, so darker or
    # lighter): some pixel is clearly green.
    assert any(
        QColor(c).green() > QColor(c).red() + 40 and QColor(c).green() > QColor(c).blue() + 40
        for c in colours
    ), green.name()


def test_a_new_filter_fits_the_map_a_change_keeps_the_place(
    qtbot: QtBot, window: MainWindow, city: MapCity
) -> None:
    tab = show_map(qtbot, window)
    view = tab.view
    qs1 = tab.data.find(RecordKind.PARCEL, city.parcels["QS-001"])
    assert qs1 is not None
    for _ in range(5):
        view.zoom_in()
    view.centerOn(anchor_point(qs1))
    scale, centre = view.pixels_per_metre(), view.visible_scene_rect().center()
    # A record saved: read again, the clerk keeps looking where they were.
    window.refresh_after_change(RecordKind.PARCEL, city.parcels["QS-001"])
    qtbot.waitUntil(lambda: not tab.stale)
    assert tab.loads == 2
    assert view.pixels_per_metre() == pytest.approx(scale)
    assert math.dist(centre.toTuple(), view.visible_scene_rect().center().toTuple()) < 1.0
    # Another county: the map shows its records, whole.
    window.show_kind(RecordKind.PARCEL)
    parcels = window.views[RecordKind.PARCEL]
    parcels.model.set_filter(RecordFilter(region_ids=(city.regions["滨江区"],)))
    window.views[RecordKind.FACTORY].model.set_filter(
        RecordFilter(region_ids=(city.regions["滨江区"],))
    )
    tab = show_map(qtbot, window)
    viewport = QRectF(view.viewport().rect())
    assert {f.code for f in tab.data.features} == {"BJ-001", "BJ-002", "F-3"}
    for feature in tab.data.features:
        x0, y0, x1, y1 = feature.bounds
        box = view.mapFromScene(QRectF(QPointF(x0, -y1), QPointF(x1, -y0))).boundingRect()
        assert viewport.contains(QRectF(box)), feature.code
