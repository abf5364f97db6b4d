"""打印承诺书… in the matching dialog: the 标准地指标承诺书 of the selected land candidate
(:mod:`landbank.ui.reports.pledge`), written as an A4 PDF.

The candidate must be one parcel and a project (a project's site, or a parcel's project); a
building, or a combination, has no 标准地. The pledge is on the figures the candidate was ranked
on (the dialog's, which the clerk may have changed from the record's), so it says what the
table showed.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.services.matching.export import MatchRow
from landbank.services.matching.sites import NotFoundError
from landbank.services.records.saving import RecordError
from landbank.services.standards.pledge import pledge_of
from landbank.ui.export_dialog import documents_folder
from landbank.ui.printing import ask_pdf_path, safe_file_name, save_failed

if TYPE_CHECKING:
    from landbank.ui.matching.dialog import MatchDialog


def pledge_refusal(dialog: MatchDialog, rows: list[MatchRow]) -> str | None:
    """Why the selection gets no pledge (None: it does)."""
    if len(rows) != 1:
        return dialog.tr("选中一个地块候选，打印该项目在此地块的标准地指标承诺书")
    row = rows[0]
    if row.is_combination or row.sites[0].kind is not RecordKind.PARCEL:
        return dialog.tr("厂房不适用标准地，承诺书只用于地块")
    if row.project_id is None:
        return dialog.tr("项目未登记，无法打印承诺书")
    return None


def print_pledge(dialog: MatchDialog, folder: Path | None = None) -> Path | None:
    """Ask where, then write the pledge of the selected candidate; the path, or None."""
    rows = dialog.selected()
    refused = pledge_refusal(dialog, rows)
    if refused:
        dialog.show_status(refused, error=True)
        return None
    row = rows[0]
    site = row.sites[0]
    assert row.project_id is not None
    caption = dialog.tr("打印承诺书")
    name = safe_file_name(dialog.tr("标准地指标承诺书"), row.project_name, site.code)
    path = ask_pdf_path(dialog, caption, folder or documents_folder(), name + ".pdf")
    if path is None:
        return None
    from landbank.ui.reports.pledge import write_pledge  # the report's layout, when asked

    try:
        with dialog.ctx.session() as session:
            pledge = pledge_of(
                session, row.project_id, site.id, dialog.today, requirements=row.requirements
            )
        pages = write_pledge(path, pledge)
    except NotFoundError as exc:  # the parcel or the project deleted meanwhile
        dialog.show_status(str(exc), error=True)
        return None
    except (OSError, RecordError, SQLAlchemyError) as exc:
        dialog.show_status(save_failed(dialog, caption, path, exc), error=True)
        return None
    text = dialog.tr("已保存承诺书（{n} 页）到 {path}").format(n=pages, path=path)
    warning = pledge.warning()
    dialog.show_status(f"{text}；{warning}" if warning else text, warn=bool(warning))
    return path
