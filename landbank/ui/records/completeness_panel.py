"""The record dialog's 资料完整度 line and 红线面积不符 warning (issue 15, parts 2 and 6).

Above the form of a parcel or factory: “资料完整度 78 %　缺：四至、照片” (green “资料齐全” when
nothing is missing), updated as the clerk types; for a parcel whose outline's area is more than
1 % off 收储面积, a red warning naming both areas (“红线面积 118.60 亩，与收储面积 117.35 亩相差
1.07 %”) — such a parcel cannot be offered until someone explains it. What the dialog does not
edit (the outline, the photos) is read once when it opens
(:func:`landbank.services.records.completeness.stored_facts`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.completeness import (
    applies_to,
    completeness,
    mismatch_text,
    outline_area_mismatch,
)
from landbank.domain.enums import RecordKind
from landbank.services.records.completeness import StoredFacts, stored_facts, with_stored
from landbank.ui.context import AppContext

_GOOD = "color: #2e7d32;"
_SHORT = "color: #8a5a00;"
_WARNING = (
    "color: #b71c1c; background: #fdecea; border: 1px solid #e57373; padding: 5px; "
    "border-radius: 3px;"
)


class CompletenessPanel(QWidget):
    """The score with what is missing, and the outline warning."""

    def __init__(
        self,
        ctx: AppContext,
        kind: RecordKind,
        record_id: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        try:
            with ctx.session() as session:
                self.facts = stored_facts(session, kind, record_id)
        except SQLAlchemyError:  # the dialog reports the database itself; judge what it has
            self.facts = StoredFacts(False, False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        self.mismatch = QLabel(self)
        self.mismatch.setObjectName("outlineMismatch")
        self.mismatch.setWordWrap(True)
        self.mismatch.setStyleSheet(_WARNING)
        self.mismatch.hide()
        self.score = QLabel(self)
        self.score.setObjectName("completeness")
        self.score.setWordWrap(True)
        layout.addWidget(self.mismatch)
        layout.addWidget(self.score)
        self.missing: tuple[str, ...] = ()

    def show_values(self, values: Mapping[str, Any]) -> None:
        """Judge the values as the form holds them now."""
        result = completeness(
            self.kind, with_stored(dict(values), self.facts), has_photo=self.facts.has_photo
        )
        self.missing = result.missing
        head = self.tr("资料完整度 {pct} %").format(pct=result.pct)
        if result.complete:
            self.score.setText(head + self.tr("　资料齐全，可以推介"))
            self.score.setStyleSheet(_GOOD)
        else:
            missing = "、".join(self.tr(label) for label in result.missing)
            self.score.setText(head + self.tr("　缺：{items}").format(items=missing))
            self.score.setStyleSheet(_SHORT)
        area, outline = values.get("area_mu"), values.get("outline_area_mu")
        if (
            isinstance(area, int | float)
            and isinstance(outline, int | float)
            and outline_area_mismatch(float(area), float(outline))
        ):
            text = self.tr("红线面积不符：{detail}。请核实后再推介。").format(
                detail=mismatch_text(float(area), float(outline))
            )
            self.mismatch.setText("⚠ " + text)
            self.mismatch.show()
        else:
            self.mismatch.hide()


def completeness_panel(
    ctx: AppContext, kind: RecordKind, record_id: int | None, parent: QWidget
) -> CompletenessPanel | None:
    """The panel for a site (parcel or factory); ``None`` for other kinds."""
    return CompletenessPanel(ctx, kind, record_id, parent) if applies_to(kind) else None
