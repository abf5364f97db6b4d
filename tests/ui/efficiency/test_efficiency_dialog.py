"""年度指标 → 亩均效益评价… (issue 16 item 6): the county's ranking as the services rate it,
sorting by number, copying as tab-separated text, the 评价方法 editor saving (and re-rating)
or listing its problems in red, the menu and the dashboard's button."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMenu, QTableWidget
from pytestqt.qtbot import QtBot

from landbank.domain.land_life.efficiency import Measure
from landbank.services.efficiency.scheme import scheme_for
from landbank.ui.context import AppContext
from landbank.ui.efficiency.dialog import EfficiencyDialog
from landbank.ui.main_window import MainWindow
from tests.services.efficiency.ledger import D_FIRM, make_ledger


@pytest.fixture
def ids(ctx: AppContext) -> dict[str, int]:
    return make_ledger(ctx.engine)


@pytest.fixture
def dialog(qtbot: QtBot, ctx: AppContext, ids: dict[str, int]) -> EfficiencyDialog:
    widget = EfficiencyDialog(ctx)
    qtbot.addWidget(widget)
    widget.county_box.setCurrentIndex(widget.county_box.findData(ids["获嘉县"]))
    return widget


def _column(table: QTableWidget, title: str) -> int:
    return next(c for c in range(table.columnCount()) if table.horizontalHeaderItem(c).text() == title)  # type: ignore[union-attr]


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def test_the_ranking_and_its_sorting(dialog: EfficiencyDialog, tmp_path: Path) -> None:
    assert dialog.year_box.value() == 2025  # the latest year reported
    table = dialog.table
    assert table.rowCount() == 12
    cls = _column(table, "类别")
    assert [_text(table, r, 1) for r in range(2)] == ["HJ-01", "HJ-02"]
    assert _text(table, 0, cls) == "A"
    assert _text(table, 10, 2) == D_FIRM
    assert _text(table, 10, cls) == "D"
    assert _text(table, 11, cls) == "T"
    assert _text(table, 0, _column(table, "亩均税收(万元/亩)")) == "110.00"
    assert _text(table, 0, _column(table, "得分")) == "330.00"
    assert "A 类 2 家" in dialog.info.text()
    assert "亩均税收 10.00 万元/亩" in dialog.info.text()
    score = _column(table, "得分")
    table.sortItems(score)  # ascending by number: 30 (D) before 60 … and 330 last
    assert _text(table, 0, score) == "30.00"
    assert _text(table, 9, score) == "300.00"  # numbers, not text: "300.00" after "60.00"
    dialog.show()
    dialog.grab().save(str(tmp_path / "efficiency.png"))  # looked at (issue 16)


def test_copy_gives_tab_separated_rows(dialog: EfficiencyDialog) -> None:
    dialog.copy(whole=True)
    text = QApplication.clipboard().text().splitlines()
    assert text[0].split("\t")[:4] == ["排名", "地块", "受让单位", "面积(亩)"]
    assert len(text) == 13
    dialog.table.selectRow(0)
    dialog.copy()
    lines = QApplication.clipboard().text().splitlines()
    assert len(lines) == 2
    assert lines[1].split("\t")[1] == "HJ-01"


def test_the_scheme_editor_saves_and_rerates(
    dialog: EfficiencyDialog, ctx: AppContext, ids: dict[str, int]
) -> None:
    editor = dialog.editor
    editor.preset_box.setCurrentIndex(editor.preset_box.findData("淮安2024"))
    editor.preset_box.activated.emit(editor.preset_box.currentIndex())
    assert editor.weights[Measure.TAX_PER_MU].value() == 45.0
    assert editor.multiple.value() == 2.0
    editor.weights[Measure.TAX_PER_MU].setValue(50.0)
    assert not editor.save()  # 105
    assert "各指标权重合计应为 100，现为 105" in editor.problems.text()
    with ctx.session() as s:
        assert not scheme_for(s, ids["获嘉县"]).stored
    editor.weights[Measure.SALES_PER_MU].setValue(30.0)
    editor.bases[Measure.TAX_PER_MU].setValue(20.0)
    assert editor.save()
    with ctx.session() as s:
        stored = scheme_for(s, ids["获嘉县"])
    assert stored.preset == "淮安2024"
    assert stored.fixed_bases == {Measure.TAX_PER_MU: 20.0}
    assert "亩均销售收入" in dialog.info.text()  # re-rated by the new scheme
    assert "亩均税收 20.00 万元/亩" in dialog.info.text()
    editor.scope_box.setCurrentIndex(editor.scope_box.findData(-1))
    editor.scope_box.activated.emit(editor.scope_box.currentIndex())
    assert "预设（黄岩）" in editor.source_label.text()  # the city's default: none stored


def test_the_menu_and_the_dashboard_button(qtbot: QtBot, ctx: AppContext, ids: dict[str, int]) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    texts = [a.text() for a in window.menuBar().actions()]
    data = window.menuBar().actions()[texts.index("数据(&D)")].menu()
    assert isinstance(data, QMenu)
    assert "亩均效益评价(&E)…" in [a.text() for a in data.actions()]
    assert window.dashboard.efficiency_button.text() == "亩均效益评价…"
    window.dashboard.land_life_panel.wait()
    window.close()


def test_a_viewer_or_another_county_sees_the_scheme_read_only(
    qtbot: QtBot, ctx: AppContext, ids: dict[str, int]
) -> None:
    from landbank.services.server.rights import Rights

    viewer = Rights("guest", "访客", "viewer")
    county = Rights("hx", "李四", "county", ids["辉县市"], "辉县市")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(AppContext, "rights", property(lambda _self: viewer))
        dialog = EfficiencyDialog(ctx)
        qtbot.addWidget(dialog)
        dialog.county_box.setCurrentIndex(dialog.county_box.findData(ids["获嘉县"]))
        assert not dialog.editor.save_button.isEnabled()
        assert "只能查看" in dialog.editor.save_button.toolTip()
        mp.setattr(AppContext, "rights", property(lambda _self: county))
        other = EfficiencyDialog(ctx)
        qtbot.addWidget(other)
        assert other.county_box.currentData() == ids["辉县市"]  # its own county first
        assert other.editor.save_button.isEnabled()
        other.county_box.setCurrentIndex(other.county_box.findData(ids["获嘉县"]))
        assert not other.editor.save_button.isEnabled()
        other.editor.scope_box.setCurrentIndex(other.editor.scope_box.findData(-1))
        other.editor.scope_box.activated.emit(other.editor.scope_box.currentIndex())
        assert "全市默认" in other.editor.save_button.toolTip()
