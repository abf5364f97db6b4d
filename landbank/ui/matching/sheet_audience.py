"""Whom the 推介 sheets are for (:class:`Audience`): the question asked before each print or
PDF of the matching result."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from landbank.ui.reports.html_parts import Audience

_CTX = "MatchPrint"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def ask_sheet_audience(
    parent: QWidget | None, default: Audience = Audience.INVESTOR
) -> Audience | None:
    """Ask whom the 推介 sheets are for; ``None`` when cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(_tr("打印推介单"))
    layout = QVBoxLayout(dialog)
    layout.addWidget(QLabel(_tr("打印哪一种推介单？"), dialog))
    group = QButtonGroup(dialog)
    buttons: dict[Audience, QRadioButton] = {}
    texts = {
        Audience.INVESTOR: _tr("对外（投资者）：场地情况、条件和联系方式，不含得分和匹配标记"),
        Audience.INTERNAL: _tr("内部：另含匹配得分、结论、排名和逐项匹配（✓ △ ✗）"),
    }
    for audience, text in texts.items():
        button = QRadioButton(text, dialog)
        button.setObjectName(f"audience_{audience.value}")
        button.setChecked(audience is default)
        group.addButton(button)
        layout.addWidget(button)
        buttons[audience] = button
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, dialog
    )
    box.button(QDialogButtonBox.StandardButton.Ok).setText(_tr("确定"))
    box.button(QDialogButtonBox.StandardButton.Cancel).setText(_tr("取消"))
    box.accepted.connect(dialog.accept)
    box.rejected.connect(dialog.reject)
    layout.addWidget(box)
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return next(a for a, b in buttons.items() if b.isChecked())
    finally:
        dialog.deleteLater()
