"""The 地图 tab in the main window: after the record lists, following their filters and their
selection, and selecting in them what the clerk clicks on the map.

A click on an outline or a dot selects that record in its list (the map stays in view; the
status bar names the record), so 编辑/历史/匹配 and Ctrl+E act on it; a double click opens it
for editing. Selecting a row of the 收储地块 or 标准厂房 list marks it on the map and centres it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QWidget

from landbank.domain.enums import RecordKind
from landbank.store.queries import RecordFilter
from landbank.ui.main_window_records import kind_label

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow
    from landbank.ui.map.tab import MapTab

MAP_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY)


class MapLink(QObject):
    """Connects ``window``'s lists and its 地图 tab. The tab (and NumPy and pyproj with it) is
    built when first shown or used: a window opening on a list does not load them."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._from_map = False
        self._tab: MapTab | None = None
        self._selected: tuple[RecordKind, int] | None = None  # in a list before the map was built
        self.current_kind = RecordKind.PARCEL  # of the record last clicked on the map
        self.index = window.tabs.addTab(QWidget(window.tabs), window.tr("地图"))
        window.tabs.currentChanged.connect(self._tab_changed)
        for kind in MAP_KINDS:
            view = window.views[kind]
            # A reset is a new filter, a refresh after a change, or a sort: read the map again.
            view.model.modelReset.connect(self._lists_changed)
            view.selectionChanged.connect(lambda kind=kind: self.table_selected(kind))

    @property
    def tab(self) -> MapTab:
        """The 地图 tab, built on first use."""
        if self._tab is None:
            from landbank.ui.map import tab as tab_module  # NumPy and pyproj come with it

            tabs = self.window.tabs
            tab = tab_module.MapTab(self.window.ctx, self.filters, tabs)
            tab.print_map = self.print_map
            tab.view.featureClicked.connect(self.map_clicked)
            tab.view.featureActivated.connect(self.map_activated)
            current = tabs.currentIndex()
            placeholder = tabs.widget(self.index)
            tabs.blockSignals(True)  # no tab change while the placeholder is swapped
            tabs.removeTab(self.index)
            tabs.insertTab(self.index, tab, self.window.tr("地图"))
            tabs.setCurrentIndex(current)
            tabs.blockSignals(False)
            if placeholder is not None:
                placeholder.deleteLater()
            self._tab = tab
            if self._selected is not None:
                tab.highlight(*self._selected, centre=True)  # once the map is read
        return self._tab

    def _tab_changed(self, index: int) -> None:
        if index == self.index and self._tab is None:
            self.tab.mark_stale()  # built now, read now it is shown

    def _lists_changed(self) -> None:
        if self._tab is not None:
            self._tab.mark_stale()

    def filters(self) -> tuple[RecordFilter, RecordFilter]:
        views = self.window.views
        return (
            views[RecordKind.PARCEL].model.record_filter,
            views[RecordKind.FACTORY].model.record_filter,
        )

    def shown(self) -> bool:
        return self.window.tabs.currentIndex() == self.index

    def table_selected(self, kind: RecordKind) -> None:
        if self._from_map:
            return
        record_id = self.window.views[kind].current_id()
        if record_id is None:
            return
        if self._tab is None:
            self._selected = (kind, record_id)
        else:
            self._tab.highlight(kind, record_id, centre=True)

    def map_clicked(self, kind: RecordKind, record_id: int) -> None:
        """Select the record in its list, keep the map in view, say which it is."""
        window = self.window
        self.current_kind = kind
        view = window.views[kind]
        if not view.model.loaded:
            view.refresh()
        self._from_map = True
        try:
            selected = view.select_id(record_id, reveal=True)
            # The window's commands follow the list's selection; the map's kind may have
            # changed even when that list's selection did not.
            view.selectionChanged.emit()
        finally:
            self._from_map = False
        self.tab.highlight(kind, record_id, centre=False)
        feature = self.tab.data.find(kind, record_id)
        name = f"{feature.code}（{feature.status}）" if feature is not None else f"#{record_id}"
        if selected:
            text = window.tr("{kind} {name}：已在“{kind}”列表中选中（双击编辑）").format(
                kind=kind_label(kind), name=name
            )
        else:
            text = window.tr(
                "{kind} {name}：未能在列表中选中（位于很靠后的位置），可按编号搜索"
            ).format(kind=kind_label(kind), name=name)
        window.show_message(text, 2)

    def map_activated(self, kind: RecordKind, record_id: int) -> None:
        """A double click: select it, then open it for editing."""
        self.map_clicked(kind, record_id)
        if self.window.views[kind].current_id() == record_id:
            self.window.record_commands.edit_record()

    def settle(self) -> None:
        """Read and draw the map now, fitted, its labels placed (a screenshot takes it at once)."""
        self.tab  # noqa: B018  (built, if the tab was not shown yet)
        QCoreApplication.processEvents()  # the tab, shown, reads the ledger once
        if self.tab.stale:
            self.tab.reload()
        self.tab.view.fit()
        self.tab.view.update_labels()  # now, not after the view's timer

    def print_map(self) -> None:
        """打印地图: the map in view, shown first when another tab is (the clerk sees what
        is printed)."""
        from landbank.ui.map.printing import print_map

        if not self.shown():
            self.window.tabs.setCurrentIndex(self.index)

        print_map(
            self.window, self.window.ctx, self.tab, lambda text: self.window.show_message(text, 2)
        )
