"""The 报表 menu of the main window: the printed reports of issue 5 (年度指标进度通报, 县区指标
明细, 招商手册, 招商项目报告). Each asks its year (and region, title city, day judged) in a
small dialog that also says whom the report is for — the 招商手册 lets the clerk choose the
investor's version or the internal one (with the days each site has waited), the others are
internal — then opens a print preview — 打印 from its toolbar, or “导出 PDF…” — painted by
:func:`landbank.ui.reports.report_pdf.paint_report`, so preview, paper and PDF agree. Titles,
制表单位 and 落款 come from the ledger's identity
(:func:`landbank.services.identity.ledger_identity`).

:func:`install_report_menu` adds the menu to a window that has ``ctx`` (the
:class:`AppContext`); the window keeps the returned :class:`ReportMenu`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QDate, QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.services.errors import describe_error
from landbank.services.identity import ledger_identity
from landbank.ui.context import AppContext
from landbank.ui.reports.html_parts import Audience

if TYPE_CHECKING:  # the reports, their services and printing load when a report is opened
    from PySide6.QtPrintSupport import QPrintPreviewDialog

    from landbank.ui.reports.printouts import Printout

_CTX = "ReportMenu"
STATUS_MESSAGE_MS = 8000

QUOTA = "quota"
REGION = "region"
CATALOGUE = "catalogue"
PROJECTS = "projects"
PLEDGE = "pledge"  # 标准地指标承诺书: its own dialog (ui/reports/pledge_dialog.py)
# (report, title, whether it needs a year, its region: "" none, "one" required, "any")
REPORTS: tuple[tuple[str, str, bool, str], ...] = (
    (QUOTA, "年度指标进度通报", True, ""),
    (REGION, "县区指标明细", True, "one"),
    (CATALOGUE, "招商手册", False, "any"),
    (PROJECTS, "招商项目报告", True, "any"),
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


@dataclass(frozen=True)
class ReportOptions:
    year: int
    region_id: int | None
    region: str  # its name, "" for the city
    city: str  # the title's city, "" for “全市”
    as_of: date
    audience: Audience = Audience.INTERNAL  # the 招商手册 has two; the others are internal
    omit_incomplete: bool = False  # the 招商手册: 资料不全的地块 不列入 (else 列入并标注)


class ReportOptionsDialog(QDialog):
    """Year, region, title city, the day judged and the audience of one report."""

    def __init__(
        self,
        parent: QWidget | None,
        *,
        which: str,
        regions: dict[int, str],
        city: str,
        today: date,
    ) -> None:
        super().__init__(parent)
        _, text, needs_year, region_mode = next(r for r in REPORTS if r[0] == which)
        self.setWindowTitle(_tr(text))
        form = QFormLayout()
        self.year_box = QSpinBox(self)
        self.year_box.setRange(2000, 2100)
        self.year_box.setValue(today.year)
        self.year_box.setSuffix(_tr(" 年"))
        self.year_box.setVisible(needs_year)
        if needs_year:
            form.addRow(_tr("年度："), self.year_box)
        self.region_box = QComboBox(self)
        if region_mode == "any":
            self.region_box.addItem(_tr("全市"), None)
        for region_id, name in regions.items():
            self.region_box.addItem(name, region_id)
        self.region_box.setVisible(bool(region_mode))
        if region_mode:
            form.addRow(_tr("县区："), self.region_box)
        self.city_edit = QLineEdit(city, self)
        self.city_edit.setPlaceholderText(_tr("全市"))
        self.city_edit.setVisible(which != REGION)
        if which != REGION:
            form.addRow(_tr("标题市名："), self.city_edit)
        self.date_edit = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(_tr("统计日期："), self.date_edit)
        self.audience_buttons: dict[Audience, QRadioButton] = {}
        if which == CATALOGUE:
            row = QHBoxLayout()
            group = QButtonGroup(self)
            for audience in (Audience.INVESTOR, Audience.INTERNAL):
                button = QRadioButton(_tr(audience.label), self)
                button.setObjectName(f"audience_{audience.value}")
                button.setChecked(audience is Audience.INVESTOR)
                group.addButton(button)
                row.addWidget(button)
                self.audience_buttons[audience] = button
            row.addStretch(1)
            form.addRow(_tr("打印对象："), row)
            self.audience_note = QLabel(self)
            for button in self.audience_buttons.values():
                button.toggled.connect(self._show_audience)
        else:
            self.audience_note = QLabel(_tr("内部报表：含进度、排名、预警等内部数据"), self)
            form.addRow(_tr("打印对象："), self.audience_note)
        self.audience_note.setObjectName("audienceNote")
        self.audience_note.setWordWrap(True)
        self.incomplete_buttons: dict[bool, QRadioButton] = {}
        if which == CATALOGUE:
            form.addRow("", self.audience_note)
            self._show_audience()
            form.addRow(_tr("资料不全的地块："), self._incomplete_row())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_tr("预览…"))
        ok.setEnabled(region_mode != "one" or self.region_box.count() > 0)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _incomplete_row(self) -> QHBoxLayout:
        """不列入 / 列入并标注 (“资料不全：缺…” under the site), the latter by default."""
        row = QHBoxLayout()
        group = QButtonGroup(self)
        for omit, text in ((True, _tr("不列入")), (False, _tr("列入并标注"))):
            button = QRadioButton(text, self)
            button.setObjectName("incomplete_omit" if omit else "incomplete_mark")
            button.setChecked(not omit)
            button.setToolTip(
                _tr("缺少推介所需资料（红线、四至、规划条件、价格、联系电话、照片等）的场地")
            )
            group.addButton(button)
            row.addWidget(button)
            self.incomplete_buttons[omit] = button
        row.addStretch(1)
        return row

    def audience(self) -> Audience:
        return next(
            (a for a, b in self.audience_buttons.items() if b.isChecked()), Audience.INTERNAL
        )

    def _show_audience(self) -> None:
        if self.audience() is Audience.INVESTOR:
            text = _tr("对外（投资者）版：场地情况、条件和联系方式，不含等待天数等内部数据")
        else:
            text = _tr("内部版：另含每块场地已等待（已闲置）的天数和意向锁定情况")
        self.audience_note.setText(text)

    def options(self) -> ReportOptions:
        region_id = self.region_box.currentData()
        region_id = region_id if isinstance(region_id, int) else None
        day = self.date_edit.date()
        return ReportOptions(
            year=self.year_box.value(),
            region_id=region_id,
            region=self.region_box.currentText() if region_id is not None else "",
            city=self.city_edit.text().strip(),
            as_of=date(day.year(), day.month(), day.day()),
            audience=self.audience(),
            omit_incomplete=bool(
                self.incomplete_buttons and self.incomplete_buttons[True].isChecked()
            ),
        )


def build_printout(ctx: AppContext, which: str, options: ReportOptions) -> Printout:
    """Read the report's figures and lay them out. Raises :class:`SQLAlchemyError`."""
    from landbank.services.quota.catalogue import catalogue
    from landbank.services.quota.projects import projects_report
    from landbank.services.quota.region_detail import region_detail
    from landbank.services.quota.report import city_report
    from landbank.ui.reports.catalogue_dossier import catalogue_report
    from landbank.ui.reports.printouts import (
        projects_printout,
        quota_printout,
        region_printout,
    )

    region = options.region or None
    with ctx.session() as session:
        # The title's city as the clerk left it ("" prints “全市”).
        identity = replace(ledger_identity(session, ctx.settings), city=options.city)
        if which == CATALOGUE:
            found = catalogue(session, region_id=options.region_id, as_of=options.as_of)
            return catalogue_report(
                session,
                found,
                identity=identity,
                region=region,
                audience=options.audience,
                omit_incomplete=options.omit_incomplete,
            )
        report = city_report(session, options.year, as_of=options.as_of)
        if which == QUOTA:
            from landbank.services.land_life.status import county_land_life

            life = county_land_life(session, options.as_of)
            return quota_printout(report, identity=identity, land_life=life)
        if which == PROJECTS:
            projects = projects_report(
                session,
                options.year,
                region_id=options.region_id,
                as_of=options.as_of,
                report=report,
            )
            return projects_printout(projects, identity=identity, region=region)
        assert options.region_id is not None
        detail = region_detail(
            session, options.year, options.region_id, as_of=options.as_of, report=report
        )
        return region_printout(detail, identity=identity)


