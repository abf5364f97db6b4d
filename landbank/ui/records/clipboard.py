"""Copy table rows to Excel/WPS and paste rows from them.

Copy writes the selected rows of the shown columns as tab-separated text (Excel's dialect) with
a header row: values as the table shows them (names, 是/否, ISO dates), but numbers without
thousands separators so the spreadsheet reads them as numbers, and text exactly as stored — a
tab or line break inside kept, the cell quoted as Excel itself quotes it. Text Excel or WPS
would take for a formula (“=HYPERLINK(…)”, “+1+1”, “@SUM(1,2)”, “＝1+1”, a tab in front…) gets a
leading apostrophe (:func:`landbank.domain.spreadsheet_text.guard_pasted`, the rule the .xlsx
export follows with its quote prefix), so it arrives as text; numbers, negative ones too, are
never guarded. Only plain text goes on the clipboard (no HTML a spreadsheet would prefer).

Paste hands the clipboard text to :func:`landbank.services.records.paste.paste_rows`, all rows or
none: with any row error the transaction is rolled back and the errors are listed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType
from landbank.domain.spreadsheet_text import guard_pasted
from landbank.services.errors import describe_error
from landbank.services.records.paste import PasteResult, paste_rows
from landbank.services.records.saving import RecordError
from landbank.store.queries import Names
from landbank.ui.context import AppContext
from landbank.ui.records.table_model import (
    RecordTableModel,
    display_text,
    plain_number,
    tr_field,
)

MAX_LISTED_ERRORS = 8


def _tr(text: str) -> str:
    return QCoreApplication.translate("clipboard", text)


_TEXT_TYPES = (FieldType.TEXT, FieldType.LONG_TEXT)
_NUMBER_TYPES = (FieldType.INT, FieldType.FLOAT)


def clipboard_cell(spec: FieldSpec, value: Any, names: Names) -> str:
    """One value as a clipboard cell: a number plain, text exactly as stored, anything else as
    the table shows it; text that would read as a formula guarded by an apostrophe."""
    if value is None or value == "":
        return ""
    if (
        spec.type in _NUMBER_TYPES
        and isinstance(value, int | float)
        and not isinstance(value, bool)
    ):
        return plain_number(value)  # "-3.5" stays a number: never guarded
    if spec.type in _TEXT_TYPES:
        return guard_pasted(str(value))  # the table shows it on one line; the cell keeps all
    return guard_pasted(display_text(spec, value, names, plain=True))  # a park “=…” too


def rows_to_tsv(model: RecordTableModel, rows: Sequence[int], columns: Sequence[int]) -> str:
    """The rows (model row numbers) and columns (logical numbers, in order) as TSV text."""
    specs = [model.columns[c] for c in columns]
    out = io.StringIO()
    writer = csv.writer(out, dialect="excel-tab", lineterminator="\r\n")
    writer.writerow([guard_pasted(tr_field(spec.header)) for spec in specs])
    for row in rows:
        values = model.row_dict(row)
        writer.writerow([clipboard_cell(spec, values.get(spec.key), model.names) for spec in specs])
    return out.getvalue()


def copy_rows(model: RecordTableModel, rows: Sequence[int], columns: Sequence[int]) -> int:
    """Put the rows on the clipboard; returns how many were copied."""
    if not rows:
        return 0
    QApplication.clipboard().setText(rows_to_tsv(model, rows, columns))
    return len(rows)


class _PasteRejected(Exception):
    """Raised inside the session so that it rolls back a paste with errors."""

    def __init__(self, result: PasteResult) -> None:
        super().__init__(result.describe())
        self.result = result


def paste_text(ctx: AppContext, kind: RecordKind, text: str, columns: Sequence[str]) -> PasteResult:
    """Paste ``text`` into the ledger in one transaction; nothing is written on errors."""
    try:
        with ctx.write_session() as session:
            result = paste_rows(
                session, kind, text, columns=list(columns), user=ctx.user, source="粘贴"
            )
            if result.errors:
                raise _PasteRejected(result)
    except _PasteRejected as rejected:
        return rejected.result
    return result


def paste_from_clipboard(
    parent: QWidget, ctx: AppContext, kind: RecordKind, columns: Sequence[str]
) -> PasteResult | None:
    """Paste the clipboard's rows; shows what went wrong and returns ``None`` then."""
    text = QApplication.clipboard().text()
    title = _tr("粘贴")
    if not text.strip():
        QMessageBox.information(parent, title, _tr("剪贴板中没有可粘贴的内容。"))
        return None
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)  # thousands of rows take seconds
    try:
        result = paste_text(ctx, kind, text, columns)
    except (RecordError, SQLAlchemyError) as exc:
        QMessageBox.warning(parent, title, describe_error(exc))
        return None
    finally:
        QApplication.restoreOverrideCursor()
    if result.errors:
        show_paste_errors(parent, result)
        return None
    return result


def show_paste_errors(parent: QWidget, result: PasteResult) -> None:
    errors = result.errors
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(_tr("粘贴"))
    box.setText(
        _tr("粘贴未执行：共 {n} 处错误，未写入任何记录。请在表格中改正后重新粘贴。").format(
            n=len(errors)
        )
    )
    listed = [error.describe() for error in errors[:MAX_LISTED_ERRORS]]
    if len(errors) > MAX_LISTED_ERRORS:
        listed.append(_tr("……（其余见“详细信息”）"))
    box.setInformativeText("\n".join(listed))
    box.setDetailedText("\n".join(error.describe() for error in errors))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.exec()
