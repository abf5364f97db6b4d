"""What every printout of landbank shares: the A4 printer, the fonts, the page footer (title on
the left, 第 N 页 共 M 页 on the right) and writing a PDF file only once it is complete."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMarginsF, QRectF, Qt
from PySide6.QtGui import QAction, QFont, QPageLayout, QPageSize, QPainter
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox, QToolBar, QWidget

from landbank.services.backup.leftovers import written_when_complete
from landbank.services.errors import describe_error
from landbank.ui.fonts import print_font

_UNSAFE_FILE_CHARS = re.compile(r'[\\/:*?"<>|\s]+')
FOOTER_POINTS = 8.0
MARGINS_MM = QMarginsF(15, 14, 15, 12)


def _tr(text: str) -> str:
    return QCoreApplication.translate("Printing", text)


def page_footer(number: int, total: int) -> str:
    return _tr("第 {n} 页 共 {total} 页").format(n=number, total=total)


def new_printer(mode: QPrinter.PrinterMode = QPrinter.PrinterMode.HighResolution) -> QPrinter:
    """An A4 portrait printer with landbank's margins."""
    printer = QPrinter(mode)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setPageMargins(MARGINS_MM, QPageLayout.Unit.Millimeter)
    return printer


def page_font(points: float) -> QFont:
    """The font of printouts and PDFs: the CJK font landbank ships first, on every machine
    (:func:`landbank.ui.fonts.print_families`)."""
    return print_font(points)


class PageFrame:
    """The printable page of a painter's printer, split into the body and the footer."""

    def __init__(self, painter: QPainter, printer: QPrinter) -> None:
        page = printer.pageLayout().paintRectPixels(printer.resolution())
        self.painter = painter
        self.width, self.height = float(page.width()), float(page.height())
        painter.setFont(page_font(FOOTER_POINTS))
        self.metrics = painter.fontMetrics()
        self.footer_height = self.metrics.height() * 2.2
        self.body_height = self.height - self.footer_height

    def draw_footer(self, left: str, number: int, total: int) -> None:
        painter = self.painter
        painter.setFont(page_font(FOOTER_POINTS))
        painter.setPen(Qt.GlobalColor.darkGray)
        line_y = self.height - self.footer_height * 0.75
        painter.drawLine(0, int(line_y), int(self.width), int(line_y))
        rect = QRectF(0, line_y + self.metrics.height() * 0.3, self.width, self.metrics.height() * 1.5)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignLeft), left)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignRight), page_footer(number, total))


def begin(painter: QPainter, printer: QPrinter) -> None:
    """Start painting, or raise :class:`OSError` (no printer, or the file cannot be written)."""
    if not painter.begin(printer):
        raise OSError(_tr("无法开始打印（打印机不可用，或文件无法写入）"))


def write_pdf_file(
    path: str | os.PathLike[str], title: str, paint: Callable[[QPrinter], int]
) -> int:
    """Paint into an A4 PDF at ``path``, which is replaced only once the file is complete;
    returns the pages ``paint`` reported. Raises :class:`OSError` when it cannot be written."""
    target = Path(path)
    with written_when_complete(target, ".pdf") as temp:  # tidied if killed midway
        printer = new_printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(temp))
        printer.setDocName(title)
        printer.setCreator("landbank")
        pages = paint(printer)
    return pages


# ---------------------------------------------------------------- preview and PDF, as the clerk uses them


def preview_with_pdf(
    parent: QWidget | None,
    printer: QPrinter,
    title: str,
    paint: Callable[[QPrinter], object],
    save: Callable[[QWidget], object],
    *,
    tooltip: str,
    size: tuple[int, int],
) -> QPrintPreviewDialog:
    """A print preview of ``title`` (not yet shown) painted by ``paint``, with “导出 PDF…” on its
    toolbar calling ``save(dialog)``."""
    printer.setDocName(title)
    dialog = QPrintPreviewDialog(printer, parent)
    dialog.setWindowTitle(_tr("打印预览 — {t}").format(t=title))
    dialog.paintRequested.connect(paint)
    export = QAction(_tr("导出 PDF…"), dialog)
    export.setObjectName("exportPdfAction")
    export.setToolTip(tooltip)
    export.triggered.connect(lambda: save(dialog))
    toolbar = dialog.findChild(QToolBar)
    if toolbar is not None:
        toolbar.addSeparator()
        toolbar.addAction(export)
    else:  # pragma: no cover - every Qt 6 preview has its toolbar
        dialog.addAction(export)
    dialog.resize(*size)
    dialog._printer = printer  # type: ignore[attr-defined]  # must live as long as the dialog
    dialog.export_action = export  # type: ignore[attr-defined]
    return dialog


def save_pdf_as(
    parent: QWidget,
    file_stem: str,
    write: Callable[[Path], int],
    saved: str,
    *,
    folder: Path | None = None,
    on_saved: Callable[[str], None] | None = None,
) -> Path | None:
    """Ask where (in ``folder``, the clerk's documents by default), then ``write`` the PDF;
    ``None`` when cancelled or it failed (the clerk was told why). ``saved`` is the message of
    a success, with ``{n}`` pages and ``{path}``, given to ``on_saved``."""
    # Loaded here: it brings openpyxl and NumPy, not needed at start.
    from datetime import date

    from landbank.ui.export_dialog import documents_folder

    caption = _tr("导出 PDF")
    name = safe_file_name(file_stem, date.today().isoformat()) + ".pdf"
    path = ask_pdf_path(parent, caption, folder or documents_folder(), name)
    if path is None:
        return None
    try:
        pages = write(path)
    except OSError as exc:
        save_failed(parent, caption, path, exc)
        return None
    if on_saved is not None:
        on_saved(saved.format(n=pages, path=path))
    return path


def safe_file_name(*parts: str) -> str:
    """Parts joined by “-”, without the characters Windows forbids in file names."""
    return "-".join(_UNSAFE_FILE_CHARS.sub("_", p).strip("_") for p in parts if p)[:120]


def ask_pdf_path(parent: QWidget, caption: str, folder: Path, name: str) -> Path | None:
    """The save dialog for a PDF; ``None`` when cancelled. A name typed without .pdf gets it."""
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, caption, str(folder / name), _tr("PDF 文件 (*.pdf)")
    )
    if not chosen:
        return None
    path = Path(chosen)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


def save_failed(parent: QWidget, caption: str, path: Path, exc: Exception) -> str:
    """Tell the clerk why ``path`` could not be saved (a message box); returns the text."""
    if isinstance(exc, PermissionError):
        reason = _tr("没有权限，或文件正被其他程序打开（请先关闭它再试）。")
    elif isinstance(exc, OSError):
        reason = exc.strerror or str(exc)
    else:
        reason = describe_error(exc)
    text = _tr("无法保存“{path}”：\n{reason}").format(path=str(path), reason=reason)
    QMessageBox.warning(parent, caption, text)
    return text.replace("\n", "")
