"""The reference data dialog: regions and parks added through it; refused deletes explained."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.queries import load_names
from landbank.ui.context import AppContext
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.records.reference_dialog import ReferenceDataDialog


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Message boxes answered by the test: ``boxes["answer"]``; texts kept in ``boxes[name]``."""
    seen: dict[str, Any] = {"answer": QMessageBox.StandardButton.Yes}

    def fake(name: str) -> Callable[..., QMessageBox.StandardButton]:
        def show(*args: Any) -> QMessageBox.StandardButton:
            seen.setdefault(name, []).append(args[2])
            return seen["answer"]  # type: ignore[no-any-return]

        return show

    for name in ("warning", "question", "information", "critical"):
        monkeypatch.setattr(QMessageBox, name, fake(name))
    return seen


def _fill_and_save(monkeypatch: pytest.MonkeyPatch, values: dict[str, Any]) -> list[RecordDialog]:
    """Replace the record dialog's exec(): fill in ``values``, press Save."""
    opened: list[RecordDialog] = []

    def exec_(self: RecordDialog) -> int:
        opened.append(self)
        for key, value in values.items():
            self.editors[key].set_value(value)
        self._save()
        return int(self.result())

    monkeypatch.setattr(RecordDialog, "exec", exec_)
    return opened


def test_models_pass_qt_checks(
    qtbot: QtBot, ctx: AppContext, qtmodeltester: ModelTester, boxes: dict[str, Any]
) -> None:
    with ctx.write_session() as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="甲")
        create_record(s, RecordKind.PARK, {"name": "产业集聚区", "region_id": region.id}, user="甲")
    dialog = ReferenceDataDialog(ctx)
    qtbot.addWidget(dialog)
    for model in dialog.models.values():
        assert model.rowCount() == 1
        qtmodeltester.check(model)


def test_add_a_region_then_a_park_in_it(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, boxes: dict[str, Any]
) -> None:
    dialog = ReferenceDataDialog(ctx)
    qtbot.addWidget(dialog)
    assert not dialog.buttons[(RecordKind.REGION, "edit")].isEnabled()

    opened = _fill_and_save(monkeypatch, {"name": "辉县市", "kind": "县", "city": "新乡市"})
    with qtbot.waitSignal(dialog.changed):
        dialog.buttons[(RecordKind.REGION, "add")].click()
    assert opened[0].windowTitle() == "新建行政区"
    region = dialog.models[RecordKind.REGION].rows[0]
    assert region.cells == ("辉县市", "县(市)", "新乡市")
    assert dialog.selected(RecordKind.REGION) == region  # the new row is selected

    opened = _fill_and_save(monkeypatch, {"name": "辉县市产业集聚区"})
    with qtbot.waitSignal(dialog.changed):
        dialog.buttons[(RecordKind.PARK, "add")].click()
    assert opened[0].editors["region_id"].value() == region.id  # the selected region
    assert dialog.models[RecordKind.PARK].rows[0].cells == ("辉县市产业集聚区", "辉县市")
    with ctx.session() as s:
        names = load_names(s)
    assert list(names.regions.values()) == ["辉县市"]
    assert list(names.parks.values()) == ["辉县市产业集聚区"]
    assert "question" not in boxes
    assert "warning" not in boxes


def test_edit_a_region(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch, boxes: dict[str, Any]
) -> None:
    with ctx.write_session() as s:
        create_record(s, RecordKind.REGION, {"name": "辉县", "kind": "县"}, user="甲")
    dialog = ReferenceDataDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.views[RecordKind.REGION].selectRow(0)
    _fill_and_save(monkeypatch, {"name": "辉县市"})
    dialog.buttons[(RecordKind.REGION, "edit")].click()
    assert dialog.models[RecordKind.REGION].rows[0].cells[0] == "辉县市"
    assert dialog.models[RecordKind.REGION].rows[0].version == 2


def test_refused_delete_says_why(qtbot: QtBot, ctx: AppContext, boxes: dict[str, Any]) -> None:
    with ctx.write_session() as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="甲")
        for i in range(2):
            create_record(
                s,
                RecordKind.PARCEL,
                {
                    "code": f"HX-{i}",
                    "region_id": region.id,
                    "area_mu": 10.0,
                    "readiness": "拟收储",
                    "status": "可供",
                },
                user="甲",
            )
    dialog = ReferenceDataDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.views[RecordKind.REGION].selectRow(0)
    dialog.buttons[(RecordKind.REGION, "delete")].click()
    assert boxes["question"] == ["删除“辉县市”？此操作会记入修改记录。"]
    assert boxes["warning"] == ["“辉县市”下还有 2 个地块，不能删除。"]
    assert dialog.models[RecordKind.REGION].rowCount() == 1


def test_delete_asks_first(qtbot: QtBot, ctx: AppContext, boxes: dict[str, Any]) -> None:
    with ctx.write_session() as s:
        create_record(s, RecordKind.REGION, {"name": "红旗区", "kind": "区"}, user="甲")
    dialog = ReferenceDataDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.views[RecordKind.REGION].selectRow(0)
    boxes["answer"] = QMessageBox.StandardButton.No
    dialog.delete(RecordKind.REGION)
    assert dialog.models[RecordKind.REGION].rowCount() == 1
    boxes["answer"] = QMessageBox.StandardButton.Yes
    with qtbot.waitSignal(dialog.changed):
        dialog.delete(RecordKind.REGION)
    assert dialog.models[RecordKind.REGION].rowCount() == 0
    assert not dialog.buttons[(RecordKind.REGION, "delete")].isEnabled()
