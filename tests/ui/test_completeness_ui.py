"""资料完整度 and 红线面积不符 in the GUI (issue 15, parts 2 and 6): the table's computed column
(shown, sorted, never exported or pasted), the filter bar's two check boxes, the record dialog's
score, list of what is missing and warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from landbank.domain.completeness import COMPLETENESS_KEY
from landbank.domain.enums import RecordKind
from landbank.ui.context import AppContext
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.records.table_model import RecordTableModel
from landbank.ui.records.view import RecordView
from tests.site_dossier import seed_sites


@pytest.fixture
def sites(ctx: AppContext) -> dict[str, int]:
    """Three parcels — complete; no outline and no photo; outline 1.07 % off — and a factory."""
    with ctx.write_session() as s:
        return seed_sites(s)


def _column_texts(model: RecordTableModel, key: str) -> dict[str, str]:
    column = model.column_of(key)
    code = model.column_of("code")
    return {
        model.data(model.index(r, code)): model.data(model.index(r, column))
        for r in range(model.rowCount())
    }


def test_the_table_shows_sorts_and_never_exports_the_score(
    qtbot: QtBot, ctx: AppContext, sites: dict[str, int]
) -> None:
    view = RecordView(ctx, RecordKind.PARCEL)
    qtbot.addWidget(view)
    model = view.model
    header = model.headerData(model.column_of(COMPLETENESS_KEY), Qt.Orientation.Horizontal)
    assert header == "资料完整度"
    # 9 items: all; 联系电话 only (1/9 = 11 %); all but 红线面积核对 (8/9 = 89 %).
    assert _column_texts(model, COMPLETENESS_KEY) == {
        "HX-FULL": "100 %", "HX-BARE": "11 %", "HX-OFF": "89 %",
    }  # fmt: skip
    model.sort(model.column_of(COMPLETENESS_KEY), Qt.SortOrder.DescendingOrder)
    assert [model.row_dict(r)["code"] for r in range(3)] == ["HX-FULL", "HX-OFF", "HX-BARE"]
    assert not view.table.isColumnHidden(model.column_of(COMPLETENESS_KEY))
    assert COMPLETENESS_KEY not in view.visible_field_keys()
    assert "code" in view.visible_field_keys()
    assert not (
        model.flags(model.index(0, model.column_of(COMPLETENESS_KEY))) & Qt.ItemFlag.ItemIsEditable
    )
    # 红线面积不符 on the record: the 红线面积 cell in red, its tooltip names both areas.
    off = next(r for r in range(3) if model.row_dict(r)["code"] == "HX-OFF")
    index = model.index(off, model.column_of("outline_area_mu"))
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == (
        "红线面积 118.60 亩，与收储面积 117.35 亩相差 1.07 %"
    )
    assert model.data(index, Qt.ItemDataRole.ForegroundRole) is not None
    full = next(r for r in range(3) if model.row_dict(r)["code"] == "HX-FULL")
    assert model.data(model.index(full, index.column()), Qt.ItemDataRole.ForegroundRole) is None
    completeness = model.index(off, model.column_of(COMPLETENESS_KEY))
    assert model.data(completeness, Qt.ItemDataRole.ToolTipRole) == "缺：红线面积核对"
    full_score = model.index(full, completeness.column())
    assert model.data(full_score, Qt.ItemDataRole.ToolTipRole) == "资料齐全，可以推介"
    view.select_id(sites["HX-OFF"])
    assert "红线面积不符" in view.detail.toPlainText()


def test_the_filter_bar_offers_incomplete_and_mismatch(
    qtbot: QtBot, ctx: AppContext, sites: dict[str, int], tmp_path: Path
) -> None:
    view = RecordView(ctx, RecordKind.PARCEL)
    qtbot.addWidget(view)
    bar = view.filter_bar
    assert bar.incomplete is not None
    assert bar.outline_mismatch is not None
    assert bar.incomplete.text() == "资料不全"
    assert bar.outline_mismatch.text() == "红线面积不符"
    bar.incomplete.setChecked(True)
    view.apply_filter()
    assert {view.model.row_dict(r)["code"] for r in range(view.model.rowCount())} == {
        "HX-BARE", "HX-OFF",
    }  # fmt: skip
    bar.outline_mismatch.setChecked(True)
    view.apply_filter()
    assert [view.model.row_dict(r)["code"] for r in range(view.model.rowCount())] == ["HX-OFF"]
    view.resize(1400, 300)
    view.show()
    view.grab().save(str(tmp_path / "filter.png"))
    bar.clear()
    view.apply_filter()
    assert not bar.incomplete.isChecked()
    assert view.model.rowCount() == 3
    factories = RecordView(ctx, RecordKind.FACTORY)
    qtbot.addWidget(factories)
    assert factories.filter_bar.incomplete is not None
    assert factories.filter_bar.outline_mismatch is None  # a building has no outline
    assert _column_texts(factories.model, COMPLETENESS_KEY) == {"F-1": "86 %"}  # no photo: 6/7
    projects = RecordView(ctx, RecordKind.PROJECT)
    qtbot.addWidget(projects)
    assert projects.filter_bar.incomplete is None
    assert COMPLETENESS_KEY not in projects.column_keys()


def test_the_dialog_lists_what_is_missing_and_warns_of_the_outline(
    qtbot: QtBot, ctx: AppContext, sites: dict[str, int], tmp_path: Path
) -> None:
    dialog = RecordDialog(ctx, RecordKind.PARCEL, sites["HX-OFF"])
    qtbot.addWidget(dialog)
    panel = dialog.completeness
    assert panel is not None
    assert list(panel.missing) == ["红线面积核对"]
    assert panel.score.text() == "资料完整度 89 %　缺：红线面积核对"
    assert not panel.mismatch.isHidden()
    assert "红线面积 118.60 亩，与收储面积 117.35 亩相差 1.07 %" in panel.mismatch.text()
    dialog.resize(920, 700)
    dialog.show()
    dialog.grab().save(str(tmp_path / "dialog.png"))
    # The clerk corrects 收储面积 to the surveyed area: the warning goes, the score is full.
    dialog.editors["area_mu"].set_value(118.6)
    dialog.validate()
    assert panel.mismatch.isHidden()
    assert not panel.missing
    assert "资料齐全" in panel.score.text()
    dialog.done(0)  # closed without asking about the edit

    bare = RecordDialog(ctx, RecordKind.PARCEL, sites["HX-BARE"])
    qtbot.addWidget(bare)
    assert bare.completeness is not None
    # A 红线图 is not a photo.
    assert bare.completeness.missing == (
        "红线", "红线面积核对", "四至", "容积率", "限高", "建筑密度", "价格", "照片",
    )  # fmt: skip
    bare.editors["boundaries"].set_value("东至路")
    bare.validate()
    assert "四至" not in bare.completeness.missing
    bare.done(0)

    project = RecordDialog(ctx, RecordKind.PROJECT)
    qtbot.addWidget(project)
    assert project.completeness is None
