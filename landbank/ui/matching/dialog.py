"""The matching dialog (精准匹配): sites for a project, or open projects for a site.

Opened for a project, the left side holds the project's requirements, prefilled from the record
and editable: 重新匹配 (F5) ranks again with the figures on screen *without* saving them
(``match_project(requirements=…)``). Opened for a parcel or a building, the left side shows the
site's facts and the right side ranks the open projects that could take it.

The right side: what was compared and why the others were left out, the region's quota
position, the ranked candidates (one mark ✓ ✗ △ — per criterion, the reason as tooltip) with
the legend of the marks and labels under them, and the selected candidate's reasons below.
Buttons compare two or three candidates side by side, reserve (意向锁定) or release the
selected candidate's site(s) through :mod:`landbank.services.matching.reservations`, print one A4 推介
sheet per candidate, and export the result to PDF or Excel. Reserving a site for a project that
already holds another asks first, naming the site(s) held. Refusals and database errors reach the clerk in Chinese
(:func:`landbank.services.errors.describe_error`); nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QItemSelectionModel, Qt
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.matching import SiteTable
from landbank.domain.site_facts import Requirements, Site, requirements_of_project
from landbank.services.errors import describe_error
from landbank.services.matching.export import (
    MatchRow,
    counts_text,
    project_rows,
    site_rows,
)
from landbank.services.matching.reservations import (
    reserved_for,
)
from landbank.services.matching.sites import load_sites, match_project, match_site, site_of
from landbank.services.quota.report import format_quota_line, quota_position
from landbank.services.records.saving import RecordError, get_record, record_values
from landbank.store.queries import load_names
from landbank.ui.context import AppContext
from landbank.ui.matching.candidate_model import CandidateModel
from landbank.ui.matching.comparison import MAX_COMPARED, ComparisonDialog
from landbank.ui.matching.form import (
    RequirementsForm,
    RequirementsPanel,
    SitePanel,
)
from landbank.ui.matching.marks import legend_label
from landbank.ui.matching.output import CandidateOutput
from landbank.ui.matching.reasons import DetailDialog, detail_html
from landbank.ui.matching.reserving import CandidateReservations
from landbank.ui.matching.sheet_audience import ask_sheet_audience
from landbank.ui.records.references import References
from landbank.ui.reports.html_parts import Audience

_CTX = "MatchDialog"
DEFAULT_TOP = 10
MAX_SUBJECT_WIDTH = 250


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


# ------------------------------------------------------------------ quota line


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


# ------------------------------------------------------------------ the dialog


class MatchDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        kind: RecordKind,
        record_id: int,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        top: int = DEFAULT_TOP,
    ) -> None:
        """For a project (kind PROJECT: its sites) or a parcel/factory (its projects).

        Raises :class:`landbank.services.records.saving.RecordNotFound` (or the matching service's
        ``NotFoundError``) when the record is gone."""
        super().__init__(parent)
        self.output = CandidateOutput(self)  # print, PDF, Excel
        self.reservations = CandidateReservations(self)
        self.ctx = ctx
        self.kind = kind
        self.record_id = record_id
        self.today = today or date.today()
        self.sites_direction = kind is RecordKind.PROJECT
        self.changed_kinds: set[RecordKind] = set()
        self.form: RequirementsForm | None = None
        self.site: Site | None = None
        self.project_name = ""
        self.summary = ""
        # The ledger's sites as matching columns and the quota line, kept between re-rankings
        # with other figures (100,000 sites take a second or two to load) and dropped whenever
        # this dialog reserves or releases.
        self._sites: SiteTable | None = None
        self._quota_lines: dict[tuple[int | None, int], str] = {}
        self._top = top
        with ctx.session() as session:
            names = load_names(session)
            if self.sites_direction:
                refs = References.load(session)
                values = record_values(kind, get_record(session, kind, record_id))
                base = requirements_of_project({**values, "id": record_id})
                self.project_name = base.project_name
                subject = base.project_name
            else:
                self.site = site_of(session, kind, record_id)
                subject = self.site.title
        self.region_names = names.regions
        self.park_names = names.parks
        self.setWindowTitle(self.tr("匹配 — {0}").format(subject))
        self.setSizeGripEnabled(True)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        self.model = CandidateModel(self)
        self.table = QTableView(self)
        self.detail = QTextBrowser(self)
        self.counts_label = QLabel(self)
        self.quota_label = QLabel(self)
        self.held_label = QLabel(self)
        self.legend_label = legend_label(self, blank=True)
        self.status_label = QLabel(self)
        self.top_spin = QSpinBox(self)
        self.rematch_button = QPushButton(self.tr("重新匹配 (F5)"), self)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left: QWidget
        if self.sites_direction:
            left = RequirementsPanel(base, values, refs, self.rematch_button, self)
            left.resetDone.connect(self.rematch)
            self.form = left.form
        else:
            assert self.site is not None
            left = self.site_panel = SitePanel(self.site, self.rematch_button, self)
        splitter.addWidget(left)
        splitter.addWidget(self._result_panel())
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([370, 1030] if self.sites_direction else [300, 1100])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        layout.addLayout(self._buttons())
        self._shortcuts()
        self.resize(1400, 840)
        self.rematch()

    # -------------------------------------------------------------- layout

    def _result_panel(self) -> QWidget:
        panel = QWidget(self)
        layout = QVBoxLayout(panel)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self.counts_label.setWordWrap(True)
        top.addWidget(self.counts_label, 1)
        self.top_spin.setRange(1, 100)
        self.top_spin.setValue(self._top)
        self.top_spin.setPrefix(self.tr("显示前 "))
        self.top_spin.setSuffix(self.tr(" 个"))
        self.top_spin.setKeyboardTracking(False)
        self.top_spin.valueChanged.connect(self.rematch)
        top.addWidget(self.top_spin)
        layout.addLayout(top)
        self.quota_label.setStyleSheet("color: #1f3864; font-weight: bold;")
        self.quota_label.hide()
        layout.addWidget(self.quota_label)
        self.held_label.setWordWrap(True)
        self.held_label.setStyleSheet("color: #555;")
        self.held_label.hide()
        layout.addWidget(self.held_label)

        table = self.table
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSortIndicator(CandidateModel.RANK, Qt.SortOrder.AscendingOrder)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        table.setSortingEnabled(True)
        table.doubleClicked.connect(lambda _index: self.open_detail())
        detail = QAction(self.tr("查看理由"), table)
        detail.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
        detail.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        detail.triggered.connect(self.open_detail)
        table.addAction(detail)
        table.selectionModel().selectionChanged.connect(self._selection_changed)

        self.detail.setPlaceholderText(self.tr("选择一个候选，在此查看逐项理由。"))
        ranked = QWidget(panel)
        ranked_layout = QVBoxLayout(ranked)
        ranked_layout.setContentsMargins(0, 0, 0, 0)
        ranked_layout.setSpacing(2)
        ranked_layout.addWidget(table, 1)
        ranked_layout.addWidget(self.legend_label)
        results = QSplitter(Qt.Orientation.Vertical, panel)
        results.addWidget(ranked)
        results.addWidget(self.detail)
        results.setStretchFactor(0, 3)
        results.setStretchFactor(1, 2)
        results.setCollapsible(0, False)
        results.setSizes([430, 260])
        layout.addWidget(results, 1)
        return panel

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()

        def button(text: str, slot: Any, tip: str = "") -> QPushButton:
            b = QPushButton(text, self)
            b.setAutoDefault(False)
            b.clicked.connect(slot)
            if tip:
                b.setToolTip(tip)
            row.addWidget(b)
            return b

        self.compare_button = button(
            self.tr("对比…"), self.compare, self.tr("选中 2–3 个候选（按住 Ctrl 点选），并排对比")
        )
        self.reserve_button = button(self.tr("意向锁定…"), self.reserve)
        self.release_button = button(self.tr("解除锁定"), self.release)
        row.addSpacing(16)
        self.print_button = button(self.tr("打印…"), self.print_preview, "Ctrl+P")
        # Whom the 推介 sheets are for (asked before each print or PDF; tests answer it).
        self.ask_audience: Callable[[], Audience | None] = lambda: ask_sheet_audience(self)
        self.pdf_button = button(self.tr("导出 PDF…"), lambda: self.export_pdf())
        self.excel_button = button(self.tr("导出 Excel…"), lambda: self.export_excel(), "Ctrl+E")
        self.only_selected = QCheckBox(self.tr("只输出选中的候选"), self)
        row.addWidget(self.only_selected)
        row.addStretch(1)
        self.close_button = button(self.tr("关闭"), self.reject)
        self.rematch_button.setDefault(True)  # Enter in the form ranks again
        self.rematch_button.clicked.connect(self.rematch)
        return row

    def _shortcuts(self) -> None:
        QShortcut(QKeySequence(Qt.Key.Key_F5), self, self.rematch)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Print), self, self.print_preview)
        QShortcut(QKeySequence("Ctrl+E"), self, lambda: self.export_excel())

    # -------------------------------------------------------------- matching

    def _selected_keys(self) -> set[tuple[Any, ...]]:
        return {self._row_key(self.model.row(r)) for r in self.selected_rows()}

    @staticmethod
    def _row_key(row: MatchRow) -> tuple[Any, ...]:
        return (row.project_id, *((s.kind.value, s.id) for s in row.sites))

    def rematch(self) -> None:
        """Rank again with the figures on screen (the project record is not changed)."""
        requirements: Requirements | None = None
        if self.form is not None:
            problems = self.form.problems()
            if problems:
                self.show_status(
                    self.tr("需求有误，未重新匹配：") + "；".join(problems), error=True
                )
                return
            requirements = self.form.requirements()
        keep = self._selected_keys()
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            with self.ctx.session() as session:
                self._run(session, requirements)
        except (RecordError, SQLAlchemyError) as exc:
            self.show_status(describe_error(exc), error=True)
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        self._fit_columns()
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._reselect(keep)
        self._selection_changed()

    def _run(self, session: Session, requirements: Requirements | None) -> None:
        if self.sites_direction:
            region, notes = self._rank_sites(session, requirements)
        else:
            region, notes = self._rank_projects(session)
        text = escape(self.summary)
        if notes:
            text += "".join(f"<br><span style='color:#c62828'>{escape(n)}</span>" for n in notes)
        self.counts_label.setText(text)
        key = (region, self.today.year)
        if key not in self._quota_lines:
            self._quota_lines[key] = quota_line(session, region, self.today.year, self.today)
        line = self._quota_lines[key]
        self.quota_label.setText(line)
        self.quota_label.setVisible(bool(line))

    def _until(self, site: Site) -> str:
        return self.tr("（至 {d}）").format(d=site.reserved_until) if site.reserved_until else ""

    def _rank_sites(
        self, session: Session, requirements: Requirements | None
    ) -> tuple[int | None, tuple[str, ...]]:
        if self._sites is None:
            self._sites = SiteTable(load_sites(session))
        result = match_project(
            session,
            self.record_id,
            self.today,
            top=self.top_spin.value(),
            requirements=requirements,
            table=self._sites,
        ).result
        rows = site_rows(result, self.project_name)
        what = _tr("地块/厂房")
        self.summary = counts_text(result.considered, result.fitting, result.rejected, what)
        units = {r.unit for r in rows}
        area = self.tr("面积({u})").format(u=units.pop()) if len(units) == 1 else self.tr("面积")
        self.model.set_rows(rows, subject_header=what, area_header=area)
        held = reserved_for(session, self.record_id)
        titles = "、".join(s.title + self._until(s) for s in held)
        self.held_label.setText(self.tr("本项目已意向锁定：{sites}").format(sites=titles))
        self.held_label.setVisible(bool(held))
        req = result.requirements
        return req.preferred_region_id or req.home_region_id, result.notes

    def _rank_projects(self, session: Session) -> tuple[int | None, tuple[str, ...]]:
        report = match_site(
            session, self.kind, self.record_id, self.today, top=self.top_spin.value()
        )
        site = self.site = report.site
        self.site_panel.show_site(site)
        rows = project_rows(report, self.region_names)
        fitting = report.considered - sum(report.rejected.values())
        self.summary = counts_text(report.considered, fitting, report.rejected, _tr("在谈项目"))
        self.model.set_rows(
            rows,
            subject_header=self.tr("项目"),
            area_header=self.tr("需求({u})").format(u=site.unit),
        )
        self.held_label.setText(
            self.tr("本{kind}已为项目“{p}”意向锁定{u}").format(
                kind=QCoreApplication.translate("kinds", site.kind.label),
                p=site.reserved_project_name or "",
                u=self._until(site),
            )
        )
        self.held_label.setVisible(site.reserved_project_id is not None)
        notes = () if rows else (_tr("没有满足全部硬性条件的在谈项目。"),)
        return site.region_id, notes

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        if header.sectionSize(CandidateModel.SUBJECT) > MAX_SUBJECT_WIDTH:
            header.resizeSection(CandidateModel.SUBJECT, MAX_SUBJECT_WIDTH)
        # One mark per criterion: as narrow as two characters of the header allow.
        narrow = self.table.fontMetrics().horizontalAdvance("价格/") + 10
        for column in range(CandidateModel.FIXED, self.model.columnCount()):
            header.resizeSection(column, narrow)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def _reselect(self, keys: set[tuple[Any, ...]]) -> None:
        """Select the same candidates again after re-ranking (else the best one)."""
        rows = [r for r, row in enumerate(self.model.rows()) if self._row_key(row) in keys]
        self.select(*(rows or ([0] if self.model.rowCount() else [])))

    # -------------------------------------------------------------- selection

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.table.selectionModel().selectedRows())

    def selected(self) -> list[MatchRow]:
        return [self.model.row(r) for r in self.selected_rows()]

    def current(self) -> MatchRow | None:
        rows = self.selected_rows()
        if not rows:
            return None
        index = self.table.currentIndex()
        if index.isValid() and index.row() in rows:
            return self.model.row(index.row())
        return self.model.row(rows[0])

    def select(self, *rows: int) -> None:
        """Select the given table rows (tests, and after re-ranking)."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        for r in rows:
            selection.select(self.model.index(r, 0), flags)
        if rows:
            selection.setCurrentIndex(
                self.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def _selection_changed(self) -> None:
        rows = self.selected()
        row = self.current()
        if row is None:
            self.detail.clear()
        else:
            html = detail_html(row, sites_direction=self.sites_direction)
            if len(rows) > 1:
                html = (
                    "<p style='color:#555'>"
                    + self.tr("已选 {n} 个；可点“对比…”并排查看。下面是当前行的理由。").format(
                        n=len(rows)
                    )
                    + "</p>"
                    + html
                )
            self.detail.setHtml(html)
        self.compare_button.setEnabled(2 <= len(rows) <= MAX_COMPARED)
        self.reserve_button.setEnabled(len(rows) == 1)
        self.release_button.setEnabled(
            len(rows) == 1 and bool(self.reservations.held_sites(rows[0]))
        )
        has_rows = self.model.rowCount() > 0
        for b in (self.print_button, self.pdf_button, self.excel_button):
            b.setEnabled(has_rows)

    def open_detail(self) -> None:
        row = self.current()
        if row is None:
            return
        dialog = DetailDialog(row, sites_direction=self.sites_direction, parent=self)
        dialog.exec()
        dialog.deleteLater()

    def compare(self) -> None:
        rows = self.selected()
        if not 2 <= len(rows) <= MAX_COMPARED:
            self.show_status(self.tr("请选中 2–3 个候选（按住 Ctrl 点选）再对比"), error=True)
            return
        dialog = ComparisonDialog(rows, self)
        dialog.exec()
        dialog.deleteLater()

    def show_status(self, text: str, *, error: bool = False, warn: bool = False) -> None:
        colour = "#c62828" if error else "#b26a00" if warn else "#1a7f37"
        self.status_label.setStyleSheet(f"color: {colour};")
        self.status_label.setText(text)

    # -------------------------------------------------------------- reservations

    def reserve(self) -> None:
        self.reservations.reserve()

    def release(self) -> None:
        self.reservations.release()

    def forget_ledger(self) -> None:
        """Read the sites and the quota line afresh at the next ranking."""
        self._sites = None
        self._quota_lines.clear()

    def _refused(self, title: str, exc: Exception) -> None:
        reason = describe_error(exc)
        QMessageBox.warning(self, title, reason)
        self.show_status(reason, error=True)
        self.forget_ledger()
        self.rematch()  # show the ledger as it is now

    # -------------------------------------------------------------- print and export

    def output_rows(self) -> list[MatchRow]:
        return self.output.output_rows()

    def sheets(self, rows: list[MatchRow], audience: Audience = Audience.INVESTOR) -> list[str]:
        return self.output.sheets(rows, audience)

    def print_preview(self) -> None:
        self.output.print_preview()

    def export_pdf(self, folder: Path | None = None) -> Path | None:
        return self.output.export_pdf(folder)

    def export_excel(self, folder: Path | None = None) -> Path | None:
        return self.output.export_excel(folder)
