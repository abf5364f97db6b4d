"""The matching dialog: ranking with marks, re-ranking edited figures without saving them,
reserving and releasing (database and audit), refusals, the site → projects direction, the
comparison, the printed 推介 sheets (PDF text) and the Excel export; opening it from the main
window."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.matching.export import HEADER_ROW
from landbank.services.matching.reservations import reserve_sites
from landbank.services.quota.report import format_quota_line
from landbank.services.records.history import history
from landbank.services.records.saving import create_record, get_record
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.matching import dialog as match_dialog_module
from landbank.ui.matching import ranking as ranking_module
from landbank.ui.matching import reserving as reserving_module
from landbank.ui.matching.candidate_model import CandidateModel
from landbank.ui.matching.comparison import ComparisonDialog
from landbank.ui.matching.dialog import MatchDialog
from landbank.ui.matching.reasons import DetailDialog
from landbank.ui.reports.html_parts import Audience
from tests.ui.conftest import Ledger, add_regions

TODAY = date(2026, 5, 4)
UNTIL = date(2026, 7, 31)
Yes = QMessageBox.StandardButton.Yes


def _add(s: Session, kind: RecordKind, /, **values: Any) -> int:
    record = create_record(s, kind, values, user="测试员")
    assert record.id is not None
    return record.id


@pytest.fixture
def city(ctx: AppContext) -> dict[str, int]:
    """Two counties; parcels that fit a 100 亩 new-energy project in different ways, one too
    small and one not yet 净地; buildings; an open project, a rival and a finished one."""
    ledger = Ledger()
    add_regions(ctx, ledger)
    qs, bj = ledger.regions["青山县"], ledger.regions["滨江区"]
    qs_park = ledger.parks["青山经开区"]
    ids: dict[str, int] = {"qs": qs, "bj": bj}
    net = "净地(可供)"
    with ctx.write_session() as s:
        ids["QS-101"] = _add(s, RecordKind.PARCEL, code="QS-101", name="纬一路地块",
                             region_id=qs, park_id=qs_park, area_mu=100.0, readiness=net,
                             status="可供", target_industry="新能源", price_wan=3000.0,
                             location="青山大道东侧", contact_person="王工",
                             min_investment_intensity_wan_per_mu=200.0)  # fmt: skip
        ids["QS-102"] = _add(s, RecordKind.PARCEL, code="QS-102", name="经二路地块",
                             region_id=qs, area_mu=130.0, readiness=net, status="可供",
                             target_industry="装备制造")  # fmt: skip
        ids["BJ-101"] = _add(s, RecordKind.PARCEL, code="BJ-101", name="滨江地块",
                             region_id=bj, area_mu=96.0, readiness=net, status="可供",
                             target_industry="新能源")  # fmt: skip
        ids["BJ-102"] = _add(s, RecordKind.PARCEL, code="BJ-102", region_id=bj,
                             area_mu=40.0, readiness=net, status="可供")  # fmt: skip
        ids["QS-103"] = _add(s, RecordKind.PARCEL, code="QS-103", region_id=qs,
                             area_mu=110.0, readiness="三通一平", status="可供")  # fmt: skip
        ids["F-11"] = _add(s, RecordKind.FACTORY, code="F-11", name="1号厂房", region_id=qs,
                           park_id=qs_park, status="闲置", floor_area_m2=6000.0,
                           idle_area_m2=6000.0, ceiling_height_m=9.0, power_kva=800.0,
                           rent_yuan_m2_month=12.0, target_industry="新能源")  # fmt: skip
        ids["F-12"] = _add(s, RecordKind.FACTORY, code="F-12", name="2号厂房", region_id=qs,
                           park_id=qs_park, status="闲置", floor_area_m2=5000.0,
                           idle_area_m2=5000.0, ceiling_height_m=9.0)  # fmt: skip
        ids["assembly"] = _add(s, RecordKind.PROJECT, name="整机装配项目", region_id=qs,
                               stage="在谈", industry="装备制造", req_factory_m2=10000.0,
                               rent_or_buy="租赁")  # fmt: skip
        ids["battery"] = _add(s, RecordKind.PROJECT, name="锂电池项目", region_id=qs,
                              stage="签约", industry="新能源", req_land_mu=100.0,
                              total_investment_wan=30000.0, expected_tax_wan=1500.0,
                              preferred_region_id=qs)  # fmt: skip
        ids["rival"] = _add(s, RecordKind.PROJECT, name="光伏组件项目", region_id=bj,
                            stage="在谈", industry="新能源", req_land_mu=90.0)  # fmt: skip
        ids["done"] = _add(s, RecordKind.PROJECT, name="已投产项目", region_id=qs,
                           stage="竣工投产", industry="新能源", req_land_mu=95.0)  # fmt: skip
    return ids


def _dialog(qtbot: QtBot, ctx: AppContext, kind: RecordKind, record_id: int) -> MatchDialog:
    dialog = MatchDialog(ctx, kind, record_id, today=TODAY)
    qtbot.addWidget(dialog)
    return dialog


def _row_of(dialog: MatchDialog, text: str) -> int:
    return next(r for r, row in enumerate(dialog.model.rows()) if text in row.subject)


def _subjects(dialog: MatchDialog) -> list[str]:
    return [row.subject for row in dialog.model.rows()]


def _parcel(ctx: AppContext, parcel_id: int) -> dict[str, Any]:
    with ctx.session() as s:
        record = get_record(s, RecordKind.PARCEL, parcel_id)
        return {
            "status": record.status,  # type: ignore[attr-defined]
            "reserved_project_id": record.reserved_project_id,  # type: ignore[attr-defined]
            "reserved_until": record.reserved_until,  # type: ignore[attr-defined]
            "version": record.version,
        }


def test_opens_for_a_project_and_lists_candidates_with_marks(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    assert dialog.windowTitle() == "匹配 — 锂电池项目"
    model = dialog.model
    subjects = _subjects(dialog)
    assert subjects[0] == "QS-101 纬一路地块"  # the right size, industry and county
    assert set(subjects) == {"QS-101 纬一路地块", "QS-102 经二路地块", "BJ-101 滨江地块"}
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers[:6] == ["排名", "地块/厂房", "县区", "面积(亩)", "得分", "结论"]
    assert "面积\n下限" in headers
    assert "产业" in headers
    assert "区位" in headers
    first = model.row(0)
    assert model.cell_text(0, CandidateModel.AREA) == "100.00"
    assert model.cell_text(0, CandidateModel.REGION) == "青山县"
    assert model.cell_text(0, CandidateModel.LABEL) == first.label == "优先推荐"
    for column in range(CandidateModel.FIXED, model.columnCount()):
        key = model.key_of(column)
        criterion = first.criterion(key) if key else None
        assert criterion is not None
        assert model.cell_text(0, column) == criterion.mark
        tip = model.data(model.index(0, column), Qt.ItemDataRole.ToolTipRole)
        assert tip == f"{criterion.label}：{criterion.reason}"
    industry = headers.index("产业")
    assert model.cell_text(_row_of(dialog, "QS-102"), industry) == "✗"  # 装备制造 ≠ 新能源
    # What was compared, and why the others are out.
    counts = dialog.counts_label.text()
    assert "符合硬性条件 3 个" in counts
    assert "面积不足 1 个" in counts
    assert "尚未达到净地 1 个" in counts
    # The best candidate is selected; its reasons below, criterion by criterion.
    assert dialog.current() == first
    detail = dialog.detail.toPlainText()
    assert "产业相符：新能源" in detail
    assert "100%" in detail
    assert "必须满足" in detail
    # Sortable: by score ascending puts the weakest first; by rank restores the order.
    model.sort(CandidateModel.SCORE, Qt.SortOrder.AscendingOrder)
    assert _subjects(dialog)[-1] == "QS-101 纬一路地块"
    model.sort(CandidateModel.RANK, Qt.SortOrder.AscendingOrder)
    assert _subjects(dialog) == subjects
    assert dialog.current() == first  # the selection followed its row
    # Nothing reserved yet: release is off, reserve on.
    assert dialog.reserve_button.isEnabled()
    assert not dialog.release_button.isEnabled()
    assert not dialog.quota_label.isVisible()  # the quota line waits for its service


def test_rematch_with_edited_figures_does_not_save_the_project(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    assert dialog.form is not None
    editors = dialog.form.editors
    # Derived from the record: 30,000 万元 / 100 亩, 1,500 万元 / 100 亩.
    assert editors["investment_intensity_wan_per_mu"].value() == 300.0
    assert editors["tax_per_mu_wan"].value() == 15.0
    assert _subjects(dialog)[0].startswith("QS-101")
    editors["land_mu"].line.setText("130")  # type: ignore[attr-defined]
    editors["industry"].line.setText("装备制造")  # type: ignore[attr-defined]
    assert editors["investment_intensity_wan_per_mu"].value() == pytest.approx(230.77)
    assert dialog.form.is_modified()
    dialog.rematch_button.click()
    assert _subjects(dialog)[0].startswith("QS-102")
    assert "需 130.00 亩" in dialog.detail.toPlainText()
    # A figure that is no number: said so, and no re-ranking.
    editors["power_kva"].line.setText("很多")  # type: ignore[attr-defined]
    assert not dialog.rematch_button.isEnabled()
    dialog.rematch()
    assert "需求有误" in dialog.status_label.text()
    editors["power_kva"].line.setText("")  # type: ignore[attr-defined]
    # The project record is as it was, and nothing was logged.
    with ctx.session() as s:
        project = get_record(s, RecordKind.PROJECT, city["battery"])
        assert project.req_land_mu == 100.0  # type: ignore[attr-defined]
        assert project.industry == "新能源"  # type: ignore[attr-defined]
        assert project.version == 1
        assert len(history(s, RecordKind.PROJECT, city["battery"])) == 1  # created only
    # 恢复项目数据 brings the record's figures back and ranks again.
    panel = dialog.splitter.widget(0)
    panel.reset_button.click()  # type: ignore[attr-defined]
    assert editors["land_mu"].value() == 100.0
    assert _subjects(dialog)[0].startswith("QS-101")


def test_reserve_then_release_through_the_dialog(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    asked: list[tuple[str, date]] = []

    def ask(_parent: Any, text: str, default: date, today: date) -> date:
        asked.append((text, default))
        return UNTIL

    monkeypatch.setattr(reserving_module, "ask_reservation_until", ask)
    dialog.select(_row_of(dialog, "QS-101"))
    dialog.reserve()
    assert asked == [("为项目“锂电池项目”意向锁定：QS-101 纬一路地块", TODAY + timedelta(days=90))]
    parcel = _parcel(ctx, city["QS-101"])
    assert parcel["status"] == "意向锁定"
    assert parcel["reserved_project_id"] == city["battery"]
    assert parcel["reserved_until"] == UNTIL
    with ctx.session() as s:
        entries = history(s, RecordKind.PARCEL, city["QS-101"])
    reserved = {e.field: e for e in entries if e.source == "意向锁定"}
    assert set(reserved) == {"status", "reserved_project_id", "reserved_until"}
    assert reserved["status"].user == "测试员"
    assert dialog.status_label.text() == (
        "已为项目“锂电池项目”意向锁定 QS-101 纬一路地块，至 2026-07-31"
    )
    assert dialog.changed_kinds == {RecordKind.PARCEL}
    assert dialog.held_label.text() == "本项目已意向锁定：QS-101 纬一路地块（至 2026-07-31）"
    # The match ran again: the site is still a candidate, reserved for this project.
    row = _row_of(dialog, "QS-101")
    assert dialog.current() == dialog.model.row(row)  # kept selected
    status = dialog.model.row(row).criterion("status")
    assert status is not None
    assert status.reason == "已为本项目意向锁定（至 2026-07-31）"
    assert dialog.release_button.isEnabled()

    questions: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: questions.append(text) or Yes
    )
    dialog.release()
    assert questions == ["确定解除 QS-101 纬一路地块 为项目“锂电池项目”的意向锁定吗？"]
    parcel = _parcel(ctx, city["QS-101"])
    assert parcel["status"] == "可供"
    assert parcel["reserved_project_id"] is None
    with ctx.session() as s:
        entries = history(s, RecordKind.PARCEL, city["QS-101"])
    assert {e.field for e in entries if e.source == "解除意向锁定"} == {
        "status",
        "reserved_project_id",
        "reserved_until",
    }
    assert dialog.status_label.text() == "已解除 QS-101 纬一路地块 的意向锁定"
    assert not dialog.held_label.isVisible()
    assert not dialog.release_button.isEnabled()


def test_reserving_less_than_the_need_warns(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    monkeypatch.setattr(reserving_module, "ask_reservation_until", lambda *a: UNTIL)
    dialog.select(_row_of(dialog, "BJ-101"))  # 96 亩 for a need of 100 亩
    dialog.reserve()
    assert dialog.status_label.text() == (
        "已为项目“锂电池项目”意向锁定 BJ-101 滨江地块，至 2026-07-31；"
        "锁定的地块合计 96 亩，不足项目需求 100 亩"
    )
    assert "#b26a00" in dialog.status_label.styleSheet()
    assert _parcel(ctx, city["BJ-101"])["reserved_project_id"] == city["battery"]


def test_a_combination_reserves_all_its_buildings(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["assembly"])
    assert _subjects(dialog) == ["青山经开区组合：F-11＋F-12"]
    assert dialog.model.headerData(3, Qt.Orientation.Horizontal) == "面积(m²)"
    assert dialog.model.cell_text(0, CandidateModel.AREA) == "11,000"
    asked: list[str] = []
    monkeypatch.setattr(
        reserving_module,
        "ask_reservation_until",
        lambda _p, text, *a: asked.append(text) or UNTIL,
    )
    dialog.select(0)
    dialog.reserve()
    assert asked == [
        "为项目“整机装配项目”意向锁定：F-11 1号厂房、F-12 2号厂房\n（组合中的 2 栋厂房一并锁定）"
    ]
    with ctx.session() as s:
        for code in ("F-11", "F-12"):
            building = get_record(s, RecordKind.FACTORY, city[code])
            assert building.reserved_project_id == city["assembly"]  # type: ignore[attr-defined]
            assert building.status == "闲置"  # a building keeps its occupancy status
    assert dialog.changed_kinds == {RecordKind.FACTORY}
    assert dialog.release_button.isEnabled()


def test_release_asks_first_and_no_keeps_the_reservation(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    with ctx.write_session() as s:
        reserve_sites(s, city["battery"], [(RecordKind.PARCEL, city["QS-101"])],
                      today=TODAY, until=UNTIL, user="张三")  # fmt: skip
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    dialog.select(_row_of(dialog, "QS-101"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
    dialog.release()
    assert _parcel(ctx, city["QS-101"])["reserved_project_id"] == city["battery"]
    assert dialog.changed_kinds == set()


def test_a_refused_reservation_shows_the_reason_and_changes_nothing(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    dialog.select(_row_of(dialog, "BJ-101"))
    # Meanwhile another clerk reserves the parcel for another project.
    with ctx.write_session() as s:
        reserve_sites(s, city["rival"], [(RecordKind.PARCEL, city["BJ-101"])],
                      today=TODAY, until=UNTIL, user="张三")  # fmt: skip
    before = _parcel(ctx, city["BJ-101"])
    monkeypatch.setattr(reserving_module, "ask_reservation_until", lambda *a: UNTIL)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    dialog.reserve()
    expected = (
        "地块 BJ-101 滨江地块 已为项目“光伏组件项目”意向锁定（至 2026-07-31），"
        "不能再为“锂电池项目”锁定；请先解除原锁定"
    )
    assert warnings == [expected]
    assert dialog.status_label.text() == expected
    assert _parcel(ctx, city["BJ-101"]) == before
    assert dialog.changed_kinds == set()
    # The ranking shows the ledger as it is now: the parcel is out.
    assert not any(s.startswith("BJ-101") for s in _subjects(dialog))
    assert "已锁定、已出让或无空余面积 1 个" in dialog.counts_label.text()


def test_a_finished_project_cannot_reserve(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["done"])
    monkeypatch.setattr(reserving_module, "ask_reservation_until", lambda *a: UNTIL)
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: warnings.append(text))
    dialog.select(0)
    dialog.reserve()
    assert warnings == ["项目“已投产项目”已为“竣工投产”，不再需要锁定场地"]
    assert _parcel(ctx, city["QS-101"])["status"] == "可供"


def test_site_to_projects_direction(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, city["QS-101"])
    assert dialog.windowTitle() == "匹配 — QS-101 纬一路地块"
    assert dialog.form is None
    model = dialog.model
    assert model.headerData(1, Qt.Orientation.Horizontal) == "项目"
    assert model.headerData(3, Qt.Orientation.Horizontal) == "需求(亩)"
    # Open projects only (the finished one is not looking for land).
    assert _subjects(dialog) == ["锂电池项目", "光伏组件项目"]
    assert model.cell_text(0, CandidateModel.AREA) == "100.00"
    assert model.cell_text(0, CandidateModel.REGION) == "青山县"
    assert "共比对 2 个在谈项目" in dialog.counts_label.text()
    facts = dialog.site_panel.view.toPlainText()
    assert "100.00 亩" in facts
    assert "新能源" in facts
    assert "3,000.00 万元（30.00 万元/亩）" in facts
    # Reserve the parcel for the second project.
    monkeypatch.setattr(reserving_module, "ask_reservation_until", lambda *a: UNTIL)
    dialog.select(1)
    dialog.reserve()
    parcel = _parcel(ctx, city["QS-101"])
    assert parcel["reserved_project_id"] == city["rival"]
    assert parcel["status"] == "意向锁定"
    assert dialog.held_label.text() == "本地块已为项目“光伏组件项目”意向锁定（至 2026-07-31）"
    assert _subjects(dialog) == ["光伏组件项目"]  # the lock keeps the others out now
    assert "意向锁定" in dialog.site_panel.view.toPlainText()
    dialog.select(0)
    assert dialog.release_button.isEnabled()


def test_comparison_of_two_candidates(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    dialog.select(0)
    assert not dialog.compare_button.isEnabled()
    dialog.compare()
    assert "请选中 2–3 个候选" in dialog.status_label.text()
    shown: list[ComparisonDialog] = []
    monkeypatch.setattr(ComparisonDialog, "exec", lambda self: shown.append(self) or 0)
    dialog.select(0, 1)
    assert dialog.compare_button.isEnabled()
    assert "已选 2 个" in dialog.detail.toPlainText()
    dialog.compare()
    (compared,) = shown
    first, second = dialog.model.row(0), dialog.model.row(1)
    assert [r.subject for r in compared.rows] == [first.subject, second.subject]
    assert compared.headers[:4] == ["得分", "结论", "县区/园区", "面积"]
    assert compared.cell(0, 0) == f"{first.score:.1f}"
    assert compared.cell(3, 1) == "130.00 亩"
    industry = compared.headers.index("产业")
    assert compared.cell(industry, 0).startswith("✓ 100%")
    assert compared.cell(industry, 1).startswith("✗ 20%")
    assert "△ 部分满足" in compared.legend.text()
    html = compared.browser.toHtml()
    assert "QS-101 纬一路地块" in html
    assert "QS-102 经二路地块" in html


def test_enter_opens_the_reasons_and_keys_work(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    opened: list[DetailDialog] = []
    monkeypatch.setattr(DetailDialog, "exec", lambda self: opened.append(self) or 0)
    exported: list[str] = []
    monkeypatch.setattr(MatchDialog, "export_excel", lambda self: exported.append("xlsx"))
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    dialog.table.setFocus()
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert [d.windowTitle() for d in opened] == ["匹配理由 — QS-101 纬一路地块"]
    assert "产业相符" in opened[0].browser.toPlainText()
    assert "✗ 不满足" in opened[0].legend.text()
    qtbot.keyClick(dialog.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert exported == ["xlsx"]
    previews: list[str] = []
    monkeypatch.setattr(MatchDialog, "print_preview", lambda self: previews.append("print"))
    monkeypatch.setattr(MatchDialog, "rematch", lambda self: previews.append("F5"))
    qtbot.keyClick(dialog.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.table, Qt.Key.Key_F5)
    assert previews == ["print", "F5"]
    qtbot.keyClick(dialog.table, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def _pdftotext(path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftotext) not installed")
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    return result.stdout


def test_print_to_pdf_one_page_per_candidate(
    qtbot: QtBot,
    ctx: AppContext,
    city: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    target = tmp_path / "推介"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    dialog.ask_audience = lambda: Audience.INTERNAL  # the internal sheet: marks and label
    path = dialog.export_pdf()
    assert path == tmp_path / "推介.pdf"
    text = _pdftotext(path)
    pages = text.split("\f")[:-1]
    assert len(pages) == 3
    for page, code in zip(pages, ("QS-101", "QS-102", "BJ-101"), strict=True):
        assert "项目选址推介" in page
        assert code in page
        assert "锂电池项目" in page
    first = pages[0]
    for fact in ("100.00 亩", "青山大道东侧", "王工", "投资强度 ≥ 200.00 万元/亩", "优先推荐"):
        assert fact in first, fact
    # pdftotext may drop the spaces between CJK characters and digits.
    assert "第1页共3页" in first.replace(" ", "")
    assert "第3页共3页" in pages[2].replace(" ", "")
    assert "已导出 3 页推介" in dialog.status_label.text()
    # The investor's sheet: the same facts, no label nor marks, the bureau at the foot.
    from landbank.services.identity import save_ledger_identity

    with ctx.write_session() as s:
        save_ledger_identity(s, city="青山市", bureau="青山市商务局", user="测试员")
    ctx.settings.phone = "0371-7654321"
    dialog.ask_audience = lambda: Audience.INVESTOR
    investor = _pdftotext(dialog.export_pdf() or Path()).split("\f")[0]
    assert "100.00 亩" in investor
    assert "优先推荐" not in investor
    assert "✓" not in investor
    assert "青山市商务局" in investor
    assert "0371-7654321" in investor
    dialog.ask_audience = lambda: None  # cancelled: nothing written
    assert dialog.export_pdf() is None
    dialog.ask_audience = lambda: Audience.INTERNAL
    # Only the selected ones when asked.
    dialog.only_selected.setChecked(True)
    dialog.select(_row_of(dialog, "BJ-101"))
    assert "BJ-101" in _pdftotext(dialog.export_pdf() or Path()).split("\f")[0]
    assert len(_pdftotext(tmp_path / "推介.pdf").split("\f")[:-1]) == 1
    # Printing goes through the preview (Ctrl+P), which paints the same sheets.
    previews: list[QPrintPreviewDialog] = []
    monkeypatch.setattr(QPrintPreviewDialog, "exec", lambda self: previews.append(self) or 0)
    dialog.print_preview()
    assert len(previews) == 1
    assert "锂电池项目" in previews[0].windowTitle()


def test_excel_export_round_trips_the_rows(
    qtbot: QtBot,
    ctx: AppContext,
    city: dict[str, int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    target = tmp_path / "匹配结果.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
    assert dialog.export_excel() == target
    ws = load_workbook(target).active
    assert ws is not None
    assert str(ws.cell(1, 1).value).startswith("项目选址匹配结果 — 锂电池项目")
    assert "符合硬性条件 3 个" in str(ws.cell(2, 1).value)
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:7] == ["排名", "地块/厂房", "县区", "园区", "面积(亩)", "得分", "结论"]
    rows = dialog.model.rows()
    data = [list(r) for r in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert len(data) == len(rows)
    for line, row in zip(data, rows, strict=True):
        assert line[:7] == [row.rank, row.subject, row.region, row.park or None, row.area,
                            row.score, row.label]  # fmt: skip
        for c in row.criteria:
            column = headers.index(c.label)
            assert line[column] == c.mark
            assert headers[column + 1] == f"{c.label}说明"
            assert line[column + 1] == c.reason
    assert "已导出 3 个候选" in dialog.status_label.text()
    legend = load_workbook(target)["图例"]
    assert str(legend["A1"].value).startswith("图例：✓ 满足　△ 部分满足　✗ 不满足")
    assert str(legend["A2"].value).startswith("标准地指标（仅地块；")
    assert str(legend["A3"].value).startswith("结论：75 分及以上优先推荐")


def test_opened_from_the_main_window(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    opened: list[tuple[RecordKind, int]] = []

    class FakeMatch:
        def __init__(self, _ctx: AppContext, kind: RecordKind, record_id: int, parent: Any):
            opened.append((kind, record_id))
            self.changed_kinds = {RecordKind.PARCEL}

        def exec(self) -> int:
            return 0

        def deleteLater(self) -> None:
            pass

    monkeypatch.setattr(match_dialog_module, "MatchDialog", FakeMatch)
    assert window.match_action.shortcut().toString() == "Ctrl+M"
    assert window.match_action.text() == "匹配项目(&M)…"
    window.show_kind(RecordKind.PROJECT)
    assert window.match_action.text() == "匹配场地(&M)…"
    assert not window.match_action.isEnabled()  # nothing selected
    view = window.current_view()
    view.select_id(city["battery"])
    assert window.match_action.isEnabled()
    window.match_action.trigger()
    assert opened == [(RecordKind.PROJECT, city["battery"])]
    window.show_kind(RecordKind.QUOTA)
    assert not window.match_action.isEnabled()


def test_quota_line_format() -> None:
    assert format_quota_line("辉县市", 2026, 1430, 2000) == "辉县市 2026: 收储 1,430 / 2,000 亩"
    assert format_quota_line("红旗区", 2026, 600, 1200, 30000, 60000) == (
        "红旗区 2026: 收储 600 / 1,200 亩；厂房 30,000 / 60,000 m²"
    )


def test_reranking_reuses_the_loaded_sites_until_the_dialog_reserves(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    loads: list[int] = []
    real = ranking_module.load_sites

    def counting(session: Session, *args: Any, **kwargs: Any) -> Any:
        loads.append(1)
        return real(session, *args, **kwargs)

    monkeypatch.setattr(ranking_module, "load_sites", counting)
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    assert len(loads) == 1
    dialog.rematch()
    dialog.rematch()
    assert len(loads) == 1  # other figures, same ledger
    monkeypatch.setattr(reserving_module, "ask_reservation_until", lambda *a: UNTIL)
    dialog.select(_row_of(dialog, "QS-101"))
    dialog.reserve()
    assert len(loads) == 2  # the dialog changed the ledger: read again
    assert "QS-101" in _subjects(dialog)[0]  # still offered: reserved for this project


def test_a_second_site_for_the_project_asks_first_naming_the_one_held(
    qtbot: QtBot, ctx: AppContext, city: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 11: a project already locked to a site was locked to a second one without a word."""
    with ctx.write_session() as s:
        reserve_sites(s, city["battery"], [(RecordKind.PARCEL, city["QS-101"])],
                      today=TODAY, until=UNTIL, user="张三")  # fmt: skip
    dialog = _dialog(qtbot, ctx, RecordKind.PROJECT, city["battery"])
    dates: list[str] = []
    monkeypatch.setattr(
        reserving_module, "ask_reservation_until", lambda *a: dates.append("asked") or UNTIL
    )
    questions: list[str] = []
    answers = [QMessageBox.StandardButton.No]
    monkeypatch.setattr(
        QMessageBox, "question", lambda _p, _t, text, *a: questions.append(text) or answers[0]
    )
    dialog.select(_row_of(dialog, "QS-102"))
    dialog.reserve()
    assert questions == [
        "项目“锂电池项目”已意向锁定 QS-101（至 2026-07-31），仍要再锁定 QS-102 吗？"
    ]
    assert dates == []  # No: nothing more asked, nothing written
    assert _parcel(ctx, city["QS-102"])["reserved_project_id"] is None
    answers[0] = Yes
    dialog.select(_row_of(dialog, "QS-102"))
    dialog.reserve()
    assert dates == ["asked"]
    assert _parcel(ctx, city["QS-102"])["reserved_project_id"] == city["battery"]
    assert "QS-101" in dialog.held_label.text()
    assert "QS-102" in dialog.held_label.text()
    # Extending a lock the project holds asks nothing.
    questions.clear()
    dialog.select(_row_of(dialog, "QS-101"))
    dialog.reserve()
    assert questions == []
    assert dates == ["asked", "asked"]


def test_the_marks_have_a_legend(qtbot: QtBot, ctx: AppContext, city: dict[str, int]) -> None:
    for kind, key in ((RecordKind.PROJECT, "battery"), (RecordKind.PARCEL, "QS-101")):
        dialog = _dialog(qtbot, ctx, kind, city[key])
        legend = dialog.legend_label.text()
        for meaning in ("✓ 满足", "△ 部分满足", "✗ 不满足", "— 无法判断", "空白 不涉及"):
            assert meaning in legend
        assert "75 分及以上优先推荐（目标产业不符或标准地需补充的除外）" in legend
        assert "△ 需补充" in legend
        assert "○ 承诺" in legend
