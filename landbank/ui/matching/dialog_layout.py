"""The matching dialog's right side laid out: the counts and the 显示前 N spin box, the quota and
held lines, the ranked table with the legend under it and the selected candidate's reasons
below; the row of buttons under everything, and the keys (F5, Ctrl+P, Ctrl+E)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from landbank.ui.matching.candidate_model import CandidateModel

if TYPE_CHECKING:
    from landbank.ui.matching.dialog import MatchDialog


def result_panel(dialog: MatchDialog, top: int) -> QWidget:
    """The right side, from the dialog's widgets; ``top`` candidates shown at first."""
    panel = QWidget(dialog)
    layout = QVBoxLayout(panel)
    layout.setContentsMargins(0, 0, 0, 0)
    row = QHBoxLayout()
    dialog.counts_label.setWordWrap(True)
    row.addWidget(dialog.counts_label, 1)
    dialog.top_spin.setRange(1, 100)
    dialog.top_spin.setValue(top)
    dialog.top_spin.setPrefix(dialog.tr("显示前 "))
    dialog.top_spin.setSuffix(dialog.tr(" 个"))
    dialog.top_spin.setKeyboardTracking(False)
    dialog.top_spin.valueChanged.connect(dialog.rematch)
    row.addWidget(dialog.top_spin)
    layout.addLayout(row)
    dialog.quota_label.setStyleSheet("color: #1f3864; font-weight: bold;")
    dialog.quota_label.hide()
    layout.addWidget(dialog.quota_label)
    dialog.held_label.setWordWrap(True)
    dialog.held_label.setStyleSheet("color: #555;")
    dialog.held_label.hide()
    layout.addWidget(dialog.held_label)

    table = dialog.table
    table.setModel(dialog.model)
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
    table.doubleClicked.connect(lambda _index: dialog.open_detail())
    detail = QAction(dialog.tr("查看理由"), table)
    detail.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])
    detail.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
    detail.triggered.connect(dialog.open_detail)
    table.addAction(detail)
    table.selectionModel().selectionChanged.connect(dialog.selection_changed)

    dialog.detail.setPlaceholderText(dialog.tr("选择一个候选，在此查看逐项理由。"))
    ranked = QWidget(panel)
    ranked_layout = QVBoxLayout(ranked)
    ranked_layout.setContentsMargins(0, 0, 0, 0)
    ranked_layout.setSpacing(2)
    ranked_layout.addWidget(table, 1)
    ranked_layout.addWidget(dialog.legend_label)
    results = QSplitter(Qt.Orientation.Vertical, panel)
    results.addWidget(ranked)
    results.addWidget(dialog.detail)
    results.setStretchFactor(0, 3)
    results.setStretchFactor(1, 2)
    results.setCollapsible(0, False)
    results.setSizes([430, 260])
    layout.addWidget(results, 1)
    return panel


def button_row(dialog: MatchDialog) -> QHBoxLayout:
    """The buttons under the result (compare, reserve, release, print, PDF, Excel, the
    标准地指标承诺书, close) and
    the 只输出选中的候选 box, made as the dialog's attributes."""
    row = QHBoxLayout()

    def button(text: str, slot: Any, tip: str = "") -> QPushButton:
        b = QPushButton(text, dialog)
        b.setAutoDefault(False)
        b.clicked.connect(slot)
        if tip:
            b.setToolTip(tip)
        row.addWidget(b)
        return b

    dialog.compare_button = button(
        dialog.tr("对比…"),
        dialog.compare,
        dialog.tr("选中 2–3 个候选（按住 Ctrl 点选），并排对比"),
    )
    dialog.reserve_button = button(dialog.tr("意向锁定…"), dialog.reserve)
    dialog.release_button = button(dialog.tr("解除锁定"), dialog.release)
    row.addSpacing(16)
    dialog.print_button = button(dialog.tr("打印…"), dialog.print_preview, "Ctrl+P")
    dialog.pdf_button = button(dialog.tr("导出 PDF…"), lambda: dialog.export_pdf())
    dialog.excel_button = button(dialog.tr("导出 Excel…"), lambda: dialog.export_excel(), "Ctrl+E")
    dialog.pledge_button = button(
        dialog.tr("打印承诺书…"),
        lambda: dialog.print_pledge(),
        dialog.tr("选中一个地块候选，打印该项目在此地块的标准地指标承诺书（PDF）"),
    )
    dialog.only_selected = QCheckBox(dialog.tr("只输出选中的候选"), dialog)
    row.addWidget(dialog.only_selected)
    row.addStretch(1)
    dialog.close_button = button(dialog.tr("关闭"), dialog.reject)
    dialog.rematch_button.setDefault(True)  # Enter in the form ranks again
    dialog.rematch_button.clicked.connect(dialog.rematch)
    return row


def add_shortcuts(dialog: MatchDialog) -> None:
    QShortcut(QKeySequence(Qt.Key.Key_F5), dialog, dialog.rematch)
    QShortcut(QKeySequence(QKeySequence.StandardKey.Print), dialog, dialog.print_preview)
    QShortcut(QKeySequence("Ctrl+E"), dialog, lambda: dialog.export_excel())
