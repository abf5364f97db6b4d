"""The marks of matching (✓ △ ✗ —, and ○ 承诺 of 标准地) and its labels (优先推荐, 可以考虑 …): their colours, their
order when sorting and comparing, the legend under a table of them, and the words for a
criterion's kind and score — shared by the dialog, its windows and the printed sheets."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QLabel, QWidget

from landbank.domain.matching import CriterionResult, MatchLabel, legend_lines

_CTX = "MatchDialog"
MARK_COLOURS = {"✓": "#1a7f37", "✗": "#c62828", "△": "#b26a00", "—": "#888888", "○": "#1f3864"}
LABEL_COLOURS = {
    MatchLabel.STRONG.value: "#1a7f37",
    MatchLabel.CLOSE_CALL.value: "#b26a00",
    MatchLabel.WEAK.value: "#777777",
}
# Best first: a criterion's mark, then a label's standing (higher is better).
MARK_ORDER = {"✓": 0, "○": 1, "△": 2, "✗": 3, "—": 4}
LABEL_RANK = {MatchLabel.WEAK.value: 0, MatchLabel.CLOSE_CALL.value: 1, MatchLabel.STRONG.value: 2}


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def legend_label(parent: QWidget, *, blank: bool = False) -> QLabel:
    """What the marks and the labels mean, in two grey lines (``blank``: with the empty cell
    of the ranked table)."""
    label = QLabel("\n".join(legend_lines(blank=blank)), parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: #555;")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def criterion_score_text(c: CriterionResult) -> str:
    """A soft criterion's score as a percentage; hard ones are met or not (no score)."""
    if c.hard:
        if c.passed is None:
            return _tr("未评")
        return _tr("必须满足")
    return f"{(c.score or 0.0) * 100:.0f}%"


def criterion_kind_text(c: CriterionResult) -> str:
    if c.hard:
        return _tr("硬性条件")
    return _tr("评分·权重 {w}").format(w=f"{c.weight:g}")
