"""文件 → 导入地块红线…: choose an outline file and what it holds (地块 / 厂房 / 园区), see the
dry run's report — matched, unmatched, already holding an outline, 红线面积不符 (over 1 % off
收储面积, with both areas in 亩) — choose keep or replace, and 导入.

The dry run starts when a file is chosen and again when an option changes; 导入 is enabled
only for the report of the options shown, when it found no error and something to write.
Both run on a worker thread (:mod:`.worker`) behind a progress dialog with 取消.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from landbank.domain.enums import RecordKind
from landbank.domain.outlines.area import difference_text
from landbank.services.outlines.report import REFUSED, UNMATCHED, OutlineReport, OutlineRow
from landbank.store.queries import load_names
from landbank.ui.context import AppContext
from landbank.ui.outlines.worker import OutlineJob, OutlineOptions

FILE_FILTER = "红线文件 (*.txt *.geojson *.json *.shp);;界址点坐标 (*.txt);;GeoJSON (*.geojson *.json);;Shapefile (*.shp);;所有文件 (*)"
KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PARK)
AUTO_KEY = "（自动识别）"
ALL_COUNTIES = "（全部县区）"
MISMATCH_BRUSH = QColor("#fff1c2")
REFUSED_BRUSH = QColor("#b00020")


class OutlineImportDialog(QDialog):
    imported = Signal(object, int)  # RecordKind, records written
    job_done = Signal()  # a dry run or import ended (finished, failed or cancelled)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("导入地块红线"))
        self.resize(980, 560)
        self.job: OutlineJob | None = None
        self._path_checked = ""  # the path of the last run
        self.jobs: list[OutlineJob] = []  # started, to wait for when closing
        self.report: OutlineReport | None = None
        self.report_options: OutlineOptions | None = None
        self.progress: QProgressDialog | None = None
        self._build()
        self._fill_counties()
        self._follow_kind()

    # ------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText(self.tr("界址点坐标 .txt、GeoJSON 或 Shapefile .shp"))
        self.path_edit.editingFinished.connect(self._path_edited)
        browse = QPushButton(self.tr("浏览(&B)…"))
        browse.clicked.connect(self.choose_file)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        self.kind_combo = QComboBox()
        for kind in KINDS:
            text = {
                RecordKind.PARCEL: "地块红线",
                RecordKind.FACTORY: "厂房位置（点）",
                RecordKind.PARK: "园区红线",
            }[kind]
            self.kind_combo.addItem(self.tr(text), kind)
        self.key_combo = QComboBox()
        self.key_combo.addItem(self.tr("编号"), "code")
        self.key_combo.addItem(self.tr("名称"), "name")
        self.field_combo = QComboBox()
        self.field_combo.addItem(self.tr(AUTO_KEY), None)
        self.county_combo = QComboBox()
        self.existing_combo = QComboBox()
        self.existing_combo.addItem(self.tr("保留原红线"), "keep")
        self.existing_combo.addItem(self.tr("替换为文件中的红线"), "replace")
        for combo in (
            self.kind_combo,
            self.key_combo,
            self.field_combo,
            self.county_combo,
            self.existing_combo,
        ):
            combo.currentIndexChanged.connect(self._options_changed)
        self.kind_combo.currentIndexChanged.connect(self._follow_kind)
        form = QFormLayout()
        form.addRow(self.tr("文件："), file_row)
        options = QHBoxLayout()
        for label, widget in (
            (self.tr("导入为："), self.kind_combo),
            (self.tr("匹配："), self.key_combo),
            (self.tr("文件中的属性："), self.field_combo),
            (self.tr("县区："), self.county_combo),
            (self.tr("已有红线时："), self.existing_combo),
        ):
            options.addWidget(QLabel(label))
            options.addWidget(widget)
        options.addStretch(1)
        form.addRow(options)
        self.summary = QLabel(self.tr("请选择红线文件：先试导入，核对后再导入。"))
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, 9)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr(t)
                for t in (
                    "序号",
                    "文件中的编号",
                    "结果",
                    "台账记录",
                    "县区",
                    "红线面积(亩)",
                    "收储面积(亩)",
                    "相差",
                    "说明",
                )
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)
        self.dry_run_button = QPushButton(self.tr("试导入(&T)"))
        self.dry_run_button.clicked.connect(self.start_dry_run)
        self.import_button = QPushButton(self.tr("导入(&I)"))
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.start_import)
        close = QPushButton(self.tr("关闭"))
        close.clicked.connect(self.reject)
        buttons = QDialogButtonBox()
        buttons.addButton(self.dry_run_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def _fill_counties(self) -> None:
        self.county_combo.addItem(self.tr(ALL_COUNTIES), None)
        with self.ctx.session() as session:
            for name in sorted(load_names(session).regions.values()):
                self.county_combo.addItem(name, name)

    def _follow_kind(self) -> None:
        kind = RecordKind(self.kind_combo.currentData())  # (Qt gives the enum back as text)
        self.key_combo.setEnabled(kind is not RecordKind.PARK)  # parks are matched by name
        word = "坐标" if kind is RecordKind.FACTORY else "红线"
        self.existing_combo.setItemText(0, self.tr(f"保留原{word}"))
        self.existing_combo.setItemText(1, self.tr(f"替换为文件中的{word}"))

    # ------------------------------------------------------------------ options

    def options(self) -> OutlineOptions | None:
        text = self.path_edit.text().strip()
        if not text:
            return None
        kind = RecordKind(self.kind_combo.currentData())
        return OutlineOptions(
            path=Path(text),
            kind=kind,
            key="name" if kind is RecordKind.PARK else self.key_combo.currentData(),
            key_field=self.field_combo.currentData(),
            county=self.county_combo.currentData(),
            on_existing=self.existing_combo.currentData(),
        )

    def choose_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("选择红线文件"), "", self.tr(FILE_FILTER)
        )
        if name:
            self.set_file(name)

    def set_file(self, name: str) -> None:
        self.path_edit.setText(name)
        self._set_key_names([])
        self._options_changed()

    def _set_key_names(self, names: list[str]) -> None:
        current = self.field_combo.currentData()
        self.field_combo.blockSignals(True)
        self.field_combo.clear()
        self.field_combo.addItem(self.tr(AUTO_KEY), None)
        for name in names:
            self.field_combo.addItem(name, name)
        index = self.field_combo.findData(current) if current else 0
        self.field_combo.setCurrentIndex(max(index, 0))
        self.field_combo.blockSignals(False)

    def _path_edited(self) -> None:
        """A path typed (not merely the field losing focus, as when a progress dialog shows)."""
        if self.path_edit.text().strip() != self._path_checked:
            self._options_changed()

    def _options_changed(self) -> None:
        self.import_button.setEnabled(False)
        if self.options() is not None and self.job is None:
            QTimer.singleShot(0, self.start_dry_run)

    # ------------------------------------------------------------------ running

    def start_dry_run(self) -> None:
        self._start(dry_run=True)

    def start_import(self) -> None:
        self._start(dry_run=False)

    def _start(self, *, dry_run: bool) -> None:
        options = self.options()
        if options is None or self.job is not None:
            return
        self._path_checked = str(options.path)
        job = OutlineJob(self.ctx.engine, options, dry_run=dry_run, user=self.ctx.user)
        queued = Qt.ConnectionType.QueuedConnection  # the slots run on the GUI thread
        job.signals.finished.connect(lambda report: self._finished(job, report), queued)
        job.signals.failed.connect(lambda reason: self._failed(job, reason), queued)
        job.signals.cancelled.connect(lambda: self._cancelled(job), queued)
        self.job = job
        self.import_button.setEnabled(False)
        self.dry_run_button.setEnabled(False)
        text = self.tr("正在读取并核对红线文件…") if dry_run else self.tr("正在导入红线…")
        self.progress = QProgressDialog(text, self.tr("取消"), 0, 0, self)
        self.progress.setWindowTitle(self.windowTitle())
        self.progress.setMinimumDuration(400)
        self.progress.canceled.connect(self._cancel)
        self.jobs = [j for j in self.jobs if j.thread.is_alive()] + [job]
        job.start()

    def _cancel(self) -> None:
        job = self.job
        if job is None:
            return
        job.cancel()
        if job.dry_run:  # nothing to roll back: stop waiting, drop its late result
            self._cancelled(job)

    def _end(self, job: OutlineJob) -> bool:
        """Close the progress dialog; False for a job no longer waited for."""
        if job is not self.job:
            return False
        self.job = None
        if self.progress is not None:
            self.progress.canceled.disconnect(self._cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.dry_run_button.setEnabled(True)
        return True

    def _finished(self, job: OutlineJob, report: OutlineReport) -> None:
        if not self._end(job):
            return
        self.report, self.report_options = report, job.options
        self._set_key_names(report.key_names)
        self.show_report(report)
        if report.written:
            self.imported.emit(report.kind, report.to_write)
        self.import_button.setEnabled(
            report.dry_run and report.ok and report.to_write > 0 and job.options == self.options()
        )
        self.job_done.emit()

    def _failed(self, job: OutlineJob, reason: str) -> None:
        if not self._end(job):
            return
        self.report = None
        self.table.setRowCount(0)
        self.summary.setText(f"<span style='color:#b00020'>{_escape(reason)}</span>")
        self.job_done.emit()

    def _cancelled(self, job: OutlineJob) -> None:
        if not self._end(job):
            return
        self.summary.setText(self.tr("已取消，没有写入任何内容。"))
        self.job_done.emit()

    def done(self, result: int) -> None:
        """Closing waits for a running job (an import is cancelled and rolls back)."""
        if self.job is not None:
            self.job.cancel()
        for job in self.jobs:
            job.wait()
        super().done(result)

    # ------------------------------------------------------------------ the report

    def show_report(self, report: OutlineReport) -> None:
        self.summary.setText(_summary_html(report))
        self.table.setRowCount(len(report.rows))
        for r, row in enumerate(report.rows):
            cells = _cells(report.kind, row)
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c in (0, 5, 6, 7):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if row.mismatch and row.status not in (UNMATCHED, REFUSED):
                    item.setBackground(QBrush(MISMATCH_BRUSH))
                if row.status == REFUSED:
                    item.setForeground(QBrush(REFUSED_BRUSH))
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(8, QHeaderView.ResizeMode.Stretch)


def _escape(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br>")
    )


def _summary_html(report: OutlineReport) -> str:
    lines = report.describe().splitlines()
    head = [lines[0], lines[1]]
    if report.kind is RecordKind.PARCEL:
        head.append(f"红线面积不符（与收储面积相差超过 1 %）：{len(report.mismatches)} 个")
    html = "<b>" + _escape("；".join(head)) + "</b>"
    extra = [*report.notes, *report.problems]
    if report.refused:
        extra.append(f"有 {report.refused} 处错误，不能导入；请改正文件后再试。")
    elif report.written:
        extra.append(f"已导入 {report.to_write} 条。")
    elif report.dry_run and report.ok and report.to_write:
        extra.append(f"核对无误后点“导入”，将写入 {report.to_write} 条。")
    if extra:
        html += "<br>" + "<br>".join(_escape(e) for e in extra)
    return html


def _cells(kind: RecordKind, row: OutlineRow) -> list[str]:
    pct = row.difference_pct
    notes = [row.reason, *row.notes] if row.reason else list(row.notes)
    if row.point is not None:
        notes.insert(0, f"经度 {row.point[0]:.6f}°，纬度 {row.point[1]:.6f}°")
    if row.mismatch and row.status not in (UNMATCHED, REFUSED):
        notes.insert(0, "红线面积不符：与收储面积相差超过 1 %")
    return [
        str(row.number) + (f"（第 {row.line} 行）" if row.line else ""),
        row.key,
        row.status_text(kind),
        row.record_label if row.status != UNMATCHED else "",
        row.region,
        "" if row.outline_mu is None else f"{row.outline_mu:.2f}",
        "" if row.registered_mu is None else f"{row.registered_mu:.2f}",
        difference_text(pct),
        "；".join(n for n in notes if n),
    ]
