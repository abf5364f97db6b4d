"""The matching dialog and 标准地 (issue 16 items 2 and 3): a parcel failing an indicator is
left out and counted, one lacking the project's figure shows △ 需补充 (never 优先推荐) in the
table, the reasons pane and the Excel export, the legend explains △ and ○; 打印承诺书… writes
the pledge of the selected parcel (PDF read back), and is refused for a building."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.matching.export import HEADER_ROW
from landbank.services.records.saving import create_record
from landbank.services.standards.saving import StandardInput, create_standard
from landbank.ui.context import AppContext
from landbank.ui.matching.dialog import MatchDialog
from tests.ui.conftest import Ledger, add_regions

TODAY = date(2026, 5, 4)
NET = "净地(可供)"


def _add(s: Session, kind: RecordKind, /, **values: Any) -> int:
    record = create_record(s, kind, values, user="测试员")
    assert record.id is not None
    return record.id


@pytest.fixture
def city(ctx: AppContext) -> dict[str, int]:
    """青山县 asks 亩均产出 ≥ 300 of 新能源 in 青山经开区; 滨江区 nothing. A 新能源 project of
    30,000 万元 without 预计年产值; parcels: one whose own 投资强度 (400) it misses, one in the
    park (△), one in 滨江区 (meets its own 200), and a building."""
    ledger = Ledger()
    add_regions(ctx, ledger)
    qs, bj = ledger.regions["青山县"], ledger.regions["滨江区"]
    park = ledger.parks["青山经开区"]
    ids: dict[str, int] = {}
    with ctx.write_session() as s:
        create_standard(s, StandardInput(qs, park, "新能源",
                                         {Indicator.OUTPUT_PER_MU: Threshold(300.0)}),
                        user="测试员")  # fmt: skip
        ids["QS-201"] = _add(s, RecordKind.PARCEL, code="QS-201", name="园区地块", region_id=qs,
                             park_id=park, area_mu=100.0, readiness=NET, status="可供",
                             target_industry="新能源", location="青山大道东侧")  # fmt: skip
        ids["QS-202"] = _add(s, RecordKind.PARCEL, code="QS-202", region_id=qs, area_mu=100.0,
                             readiness=NET, status="可供",
                             min_investment_intensity_wan_per_mu=400.0)  # fmt: skip
        ids["BJ-201"] = _add(s, RecordKind.PARCEL, code="BJ-201", region_id=bj, area_mu=105.0,
                             readiness=NET, status="可供", target_industry="新能源",
                             min_investment_intensity_wan_per_mu=200.0)  # fmt: skip
        ids["F-21"] = _add(s, RecordKind.FACTORY, code="F-21", name="1号厂房", region_id=qs,
                           park_id=park, status="闲置", floor_area_m2=6000.0,
                           idle_area_m2=6000.0)  # fmt: skip
        ids["battery"] = _add(s, RecordKind.PROJECT, name="锂电池项目", region_id=qs,
                              stage="签约", industry="新能源", req_land_mu=100.0,
                              total_investment_wan=30000.0, expected_tax_wan=1500.0,
                              investor="青山锂能科技有限公司",
                              credit_code="91410700MA44XXXX1B",
                              preferred_park_id=park)  # fmt: skip
        ids["floor"] = _add(s, RecordKind.PROJECT, name="模组项目", region_id=qs, stage="在谈",
                            industry="新能源", req_factory_m2=5000.0)  # fmt: skip
    return ids


def _dialog(qtbot: QtBot, ctx: AppContext, kind: RecordKind, record_id: int) -> MatchDialog:
    dialog = MatchDialog(ctx, kind, record_id, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


def _row_of(dialog: MatchDialog, code: str) -> int:
    return next(r for r, row in enumerate(dialog.model.rows()) if code in row.subject)


def test_the_table_shows_needs_supplement_and_leaves_the_failing_parcel_out(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    subjects = [row.subject for row in dialog.model.rows()]
    assert not any("QS-202" in s for s in subjects)  # 300 < its own 400: rejected
    assert "未达标准地指标 1 个" in dialog.counts_label.text()
    model = dialog.model
    column = next(c for c in range(model.columnCount()) if model.key_of(c) == "standard")
    assert model.headerData(column, _horizontal()) == "标准\n地指标"
    park_row = _row_of(dialog, "QS-201")
    bj_row = _row_of(dialog, "BJ-201")
    assert model.cell_text(park_row, column) == "△"
    assert model.cell_text(bj_row, column) == "✓"
    # The park parcel fits best on every score and is still not 优先推荐.
    park, bj = model.row(park_row), model.row(bj_row)
    assert park.score > bj.score
    assert park.label == "可以考虑"
    assert bj.label == "优先推荐"
    assert bj_row < park_row
    tip = model.data(model.index(park_row, column), _tooltip())
    assert tip.startswith("标准地指标：需补充：亩均产出 需≥300.00 万元/亩，项目未填预计年产值")
    # The reasons pane: the criterion and every indicator with its source.
    dialog.select(park_row)
    html = dialog.detail.toPlainText()
    assert "标准地指标（按项目产业“新能源”所在县区、园区的标准，地块自身门槛优先）" in html
    assert "青山县·青山经开区·新能源" in html
    assert "△ 需补充" in html
    assert "○ 承诺" in html
    legend = dialog.legend_label.text()
    assert "△ 需补充（项目缺少数据，不列为优先推荐）" in legend
    assert "○ 承诺（规划指标，由项目在设计中承诺）" in legend
    assert "厂房不按标准地判断" in legend
    # The Excel export carries the mark and its reason.
    target = tmp_path / "匹配"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    path = dialog.export_excel()
    assert path is not None
    ws = load_workbook(path)["匹配结果"]
    headers = [c.value for c in ws[HEADER_ROW]]
    at = headers.index("标准地指标")
    assert headers[at + 1] == "标准地指标说明"
    lines = {r[1]: r for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    park_line = next(v for k, v in lines.items() if k and "QS-201" in k)
    assert park_line[at] == "△"
    assert str(park_line[at + 1]).startswith("需补充：亩均产出")
    dialog.grab().save(str(tmp_path / "dialog.png"))


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")
def test_the_pledge_button_writes_the_selected_parcels_pledge(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    dialog.select()
    assert not dialog.pledge_button.isEnabled()
    dialog.select(_row_of(dialog, "BJ-201"))
    assert dialog.pledge_button.isEnabled()
    target = tmp_path / "承诺书"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    path = dialog.print_pledge()
    assert path == tmp_path / "承诺书.pdf"
    text = " ".join(
        subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                       text=True, check=True).stdout.split()
    )  # fmt: skip
    for expected in ("标准地指标承诺书", "BJ-201", "105.00 亩", "锂电池项目", "青山锂能科技有限公司",
                     "91410700MA44XXXX1B", "固定资产投资强度 ≥200.00 万元/亩 285.71 万元/亩",
                     "总投资 30,000.00 万元", "地块", "✓ 通过", "承诺单位（盖章）"):  # fmt: skip
        assert expected in text, expected
    assert "已保存承诺书（1 页）" in dialog.status_label.text()
    # The △ parcel: printed, its line 需补充 and the note saying what is missing.
    dialog.select(_row_of(dialog, "QS-201"))
    target = tmp_path / "承诺书2"
    pending = dialog.print_pledge()
    assert pending is not None
    text = " ".join(subprocess.run(["pdftotext", "-layout", str(pending), "-"],
                                   capture_output=True, text=True, check=True).stdout.split())  # fmt: skip
    assert "注意：项目尚未填报亩均产出所需数据（标“需补充”）" in text
    assert "△ 需补充" in text
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pending), str(tmp_path / "pledge")],
                   check=True)  # fmt: skip


def test_a_building_gets_no_pledge(qtbot: QtBot, ctx: AppContext, city: dict[str, int]) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["floor"])
    rows = dialog.model.rows()
    assert rows
    assert all(row.criterion("standard") is None for row in rows)  # buildings: no 标准地
    dialog.select(0)
    assert not dialog.pledge_button.isEnabled()
    assert dialog.pledge_button.toolTip() == "厂房不适用标准地，承诺书只用于地块"
    assert dialog.print_pledge() is None


def _horizontal() -> Any:
    from PySide6.QtCore import Qt

    return Qt.Orientation.Horizontal


def _tooltip() -> Any:
    from PySide6.QtCore import Qt

    return Qt.ItemDataRole.ToolTipRole
