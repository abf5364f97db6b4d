"""A clerk's round through the main window with the real dialogs: add a parcel through the
dialog, edit it, filter the table down to it, read its history, delete it. Only exec() is
replaced (by "the clerk types these values and presses 保存"); message boxes are patched."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import delete_record
from landbank.store.models import AuditEntry, LandParcel
from landbank.store.queries import RecordFilter
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.records import dialog as record_dialog
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.records.history_dialog import HistoryDialog
from tests.ui.conftest import Ledger


def _clerk_types(values: dict[str, Any]) -> type[RecordDialog]:
    """A RecordDialog whose exec() sets the editors as a clerk would and presses 保存."""

    class TypingDialog(RecordDialog):
        def exec(self) -> int:
            for key, value in values.items():
                self.editors[key].set_value(value)
            self.validate(show_all=True)
            return QDialog.DialogCode.Accepted if self._save() else QDialog.DialogCode.Rejected

    return TypingDialog


def test_add_edit_filter_history_delete(
    qtbot: QtBot,
    ctx: AppContext,
    small_ledger: Ledger,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    view = window.current_view()
    assert view.kind is RecordKind.PARCEL
    before = view.model.total

    # 1. New parcel through the dialog (Ctrl+N).
    monkeypatch.setattr(
        record_dialog,
        "RecordDialog",
        _clerk_types(
            {
                "code": "QS-2026-088",
                "name": "孟庄镇南环路北侧地块",
                "region_id": small_ledger.regions["青山县"],
                "park_id": small_ledger.parks["青山经开区"],
                "area_mu": 86.5,
                "readiness": "三通一平",
                "status": "可供",
                "target_industry": "新能源电池",
                "far_min": 1.0,
                "far_max": 2.5,
            }
        ),
    )
    window.new_action.trigger()
    assert view.model.total == before + 1
    with ctx.session() as s:
        parcel = s.execute(select(LandParcel).where(LandParcel.code == "QS-2026-088")).scalar_one()
    parcel_id = parcel.id
    assert parcel.area_mu == 86.5
    assert view.current_id() == parcel_id  # the new record is selected

    # 2. Edit it: one rung up the readiness ladder and a bigger area.
    monkeypatch.setattr(
        record_dialog, "RecordDialog", _clerk_types({"readiness": "五通一平", "area_mu": 90.0})
    )
    window.edit_action.trigger()
    with ctx.session() as s:
        parcel = s.get(LandParcel, parcel_id)
        assert parcel is not None
        assert (parcel.readiness, parcel.area_mu, parcel.version) == ("五通一平", 90.0, 2)

    # 3. Filter the table down to it.
    view.filter_bar.search.setText("南环路")
    qtbot.waitUntil(lambda: view.model.record_filter == RecordFilter(search="南环路"), timeout=2000)
    assert view.model.total == 1
    assert view.model.row_dict(0)["code"] == "QS-2026-088"
    assert window.summary.text() == "共 1 条 · 收储面积 合计 90.00 亩 · 净用地面积 合计 0.00 亩"

    # 4. Its history: created, then two fields changed, by the settings' user.
    view.table.selectRow(0)
    opened: list[HistoryDialog] = []

    def capture(dialog: HistoryDialog) -> int:
        opened.append(dialog)
        return 0

    monkeypatch.setattr(HistoryDialog, "exec", capture)
    window.history_action.trigger()
    (history,) = opened
    rows = [
        [history.model.index(r, c).data() for c in range(history.model.columnCount())]
        for r in range(history.model.rowCount())
    ]
    flat = " | ".join(" ".join(str(cell) for cell in row) for row in rows)
    assert len(rows) == 3
    assert "测试员" in flat
    assert "三通一平" in flat
    assert "五通一平" in flat

    # 5. Delete it, after the confirmation.
    asked: list[str] = []

    def yes(*args: Any, **kwargs: Any) -> QMessageBox.StandardButton:
        asked.append(str(args[2]) if len(args) > 2 else "")
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", yes)
    window.delete_action.trigger()
    assert asked
    assert "QS-2026-088" in asked[0]
    assert view.model.total == 0
    with ctx.session() as s:
        assert s.get(LandParcel, parcel_id) is None
        actions = s.execute(
            select(AuditEntry.action).where(AuditEntry.record_id == parcel_id, AuditEntry.record_kind == "parcel")
        ).scalars().all()
    assert actions == ["create", "update", "update", "delete"]


def test_editing_a_record_deleted_meanwhile_warns_and_refreshes(
    qtbot: QtBot, ctx: AppContext, small_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    view = window.current_view()
    view.table.selectRow(0)
    record_id = view.current_id()
    assert record_id is not None
    with ctx.write_session() as s:
        delete_record(s, RecordKind.PARCEL, record_id, expected_version=None, user="李四")
    warnings: list[str] = []
    warn: Callable[..., Any] = lambda *a, **k: warnings.append(str(a[2]))  # noqa: E731
    monkeypatch.setattr(QMessageBox, "warning", warn)
    window.edit_action.trigger()
    assert warnings
    assert "不存在" in warnings[0]
    assert view.model.row_of_id(record_id) is None


def test_a_new_record_outside_the_filter_is_reported_not_lost(
    qtbot: QtBot, ctx: AppContext, small_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    view = window.current_view()
    view.model.set_filter(RecordFilter(search="BJ-"))
    monkeypatch.setattr(
        record_dialog,
        "RecordDialog",
        _clerk_types(
            {"code": "QS-777", "region_id": small_ledger.regions["青山县"], "area_mu": 5.0,
             "readiness": "拟收储", "status": "可供"}
        ),
    )
    window.new_action.trigger()
    message = window.statusBar().currentMessage()
    assert message.startswith("已新建地块；该记录在当前筛选和排序下未能显示")
    with ctx.session() as s:
        assert s.execute(select(LandParcel).where(LandParcel.code == "QS-777")).scalar_one()
