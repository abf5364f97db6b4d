"""``landbank import``: exit codes, the report on stdout, JSON with English keys."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from landbank.cli import main
from tests.conftest import LANDCHINA_SAMPLE as SAMPLE
from tests.conftest import require_sample
from tests.services.messy_ledgers import messy_parcels_xlsx, write_csv, zip_bomb_xlsx


def run(argv: Sequence[str]) -> int:
    """The ``landbank`` command, as a user runs it."""
    return main(list(argv))


def test_import_then_reimport(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "l.sqlite3")
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    assert run(["import", "parcels", str(path), "--db", db, "--dry-run"]) == 0
    assert "试导入" in capsys.readouterr().out
    assert run(["import", "parcels", str(path), "--db", db]) == 0
    out = capsys.readouterr().out
    assert "导入完成" in out
    assert "新建 3 条" in out
    assert "红旗区" in out
    assert run(["import", "parcels", str(path), "--db", db, "--json"]) == 2
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["errors"] == 3
    assert not data["written"]
    assert set(data["errors"][0]) == {"sheet", "row", "column", "value", "reason"}
    assert data["errors"][0]["row"] == 4
    assert (data["errors"][0]["column"], data["errors"][0]["value"]) == ("宗地编号", "HX-001")
    assert run(["import", "parcels", str(path), "--db", db, "--on-duplicate", "skip", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["skipped_duplicates"] == 3


def test_rejected_rows_exit_2_with_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = [["地块编号", "县区", "收储面积(亩)", "状态"], ["B-1", "辉县市", "很多", "净地"]]
    path = write_csv(tmp_path / "b.csv", rows, encoding="gbk")
    assert run(["import", "parcels", str(path), "--db", str(tmp_path / "l.sqlite3")]) == 2
    out = capsys.readouterr().out
    assert "导入未执行" in out
    assert "第 2 行" in out
    assert "收储面积(亩)" in out


@pytest.mark.parametrize("what", ["bomb", "empty", "missing", "text"])
def test_unreadable_files_exit_2_with_a_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], what: str
) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "text.csv").write_text("你好", encoding="utf-8")
    path = {
        "bomb": zip_bomb_xlsx(tmp_path / "bomb.xlsx"),
        "empty": tmp_path / "empty.xlsx",
        "missing": tmp_path / "missing.xlsx",
        "text": tmp_path / "text.csv",
    }[what]
    db = str(tmp_path / "l.sqlite3")
    assert run(["import", "factories", str(path), "--db", db]) == 2
    captured = capsys.readouterr()
    assert "landbank：" in captured.err
    assert "Traceback" not in captured.err
    assert run(["import", "factories", str(path), "--db", db, "--json"]) == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    assert run(["import", "quotas", "x.xlsx"]) == 2
    assert run(["import", "parcels", "x.xlsx", "--header-row", "0"]) == 2
    assert run(["import", "parcels", "x.xlsx", "--on-duplicate", "merge"]) == 2


def test_landchina_file_by_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "l.sqlite3")
    require_sample(SAMPLE)
    assert run(["import", "parcels", str(SAMPLE), "--db", db, "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert (counts["created"], counts["skipped_other_uses"]) == (773, 2904)
    assert run(["import", "parcels", str(SAMPLE), "--db", db, "--on-duplicate", "skip", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)["counts"]
    assert (counts["created"], counts["skipped_duplicates"]) == (0, 773)
