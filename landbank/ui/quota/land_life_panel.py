"""The 闲置与低效用地 panel of the 指标进度 dashboard (issue 16 item 5): per county the parcels
and hectares of 闲置 land and of each 低效 class on the dashboard's day, and the 增存挂钩 effect
on next year's new construction-land plan (+10 % in green when both 批而未供 and 闲置 are
cleared, −20 % in red naming which is not).

The figures are :func:`landbank.services.land_life.status.county_land_life`'s; each cell keeps
the ids of its parcels and a click emits ``recordsRequested(RecordKind.PARCEL, ids)`` — the
main window shows exactly those parcels (``RecordFilter(ids=…)``), as every dashboard figure.
The effect's cell opens the parcels that are not cleared (批而未供 and 闲置).

The figures are read off the GUI thread (:meth:`LandLifePanel.load`): a city of 300,000
parcels takes ~5 s (benchmarks/bench_land_life.py), and the rest of the dashboard must not
wait for it. Only the latest request's answer is shown; the county picker filters the rows
already read.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QSizePolicy,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.domain.land_life.county import Tally
from landbank.domain.land_life.low_efficiency import LowEfficiency
from landbank.services.errors import describe_error
from landbank.services.land_life.status import CountyLandLife, LandLifeReport, county_land_life
from landbank.ui.context import AppContext
from landbank.ui.quota.panels import IDS_ROLE, small_table

GREEN = "#2e7d32"
RED = "#c62828"
CLASSES = tuple(LowEfficiency)
EFFECT_COLUMN = 2 + len(CLASSES)


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuotaDashboard", text)


def tally_text(tally: Tally) -> str:
    """ "2 宗 / 3.00 公顷"; nothing counted: "—"."""
    if tally.count == 0:
        return "—"
    return _tr("{n} 宗 / {ha} 公顷").format(n=f"{tally.count:,}", ha=f"{tally.hectares:,.2f}")


def not_cleared(county: CountyLandLife) -> list[str]:
    """Which of 批而未供 and 闲置 are left (empty: both cleared)."""
    summary = county.summary
    left = [(LowEfficiency.APPROVED_NOT_SUPPLIED.value, summary.approved_not_supplied)]
    left.append(("闲置", summary.idle))
    return [label for label, tally in left if not tally.cleared]


def effect_text(county: CountyLandLife) -> str:
    """ "明年新增建设用地计划 +10%（均已清零）" or "… −20%（批而未供、闲置未清零）"."""
    change = county.effect.change_text
    if county.effect.cleared:
        return _tr("明年新增建设用地计划 {c}（均已清零）").format(c=change)
    return _tr("明年新增建设用地计划 {c}（{what}未清零）").format(
        c=change, what="、".join(not_cleared(county))
    )


class _Signals(QObject):
    finished = Signal(int, object)  # generation, LandLifeReport
    failed = Signal(int, str)  # generation, the reason in Chinese


class _Job(QRunnable):
    def __init__(self, ctx: AppContext, as_of: date, generation: int) -> None:
        super().__init__()
        self.ctx, self.as_of, self.generation = ctx, as_of, generation
        self.signals = _Signals()

    def run(self) -> None:  # on a worker thread: no widgets here
        try:
            with self.ctx.session() as session:
                report = county_land_life(session, self.as_of)
        except Exception as exc:  # the panel says why; the dashboard keeps working
            self.signals.failed.emit(self.generation, describe_error(exc))
        else:
            self.signals.finished.emit(self.generation, report)


class LandLifePanel(QGroupBox):
    """One row a county: 闲置, each 低效 class, the 增存挂钩 effect; a click opens the parcels."""

    recordsRequested = Signal(object, list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(_tr("闲置与低效用地"), parent)
        headers = [_tr("县区"), _tr("闲置土地")]
        headers += [_tr(kind.value) for kind in CLASSES]
        headers.append(_tr("增存挂钩"))
        self.table = small_table(headers)
        self.table.setToolTip(_tr("点击数字查看这些地块"))
        self.day_label = QLabel(self)
        self.day_label.setStyleSheet("color: #555;")
        self.day_label.setWordWrap(True)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.addWidget(self.day_label)
        layout.addWidget(self.table)
        self.report: LandLifeReport | None = None
        self.region_id: int | None = None
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._generation = 0
        self._jobs: dict[int, _Job] = {}
        self.table.cellClicked.connect(self._clicked)

    def load(self, ctx: AppContext, as_of: date) -> None:
        """Read the counties' figures on ``as_of`` in the background, then show them."""
        self._generation += 1
        job = _Job(ctx, as_of, self._generation)
        job.setAutoDelete(False)
        job.signals.finished.connect(self._loaded)
        job.signals.failed.connect(self._failed)
        self._jobs[self._generation] = job
        self.day_label.setText(_tr("正在统计截至 {day} 的闲置与低效用地…").format(day=as_of))
        self.pool.start(job)

    def wait(self, msecs: int = 60_000) -> bool:
        """Wait for the reading under way (tests, closing)."""
        return self.pool.waitForDone(msecs)

    def _loaded(self, generation: int, report: LandLifeReport) -> None:
        self._jobs.pop(generation, None)
        if generation == self._generation:
            self.set_report(report, self.region_id)

    def _failed(self, generation: int, reason: str) -> None:
        self._jobs.pop(generation, None)
        if generation == self._generation:
            self.day_label.setText(_tr("闲置与低效用地未能统计：{why}").format(why=reason))

    def show_region(self, region_id: int | None) -> None:
        """Only ``region_id``'s row (None: every county), from the figures already read."""
        self.region_id = region_id
        if self.report is not None:
            self.set_report(self.report, region_id)

    def set_report(self, report: LandLifeReport, region_id: int | None = None) -> None:
        """Show every county of ``report`` (or only ``region_id``'s)."""
        self.report = report
        self.region_id = region_id
        counties = [c for c in report.counties if region_id is None or c.region_id == region_id]
        self.day_label.setText(
            _tr(
                "截至 {day}（宗数 / 公顷，1 公顷 = 15 亩）。增存挂钩：批而未供与闲置土地均清零的，"
                "下一年度新增建设用地计划 +10%；任一未清零的 −20%。"
            ).format(day=report.as_of.isoformat())
        )
        self.table.setRowCount(len(counties))
        for r, county in enumerate(counties):
            summary = county.summary
            self.table.setItem(r, 0, QTableWidgetItem(summary.county))
            tallies = [summary.idle, *(summary.low[kind] for kind in CLASSES)]
            for c, tally in enumerate(tallies, start=1):
                self.table.setItem(r, c, self._figure(tally_text(tally), tally.ids))
            left = [*summary.approved_not_supplied.ids, *summary.idle.ids]
            effect = self._figure(effect_text(county), sorted(set(left)), right=False)
            effect.setForeground(QColor(GREEN if county.effect.cleared else RED))
            effect.setToolTip(county.effect.reason)
            self.table.setItem(r, EFFECT_COLUMN, effect)
        rows = self.table.verticalHeader().defaultSectionSize() * max(len(counties), 1)
        self.table.setFixedHeight(self.table.horizontalHeader().sizeHint().height() + rows + 6)

    def _figure(self, text: str, ids: Sequence[int], *, right: bool = True) -> QTableWidgetItem:
        item = QTableWidgetItem(text)
        item.setData(IDS_ROLE, list(ids))
        if right:
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if ids:
            font = item.font()
            font.setBold(True)
            item.setFont(font)
        return item

    def ids_at(self, row: int, column: int) -> list[int]:
        item = self.table.item(row, column)
        if item is None or column == 0:
            return []
        return list(item.data(IDS_ROLE) or [])

    def _clicked(self, row: int, column: int) -> None:
        ids = self.ids_at(row, column)
        if ids:
            self.recordsRequested.emit(RecordKind.PARCEL, ids)
