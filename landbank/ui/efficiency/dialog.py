"""年度指标 → 亩均效益评价… (issue 16 item 6): a county's landed firms of a year ranked by its
scheme — 排名, 地块, 受让单位, 亩, each indicator with its unit, 得分, 类别 and why — sortable
(figures sort as numbers), copyable (Ctrl+C or 复制表格: tab-separated with the header, for a
spreadsheet), with the scheme, the base values and what no firm reported above it, and the
评价方法 editor (:mod:`.scheme_editor`) beside it; saving a scheme re-rates at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import col

from landbank.services.efficiency.rating import CountyEvaluation, evaluate_county, latest_year
from landbank.services.errors import describe_error
from landbank.store.models import Region
from landbank.ui.context import AppContext
from landbank.ui.efficiency.scheme_editor import SchemeEditor

CLASS_COLOURS = {"A": "#2e7d32", "B": "#1565c0", "C": "#b26a00", "D": "#c62828", "T": "#607d8b"}


class NumberItem(QTableWidgetItem):
    """A cell showing formatted text and sorting by its number (None sorts last)."""

    def __init__(self, text: str, value: float | None) -> None:
        super().__init__(text)
        self.value = value
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        mine = self.value if self.value is not None else float("inf")
        theirs = getattr(other, "value", None)
        return mine < (theirs if theirs is not None else float("inf"))


def _number(value: float | None, decimals: int = 2) -> NumberItem:
    return NumberItem("—" if value is None else f"{value:,.{decimals}f}", value)


class EfficiencyDialog(QDialog):
    """The ranking of one county's firms for one year, and its scheme's editor."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("亩均效益评价"))
        self.evaluation: CountyEvaluation | None = None
        self.county_box = QComboBox(self)
        self.year_box = QSpinBox(self)
        self.year_box.setRange(1990, 2100)
        self.year_box.setSuffix(self.tr(" 年"))
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, 0, self)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.copy_button = QPushButton(self.tr("复制表格"), self)
        self.copy_button.setToolTip(self.tr("复制整张表（含表头），可粘贴到 Excel/WPS"))
        self.copy_button.clicked.connect(lambda: self.copy(whole=True))
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Copy), self.table)
        shortcut.activated.connect(lambda: self.copy())
        self.editor = SchemeEditor(ctx, self)
        self.editor.saved.connect(self.refresh)

        bar = QHBoxLayout()
        bar.addWidget(QLabel(self.tr("县区：")))
        bar.addWidget(self.county_box, 1)
        bar.addWidget(QLabel(self.tr("年度：")))
        bar.addWidget(self.year_box)
        bar.addStretch(1)
        bar.addWidget(self.copy_button)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(bar)
        left_layout.addWidget(self.info)
        left_layout.addWidget(self.table, 1)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(left)
        split.addWidget(self.editor)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        self.editor.setMaximumWidth(480)
        split.setSizes([860, 420])
        buttons = QDialogButtonBox(self)
        close = buttons.addButton(self.tr("关闭"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.resize(1280, 640)
        self._fill_counties()
        self.county_box.currentIndexChanged.connect(self._county_changed)
        self.year_box.valueChanged.connect(lambda _v: self.refresh())
        self._county_changed()

    def _fill_counties(self) -> None:
        try:
            with self.ctx.session() as session:
                regions = list(session.execute(
                    select(col(Region.id), col(Region.name)).order_by(col(Region.name))
                ))  # fmt: skip
                year = latest_year(session)
        except SQLAlchemyError as exc:
            self.info.setText(describe_error(exc))
            return
        own = self.ctx.rights.region_id if self.ctx.rights.scope == "county" else None
        for region_id, name in regions:
            self.county_box.addItem(name, region_id)
        if own is not None:
            self.county_box.setCurrentIndex(max(0, self.county_box.findData(own)))
        self.year_box.blockSignals(True)
        self.year_box.setValue(year or self.year_box.value())
        self.year_box.blockSignals(False)

    def region_id(self) -> int | None:
        data = self.county_box.currentData()
        return data if isinstance(data, int) else None

    def _county_changed(self) -> None:
        self.editor.set_county(self.region_id(), self.county_box.currentText())
        self.refresh()

    def refresh(self) -> None:
        region_id = self.region_id()
        if region_id is None:
            self.info.setText(self.tr("台账中还没有县区"))
            return
        try:
            with self.ctx.session() as session:
                self.evaluation = evaluate_county(session, region_id, self.year_box.value())
        except SQLAlchemyError as exc:
            self.info.setText(describe_error(exc))
            return
        self._show(self.evaluation)

    def _show(self, e: CountyEvaluation) -> None:
        weights = list(e.scheme.scheme.weights)
        counts = "，".join(f"{k} 类 {n} 家" for k, n in sorted(e.counts().items()))
        bases = "、".join(f"{m.value} {v:,.2f} {m.unit}" for m, v in e.bases.items())
        lines = [
            self.tr("{county} {year} 年度：{counts}").format(
                county=e.county, year=e.year, counts=counts or self.tr("没有企业报送经营数据")
            ),
            self.tr("评价方法：{text}").format(text=e.scheme.describe()),
            self.tr("基准值：{text}").format(text=bases or self.tr("无")),
        ]
        if e.notes:
            lines.append(self.tr("说明：{n}").format(n="；".join(e.notes)))
        self.info.setText("\n".join(lines))
        headers = [self.tr("排名"), self.tr("地块"), self.tr("受让单位"), self.tr("面积(亩)")]
        headers += [f"{m.value}({m.unit})" for m in weights]
        headers += [self.tr("得分"), self.tr("类别"), self.tr("说明")]
        self.table.setSortingEnabled(False)
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setRowCount(len(e.firms))
        for r, firm in enumerate(e.firms):
            rating = firm.rating
            values = firm.measures(weights)
            score = None if rating.score is None else rating.score.score
            rank = None if rating.rank is None else float(rating.rank)
            cells: list[QTableWidgetItem] = [
                NumberItem("" if rating.rank is None else str(rating.rank), rank),
                QTableWidgetItem(firm.info.code),
                QTableWidgetItem(firm.info.holder or "—"),
                _number(rating.firm.area_mu),
                *(_number(values[m]) for m in weights),
                _number(score),
                QTableWidgetItem(rating.cls.value),
                QTableWidgetItem("；".join([rating.reason, *rating.notes])),
            ]
            cls_item = cells[-2]
            cls_item.setForeground(QColor(CLASS_COLOURS[rating.cls.value]))
            cls_item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            for c, item in enumerate(cells):
                self.table.setItem(r, c, item)
        self.table.setSortingEnabled(True)

    def table_text(self, *, whole: bool) -> str:
        """The rows (all, or the selected ones) as tab-separated text under the header."""
        columns = range(self.table.columnCount())
        header = self.table.horizontalHeaderItem
        lines = ["\t".join(h.text() if (h := header(c)) else "" for c in columns)]
        rows = range(self.table.rowCount())
        if not whole:
            rows = sorted({i.row() for i in self.table.selectedIndexes()})  # type: ignore[assignment]
        for r in rows:
            lines.append(
                "\t".join(i.text() if (i := self.table.item(r, c)) else "" for c in columns)
            )
        return "\n".join(lines)

    def copy(self, *, whole: bool = False) -> None:
        QGuiApplication.clipboard().setText(
            self.table_text(whole=whole or not self.table.selectedIndexes())
        )
