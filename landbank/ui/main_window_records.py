"""The main window's commands on the records of the current list: new, edit, history, match,
delete (and undo it), copy and paste, and the right-click menu that offers them.

Each command opens its dialog or calls the record services, then has the window refresh what
the change may have touched (:meth:`landbank.ui.main_window.MainWindow.refresh_after_change`).
The dialogs and the clipboard's modules load when first used, not when the window opens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QPoint
from PySide6.QtWidgets import QDialog, QMenu, QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.services.attachments.service import relink
from landbank.services.errors import describe_error
from landbank.services.records.labels import record_label
from landbank.services.records.saving import (
    RecordError,
    RecordNotFound,
    delete_record,
    get_record,
    record_values,
    restore_deleted,
)

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow

MATCH_KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT)
MAX_LABELS_IN_QUESTION = 10


def kind_label(kind: RecordKind) -> str:
    return QCoreApplication.translate("kinds", kind.label)


class RecordCommands:
    """The record commands of ``window`` (its actions call them)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        # What the last delete removed, as it was: Ctrl+Z creates it again.
        self.deleted: tuple[RecordKind, list[dict[str, Any]]] | None = None
        self.deleted_ids: list[int] = []  # their ids then (their files follow the undo)

    def _report_saved(self, done: str, shown: bool) -> None:
        if not shown:
            # Paging keeps a 100,000-row ledger fast; a record deep in the current order is
            # not fetched just to select it. Say so rather than leave the clerk looking.
            done += self.window.tr(
                "；该记录在当前筛选和排序下未能显示（位于很靠后的位置或不符合筛选），可按编号或名称搜索"
            )
        self.window.show_message(done, 1 if shown else 2)

    def new_record(self) -> None:
        kind = self.window.current_kind()
        from landbank.ui.records.dialog import RecordDialog

        dialog = RecordDialog(self.window.ctx, kind, parent=self.window)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            shown = self.window.refresh_after_change(kind, dialog.saved_id)
            self._report_saved(self.window.tr("已新建{kind}").format(kind=kind_label(kind)), shown)

    def edit_record(self) -> None:
        view = self.window.current_view()
        record_id = view.current_id()
        if record_id is None:
            return
        try:
            from landbank.ui.records.dialog import RecordDialog

            dialog = RecordDialog(self.window.ctx, view.kind, record_id, parent=self.window)
        except (RecordNotFound, SQLAlchemyError) as exc:  # deleted meanwhile, or no database
            QMessageBox.warning(self.window, self.window.tr("编辑"), describe_error(exc))
            view.refresh()
            return
        if dialog.exec() == QDialog.DialogCode.Accepted:
            shown = self.window.refresh_after_change(view.kind, dialog.saved_id or record_id)
            self._report_saved(self.window.tr("已保存"), shown)

    def show_history(self) -> None:
        view = self.window.current_view()
        record_id = view.current_id()
        if record_id is not None:
            from landbank.ui.records.history_dialog import HistoryDialog

            HistoryDialog(self.window.ctx, view.kind, record_id, parent=self.window).exec()

    def match_record(self) -> None:
        """The matching dialog: sites for the selected project, projects for a parcel or a
        building. Reservations made there refresh the lists."""
        view = self.window.current_view()
        record_id = view.current_id()
        if record_id is None or view.kind not in MATCH_KINDS:
            return
        # Loaded on first use: matching brings NumPy, which a clerk who never matches
        # need not wait for at start.
        from landbank.services.matching.sites import NotFoundError
        from landbank.ui.matching.dialog import MatchDialog

        try:
            dialog = MatchDialog(self.window.ctx, view.kind, record_id, parent=self.window)
        except (RecordError, NotFoundError, SQLAlchemyError) as exc:  # deleted meanwhile
            reason = str(exc) if isinstance(exc, NotFoundError) else describe_error(exc)
            QMessageBox.warning(self.window, self.window.tr("匹配"), reason)
            view.refresh()
            return
        dialog.exec()
        if dialog.changed_kinds:
            self.window.refresh_after_change(view.kind, record_id)
        dialog.deleteLater()

    def table_menu(self, pos: QPoint) -> None:
        """The right-click menu of a list: the commands on its selected records."""
        view = self.window.current_view()
        menu = QMenu(self.window)
        menu.addAction(self.window.edit_action)
        menu.addAction(self.window.history_action)
        if view.kind in MATCH_KINDS:
            menu.addAction(self.window.match_action)
        menu.addSeparator()
        menu.addAction(self.window.copy_action)
        menu.addAction(self.window.delete_action)
        menu.exec(view.table.viewport().mapToGlobal(pos))
        menu.deleteLater()  # one menu per right-click: don't keep them all

    def delete_records(self) -> None:
        view = self.window.current_view()
        rows = view.selected_rows()
        if not rows:
            return
        model, kind = view.model, view.kind
        labels = [record_label(kind, model.row_dict(r), model.names.regions) for r in rows]
        kind_name = kind_label(kind)
        if len(rows) == 1:
            question = self.window.tr("确定删除{kind}“{label}”吗？").format(
                kind=kind_name, label=labels[0]
            )
        else:
            shown = "、".join(labels[:MAX_LABELS_IN_QUESTION])
            if len(labels) > MAX_LABELS_IN_QUESTION:
                shown += self.window.tr(" 等")
            question = self.window.tr("确定删除选中的 {n} 条{kind}记录（{labels}）吗？").format(
                n=len(rows), kind=kind_name, labels=shown
            )
        question += "\n" + self.window.tr("删除后可立即按 Ctrl+Z 撤销；其内容也留在修改历史中。")
        answer = QMessageBox.question(
            self.window,
            self.window.tr("删除{kind}").format(kind=kind_name),
            question,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        targets = [(model.record_id(r), model.record_version(r)) for r in rows]
        try:
            with self.window.ctx.write_session() as session:
                kept = []
                for record_id, version in targets:
                    kept.append(record_values(kind, get_record(session, kind, record_id)))
                    delete_record(
                        session,
                        kind,
                        record_id,
                        expected_version=version,
                        user=self.window.ctx.user,
                    )
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self.window, self.window.tr("无法删除"), describe_error(exc))
            view.refresh()
            return
        self.deleted = (kind, kept)
        self.deleted_ids = [record_id for record_id, _version in targets]
        self.window.undo_action.setEnabled(True)
        self.window.refresh_after_change(kind)
        self.window.show_message(
            self.window.tr("已删除 {n} 条{kind}记录（Ctrl+Z 撤销）").format(
                n=len(targets), kind=kind_name
            ),
            2,
        )

    def undo_delete(self) -> None:
        """Create again what the last delete removed (new ids; the history says 撤销删除)."""
        if self.deleted is None:
            return
        kind, kept = self.deleted
        try:
            with self.window.ctx.write_session() as session:
                ids = restore_deleted(session, kind, kept, user=self.window.ctx.user)
                relink(session, kind, dict(zip(self.deleted_ids, ids, strict=False)))
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self.window, self.window.tr("无法撤销删除"), describe_error(exc))
            return
        self.deleted = None
        self.window.undo_action.setEnabled(False)
        self.window.show_kind(kind)
        self.window.refresh_after_change(kind, ids[0] if ids else None)
        self.window.show_message(
            self.window.tr("已恢复 {n} 条{kind}记录").format(n=len(ids), kind=kind_label(kind))
        )

    def copy_selection(self) -> None:
        view = self.window.current_view()
        from landbank.ui.records.clipboard import copy_rows

        n = copy_rows(view.model, view.selected_rows(), view.visible_field_columns())
        if n:
            self.window.show_message(self.window.tr("已复制 {n} 条").format(n=n))

    def paste(self) -> None:
        view = self.window.current_view()
        keys = view.visible_field_keys()
        from landbank.ui.records.clipboard import paste_from_clipboard

        result = paste_from_clipboard(self.window, self.window.ctx, view.kind, keys)
        if result is None:
            return
        created = result.created
        self.window.refresh_after_change(view.kind, created[0] if created else None)
        self.window.show_message(self.window.tr("已粘贴 {n} 条").format(n=len(created)))
