"""文件 → 打印当前列表 (Ctrl+P): the list on screen on paper, through a print preview that can
also save it as a PDF.

What is printed is what the table shows, every row of it (:mod:`.list_rows` reads and formats
them), fitted to A4 landscape pages (:mod:`.list_layout`) and painted there cell by cell
(:mod:`.list_painting`).

Size: a list of more than :data:`MAX_PRINT_ROWS` records is refused with a message asking for a
filter (5,000 rows are about 170 pages: no one reads more on paper; 导出当前列表 takes the whole
ledger to Excel). So no print reads or lays out more than 5,000 rows — about a second — and the
window needs a busy cursor, not a progress dialog; the count is known before anything is read.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from landbank.services.errors import describe_error
from landbank.ui.context import AppContext
from landbank.ui.printing import new_printer, preview_with_pdf, save_pdf_as
from landbank.ui.records.view import RecordView
from landbank.ui.reports.list_painting import landscape, write_list_pdf
from landbank.ui.reports.list_rows import MAX_PRINT_ROWS, ListPrintout, TooManyRows, list_printout

STATUS_MESSAGE_MS = 8000


def _tr(text: str) -> str:
    return QCoreApplication.translate("ListPrint", text)


def too_many_text(count: int) -> str:
    return _tr("列表共 {n} 条，请先筛选（最多打印 {limit} 条）。").format(
        n=f"{count:,}", limit=f"{MAX_PRINT_ROWS:,}"
    ) + _tr("整个列表可用“导出当前列表”（Ctrl+Shift+E）导出到 Excel。")


# ---------------------------------------------------------------- the window's command


def preview_dialog(
    parent: QWidget | None,
    printout: ListPrintout,
    *,
    on_saved: Callable[[str], None] | None = None,
) -> QPrintPreviewDialog:
    """The print preview of ``printout`` on A4 landscape (not yet shown), with “导出 PDF…” on
    its toolbar."""
    return preview_with_pdf(
        parent,
        landscape(new_printer()),
        printout.title,
        printout.paint,
        lambda dialog: export_pdf(dialog, printout, on_saved=on_saved),
        tooltip=_tr("把列表保存为 PDF 文件"),
        size=(1200, 860),
    )


def export_pdf(
    parent: QWidget,
    printout: ListPrintout,
    *,
    folder: Path | None = None,
    on_saved: Callable[[str], None] | None = None,
) -> Path | None:
    """Ask where, then write the PDF; ``None`` when cancelled or it failed (the clerk was
    told why)."""
    return save_pdf_as(
        parent,
        printout.title.split("（")[0],
        lambda path: write_list_pdf(path, printout),
        _tr("已导出列表（{n} 页）到 {path}"),
        folder=folder,
        on_saved=on_saved,
    )


def print_view(
    parent: QWidget,
    ctx: AppContext,
    view: RecordView,
    *,
    on_saved: Callable[[str], None] | None = None,
) -> ListPrintout | None:
    """Print what ``view`` shows, through the print preview; ``None`` when there was nothing to
    print, too much, or the database failed (the clerk was told)."""
    caption = _tr("打印当前列表")
    view.apply_filter()  # a filter typed in the last instant counts too
    model = view.model
    if model.total > MAX_PRINT_ROWS:  # known without a query: refuse at once
        QMessageBox.information(parent, caption, too_many_text(model.total))
        return None
    if model.total == 0:
        QMessageBox.information(parent, caption, _tr("列表中没有记录，无需打印。"))
        return None
    columns = view.visible_field_keys()
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        with ctx.session() as session:
            printout = list_printout(
                session, view.kind, columns, flt=model.record_filter, sort=model.sort_order
            )
    except TooManyRows as exc:  # records were added since the table counted
        QApplication.restoreOverrideCursor()
        QMessageBox.information(parent, caption, too_many_text(exc.count))
        return None
    except SQLAlchemyError as exc:
        QApplication.restoreOverrideCursor()
        QMessageBox.warning(parent, caption, describe_error(exc))
        return None
    QApplication.restoreOverrideCursor()
    dialog = preview_dialog(parent, printout, on_saved=on_saved)
    dialog.exec()
    dialog.deleteLater()
    return printout
