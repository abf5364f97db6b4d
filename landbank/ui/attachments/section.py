"""Where the record dialog puts the 附件 panel: a tab after the form's tabs (parcels,
buildings, projects), or a box under the form (parks, whose form is one page). Only for a
record already saved (a new record has nothing to hold files yet). The tab's title counts the
files: “附件（3）”. When files change, the dialog's 资料完整度 line (which counts a 照片) is
worked out again."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QBoxLayout, QGroupBox, QTabWidget, QVBoxLayout, QWidget

from landbank.domain.enums import RecordKind
from landbank.services.attachments.service import ATTACHABLE
from landbank.ui.attachments.panel import AttachmentsPanel
from landbank.ui.context import AppContext


def _title(count: int) -> str:
    name = QCoreApplication.translate("AttachmentsPanel", "附件")
    return f"{name}（{count}）" if count else name


def add_attachments(
    dialog: QWidget,
    ctx: AppContext,
    kind: RecordKind,
    record_id: int | None,
    tabs: QTabWidget | None,
    layout: QBoxLayout,
) -> AttachmentsPanel | None:
    """Add the panel to ``dialog`` (see the module doc); None for a new record or a kind
    without files."""
    if record_id is None or kind not in ATTACHABLE:
        return None
    if tabs is not None:
        panel = AttachmentsPanel(ctx, kind, record_id, tabs)
        index = tabs.addTab(panel, _title(len(panel.files)))
        panel.changed.connect(lambda: tabs.setTabText(index, _title(len(panel.files))))
    else:
        box = QGroupBox(QCoreApplication.translate("AttachmentsPanel", "附件"), dialog)
        inner = QVBoxLayout(box)
        panel = AttachmentsPanel(ctx, kind, record_id, box)
        panel.list.setMinimumHeight(200)
        inner.addWidget(panel)
        layout.addWidget(box, 1)
    panel.changed.connect(lambda: _recount(dialog, ctx, kind, record_id))
    return panel


def _recount(dialog: Any, ctx: AppContext, kind: RecordKind, record_id: int) -> None:
    """The 资料完整度 line again, now that a 照片 may have come or gone."""
    completeness = getattr(dialog, "completeness", None)
    if completeness is None or not hasattr(completeness, "facts"):
        return
    from landbank.services.records.completeness import stored_facts

    with ctx.session() as session:
        completeness.facts = stored_facts(session, kind, record_id)
    validate = getattr(dialog, "validate", None)
    if callable(validate):
        validate()
