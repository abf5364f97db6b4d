"""Two or three candidates side by side (对比…): criteria as rows, candidates as columns."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from landbank.services.matching.export import CRITERION_LABELS, MatchRow, criterion_keys
from landbank.ui.matching.facts import area_text, place_text
from landbank.ui.matching.marks import (
    MARK_COLOURS,
    MARK_ORDER,
    criterion_score_text,
    legend_label,
)

_CTX = "MatchDialog"
MAX_COMPARED = 3
FACT_ROWS = 4  # rows of the comparison before the criteria


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def comparison_cells(rows: Sequence[MatchRow]) -> tuple[list[str], list[list[str]]]:
    """Row headers and cells of the comparison: facts first, then every criterion as
    “mark reason” (candidates as columns)."""
    headers = [_tr("得分"), _tr("结论"), _tr("县区/园区"), _tr("面积")]  # FACT_ROWS
    cells: list[list[str]] = [
        [f"{r.score:.1f}" for r in rows],
        [r.label for r in rows],
        [place_text(r.region, r.park) for r in rows],
        [area_text(r.area, r.unit) for r in rows],
    ]
    for key in criterion_keys(rows):
        headers.append(_tr(CRITERION_LABELS[key]))
        line = []
        for r in rows:
            c = r.criterion(key)
            if c is None:
                line.append("")
            elif c.hard:
                line.append(f"{c.mark} {c.reason}")
            else:
                line.append(f"{c.mark} {criterion_score_text(c)}　{c.reason}")
        cells.append(line)
    return headers, cells


class ComparisonDialog(QDialog):
    """Two or three candidates side by side: criteria as rows, candidates as columns; the best
    of a row in bold where the candidates differ."""

    def __init__(self, rows: Sequence[MatchRow], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows = list(rows)[:MAX_COMPARED]
        self.setWindowTitle(self.tr("对比 — {0}").format(" ／ ".join(r.subject for r in self.rows)))
        self.setSizeGripEnabled(True)
        self.headers, self.cells = comparison_cells(self.rows)
        self.keys = criterion_keys(self.rows)
        self.browser = QTextBrowser(self)
        self.browser.setHtml(self._html())
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        self.legend = legend_label(self)
        layout.addWidget(self.legend)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(260 + 330 * len(self.rows), 640)

    def _html(self) -> str:
        width = 84 // max(1, len(self.rows))
        head = "<th bgcolor='#e8eef7' width='16%'></th>" + "".join(
            f"<th bgcolor='#e8eef7' width='{width}%'>{r.rank}. {escape(r.subject)}</th>"
            for r in self.rows
        )
        lines = []
        for r, (label, line) in enumerate(zip(self.headers, self.cells, strict=True)):
            best = self._best(r)
            cells = []
            for c, text in enumerate(line):
                colour = MARK_COLOURS.get(text[:1], "#000")
                weight = "font-weight:bold;" if c in best else ""
                cells.append(f"<td style='color:{colour};{weight}'>{escape(text)}</td>")
            lines.append(
                f"<tr><td bgcolor='#f2f5fa' style='color:#444'>{escape(label)}</td>"
                + "".join(cells)
                + "</tr>"
            )
        return (
            "<table width='100%' cellspacing='0' cellpadding='4' border='1' "
            f"style='border-color:#bbb; border-collapse:collapse'><tr>{head}</tr>{''.join(lines)}</table>"
        )

    def _best(self, r: int) -> set[int]:
        """Columns holding the best of a row: the highest score, or the best mark (then the
        highest criterion score) among the candidates judged on it; none when they are alike
        or fewer than two are judged (a lone ✗ is no best)."""
        values: dict[int, tuple[float, ...]] = {}
        if r == 0:
            values = {i: (row.score,) for i, row in enumerate(self.rows)}
        elif r < FACT_ROWS:
            return set()
        else:
            key = self.keys[r - FACT_ROWS]
            for i, row in enumerate(self.rows):
                c = row.criterion(key)
                if c is not None:
                    values[i] = (-float(MARK_ORDER.get(c.mark, 9)), c.score or 0.0)
        if len(values) < 2 or len(set(values.values())) <= 1:
            return set()
        top = max(values.values())
        return {i for i, v in values.items() if v == top}

    def cell(self, row: int, column: int) -> str:
        return self.cells[row][column]
