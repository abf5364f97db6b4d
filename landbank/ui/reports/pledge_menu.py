"""报表 → 标准地指标承诺书…: the choices read for :class:`.pledge_dialog.PledgeOptionsDialog`
(the window's selected parcel and project preselected) and the printout of the chosen pair."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.services.errors import describe_error
from landbank.ui.context import AppContext

if TYPE_CHECKING:
    from landbank.ui.reports.printouts import Printout


def _tr(text: str) -> str:
    return QCoreApplication.translate("ReportMenu", text)


def _selected(window: QMainWindow, kind: RecordKind) -> int | None:
    """The record selected in the window's list of ``kind`` (None: none, or no such list)."""
    views = getattr(window, "views", None)
    view = views.get(kind) if isinstance(views, dict) else None
    return view.current_id() if view is not None else None


def ask_pledge(window: QMainWindow, ctx: AppContext) -> tuple[int, int] | None:
    """(project id, parcel id) chosen by the clerk, or None when cancelled or unreadable."""
    from landbank.services.standards.pledge_choices import open_project_choices, parcel_choices
    from landbank.ui.reports.pledge_dialog import PledgeOptionsDialog

    try:
        with ctx.session() as session:
            projects = open_project_choices(session)
            parcels = parcel_choices(session)
    except SQLAlchemyError as exc:
        QMessageBox.warning(window, _tr("标准地指标承诺书"), describe_error(exc))
        return None
    dialog = PledgeOptionsDialog(
        window,
        projects=projects,
        parcels=parcels,
        project_id=_selected(window, RecordKind.PROJECT),
        parcel_id=_selected(window, RecordKind.PARCEL),
    )
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        project_id, parcel_id = dialog.project_id(), dialog.parcel_id()
    finally:
        dialog.deleteLater()
    if project_id is None or parcel_id is None:
        return None
    return project_id, parcel_id


def pledge_printout_of(
    window: QMainWindow, ctx: AppContext, project_id: int, parcel_id: int
) -> Printout | None:
    """The 承诺书 of the pair on the project's recorded figures; None (the clerk told why) when
    either was deleted meanwhile or the database failed."""
    from landbank.services.matching.sites import NotFoundError
    from landbank.services.records.saving import RecordError
    from landbank.services.standards.pledge import pledge_of
    from landbank.ui.reports.pledge import pledge_printout

    try:
        with ctx.session() as session:
            pledge = pledge_of(session, project_id, parcel_id, date.today())
    except (NotFoundError, RecordError) as exc:
        QMessageBox.warning(window, _tr("标准地指标承诺书"), str(exc))
        return None
    except SQLAlchemyError as exc:
        QMessageBox.warning(window, _tr("标准地指标承诺书"), describe_error(exc))
        return None
    return pledge_printout(pledge)
