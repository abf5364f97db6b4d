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
sheet per candidate, export the result to PDF or Excel, and print the 标准地指标承诺书 of the
selected land candidate (:mod:`.pledge`). Reserving a site for a project that
already holds another asks first, naming the site(s) held. Refusals and database errors reach the clerk in Chinese
(:func:`landbank.services.errors.describe_error`); nothing is half-written.

The dialog holds the widgets and the selection; :mod:`.dialog_layout` lays them out,
:mod:`.ranking` ranks, :mod:`.reserving` reserves and releases, :mod:`.output` prints and exports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
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

from landbank.domain.enums import RecordKind
from landbank.domain.site_facts import Site, requirements_of_project
from landbank.services.errors import describe_error
from landbank.services.matching.export import MatchRow
from landbank.services.matching.sites import site_of
from landbank.services.records.saving import get_record, record_values
from landbank.store.queries import load_names
from landbank.ui.context import AppContext
from landbank.ui.matching.candidate_model import CandidateModel
from landbank.ui.matching.comparison import MAX_COMPARED, ComparisonDialog
from landbank.ui.matching.dialog_layout import add_shortcuts, button_row, result_panel
from landbank.ui.matching.form import (
    RequirementsForm,
    RequirementsPanel,
    SitePanel,
)
from landbank.ui.matching.marks import legend_label
from landbank.ui.matching.output import CandidateOutput
from landbank.ui.matching.pledge import pledge_refusal, print_pledge
from landbank.ui.matching.ranking import CandidateRanking
from landbank.ui.matching.reasons import DetailDialog, detail_html
from landbank.ui.matching.reserving import CandidateReservations
from landbank.ui.matching.sheet_audience import ask_sheet_audience
from landbank.ui.records.references import References
from landbank.ui.reports.html_parts import Audience

DEFAULT_TOP = 10


class MatchDialog(QDialog):
    # The buttons and the box under the result (made by dialog_layout.button_row).
    compare_button: QPushButton
    reserve_button: QPushButton
    release_button: QPushButton
    print_button: QPushButton
    pdf_button: QPushButton
    excel_button: QPushButton
    pledge_button: QPushButton
    close_button: QPushButton
    only_selected: QCheckBox

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
        self.ranking = CandidateRanking(self)  # 重新匹配, with the ledger's sites kept
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
        splitter.addWidget(result_panel(self, top))
        splitter.setStretchFactor(1, 1)
        splitter.setCollapsible(1, False)
        splitter.setSizes([370, 1030] if self.sites_direction else [300, 1100])
        self.splitter = splitter

        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.status_label)
        # Whom the 推介 sheets are for (asked before each print or PDF; tests answer it).
        self.ask_audience: Callable[[], Audience | None] = lambda: ask_sheet_audience(self)
        layout.addLayout(button_row(self))
        add_shortcuts(self)
        self.resize(1400, 840)
        self.rematch()

    # -------------------------------------------------------------- matching

    def rematch(self) -> None:
        """Rank again with the figures on screen (the project record is not changed)."""
        self.ranking.rematch()

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

    def selection_changed(self) -> None:
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
        refused = self.reservations.refusal(rows[0]) if len(rows) == 1 else None
        self.reserve_button.setEnabled(len(rows) == 1 and not refused)
        self.release_button.setEnabled(
            len(rows) == 1 and not refused and bool(self.reservations.held_sites(rows[0]))
        )
        for button in (self.reserve_button, self.release_button):
            button.setToolTip(refused or "")
        has_rows = self.model.rowCount() > 0
        for b in (self.print_button, self.pdf_button, self.excel_button):
            b.setEnabled(has_rows)
        no_pledge = pledge_refusal(self, rows)
        self.pledge_button.setEnabled(no_pledge is None)
        self.pledge_button.setToolTip(
            no_pledge or self.tr("打印该项目在此地块的标准地指标承诺书（PDF）")
        )

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
        self.ranking.forget_ledger()

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

    def print_pledge(self, folder: Path | None = None) -> Path | None:
        """The 标准地指标承诺书 of the selected land candidate, as a PDF."""
        return print_pledge(self, folder)
