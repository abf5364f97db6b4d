"""The history dialog: a model that passes Qt's checks, rows matching the audit log."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.services.records.history import history
from landbank.services.records.saving import create_record, delete_record, update_record
from landbank.ui.context import AppContext
from landbank.ui.records.history_dialog import HistoryDialog, HistoryModel, readable_snapshot


@pytest.fixture
def parcel_id(ctx: AppContext) -> int:
    with ctx.write_session() as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="甲")
        parcel = create_record(
            s,
            RecordKind.PARCEL,
            {
                "code": "HX-001",
                "region_id": region.id,
                "area_mu": 120.5,
                "readiness": "拟收储",
                "status": "可供",
            },
            user="甲",
            source="界面",
        )
    with ctx.write_session() as s:
        assert parcel.id is not None
        update_record(
            s,
            RecordKind.PARCEL,
            parcel.id,
            {"area_mu": 130.0, "name": "东区"},
            expected_version=1,
            user="乙",
            source="粘贴",
        )
    return parcel.id


def test_model_passes_qt_checks(
    qtbot: QtBot, ctx: AppContext, parcel_id: int, qtmodeltester: ModelTester
) -> None:
    dialog = HistoryDialog(ctx, RecordKind.PARCEL, parcel_id)
    qtbot.addWidget(dialog)
    qtmodeltester.check(dialog.model)
    qtmodeltester.check(HistoryModel())


def test_rows_match_the_audit_log(qtbot: QtBot, ctx: AppContext, parcel_id: int) -> None:
    dialog = HistoryDialog(ctx, RecordKind.PARCEL, parcel_id)
    qtbot.addWidget(dialog)
    assert "HX-001" in dialog.windowTitle()
    model = dialog.model
    with ctx.session() as s:
        entries = history(s, RecordKind.PARCEL, parcel_id)
    assert model.rowCount() == len(entries) == 3
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["时间", "用户", "操作", "字段", "原值", "新值", "来源"]

    def row(r: int) -> list[str]:
        return [model.index(r, c).data() for c in range(7)]

    changes = {(r[1], r[2], r[3], r[4], r[5], r[6]) for r in (row(0), row(1))}
    assert changes == {
        ("乙", "修改", "收储面积", "120.5", "130", "粘贴"),
        ("乙", "修改", "地块名称", "", "东区", "粘贴"),
    }
    created = row(2)  # oldest last
    assert created[1:4] == ["甲", "新建", "（整条记录）"]
    assert created[4] == ""
    assert "地块编号=HX-001" in created[5]
    assert "收储面积=120.5" in created[5]
    assert "县区=辉县市" in created[5]
    assert created[0][:2] == "20"  # a local date and time


def test_deleted_record_shows_its_last_state(ctx: AppContext, qtbot: QtBot, parcel_id: int) -> None:
    with ctx.write_session() as s:
        delete_record(s, RecordKind.PARCEL, parcel_id, expected_version=2, user="丙")
    dialog = HistoryDialog(ctx, RecordKind.PARCEL, parcel_id)
    qtbot.addWidget(dialog)
    first = [dialog.model.index(0, c).data() for c in range(7)]
    assert first[1:3] == ["丙", "删除"]
    assert "收储面积=130" in first[4]


def test_copy_puts_the_selection_on_the_clipboard(
    qtbot: QtBot, ctx: AppContext, parcel_id: int
) -> None:
    dialog = HistoryDialog(ctx, RecordKind.PARCEL, parcel_id)
    qtbot.addWidget(dialog)
    selection = dialog.view.selectionModel()
    for column in (1, 2):
        selection.select(dialog.model.index(2, column), QItemSelectionModel.SelectionFlag.Select)
    dialog.copy()
    assert QGuiApplication.clipboard().text() == "甲\t新建"


def test_readable_snapshot() -> None:
    assert readable_snapshot('{"地块编号": "HX-001", "收储面积": "120.5"}') == (
        "地块编号=HX-001；收储面积=120.5"
    )
    assert readable_snapshot("not json") == "not json"
    assert readable_snapshot(None) == ""
