"""The main window: four record lists in tabs, the menus, and the status bar totals.

The window only routes: the lists query through their models, dialogs save through the record
services, and the window refreshes what a change may have touched (the current list at once,
the other lists when they are next shown).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QPoint, Qt
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QTabWidget,
    QToolBar,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

import landbank
from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.services.importing.preview import IMPORT_KINDS
from landbank.services.records.saving import (
    RecordError,
    RecordNotFound,
    delete_record,
    get_record,
    record_label,
    record_values,
    restore_deleted,
)
from landbank.store.engine import describe_url, sqlite_path
from landbank.store.queries import RecordFilter
from landbank.ui.context import AppContext
from landbank.ui.quota.dashboard import QuotaDashboard
from landbank.ui.records.clipboard import copy_rows, paste_from_clipboard
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.records.history_dialog import HistoryDialog
from landbank.ui.records.reference_dialog import ReferenceDataDialog
from landbank.ui.records.view import RecordView
from landbank.ui.reports.menu import install_report_menu
from landbank.ui.settings_dialog import SettingsDialog
from landbank.ui.state import UiState

VIEW_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT, RecordKind.QUOTA)
MATCH_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT)
STATUS_MESSAGE_MS = 6000
MAX_LABELS_IN_QUESTION = 10


def _kind_label(kind: RecordKind) -> str:
    return QCoreApplication.translate("kinds", kind.label)


class MainWindow(QMainWindow):
    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, *, remember_state: bool = True
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._state = UiState() if remember_state else None
        self._stale: set[RecordKind] = set()
        self._export_folder: Path | None = None  # where the last export or template went
        # What the last delete removed, as it was: Ctrl+Z creates it again.
        self._deleted: tuple[RecordKind, list[dict[str, Any]]] | None = None
        self.setObjectName("MainWindow")
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.views: dict[RecordKind, RecordView] = {}
        for kind in VIEW_KINDS:
            view = RecordView(ctx, kind, self.tabs)
            view.editRequested.connect(self.edit_record)
            view.selectionChanged.connect(self._update_actions)
            view.totalsChanged.connect(self._update_summary)
            view.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            view.table.customContextMenuRequested.connect(self._table_menu)
            self.views[kind] = view
            self.tabs.addTab(self._quota_page(view) if kind is RecordKind.QUOTA else view, _kind_label(kind))
        self.setCentralWidget(self.tabs)
        self.summary = QLabel(self)
        self.statusBar().addPermanentWidget(self.summary)
        self._create_actions()
        self._create_menus()
        self.report_menu = install_report_menu(self, ctx)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.resize(1280, 800)
        self._update_title()
        if self._state is not None:
            self._restore_state(self._state)
        self._tab_changed()

    def _quota_page(self, view: RecordView) -> QWidget:
        """The 年度指标 tab: the dashboard, and the targets table where targets are edited."""
        self.dashboard = QuotaDashboard(self.ctx, refresh_shortcut=False)
        self.dashboard.show_records.connect(self.show_records)
        self.quota_tabs = QTabWidget(self.tabs)
        self.quota_tabs.addTab(self.dashboard, self.tr("指标进度"))
        self.quota_tabs.addTab(view, self.tr("指标目标"))
        return self.quota_tabs

    # -------------------------------------------------------------- actions and menus

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
        self.new_action = self._action(self.tr("新建(&N)…"), self.new_record, [key("Ctrl+N")])
        self.edit_action = self._action(self.tr("编辑(&E)…"), self.edit_record, [key("Ctrl+E")])
        self.delete_action = self._action(
            self.tr("删除(&D)"), self.delete_records, [key(Qt.Key.Key_Delete)]
        )
        self.undo_action = self._action(
            self.tr("撤销删除(&U)"), self.undo_delete, [key(QKeySequence.StandardKey.Undo)]
        )
        self.undo_action.setEnabled(False)
        self.find_action = self._action(self.tr("查找(&F)"), self.focus_search, [key("Ctrl+F")])
        self.copy_action = self._action(self.tr("复制(&C)"), self.copy_selection, [key("Ctrl+C")])
        self.paste_action = self._action(self.tr("粘贴(&V)"), self.paste, [key("Ctrl+V")])
        self.history_action = self._action(self.tr("历史(&H)…"), self.show_history, [key("Ctrl+H")])
        self.match_action = self._action(self.tr("匹配场地(&M)…"), self.match_record, [key("Ctrl+M")])
        self.refresh_action = self._action(self.tr("刷新(&R)"), self.refresh_all, [key("F5")])
        self.clear_filter_action = self._action(self.tr("清除筛选(&L)"), self._clear_filter)
        self.reference_action = self._action(self.tr("行政区与园区(&R)…"), self.edit_reference)
        self.export_action = self._action(
            self.tr("导出当前列表(&X)…"), self.export_list, [key("Ctrl+Shift+E")]
        )
        self.template_action = self._action(self.tr("下载空白模板(&T)…"), self.download_template)
        self.print_action = self._action(
            self.tr("打印当前列表(&P)…"), self.print_list, [key(QKeySequence.StandardKey.Print)]
        )
        self.import_action = self._action(
            self.tr("导入 Excel 台账(&I)…"), self.import_ledger, [key("Ctrl+I")]
        )
        self.settings_action = self._action(self.tr("设置(&S)…"), self.edit_settings)
        self.about_action = self._action(self.tr("关于本软件(&A)"), self.show_about)
        self.guide_action = self._action(self.tr("使用说明(&G)"), self.show_guide, [key("F1")])
        self.quit_action = self._action(self.tr("退出(&Q)"), self.close, [key("Ctrl+Q")])
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.tab_actions: list[QAction] = []
        for i, kind in enumerate(VIEW_KINDS):
            action = self._action(
                _kind_label(kind),
                lambda _checked=False, i=i: self.tabs.setCurrentIndex(i),
                [key(f"Ctrl+{i + 1}")],
            )
            self.tab_actions.append(action)

    def _create_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu(self.tr("文件(&F)"))
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.print_action)
        file_menu.addAction(self.template_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = bar.addMenu(self.tr("编辑(&E)"))
        edit_menu.addAction(self.undo_action)
        edit_menu.addSeparator()
        for action in (self.new_action, self.edit_action, self.delete_action):
            edit_menu.addAction(action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.copy_action)
        edit_menu.addAction(self.paste_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.history_action)
        view_menu = bar.addMenu(self.tr("视图(&V)"))
        view_menu.addAction(self.refresh_action)
        view_menu.addAction(self.clear_filter_action)
        view_menu.addSeparator()
        for action in self.tab_actions:
            view_menu.addAction(action)
        data_menu = bar.addMenu(self.tr("数据(&D)"))
        data_menu.addAction(self.reference_action)
        data_menu.addAction(self.match_action)
        help_menu = bar.addMenu(self.tr("帮助(&H)"))
        help_menu.addAction(self.guide_action)
        help_menu.addSeparator()
        help_menu.addAction(self.about_action)
        toolbar = QToolBar(self.tr("常用"), self)
        toolbar.setObjectName("MainToolBar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.setMovable(False)
        for action in (self.new_action, self.edit_action, self.delete_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        toolbar.addAction(self.history_action)
        toolbar.addAction(self.match_action)
        toolbar.addAction(self.refresh_action)
        self.addToolBar(toolbar)

    # -------------------------------------------------------------- the current list

    def current_kind(self) -> RecordKind:
        return VIEW_KINDS[max(0, self.tabs.currentIndex())]

    def current_view(self) -> RecordView:
        return self.views[self.current_kind()]

    def show_kind(self, kind: RecordKind) -> None:
        self.tabs.setCurrentIndex(VIEW_KINDS.index(kind))

    def _tab_changed(self) -> None:
        kind = self.current_kind()
        if kind in self._stale:
            self._stale.discard(kind)
            self.views[kind].refresh()
        self._update_summary()
        self._update_actions()

    def _changed(self, kind: RecordKind, select_id: int | None = None) -> bool:
        """After a change to ``kind``: refresh its list now, the others when next shown.
        Returns whether ``select_id`` (if given) could be scrolled to and selected."""
        shown = self.views[kind].refresh(select_id)
        self._stale.update(k for k in VIEW_KINDS if k is not kind)
        self.dashboard.mark_stale()
        return shown

    def _report_saved(self, done: str, shown: bool) -> None:
        if not shown:
            # Paging keeps a 100,000-row ledger fast; a record deep in the current order is
            # not fetched just to select it. Say so rather than leave the clerk looking.
            done += self.tr("；该记录在当前筛选和排序下未能显示（位于很靠后的位置或不符合筛选），可按编号或名称搜索")
        self.statusBar().showMessage(done, STATUS_MESSAGE_MS * (1 if shown else 2))

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
        self.match_action.setText(self.tr("匹配场地(&M)…") if projects else self.tr("匹配项目(&M)…"))
        self.match_action.setEnabled(rows == 1 and self.current_kind() in MATCH_KINDS)
        self._update_summary()

    def _update_title(self) -> None:
        url = self.ctx.engine.url.render_as_string(hide_password=False)
        path = sqlite_path(url)
        where = path.name if path is not None else describe_url(url)
        # Ending with the application's display name, which Qt then does not append again.
        name = QGuiApplication.applicationDisplayName() or self.tr("收储地块与标准厂房台账")
        self.setWindowTitle(f"{where} — {name}")

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
        self.statusBar().showMessage(
            self.tr("显示指标背后的 {n} 条{kind}记录；“清除筛选”可恢复全部").format(
                n=len(ids), kind=_kind_label(kind)
            ),
            STATUS_MESSAGE_MS * 2,
        )

    def _clear_filter(self) -> None:
        self.current_view().filter_bar.clear()

    def refresh_all(self) -> None:
        for kind, view in self.views.items():
            if kind is self.current_kind():
                view.refresh()
            else:
                self._stale.add(kind)
        self.dashboard.mark_stale()
        self.statusBar().showMessage(self.tr("已刷新"), STATUS_MESSAGE_MS)

    # -------------------------------------------------------------- record commands

    def new_record(self) -> None:
        kind = self.current_kind()
        dialog = RecordDialog(self.ctx, kind, parent=self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            shown = self._changed(kind, dialog.saved_id)
            self._report_saved(self.tr("已新建{kind}").format(kind=_kind_label(kind)), shown)

    def edit_record(self) -> None:
        view = self.current_view()
        record_id = view.current_id()
        if record_id is None:
            return
        try:
            dialog = RecordDialog(self.ctx, view.kind, record_id, parent=self)
        except (RecordNotFound, SQLAlchemyError) as exc:  # deleted meanwhile, or no database
            QMessageBox.warning(self, self.tr("编辑"), describe_error(exc))
            view.refresh()
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            shown = self._changed(view.kind, dialog.saved_id or record_id)
            self._report_saved(self.tr("已保存"), shown)

    def show_history(self) -> None:
        view = self.current_view()
        record_id = view.current_id()
        if record_id is not None:
            HistoryDialog(self.ctx, view.kind, record_id, parent=self).exec()

    def match_record(self) -> None:
        """The matching dialog: sites for the selected project, projects for a parcel or a
        building. Reservations made there refresh the lists."""
        view = self.current_view()
        record_id = view.current_id()
        if record_id is None or view.kind not in MATCH_KINDS:
            return
        # Loaded on first use: matching brings NumPy, which a clerk who never matches
        # need not wait for at start.
        from landbank.services.matching.sites import NotFoundError
        from landbank.ui.matching.dialog import MatchDialog

        try:
            dialog = MatchDialog(self.ctx, view.kind, record_id, parent=self)
        except (RecordError, NotFoundError, SQLAlchemyError) as exc:  # deleted meanwhile
            reason = str(exc) if isinstance(exc, NotFoundError) else describe_error(exc)
            QMessageBox.warning(self, self.tr("匹配"), reason)
            view.refresh()
            return
        dialog.exec()
        if dialog.changed_kinds:
            self._changed(view.kind, record_id)
        dialog.deleteLater()

    def _table_menu(self, pos: QPoint) -> None:
        view = self.current_view()
        menu = QMenu(self)
        menu.addAction(self.edit_action)
        menu.addAction(self.history_action)
        if view.kind in MATCH_KINDS:
            menu.addAction(self.match_action)
        menu.addSeparator()
        menu.addAction(self.copy_action)
        menu.addAction(self.delete_action)
        menu.exec(view.table.viewport().mapToGlobal(pos))
        menu.deleteLater()  # one menu per right-click: don't keep them all

    def delete_records(self) -> None:
        view = self.current_view()
        rows = view.selected_rows()
        if not rows:
            return
        model, kind = view.model, view.kind
        labels = [record_label(kind, model.row_dict(r), model.names.regions) for r in rows]
        kind_label = _kind_label(kind)
        if len(rows) == 1:
            question = self.tr("确定删除{kind}“{label}”吗？").format(
                kind=kind_label, label=labels[0]
            )
        else:
            shown = "、".join(labels[:MAX_LABELS_IN_QUESTION])
            if len(labels) > MAX_LABELS_IN_QUESTION:
                shown += self.tr(" 等")
            question = self.tr("确定删除选中的 {n} 条{kind}记录（{labels}）吗？").format(
                n=len(rows), kind=kind_label, labels=shown
            )
        question += "\n" + self.tr("删除后可立即按 Ctrl+Z 撤销；其内容也留在修改历史中。")
        answer = QMessageBox.question(
            self,
            self.tr("删除{kind}").format(kind=kind_label),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        targets = [(model.record_id(r), model.record_version(r)) for r in rows]
        try:
            with self.ctx.session() as session:
                kept = []
                for record_id, version in targets:
                    kept.append(record_values(kind, get_record(session, kind, record_id)))
                    delete_record(
                        session, kind, record_id, expected_version=version, user=self.ctx.user
                    )
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("无法删除"), describe_error(exc))
            view.refresh()
            return
        self._deleted = (kind, kept)
        self.undo_action.setEnabled(True)
        self._changed(kind)
        self.statusBar().showMessage(
            self.tr("已删除 {n} 条{kind}记录（Ctrl+Z 撤销）").format(
                n=len(targets), kind=kind_label
            ),
            STATUS_MESSAGE_MS * 2,
        )

    def undo_delete(self) -> None:
        """Create again what the last delete removed (new ids; the history says 撤销删除)."""
        if self._deleted is None:
            return
        kind, kept = self._deleted
        try:
            with self.ctx.session() as session:
                ids = restore_deleted(session, kind, kept, user=self.ctx.user)
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("无法撤销删除"), describe_error(exc))
            return
        self._deleted = None
        self.undo_action.setEnabled(False)
        self.show_kind(kind)
        self._changed(kind, ids[0] if ids else None)
        self.statusBar().showMessage(
            self.tr("已恢复 {n} 条{kind}记录").format(n=len(ids), kind=_kind_label(kind)),
            STATUS_MESSAGE_MS,
        )

    def copy_selection(self) -> None:
        view = self.current_view()
        n = copy_rows(view.model, view.selected_rows(), view.visible_columns())
        if n:
            self.statusBar().showMessage(self.tr("已复制 {n} 条").format(n=n), STATUS_MESSAGE_MS)

    def paste(self) -> None:
        view = self.current_view()
        keys = [view.model.columns[c].key for c in view.visible_columns()]
        result = paste_from_clipboard(self, self.ctx, view.kind, keys)
        if result is None:
            return
        created = result.created
        self._changed(view.kind, created[0] if created else None)
        self.statusBar().showMessage(
            self.tr("已粘贴 {n} 条").format(n=len(created)), STATUS_MESSAGE_MS
        )

    # -------------------------------------------------------------- export and template

    # Excel files and the import wizard load openpyxl (and through it NumPy): on first use,
    # not at start.

    def export_list(self) -> None:
        from landbank.ui.export_dialog import export_view

        result = export_view(self, self.ctx, self.current_view(), self._export_folder)
        if result is not None:
            self._export_folder = result.path.parent
            self.statusBar().showMessage(
                self.tr("已导出 {n} 条到 {path}").format(n=f"{result.count:,}", path=result.path),
                STATUS_MESSAGE_MS * 2,
            )

    def print_list(self) -> None:
        """The list on screen through the print preview (which also saves a PDF)."""
        from landbank.ui.reports.list_print import print_view

        print_view(
            self,
            self.ctx,
            self.current_view(),
            on_saved=lambda text: self.statusBar().showMessage(text, STATUS_MESSAGE_MS * 2),
        )

    def download_template(self) -> None:
        from landbank.ui.export_dialog import save_template

        path = save_template(self, self.ctx, self.current_kind(), self._export_folder)
        if path is not None:
            self._export_folder = path.parent
            self.statusBar().showMessage(
                self.tr("已保存空白模板到 {path}").format(path=path), STATUS_MESSAGE_MS * 2
            )

    # -------------------------------------------------------------- import

    def import_ledger(self) -> None:
        kind = self.current_kind()
        if kind not in IMPORT_KINDS:
            return
        from landbank.ui.importing.wizard import ImportWizard

        wizard = ImportWizard(self.ctx, kind, self)
        wizard.imported.connect(self.imported)
        wizard.exec()
        wizard.deleteLater()

    def imported(self, kind: RecordKind, count: int) -> None:
        """After an import: new regions may show in every list, the records in ``kind``'s."""
        self._changed(kind)  # the other lists refresh when next shown
        self.statusBar().showMessage(
            self.tr("已导入 {n} 条").format(n=count), STATUS_MESSAGE_MS * 2
        )

    # -------------------------------------------------------------- reference data, settings

    def edit_reference(self) -> None:
        ReferenceDataDialog(self.ctx, self).exec()
        # Regions and parks may have been renamed, added or removed: every list shows names.
        self._stale.update(VIEW_KINDS)
        self._tab_changed()

    def edit_settings(self) -> None:
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
