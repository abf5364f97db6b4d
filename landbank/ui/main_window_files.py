"""The main window's file commands on the current list: export it to Excel, print it, save a
blank template for its kind, import an Excel ledger into it; and the ledger's backups.

Excel files and the import wizard load openpyxl (and through it NumPy): on first use, not at
start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from landbank.domain.enums import RecordKind
from landbank.services.importing import IMPORT_KINDS

if TYPE_CHECKING:
    from landbank.ui.main_window import MainWindow


class FileCommands:
    """The file commands of ``window`` (its actions call them)."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.export_folder: Path | None = None  # where the last export or template went

    def export_list(self) -> None:
        from landbank.ui.export_dialog import export_view

        result = export_view(
            self.window, self.window.ctx, self.window.current_view(), self.export_folder
        )
        if result is not None:
            self.export_folder = result.path.parent
            self.window.show_message(
                self.window.tr("已导出 {n} 条到 {path}").format(
                    n=f"{result.count:,}", path=result.path
                ),
                2,
            )

    def print_list(self) -> None:
        """The list on screen through the print preview (which also saves a PDF)."""
        from landbank.ui.reports.list_print import print_view

        print_view(
            self.window,
            self.window.ctx,
            self.window.current_view(),
            on_saved=lambda text: self.window.show_message(text, 2),
        )

    def download_template(self) -> None:
        from landbank.ui.export_dialog import save_template

        path = save_template(
            self.window, self.window.ctx, self.window.current_kind(), self.export_folder
        )
        if path is not None:
            self.export_folder = path.parent
            self.window.show_message(self.window.tr("已保存空白模板到 {path}").format(path=path), 2)

    def import_ledger(self) -> None:
        kind = self.window.current_kind()
        if kind not in IMPORT_KINDS:
            return
        from landbank.ui.importing.wizard import ImportWizard

        wizard = ImportWizard(self.window.ctx, kind, self.window)
        wizard.imported.connect(self.imported)
        wizard.exec()
        wizard.deleteLater()

    def imported(self, kind: RecordKind, count: int) -> None:
        """After an import: new regions may show in every list, the records in ``kind``'s."""
        self.window.refresh_after_change(kind)  # the other lists refresh when next shown
        self.window.show_message(self.window.tr("已导入 {n} 条").format(n=count), 2)

    def backup_restore(self) -> None:
        """文件 → 备份与恢复…; after a restore every list reloads."""
        from landbank.ui.backup_dialog import BackupDialog

        dialog = BackupDialog(self.window.ctx, self.window)
        dialog.restored.connect(self.restored)
        dialog.exec()
        dialog.deleteLater()

    def restored(self) -> None:
        # What a delete before the restore kept for Ctrl+Z belongs to the ledger that was
        # replaced: undoing it now would bring back records of another state.
        self.window.record_commands.deleted = None
        self.window.undo_action.setEnabled(False)
        self.window.refresh_all()
        self.window.show_message(self.window.tr("台账已恢复，列表已重新载入"), 2)
