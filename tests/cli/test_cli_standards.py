"""``landbank standards list|import`` and the aliases ``list standards`` / ``import standards``
on a copy of the demo city (新乡市: 获嘉县 with 获嘉县先进制造业开发区)."""

from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

import pytest

from landbank.cli import main

HEADER = "新乡市工业用地标准地指标\n县区,园区,产业,固定资产投资强度(万元/亩),容积率,亩均税收(万元/亩),绿地率(%)\n"
ROWS = (
    "获嘉,,,250,1.0-2.0,≥15,\n"
    "获嘉县,先进制造业开发区,装备制造,３００,1.2-2.5,不低于20,15\n"
    "辉县,,食品,200,,,\n"
)


def _rows(db: str) -> int:
    with sqlite3.connect(db) as conn:
        count = int(conn.execute("SELECT count(*) FROM land_standard").fetchone()[0])
    conn.close()
    return count


@pytest.fixture
def demo_db(demo_db: str) -> str:
    """The demo city without its own 标准地 table (services/demo/standards.py): these tests
    import theirs into an empty one."""
    with sqlite3.connect(demo_db) as conn:
        conn.execute("DELETE FROM land_standard")
    conn.close()
    return demo_db


@pytest.fixture
def table(tmp_path: Path) -> Path:
    path = tmp_path / "标准地指标.csv"
    path.write_text(HEADER + ROWS, encoding="gbk")
    return path


def test_import_then_list_and_resolve(
    demo_db: str, table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "standards", str(table), "--dry-run", "--db", demo_db]) == 0
    assert "将新增 3 行" in capsys.readouterr().out
    assert _rows(demo_db) == 0
    assert main(["--db", demo_db, "import", "standards", str(table)]) == 0
    out = capsys.readouterr().out
    assert "已新增 3 行" in out
    assert "获嘉 → 获嘉县" in out
    assert "先进制造业开发区 → 获嘉县先进制造业开发区" in out  # the park named without its county

    assert main(["list", "standards", "--db", demo_db, "--county", "获嘉"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"获嘉县·全部产业（编号 \d+，版本 1）", out)
    assert "固定资产投资强度 ≥250.00 万元/亩；容积率 1.00–2.00；亩均税收 ≥15.00 万元/亩" in out
    assert "建筑系数 ≥30.0 %（国家标准）" in out
    assert "绿地率 ≤15.0 %；" in out  # the park's own, not the national floor
    assert "辉县市" not in out

    args = ["standards", "list", "--resolve", "--county", "获嘉县", "--park",
            "获嘉县先进制造业开发区", "--industry", "食品", "--db", demo_db]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "≥250.00 万元/亩（来自 获嘉县·全部产业）" in out
    assert "≥30.0 %（来自 国家标准）" in out
    assert main([*args, "--json"]) == 0
    resolved = json.loads(capsys.readouterr().out)
    assert resolved["site"] == "获嘉县·获嘉县先进制造业开发区·食品"
    by_key = {i["key"]: i for i in resolved["indicators"]}
    assert (by_key["far"]["low"], by_key["far"]["high"], by_key["far"]["source"]) == (
        1.0, 2.0, "获嘉县·全部产业")

    assert main(["standards", "list", "--json", "--db", demo_db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [r["title"] for r in listed] == [
        "获嘉县·全部产业", "获嘉县·获嘉县先进制造业开发区·装备制造", "辉县市·食品"]
    assert listed[1]["values"]["investment_intensity_wan_per_mu"] == {"low": 300.0, "high": None}


def test_refused_rows_exit_2_naming_each_and_writing_nothing(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "有错.csv"
    path.write_text(HEADER + ROWS + "获嘉,不存在园区,,100,,,\n原阳,,纺织,很多,,,\n", encoding="utf-8")
    assert main(["import", "standards", str(path), "--db", demo_db]) == 2
    captured = capsys.readouterr()
    assert "有 2 处问题，未导入任何数据" in captured.err
    assert "第 6 行「园区」“不存在园区”：园区“不存在园区”未在获嘉县登记" in captured.out
    assert "第 7 行「固定资产投资强度(万元/亩)」“很多”：“很多”不是数值" in captured.out
    assert _rows(demo_db) == 0


def test_an_existing_row_stops_updates_or_is_skipped(
    demo_db: str, table: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", "standards", str(table), "--db", demo_db]) == 0
    capsys.readouterr()
    table.write_text(HEADER + "获嘉县,,,280,1.0-2.0,≥15,\n", encoding="gbk")
    assert main(["import", "standards", str(table), "--db", demo_db, "--json"]) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False
    assert report["problems"][0]["row"] == 3
    assert "--on-duplicate update" in report["problems"][0]["reason"]
    assert main(["import", "standards", str(table), "--db", demo_db, "--on-duplicate", "skip"]) == 0
    assert "跳过 1 行" in capsys.readouterr().out
    args = ["import", "standards", str(table), "--db", demo_db, "--on-duplicate", "update"]
    assert main(args) == 0
    assert "固定资产投资强度≥(万元/亩)：250.00 → 280.00" in capsys.readouterr().out
    with sqlite3.connect(demo_db) as conn:
        audit = conn.execute(
            "SELECT action, record_label, field, old_value, new_value, source FROM audit_log"
            " WHERE record_kind = 'standard' AND action = 'update'").fetchall()
    conn.close()
    assert audit == [("update", "获嘉县·全部产业", "investment_intensity_min_wan_per_mu", "250",
                      "280", "导入:标准地指标.csv")]
