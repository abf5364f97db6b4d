"""The matching dialog's ranking: the candidates ranked again with the figures on screen (重新匹配,
F5), the counts of what was compared and left out, the region's quota position, what the project
or the site already holds, and the same candidates selected again afterwards.

The ledger's sites as matching columns and the quota lines are kept between re-rankings with
other figures (100,000 sites take a second or two to load) and dropped whenever the dialog
reserves or releases (:meth:`CandidateRanking.forget_ledger`).
"""

from __future__ import annotations

from datetime import date
from html import escape
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHeaderView
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from landbank.domain.matching import SiteTable
from landbank.domain.site_facts import Requirements, Site
from landbank.services.errors import describe_error
from landbank.services.matching.export import MatchRow, counts_text, project_rows, site_rows
from landbank.services.matching.reservations import reserved_for
from landbank.services.matching.sites import load_sites, match_project, match_site, standard_rows
from landbank.services.quota.report import format_quota_line, quota_position
from landbank.services.records.saving import RecordError
from landbank.ui.matching.candidate_model import CandidateModel

if TYPE_CHECKING:
    from landbank.ui.matching.dialog import MatchDialog

_CTX = "MatchDialog"
MAX_SUBJECT_WIDTH = 250


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def quota_line(session: Session, region_id: int | None, year: int, today: date) -> str:
    """The region's quota position shown beside the result, e.g. “辉县市 2026: 收储 1,430 /
    2,000 亩”, from the quota service; "" hides the line."""
    if region_id is None:
        return ""
    progress = quota_position(session, region_id, year, as_of=today)
    if progress is None:
        return ""
    return format_quota_line(
        progress.name,
        year,
        progress.land.done,
        progress.land.target,
        progress.factory.done,
        progress.factory.target,
    )


def row_key(row: MatchRow) -> tuple[Any, ...]:
    """A candidate across re-rankings: its project and its site(s)."""
    return (row.project_id, *((s.kind.value, s.id) for s in row.sites))


class CandidateRanking:
    """Ranks a :class:`MatchDialog`'s candidates and shows what goes with them."""

    def __init__(self, dialog: MatchDialog) -> None:
        self.dialog = dialog
        self._sites: SiteTable | None = None
        self._quota_lines: dict[tuple[int | None, int], str] = {}

    def forget_ledger(self) -> None:
        """Read the sites and the quota line afresh at the next ranking."""
        self._sites = None
        self._quota_lines.clear()

    def rematch(self) -> None:
        """Rank again with the figures on screen (the project record is not changed)."""
        dialog = self.dialog
        requirements: Requirements | None = None
        if dialog.form is not None:
            problems = dialog.form.problems()
            if problems:
                dialog.show_status(
                    dialog.tr("需求有误，未重新匹配：") + "；".join(problems), error=True
                )
                return
            requirements = dialog.form.requirements()
        keep = {row_key(row) for row in dialog.selected()}
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with dialog.ctx.session() as session:
                self._run(session, requirements)
        except (RecordError, SQLAlchemyError) as exc:
            dialog.show_status(describe_error(exc), error=True)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._fit_columns()
        header = dialog.table.horizontalHeader()
        dialog.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._reselect(keep)
        dialog.selection_changed()

    def _run(self, session: Session, requirements: Requirements | None) -> None:
        dialog = self.dialog
        if dialog.sites_direction:
            region, notes = self._rank_sites(session, requirements)
        else:
            region, notes = self._rank_projects(session)
        text = escape(dialog.summary)
        if notes:
            text += "".join(f"<br><span style='color:#c62828'>{escape(n)}</span>" for n in notes)
        dialog.counts_label.setText(text)
        key = (region, dialog.today.year)
        if key not in self._quota_lines:
            self._quota_lines[key] = quota_line(session, region, dialog.today.year, dialog.today)
        line = self._quota_lines[key]
        dialog.quota_label.setText(line)
        dialog.quota_label.setVisible(bool(line))

    def _until(self, site: Site) -> str:
        if not site.reserved_until:
            return ""
        return self.dialog.tr("（至 {d}）").format(d=site.reserved_until)

    def _rank_sites(
        self, session: Session, requirements: Requirements | None
    ) -> tuple[int | None, tuple[str, ...]]:
        dialog = self.dialog
        if self._sites is None:
            self._sites = SiteTable(load_sites(session), standard_rows(session))
        result = match_project(
            session,
            dialog.record_id,
            dialog.today,
            top=dialog.top_spin.value(),
            requirements=requirements,
            table=self._sites,
        ).result
        rows = site_rows(result, dialog.project_name)
        what = _tr("地块/厂房")
        dialog.summary = counts_text(result.considered, result.fitting, result.rejected, what)
        units = {r.unit for r in rows}
        area = (
            dialog.tr("面积({u})").format(u=units.pop()) if len(units) == 1 else dialog.tr("面积")
        )
        dialog.model.set_rows(rows, subject_header=what, area_header=area)
        held = reserved_for(session, dialog.record_id)
        titles = "、".join(s.title + self._until(s) for s in held)
        dialog.held_label.setText(dialog.tr("本项目已意向锁定：{sites}").format(sites=titles))
        dialog.held_label.setVisible(bool(held))
        req = result.requirements
        return req.preferred_region_id or req.home_region_id, result.notes

    def _rank_projects(self, session: Session) -> tuple[int | None, tuple[str, ...]]:
        dialog = self.dialog
        report = match_site(
            session, dialog.kind, dialog.record_id, dialog.today, top=dialog.top_spin.value()
        )
        site = dialog.site = report.site
        dialog.site_panel.show_site(site)
        rows = project_rows(report, dialog.region_names)
        fitting = report.considered - sum(report.rejected.values())
        dialog.summary = counts_text(report.considered, fitting, report.rejected, _tr("在谈项目"))
        dialog.model.set_rows(
            rows,
            subject_header=dialog.tr("项目"),
            area_header=dialog.tr("需求({u})").format(u=site.unit),
        )
        dialog.held_label.setText(
            dialog.tr("本{kind}已为项目“{p}”意向锁定{u}").format(
                kind=QCoreApplication.translate("kinds", site.kind.label),
                p=site.reserved_project_name or "",
                u=self._until(site),
            )
        )
        dialog.held_label.setVisible(site.reserved_project_id is not None)
        notes = () if rows else (_tr("没有满足全部硬性条件的在谈项目。"),)
        return site.region_id, notes

    def _fit_columns(self) -> None:
        table = self.dialog.table
        table.resizeColumnsToContents()
        header = table.horizontalHeader()
        if header.sectionSize(CandidateModel.SUBJECT) > MAX_SUBJECT_WIDTH:
            header.resizeSection(CandidateModel.SUBJECT, MAX_SUBJECT_WIDTH)
        # One mark per criterion: as narrow as two characters of the header allow.
        narrow = table.fontMetrics().horizontalAdvance("价格/") + 10
        for column in range(CandidateModel.FIXED, self.dialog.model.columnCount()):
            header.resizeSection(column, narrow)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def _reselect(self, keys: set[tuple[Any, ...]]) -> None:
        """Select the same candidates again after re-ranking (else the best one)."""
        model = self.dialog.model
        rows = [r for r, row in enumerate(model.rows()) if row_key(row) in keys]
        self.dialog.select(*(rows or ([0] if model.rowCount() else [])))
