"""Export the list on screen to Excel, and save a blank template: the file dialog, a busy
cursor or a progress dialog with Cancel, and the errors in Chinese.

The export takes what the table shows: the filter bar's filter, the sort order of the header
and the visible columns in their on-screen order. Up to :data:`PROGRESS_FROM_ROWS` rows a busy
cursor is enough (a few thousand rows take well under a second); larger exports show a
:class:`QProgressDialog` whose Cancel stops the export and leaves no file behind.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog, QWidget
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.services.exporting.ledger import (
    ExportCancelled,
    ExportResult,
    ProgressCallback,
    export_records,
)
from landbank.services.exporting.template import write_template
from landbank.services.exporting.titles import KIND_TITLES
from landbank.ui.context import AppContext
from landbank.ui.records.view import RecordView

PROGRESS_FROM_ROWS = 5000


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExportDialog", text)


def documents_folder() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder) if folder else Path.home()


def default_file_name(
    kind: RecordKind, *, template: bool = False, today: date | None = None
) -> str:
    """“收储地块台账-2026-11-24.xlsx”, or “收储地块台账-填写模板.xlsx”."""
    title = _tr(KIND_TITLES[kind])
    if template:
        return f"{title}-{_tr('填写模板')}.xlsx"
    return f"{title}-{(today or date.today()).isoformat()}.xlsx"


def ask_path(parent: QWidget, caption: str, folder: Path, name: str) -> Path | None:
    """The save dialog; ``None`` when cancelled. A name typed without .xlsx gets it."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, caption, str(folder / name), _tr("Excel 工作簿 (*.xlsx)")
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != ".xlsx":
        path = path.with_name(path.name + ".xlsx")
    return path


def _file_error(parent: QWidget, caption: str, path: Path, exc: Exception) -> None:
    if isinstance(exc, PermissionError):
        reason = _tr("没有权限，或文件正被 Excel/WPS 打开（请先关闭它再试）。")
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    else:
        reason = describe_error(exc)
    QMessageBox.warning(
        parent, caption, _tr("无法保存“{path}”：\n{reason}").format(path=str(path), reason=reason)
    )


def export_view(
    parent: QWidget, ctx: AppContext, view: RecordView, folder: Path | None = None
) -> ExportResult | None:
    """Ask for a file and export the rows ``view`` shows; ``None`` when cancelled or failed
    (a failure has been reported in a message box)."""
    caption = _tr("导出当前列表")
    path = ask_path(parent, caption, folder or documents_folder(), default_file_name(view.kind))
    if path is None:
        return None
    view.apply_filter()  # a filter typed in the last instant counts too
    model = view.model
    columns = view.visible_field_keys()
    progress_dialog: QProgressDialog | None = None
    progress: ProgressCallback | None = None
    if model.total >= PROGRESS_FROM_ROWS:
        progress_dialog = QProgressDialog(
            _tr("正在导出 {n} 条记录…").format(n=f"{model.total:,}"),
            _tr("取消"),
            0,
            model.total,
            parent,
        )
        progress_dialog.setWindowTitle(caption)
        progress_dialog.setWindowModality(Qt.WindowModality.WindowModal)
        progress_dialog.setMinimumDuration(300)
        progress_dialog.setValue(0)
        dialog = progress_dialog

        def report(done: int, total: int) -> bool:
            dialog.setMaximum(total)
            dialog.setValue(done)
            QCoreApplication.processEvents()
            return not dialog.wasCanceled()

        progress = report
    result: ExportResult | None = None
    error: Exception | None = None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with ctx.session() as session:
            result = export_records(
                session,
                view.kind,
                path,
                flt=model.record_filter,
                sort=model.sort_order,
                columns=columns,
                progress=progress,
            )
    except ExportCancelled:
        pass
    except (OSError, SQLAlchemyError) as exc:
        error = exc
    finally:
        QGuiApplication.restoreOverrideCursor()
        if progress_dialog is not None:
            progress_dialog.reset()
            progress_dialog.deleteLater()
    if error is not None:
        _file_error(parent, caption, path, error)
    return result


def save_template(
    parent: QWidget, ctx: AppContext, kind: RecordKind, folder: Path | None = None
) -> Path | None:
    """Ask for a file and write the blank ledger of ``kind``; ``None`` when cancelled/failed."""
    caption = _tr("下载空白模板")
    path = ask_path(
        parent, caption, folder or documents_folder(), default_file_name(kind, template=True)
    )
    if path is None:
        return None
    error: Exception | None = None
    QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with ctx.session() as session:
            write_template(session, kind, path)
    except (OSError, SQLAlchemyError) as exc:
        error = exc
    finally:
        QGuiApplication.restoreOverrideCursor()
    if error is not None:
        _file_error(parent, caption, path, error)
        return None
    return path
