"""``landbank yields import``: a township's messy file (title rows, a 填报单位 line, short county
names, units in the headers, 全角 digits, a totals row and notes) is read whole; every refusal
names sheet, row, column and value, and writes nothing; dry run; existing years stop, update or
skip."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine

from landbank.services.importing.spreadsheet import SpreadsheetError
from landbank.services.land_life.yields import list_yields
from landbank.services.land_life.yields_import import import_yields
from landbank.store.engine import read_session, write_session
from tests.services.land_life.ledger import USER, make_ledger

HEADER = ["序号", "企业名称", "宗地编号", "县区", "年度", "税收（元）", "销售收入(亿元)",
          "产值(万元)", "增加值", "能耗（吨标煤）", "排放(吨)", "从业人数", "研发经费(万元)", "备注"]  # fmt: skip


def _book(path: Path, rows: list[list[object]], header: list[str] = HEADER) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "2024年经营数据"
    sheet.append(["获嘉县冯庄镇 2024 年工业企业亩均效益数据"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(header))
    sheet.append(["填报单位：冯庄镇人民政府", None, None, None, None, "填报日期：2025年1月"])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", None, None, None, None, "9000000"])
    sheet.append(["注：税收以元为单位"])
    book.save(path)
    return path


ROWS: list[list[object]] = [
    [1, "甲公司", "HJ-OK", "获嘉", "2024年", "1,200,000", "0.5", "３４００", "800", "1200",
     "35", "85", "120", "试生产"],
    [2, "乙公司", "HJ-STOP", "获嘉县", 2024, 300000, None, "900", None, None, None, "12", None,
     None],
]  # fmt: skip


def test_a_messy_township_file_imports(any_engine: Engine, tmp_path: Path) -> None:
    ids = make_ledger(any_engine)
    path = _book(tmp_path / "冯庄镇经营数据.xlsx", ROWS)
    with write_session(any_engine) as s:
        dry = import_yields(s, path, user=USER, dry_run=True)
        assert dry.ok, dry.lines()
        assert (dry.written, len(dry.created)) == (False, 2)
    with read_session(any_engine) as s:
        assert list_yields(s, parcel_id=ids["HJ-OK"]) == []
    with write_session(any_engine) as s:
        report = import_yields(s, path, user=USER)
        assert report.ok, report.lines()
        assert (report.sheet, report.header_row) == ("2024年经营数据", 3)
        assert report.written
        assert report.ignored == ["序号", "企业名称"]
        assert report.recognised == {"获嘉": "获嘉县"}
    with read_session(any_engine) as s:
        (ok,) = list_yields(s, parcel_id=ids["HJ-OK"])
        v = ok.values
        assert v.year == 2024
        assert v.tax_wan == pytest.approx(120.0)  # 1,200,000 元
        assert v.revenue_wan == pytest.approx(5000.0)  # 0.5 亿元
        assert v.output_wan == pytest.approx(3400.0)  # 全角
        assert (v.energy_tce, v.emission_t, v.employees) == (1200.0, 35.0, 85)
        assert (v.rd_expense_wan, v.notes) == (120.0, "试生产")
        (stop,) = list_yields(s, parcel_id=ids["HJ-STOP"])
        assert stop.values.tax_wan == pytest.approx(30.0)


def test_a_row_without_figures_is_passed_over(any_engine: Engine, tmp_path: Path) -> None:
    ids = make_ledger(any_engine)
    empty: list[object] = [3, "丙", "HJ-IDLE", "获嘉", 2024, *([None] * 9)]
    rows = [*ROWS, empty]
    with write_session(any_engine) as s:
        report = import_yields(s, _book(tmp_path / "f.xlsx", rows), user=USER)
    assert report.ok, report.lines()
    assert len(report.created) == 2
    assert "第 6 行（HJ-IDLE）没有填报任何数据，已跳过" in report.warnings
    with read_session(any_engine) as s:
        assert list_yields(s, parcel_id=ids["HJ-IDLE"]) == []


def test_existing_years_stop_update_or_skip(any_engine: Engine, tmp_path: Path) -> None:
    make_ledger(any_engine)
    path = _book(tmp_path / "a.xlsx", [[1, "丙公司", "HJ-LOW", "获嘉", 2024, "7000000", None,
                                       "12000", None, None, None, None, None, None]])  # fmt: skip
    with write_session(any_engine) as s:
        stop = import_yields(s, path, user=USER)
        assert not stop.ok
        assert "已有该地块 2024 年的数据" in stop.problems[0].reason
        skip = import_yields(s, path, user=USER, on_duplicate="skip")
        assert (skip.ok, len(skip.skipped), skip.written) == (True, 1, False)
        update = import_yields(s, path, user=USER, on_duplicate="update")
        assert update.ok
        assert update.updated == ["HJ-LOW 2024年：税收 600.00 万元，产值 12,000.00 万元 → "
                                  "2024年：税收 700.00 万元，产值 12,000.00 万元"]  # fmt: skip
    with read_session(any_engine) as s:
        assert [r.values.tax_wan for r in list_yields(s, year=2024)] == [700.0]


def test_every_refusal_is_named_and_nothing_is_written(any_engine: Engine, tmp_path: Path) -> None:
    ids = make_ledger(any_engine)
    rows: list[list[object]] = [
        [1, "甲", "HJ-OK", "获嘉", 2024, "12万", None, "abc", None, None, None, None, None, None],
        [2, "乙", "NO-SUCH", "获嘉", 2024, "1", None, None, None, None, None, None, None, None],
        [3, "丙", "HJ-STOP", "获嘉", "去年", "1", None, None, None, None, None, None, None, None],
        [4, "丁", "HJ-OK", "获嘉", 2024, "1", None, None, None, None, None, "8.5", None, None],
        [5, "戊", "HJ-IDLE", "火星县", 2024, "1", None, None, None, None, None, None, None, None],
    ]  # fmt: skip
    with write_session(any_engine) as s:
        report = import_yields(s, _book(tmp_path / "b.xlsx", rows), user=USER)
    text = "\n".join(report.lines())
    assert not report.written
    assert "第 4 行「产值(万元)」“abc”：“abc”不是有效的数字" in text
    assert "12万" not in text  # 万元, whatever the header says
    assert "第 5 行「宗地编号」“NO-SUCH”：获嘉县没有编号为“NO-SUCH”的地块" in text
    assert "第 6 行「年度」“去年”：年度应为四位年份" in text
    assert "第 7 行「从业人数」“8.5”：从业人数应为整数" in text
    assert "第 8 行「县区」“火星县”" in text
    with read_session(any_engine) as s:
        assert list_yields(s, parcel_id=ids["HJ-OK"]) == []


def test_the_county_from_the_title_and_a_bad_unit(any_engine: Engine, tmp_path: Path) -> None:
    ids = make_ledger(any_engine)
    header = [h for h in HEADER if h != "县区"]
    rows = [[r for i, r in enumerate(row) if i != 3] for row in ROWS]
    with write_session(any_engine) as s:
        report = import_yields(s, _book(tmp_path / "c.xlsx", rows, header), user=USER)
        assert report.ok, report.lines()  # 获嘉县 from the title
    with read_session(any_engine) as s:
        assert len(list_yields(s, region_ids=[ids["获嘉县"]])) == 4
    bad = [h if h != "排放(吨)" else "排放(立方米)" for h in HEADER]
    with write_session(any_engine) as s:
        refused = import_yields(s, _book(tmp_path / "d.xlsx", ROWS, bad), user=USER)
    assert "单位“立方米”不适用于“排放”" in refused.problems[0].describe()


def test_a_file_without_the_columns_is_refused(any_engine: Engine, tmp_path: Path) -> None:
    make_ledger(any_engine)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["姓名", "电话"])
    book.save(tmp_path / "e.xlsx")
    with write_session(any_engine) as s, pytest.raises(SpreadsheetError, match="地块编号"):
        import_yields(s, tmp_path / "e.xlsx", user=USER)