def preview_dialog(
    parent: QWidget | None, printout: Printout, *, on_saved: Callable[[str], None] | None = None
) -> QPrintPreviewDialog:
    """The print preview of ``printout`` (not yet shown), with “导出 PDF…” on its toolbar."""
    from landbank.ui.printing import new_printer, preview_with_pdf

    return preview_with_pdf(
        parent,
        new_printer(),
        printout.title,
        printout.paint,
        lambda dialog: export_pdf(dialog, printout, on_saved=on_saved),
        tooltip=_tr("把报表保存为 PDF 文件"),
        size=(900, 1000),
    )


def export_pdf(
    parent: QWidget,
    printout: Printout,
    *,
    folder: Path | None = None,
    on_saved: Callable[[str], None] | None = None,
) -> Path | None:
    """Ask where, then write the PDF; ``None`` when cancelled or it failed (the clerk was
    told why). ``on_saved`` (a callable taking the text) hears of a success."""
    from landbank.ui.printing import save_pdf_as
    from landbank.ui.reports.printouts import write_printout

    return save_pdf_as(
        parent,
        printout.title,
        lambda path: write_printout(path, printout),
        _tr("已导出报表（{n} 页）到 {path}"),
        folder=folder,
        on_saved=on_saved,
    )


class ReportMenu(QObject):
    """The 报表 menu and its actions (``actions[report]``)."""

    def __init__(self, window: QMainWindow, ctx: AppContext) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = ctx
        self.menu = QMenu(_tr("报表(&R)"), window)
        self.actions: dict[str, QAction] = {}
        for which, text, _year, _region in REPORTS:
            action = QAction(_tr(text) + "…", window)
            action.setObjectName(f"report_{which}")
            action.triggered.connect(lambda _checked=False, w=which: self.open_report(w))
            self.menu.addAction(action)
            self.actions[which] = action
        self.menu.addSeparator()
        pledge = QAction(_tr("标准地指标承诺书…"), window)
        pledge.setObjectName("report_pledge")
        pledge.setStatusTip(_tr("选择项目和地块，打印该项目在地块上的标准地指标承诺书"))
        pledge.triggered.connect(lambda _checked=False: self.open_pledge())
        self.menu.addAction(pledge)
        self.actions[PLEDGE] = pledge

    def ask_options(self, which: str) -> ReportOptions | None:
        from landbank.services.quota.catalogue import ledger_places

        try:
            with self.ctx.session() as session:
                regions, _city = ledger_places(session)
                city = ledger_identity(session, self.ctx.settings).city
        except SQLAlchemyError as exc:
            self._failed(exc)
            return None
        dialog = ReportOptionsDialog(
            self.window, which=which, regions=regions, city=city, today=date.today()
        )
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            return dialog.options()
        finally:
            dialog.deleteLater()

    def open_report(self, which: str, options: ReportOptions | None = None) -> None:
        """Ask the options (unless given), build the report, show its print preview."""
        options = options or self.ask_options(which)
        if options is None:
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            printout = build_printout(self.ctx, which, options)
        except SQLAlchemyError as exc:
            QApplication.restoreOverrideCursor()
            self._failed(exc)
            return
        QApplication.restoreOverrideCursor()
        dialog = preview_dialog(self.window, printout, on_saved=self._saved)
        dialog.exec()
        dialog.deleteLater()

    def open_pledge(self) -> None:
        """Ask the project and the parcel (those selected in the lists preselected), then the
        承诺书's print preview."""
        from landbank.ui.reports.pledge_menu import ask_pledge, pledge_printout_of

        chosen = ask_pledge(self.window, self.ctx)
        if chosen is None:
            return
        printout = pledge_printout_of(self.window, self.ctx, *chosen)
        if printout is not None:
            dialog = preview_dialog(self.window, printout, on_saved=self._saved)
            dialog.exec()
            dialog.deleteLater()

    def _saved(self, text: str) -> None:
        self.window.statusBar().showMessage(text, STATUS_MESSAGE_MS)

    def _failed(self, exc: Exception) -> None:
        QMessageBox.warning(self.window, _tr("报表"), describe_error(exc))


def install_report_menu(window: QMainWindow, ctx: AppContext) -> ReportMenu:
    """Add the 报表 menu to ``window``'s menu bar, before its last menu (帮助)."""
    reports = ReportMenu(window, ctx)
    bar = window.menuBar()
    menus = bar.actions()
    if menus:
        bar.insertMenu(menus[-1], reports.menu)
    else:
        bar.addMenu(reports.menu)
    return reports
