"""The 地图 tab in the main window: after the record lists, following their filters and their
selection, and selecting in them what the clerk clicks on the map.

A click on an outline or a dot selects that record in its list (the map stays in view; the
status bar names the record), so 编辑/历史/匹配 and Ctrl+E act on it; a double click opens it
for editing. Selecting a row of the 收储地块 or 标准厂房 list marks it on the map and centres it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject

from landbank.domain.enums import RecordKind
from landbank.store.queries import RecordFilter
from landbank.ui.main_window_records import kind_label
from landbank.ui.map.tab import MapTab

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow

MAP_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY)


class MapLink(QObject):
    """Connects ``window``'s lists and its 地图 tab."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._from_map = False
        self.tab = MapTab(window.ctx, self.filters, window.tabs)
        self.tab.print_map = self.print_map
        self.index = window.tabs.addTab(self.tab, window.tr("地图"))
        for kind in MAP_KINDS:
            view = window.views[kind]
            # A reset is a new filter, a refresh after a change, or a sort: read the map again.
            view.model.modelReset.connect(self.tab.mark_stale)
            view.selectionChanged.connect(lambda kind=kind: self.table_selected(kind))
        self.tab.view.featureClicked.connect(self.map_clicked)
        self.tab.view.featureActivated.connect(self.map_activated)

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
        if record_id is not None:
            self.tab.highlight(kind, record_id, centre=True)

    def map_clicked(self, kind: RecordKind, record_id: int) -> None:
        """Select the record in its list, keep the map in view, say which it is."""
        window = self.window
        self.tab.current_kind = kind
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
        QCoreApplication.processEvents()  # the tab, shown, reads the ledger once
        if self.tab.stale:
            self.tab.reload()
        self.tab.view.fit()
        self.tab.view.update_labels()  # now, not after the view's timer

    def print_map(self) -> None:
        from landbank.ui.map.printing import print_map

        print_map(
            self.window, self.window.ctx, self.tab, lambda text: self.window.show_message(text, 2)
        )
