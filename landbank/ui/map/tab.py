"""The 地图 tab: the map of the parcels and buildings the 收储地块 and 标准厂房 lists' filters
show, its buttons (适合窗口, 放大, 缩小, 打印地图), what it does not draw (“N 个地块无红线”), and
the message when nothing under the filter has an outline or a position.

The tab reads the ledger when it is shown and something changed (a filter, a record): the
lists' models tell it (:mod:`landbank.ui.map.link`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QPainter, QPaintEvent, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.services.mapping.features import MapData, describe_missing, load_map
from landbank.store.queries import RecordFilter
from landbank.ui.context import AppContext
from landbank.ui.map.scene import MapScene
from landbank.ui.map.view import MapView

Filters = Callable[[], tuple[RecordFilter, RecordFilter]]


class _ElidedLabel(QLabel):
    """A one-line label that ends with “…” when narrower than its text (the whole text is its
    tooltip), so it never makes the window wider."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        shown = self.fontMetrics().elidedText(
            self.text(), Qt.TextElideMode.ElideRight, self.width()
        )
        painter.drawText(self.rect(), int(self.alignment() | Qt.AlignmentFlag.AlignVCenter), shown)
        painter.end()


class MapTab(QWidget):
    """The map, its tool row and its notes."""

    def __init__(self, ctx: AppContext, filters: Filters, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("MapTab")
        self.ctx = ctx
        self.filters = filters
        self.data = MapData()
        self.stale = True
        self.loads = 0  # how many times the ledger was read (tests)
        self.print_map: Callable[[], None] = lambda: None  # set by the window's link
        self._pending: tuple[RecordKind, int, bool] | None = None  # highlight once loaded
        self._asked: tuple[RecordFilter, RecordFilter, bool, bool] | None = None  # last read
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self.reload)
        self.view = MapView(self)
        self.empty = QLabel(self)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setObjectName("mapEmpty")
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        self.show_parcels = QCheckBox(self.tr("地块"), self)
        self.show_factories = QCheckBox(self.tr("厂房"), self)
        for box in (self.show_parcels, self.show_factories):
            box.setChecked(True)
            box.toggled.connect(self.mark_stale)
        self.info = _ElidedLabel("", self)
        self.info.setObjectName("mapInfo")
        row = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot, tip in (
            ("fit", self.tr("适合窗口"), self.view.fit, self.tr("显示全部地块和厂房")),
            ("in", self.tr("放大"), self.view.zoom_in, "Ctrl++"),
            ("out", self.tr("缩小"), self.view.zoom_out, "Ctrl+-"),
            (
                "print",
                self.tr("打印地图…"),
                lambda: self.print_map(),
                self.tr("打印或导出 PDF（A4 横向）"),
            ),
        ):
            button = QPushButton(text, self)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            row.addWidget(button)
            self.buttons[key] = button
        row.addSpacing(12)
        row.addWidget(self.show_parcels)
        row.addWidget(self.show_factories)
        row.addSpacing(12)
        row.addWidget(self.info, 3)
        note = _ElidedLabel(self.tr("按“收储地块”“标准厂房”列表的筛选显示"), self)
        note.setStyleSheet("color: #666")
        row.addWidget(note, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(row)
        layout.addWidget(self.stack, 1)
        for keys, slot in (
            (("Ctrl++", "Ctrl+="), self.view.zoom_in),
            (("Ctrl+-",), self.view.zoom_out),
            (("Ctrl+0",), self.view.fit),
        ):
            for key in keys:
                shortcut = QShortcut(QKeySequence(key), self)
                shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                shortcut.activated.connect(slot)

    # -------------------------------------------------------------- loading

    def mark_stale(self) -> None:
        """Something the map shows changed: read it again now if shown, else when next shown."""
        self.stale = True
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self._timer.start()

    def reload(self) -> None:
        """Read the features of the lists' filters and draw them: fitted to the window for a
        new filter, where the clerk was looking when only the records changed."""
        self._timer.stop()
        self.stale = False
        parcels, factories = self.filters()
        asked = (parcels, factories, self.show_parcels.isChecked(), self.show_factories.isChecked())
        keep = None
        if self.view.map_scene() is not None and not self.data.empty and asked == self._asked:
            keep = (self.view.transform(), self.view.visible_scene_rect().center())
        self._asked = asked
        old_epsg = self.data.projection.epsg if self.data.projection is not None else None
        try:
            with self.ctx.session() as session:
                data = load_map(
                    session,
                    parcels if self.show_parcels.isChecked() else None,
                    factories if self.show_factories.isChecked() else None,
                )
        except SQLAlchemyError as exc:
            self._show_empty(self.tr("无法读取地图：{reason}").format(reason=describe_error(exc)))
            return
        self.loads += 1
        self.data = data
        old = self.view.map_scene()
        highlighted = old.highlighted if old is not None else None
        scene = MapScene(data, self.font(), self)
        self.view.set_map(scene)
        if keep is not None and data.projection is not None and data.projection.epsg == old_epsg:
            self.view.setTransform(keep[0])
            self.view.centerOn(keep[1])
        self.info.setText(self._info_text())
        if data.empty:
            self._show_empty(self._empty_text())
            return
        self.stack.setCurrentWidget(self.view)
        if self._pending is not None:
            kind, record_id, centre = self._pending
            self._pending = None
            self.highlight(kind, record_id, centre=centre)
        elif highlighted is not None:
            scene.highlight(*highlighted)
        self.view.update_labels()

    def _show_empty(self, text: str) -> None:
        self.empty.setText(text)
        self.stack.setCurrentWidget(self.empty)

    def _empty_text(self) -> str:
        if self.data.parcels_total == 0 and self.data.factories_total == 0:
            return self.tr("当前筛选下没有地块或厂房。")
        return self.tr(
            "当前筛选下没有带红线的地块；文件 → 导入地块红线 可导入。\n（厂房填写经度、纬度后显示为点。）"
        )

    def _info_text(self) -> str:
        data = self.data
        parts = []
        if self.show_parcels.isChecked():
            parts.append(self.tr("地块 {n} 个").format(n=f"{len(data.parcels):,}"))
        if self.show_factories.isChecked():
            parts.append(self.tr("厂房 {n} 栋").format(n=f"{len(data.factories):,}"))
        text = " · ".join(parts)
        missing = describe_missing(data)
        return f"{text}（{missing}）" if missing else text

    # -------------------------------------------------------------- selection

    def highlight(self, kind: RecordKind, record_id: int, *, centre: bool) -> bool:
        """Mark a record on the map (and bring it into view with ``centre``); when the map is
        not read yet, once it is. Returns whether it is on the map now."""
        scene = self.view.map_scene()
        if self.stale or scene is None:
            self._pending = (kind, record_id, centre)
            return False
        item = scene.highlight(kind, record_id)
        if item is None:
            return False
        if centre:
            self.view.centre_on_item(kind, record_id)
        self.view.update_labels()
        return True
