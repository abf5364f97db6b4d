"""The main window: four record lists in tabs, the actions and their shortcuts, and the status
bar totals.

The window only routes: the lists query through their models, dialogs save through the record
services, and the window refreshes what a change may have touched (the current list at once,
the other lists when they are next shown). The record commands live in
:mod:`landbank.ui.main_window_records`, the file commands (export, print, template, import) in
:mod:`landbank.ui.main_window_files`, the menus in :mod:`landbank.ui.main_window_menus`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import QDialog, QLabel, QMainWindow, QMessageBox, QTabWidget, QWidget

import landbank
from landbank.domain.enums import RecordKind
from landbank.services.importing import IMPORT_KINDS
from landbank.services.server.rights import rights_of
from landbank.store.engine import describe_url, sqlite_path
from landbank.store.queries import RecordFilter
from landbank.ui.context import AppContext
from landbank.ui.main_window_files import FileCommands
from landbank.ui.main_window_menus import build_menus
from landbank.ui.main_window_records import MATCH_KINDS, RecordCommands, kind_label
from landbank.ui.main_window_rights import follow_rights, window_title
from landbank.ui.map.link import MapLink
from landbank.ui.records.view import RecordView
from landbank.ui.reports.menu import install_report_menu
from landbank.ui.server.ledger_import_dialog import LedgerImport, follow_ledger_rights
from landbank.ui.state import UiState

if TYPE_CHECKING:
    from landbank.ui.quota.dashboard import QuotaDashboard

VIEW_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT, RecordKind.QUOTA)
STATUS_MESSAGE_MS = 6000


class MainWindow(QMainWindow):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, remember_state: bool = True
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._state = UiState() if remember_state else None
        self._stale: set[RecordKind] = set()
        self.shown_refusal: str | None = None  # the selection's refusal last shown
        self.ledger_import: LedgerImport | None = None  # 导入县区台账, made when first used
        self.record_commands = RecordCommands(self)
        self.file_commands = FileCommands(self)
        self.setObjectName("MainWindow")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.views: dict[RecordKind, RecordView] = {}
        for kind in VIEW_KINDS:
            # A remembered layout is restored below (or the default columns then). Each list
            # reads its rows when its tab is first shown (_tab_changed: every one starts stale).
            view = RecordView(
                ctx, kind, self.tabs, default_columns=self._state is None, load=False
            )
            view.editRequested.connect(self.record_commands.edit_record)
            view.selectionChanged.connect(self._update_actions)
            view.totalsChanged.connect(self._update_summary)
            view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.table.customContextMenuRequested.connect(self.record_commands.table_menu)
            self.views[kind] = view
            self.tabs.addTab(
                self._quota_page(view) if kind is RecordKind.QUOTA else view, kind_label(kind)
            )
        self.map_link = MapLink(self)  # the 地图 tab, after the lists
        self.setCentralWidget(self.tabs)
        self.summary = QLabel(self)
        self.statusBar().addPermanentWidget(self.summary)
        self._create_actions()
        build_menus(self)
        self.report_menu = install_report_menu(self, ctx)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.resize(1280, 800)
        self._update_title()
        if self._state is not None:
            self._restore_state(self._state)
        self._stale.update(VIEW_KINDS)
        self._tab_changed()

    def _quota_page(self, view: RecordView) -> QWidget:
        """The 年度指标 tab: the dashboard, and the targets table where targets are edited.
        The dashboard (its charts, the quota services) is built when the tab is first shown:
        a window opening on another list does not load it."""
        self._dashboard: QuotaDashboard | None = None
        self.quota_tabs = QTabWidget(self.tabs)
        self.quota_tabs.addTab(QWidget(self.quota_tabs), self.tr("指标进度"))
        self.quota_tabs.addTab(view, self.tr("指标目标"))
        return self.quota_tabs

    @property
    def dashboard(self) -> QuotaDashboard:
        """The 指标进度 dashboard, built on first use."""
        if self._dashboard is None:
            from landbank.ui.quota.dashboard import QuotaDashboard

            dashboard = QuotaDashboard(self.ctx, refresh_shortcut=False)
            dashboard.show_records.connect(self.show_records)
            current = self.quota_tabs.currentIndex()
            placeholder = self.quota_tabs.widget(0)
            self.quota_tabs.removeTab(0)
            self.quota_tabs.insertTab(0, dashboard, self.tr("指标进度"))
            self.quota_tabs.setCurrentIndex(current)
            if placeholder is not None:
                placeholder.deleteLater()
            self._dashboard = dashboard
        return self._dashboard

    # -------------------------------------------------------------- actions

    def _action(
        self, text: str, slot: object, shortcuts: list[QKeySequence] | None = None
    ) -> QAction:
        action = QAction(text, self)
        if shortcuts:
            action.setShortcuts(shortcuts)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        key = QKeySequence
        records, files = self.record_commands, self.file_commands
        self.new_action = self._action(self.tr("新建(&N)…"), records.new_record, [key("Ctrl+N")])
        self.edit_action = self._action(self.tr("编辑(&E)…"), records.edit_record, [key("Ctrl+E")])
        self.delete_action = self._action(
            self.tr("删除(&D)"), records.delete_records, [key(Qt.Key.Key_Delete)]
        )
        self.undo_action = self._action(
            self.tr("撤销删除(&U)"), records.undo_delete, [key(QKeySequence.StandardKey.Undo)]
        )
        self.undo_action.setEnabled(False)
        self.find_action = self._action(self.tr("查找(&F)"), self.focus_search, [key("Ctrl+F")])
        self.copy_action = self._action(
            self.tr("复制(&C)"), records.copy_selection, [key("Ctrl+C")]
        )
        self.paste_action = self._action(self.tr("粘贴(&V)"), records.paste, [key("Ctrl+V")])
        self.history_action = self._action(
            self.tr("历史(&H)…"), records.show_history, [key("Ctrl+H")]
        )
        self.match_action = self._action(
            self.tr("匹配场地(&M)…"), records.match_record, [key("Ctrl+M")]
        )
        self.refresh_action = self._action(self.tr("刷新(&R)"), self.refresh_all, [key("F5")])
        self.clear_filter_action = self._action(self.tr("清除筛选(&L)"), self._clear_filter)
        self.reference_action = self._action(self.tr("行政区与园区(&R)…"), self.edit_reference)
        self.users_action = self._action(self.tr("用户与权限(&U)…"), self.manage_users)
        self.ledger_import_action = self._action(
            self.tr("导入县区台账(&L)…"), self.import_county_ledger
        )
        self.export_action = self._action(
            self.tr("导出当前列表(&X)…"), files.export_list, [key("Ctrl+Shift+E")]
        )
        self.template_action = self._action(self.tr("下载空白模板(&T)…"), files.download_template)
        self.backup_action = self._action(self.tr("备份与恢复(&B)…"), files.backup_restore)
        self.print_action = self._action(
            self.tr("打印当前列表(&P)…"), files.print_list, [key(QKeySequence.StandardKey.Print)]
        )
        self.import_action = self._action(
            self.tr("导入 Excel 台账(&I)…"), files.import_ledger, [key("Ctrl+I")]
        )
        self.settings_action = self._action(self.tr("设置(&S)…"), self.edit_settings)
        self.about_action = self._action(self.tr("关于本软件(&A)"), self.show_about)
        self.guide_action = self._action(self.tr("使用说明(&G)"), self.show_guide, [key("F1")])
        self.quit_action = self._action(self.tr("退出(&Q)"), self.close, [key("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.tab_actions: list[QAction] = []
        for i, kind in enumerate(VIEW_KINDS):
            action = self._action(
                kind_label(kind),
                lambda _checked=False, i=i: self.tabs.setCurrentIndex(i),
                [key(f"Ctrl+{i + 1}")],
            )
            self.tab_actions.append(action)
        map_index = self.map_link.index
        self.tab_actions.append(
            self._action(
                self.tr("地图"),
                lambda _checked=False: self.tabs.setCurrentIndex(map_index),
                [key(f"Ctrl+{map_index + 1}")],
            )
        )
        self.print_map_action = self._action(self.tr("打印地图(&M)…"), self.map_link.print_map)

    # -------------------------------------------------------------- the current list

    def current_kind(self) -> RecordKind:
        index = self.tabs.currentIndex()
        if index >= len(VIEW_KINDS):  # the 地图 tab: the kind of the record last clicked there
            return self.map_link.current_kind
        return VIEW_KINDS[max(0, index)]

    def current_view(self) -> RecordView:
        return self.views[self.current_kind()]

    def show_kind(self, kind: RecordKind) -> None:
        self.tabs.setCurrentIndex(VIEW_KINDS.index(kind))

    def _tab_changed(self) -> None:
        kind = self.current_kind()
        if kind is RecordKind.QUOTA:
            self.dashboard  # noqa: B018  (built when its tab is first shown)
        if kind in self._stale:
            self._stale.discard(kind)
            self.views[kind].refresh()
        self._update_summary()
        self._update_actions()

    def refresh_after_change(self, kind: RecordKind, select_id: int | None = None) -> bool:
        """After a change to ``kind``: refresh its list now, the others when next shown.
        Returns whether ``select_id`` (if given) could be scrolled to and selected."""
        shown = self.views[kind].refresh(select_id)
        self._stale.update(k for k in VIEW_KINDS if k is not kind)
        if self._dashboard is not None:  # one not built yet reads the ledger when it is
            self._dashboard.mark_stale()
        return shown

    def show_message(self, text: str, times: int = 1) -> None:
        """``text`` in the status bar for ``times`` × :data:`STATUS_MESSAGE_MS`."""
        self.statusBar().showMessage(text, STATUS_MESSAGE_MS * times)

    def _update_summary(self) -> None:
        view = self.current_view()
        text = view.summary_text()
        selected = len(view.selected_rows())
        if selected > 1:
            text += self.tr(" · 已选 {n} 条").format(n=selected)
        self.summary.setText(text)

    def _update_actions(self) -> None:
        rows = len(self.current_view().selected_rows())
        for action in (self.edit_action, self.history_action):
            action.setEnabled(rows >= 1)
        for action in (self.delete_action, self.copy_action):
            action.setEnabled(rows >= 1)
        self.import_action.setEnabled(self.current_kind() in IMPORT_KINDS)
        projects = self.current_kind() is RecordKind.PROJECT
        self.match_action.setText(
            self.tr("匹配场地(&M)…") if projects else self.tr("匹配项目(&M)…")
        )
        self.match_action.setEnabled(rows == 1 and self.current_kind() in MATCH_KINDS)
        follow_rights(self, rows)
        follow_ledger_rights(self)
        self._update_summary()

    def _update_title(self) -> None:
        url = self.ctx.engine.url.render_as_string(hide_password=False)
        path = sqlite_path(url)
        where = path.name if path is not None else describe_url(url)
        # Ending with the application's display name, which Qt then does not append again.
        name = QGuiApplication.applicationDisplayName() or self.tr("收储地块与标准厂房台账")
        # On a city server: who is logged in and their scope (issue 14).
        self.setWindowTitle(window_title(self, name) or f"{where} — {name}")

    def focus_search(self) -> None:
        self.current_view().focus_search()

    def show_records(self, kind: RecordKind, ids: list[int]) -> None:
        """The records behind a dashboard figure: their list, filtered to exactly them
        (清除筛选 shows every record again)."""
        view = self.views[kind]
        self.show_kind(kind)
        view.filter_bar.clear()
        view.apply_filter()  # at once, not after the debounce: the ids filter must come last
        view.model.set_filter(RecordFilter(ids=tuple(ids)))
        if ids:
            view.select_id(ids[0], reveal=True)
        self.show_message(
            self.tr("显示指标背后的 {n} 条{kind}记录；“清除筛选”可恢复全部").format(
                n=len(ids), kind=kind_label(kind)
            ),
            2,
        )

    def _clear_filter(self) -> None:
        self.current_view().filter_bar.clear()

    def refresh_all(self) -> None:
        rights_of(self.ctx.engine, fresh=True)  # an account changed on the server meanwhile
        self._update_title()
        for kind, view in self.views.items():
            if kind is self.current_kind():
                view.refresh()
            else:
                self._stale.add(kind)
        if self._dashboard is not None:
            self._dashboard.mark_stale()
        self._update_actions()
        self.show_message(self.tr("已刷新"))

    # -------------------------------------------------------------- reference data, settings

    def edit_reference(self) -> None:
        from landbank.ui.records.reference_dialog import ReferenceDataDialog

        ReferenceDataDialog(self.ctx, self).exec()
        # Regions and parks may have been renamed, added or removed: every list shows names.
        self._stale.update(VIEW_KINDS)
        self._tab_changed()

    def manage_users(self) -> None:
        from landbank.ui.users_dialog import UsersDialog

        UsersDialog(self.ctx, self).exec()

    def import_county_ledger(self) -> None:
        if self.ledger_import is None:
            self.ledger_import = LedgerImport(self)
        self.ledger_import.run()

    def edit_settings(self) -> None:
        from landbank.ui.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.ctx, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        if dialog.database_changed:
            QMessageBox.information(
                self,
                self.tr("设置"),
                self.tr("新的数据库位置将在下次启动 landbank 时生效。"),
            )

    def show_about(self) -> None:
        url = describe_url(self.ctx.engine.url.render_as_string(hide_password=False))
        text = self.tr(
            "<h3>收储地块与标准厂房台账 {version} 版</h3>"
            "<p>收储地块、标准厂房、招商项目与年度指标台账</p>"
            "<p>数据库：{db}<br>用户：{user}</p>"
        ).format(version=landbank.__version__, db=url, user=self.ctx.user)
        QMessageBox.about(self, self.tr("关于本软件"), text)

    def show_guide(self) -> None:
        from landbank.ui.guide_dialog import GuideDialog

        GuideDialog(self).exec()

    # -------------------------------------------------------------- window state

    def _restore_state(self, state: UiState) -> None:
        geometry = state.window_geometry()
        if geometry is not None:
            self.restoreGeometry(geometry)
        window_state = state.window_state()
        if window_state is not None:
            self.restoreState(window_state)
        for view in self.views.values():
            view.restore_state(state)
        for i, kind in enumerate(VIEW_KINDS):
            if kind.value == state.current_tab():
                self.tabs.setCurrentIndex(i)

    def save_window_state(self) -> None:
        if self._state is None:
            return
        self._state.set_window_geometry(self.saveGeometry())
        self._state.set_window_state(self.saveState())
        self._state.set_current_tab(self.current_kind().value)
        for view in self.views.values():
            view.save_state(self._state)
        self._state.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_window_state()
        super().closeEvent(event)
