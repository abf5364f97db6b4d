"""The indicator table imported from a messy Excel file: what is read, what is refused (naming
sheet, row, column, value and reason, all in one run, nothing written), duplicates by policy,
dry runs, and the audit entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.importing.spreadsheet import SpreadsheetError
from landbank.services.standards.importing import import_standards
from landbank.services.standards.rows import load_entries, standard_for
from landbank.store.engine import session_scope
from landbank.store.models import AuditEntry, LandStandard
from tests.services.standards.ledger import GOOD_ROWS, make_ledger, write_book


def _count(engine: Engine, table: type) -> int:
    with session_scope(engine) as s:
        return int(s.execute(select(func.count()).select_from(table)).scalar_one())


def test_a_messy_file_is_read_whole(any_engine: Engine, tmp_path: Path) -> None:
    ids = make_ledger(any_engine)
    path = write_book(tmp_path / "标准地指标.xlsx", GOOD_ROWS)
    with session_scope(any_engine) as s:
        report = import_standards(s, path, user="张三")
    assert report.ok, report.lines()
    assert report.written
    assert (report.sheet, report.header_row) == ("指标", 2)
    assert report.created == ["获嘉县·全部产业", "获嘉县·高新园区·新材料", "辉县市·全部产业"]
    assert report.recognised == {"获嘉": "获嘉县", "辉县": "辉县市"}
    with session_scope(any_engine) as s:
        entries = {e.title: e for e in load_entries(s)}
        county = entries["获嘉县·全部产业"]
        assert county.values == {
            Indicator.INVESTMENT_INTENSITY: Threshold(low=250.0),
            Indicator.FLOOR_AREA_RATIO: Threshold(1.0, 2.0),
            Indicator.TAX_PER_MU: Threshold(low=15.0),
        }
        park = entries["获嘉县·高新园区·新材料"]
        assert park.park_id == ids["高新园区"]
        assert park.values[Indicator.INVESTMENT_INTENSITY] == Threshold(low=300.0)  # 全角
        assert park.values[Indicator.FLOOR_AREA_RATIO] == Threshold(1.2, 2.5)
        assert park.values[Indicator.TAX_PER_MU] == Threshold(low=20.0)  # 不低于20
        assert park.values[Indicator.ADMIN_SHARE] == Threshold(high=5.0)
        # The most specific row wins bound by bound; the national floors bind.
        standard = standard_for(s, ids["获嘉县"], ids["高新园区"], "新材料")
        assert standard.get(Indicator.INVESTMENT_INTENSITY).threshold.low == 300.0  # type: ignore[union-attr]
        assert standard.get(Indicator.INVESTMENT_INTENSITY).source == "获嘉县·高新园区·新材料"  # type: ignore[union-attr]
        other = standard_for(s, ids["获嘉县"], ids["高新园区"], "食品")
        assert other.get(Indicator.INVESTMENT_INTENSITY).source == "获嘉县·全部产业"  # type: ignore[union-attr]
        assert other.get(Indicator.BUILDING_COVERAGE).source == "国家标准"  # type: ignore[union-attr]
        assert other.get(Indicator.BUILDING_COVERAGE).threshold.low == 30.0  # type: ignore[union-attr]
        audit = s.execute(select(AuditEntry).where(AuditEntry.record_kind == "standard")).scalars().all()
    assert [(a.action, a.record_label, a.user, a.source) for a in audit] == [
        ("create", t, "张三", "导入:标准地指标.xlsx") for t in report.created
    ]
    assert json.loads(audit[0].new_value or "")["容积率下限"] == "1"


def test_every_problem_is_named_in_one_run_and_nothing_written(any_engine: Engine, tmp_path: Path) -> None:
    make_ledger(any_engine)
    rows = [
        *GOOD_ROWS,
        [4, "获嘉", "高新园区", "新材料", 260, None, None, None, None, None, None],  # twice in the file
        [5, "获嘉", None, "食品", "很高", None, None, None, None, None, None],
        [6, "获嘉", "东区园区", None, 100, None, None, None, None, None, None],
        [7, "火星县", None, None, 100, None, None, None, None, None, None],
        [8, "获嘉", None, "装备", None, "2.5-1.0", None, None, None, None, None],
        [9, "获嘉", None, "纺织", None, None, None, None, None, "≥30", None],
    ]
    path = write_book(tmp_path / "有错.xlsx", rows)
    with session_scope(any_engine) as s:
        report = import_standards(s, path, user="张三")
    assert not report.written
    described = [p.describe() for p in report.problems]
    assert len(described) == 6, described
    assert "工作表“指标”第 6 行" in described[0]
    assert "与第 4 行重复" in described[0]
    bad = report.problems[1]
    assert (bad.sheet, bad.row, bad.column, bad.value) == ("指标", 7, "固定资产投资强度（万元/亩）", "很高")
    assert "不是数值" in bad.reason
    assert "园区“东区园区”未在获嘉县登记" in described[2]
    assert "高新园区" in described[2]
    assert report.problems[3].row == 9
    assert "不是可识别的县区名称" in report.problems[3].reason
    assert "下限 2.50 高于上限 1.00" in described[4]
    assert report.problems[5].row == 11
    assert "只设上限" in described[5]
    assert _count(any_engine, LandStandard) == 0
    assert _count(any_engine, AuditEntry) == 4  # the ledger's own regions and parks only


def test_dry_run_writes_nothing(any_engine: Engine, tmp_path: Path) -> None:
    make_ledger(any_engine)
    path = write_book(tmp_path / "标准.xlsx", GOOD_ROWS)
    with session_scope(any_engine) as s:
        report = import_standards(s, path, user="张三", dry_run=True)
    assert report.ok
    assert not report.written
    assert len(report.created) == 3
    assert "试导入" in report.lines()[1]
    assert _count(any_engine, LandStandard) == 0


def test_existing_rows_stop_update_or_skip(any_engine: Engine, tmp_path: Path) -> None:
    make_ledger(any_engine)
    with session_scope(any_engine) as s:
        import_standards(s, write_book(tmp_path / "一.xlsx", GOOD_ROWS), user="张三")
    later = [
        [1, "获嘉县", None, None, 280, "1.0-2.0", None, None, None, None, None],
        [2, "获嘉县", None, "食品", 150, None, None, None, None, None, None],
    ]
    path = write_book(tmp_path / "二.xlsx", later)
    with session_scope(any_engine) as s:
        stopped = import_standards(s, path, user="李四")
    assert [p.row for p in stopped.problems] == [3]
    assert "台账中已有该指标行" in stopped.problems[0].reason
    assert _count(any_engine, LandStandard) == 3

    with session_scope(any_engine) as s:
        skipped = import_standards(s, path, user="李四", on_duplicate="skip")
    assert skipped.skipped == ["获嘉县·全部产业"]
    assert skipped.created == ["获嘉县·食品"]

    with session_scope(any_engine) as s:
        updated = import_standards(s, path, user="李四", on_duplicate="update")
    # The file's columns replace: 投资强度 250 → 280, 亩均税收 blank in the file → cleared.
    assert updated.updated == [("获嘉县·全部产业", [
        "固定资产投资强度≥(万元/亩)：250.00 → 280.00", "亩均税收≥(万元/亩)：15.00 → 空"])]
    assert updated.unchanged == ["获嘉县·食品"]
    with session_scope(any_engine) as s:
        changes = s.execute(
            select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value, AuditEntry.record_version)
            .where(AuditEntry.record_kind == "standard", AuditEntry.action == "update")
            .order_by(AuditEntry.id)
        ).all()
    assert [tuple(c) for c in changes] == [
        ("investment_intensity_min_wan_per_mu", "250", "280", 2),
        ("tax_per_mu_min_wan", "15", None, 2),
    ]


def test_a_header_in_other_units_is_refused(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    path = tmp_path / "公顷.csv"
    path.write_text("县区,投资强度（万元/公顷）\n获嘉县,3750\n", encoding="gbk")
    with session_scope(engine) as s:
        report = import_standards(s, path, user="张三")
    assert len(report.problems) == 1
    assert "单位“万元/公顷”与本程序使用的“万元/亩”不同" in report.problems[0].describe()


def test_a_two_row_header_and_a_csv_in_gbk(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["县区", "产业", "容积率", None, "亩均税收"])
    sheet.append([None, None, "下限", "上限", None])
    sheet.merge_cells("C1:D1")
    sheet.append(["获嘉县", "新能源", 1.1, 3, "≥18万元/亩"])
    book.save(tmp_path / "两行.xlsx")
    with session_scope(engine) as s:
        report = import_standards(s, tmp_path / "两行.xlsx", user="张三")
        assert report.ok, report.lines()
        (entry,) = load_entries(s)
    assert entry.values[Indicator.FLOOR_AREA_RATIO] == Threshold(1.1, 3.0)
    assert entry.values[Indicator.TAX_PER_MU] == Threshold(low=18.0)


def test_a_file_without_the_table_is_refused(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    path = tmp_path / "无关.csv"
    path.write_text("地块编号,面积\nA,1\n", encoding="utf-8")
    with session_scope(engine) as s, pytest.raises(SpreadsheetError, match="找不到标准地指标表的表头"):
        import_standards(s, path, user="张三")


def test_the_export_imports_back_the_same(engine: Engine, tmp_path: Path) -> None:
    from landbank.services.standards.exporting import export_standards

    make_ledger(engine)
    with session_scope(engine) as s:
        import_standards(s, write_book(tmp_path / "原.xlsx", GOOD_ROWS), user="张三")
        before = [(e.title, dict(e.values)) for e in load_entries(s)]
        export_standards(load_entries(s), tmp_path / "导出.xlsx", title="新乡市标准地指标表")
    assert not list(tmp_path.glob("*.part"))
    with session_scope(engine) as s:
        for entry in load_entries(s):
            from landbank.services.standards.saving import delete_standard

            delete_standard(s, entry.id, expected_version=entry.version, user="张三")
    with session_scope(engine) as s:
        report = import_standards(s, tmp_path / "导出.xlsx", user="张三")
        assert report.ok, report.lines()
        assert [(e.title, dict(e.values)) for e in load_entries(s)] == before
