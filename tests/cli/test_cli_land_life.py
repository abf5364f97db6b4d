"""``landbank yields import|list`` and the 土地利用状况 of ``landbank show parcel``: reports,
JSON, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select

from landbank.cli import main
from landbank.store.engine import read_session
from landbank.store.migrate import open_database
from landbank.store.models import LandYield
from tests.services.land_life.ledger import make_ledger
from tests.services.land_life.test_yields_import import ROWS, _book


@pytest.fixture
def ledger(tmp_path: Path) -> str:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    make_ledger(engine)
    engine.dispose()
    return str(path)


def _count(db: str) -> int:
    engine = open_database(f"sqlite:///{db}")
    try:
        with read_session(engine) as s:
            return int(s.execute(select(func.count()).select_from(LandYield)).scalar_one())
    finally:
        engine.dispose()


def test_import_dry_run_then_import_then_list(
    ledger: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _book(tmp_path / "冯庄镇.xlsx", ROWS)
    assert main(["yields", "import", str(path), "--dry-run", "--db", ledger]) == 0
    out = capsys.readouterr().out
    assert "将新增 2 行" in out
    assert "试导入，未写入" in out
    assert _count(ledger) == 2
    assert main(["yields", "import", str(path), "--db", ledger]) == 0
    assert "已新增 2 行" in capsys.readouterr().out
    assert _count(ledger) == 4
    assert main(["yields", "list", "--county", "获嘉", "--year", "2024", "--db", ledger]) == 0
    out = capsys.readouterr().out
    assert "获嘉县 HJ-OK 2024年：税收 120.00 万元" in out
    assert "共 3 行" in out
    assert main(["yields", "list", "--parcel", "HJ-OK", "--json", "--db", ledger]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(r["parcel_code"], r["year"], r["tax_wan"]) for r in data] == [("HJ-OK", 2024, 120.0)]


def test_a_refused_file_exits_2_and_writes_nothing(
    ledger: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = [list(ROWS[0])]
    rows[0][2] = "NO-SUCH"
    path = _book(tmp_path / "错.xlsx", rows)
    assert main(["yields", "import", str(path), "--json", "--db", ledger]) == 2
    captured = capsys.readouterr()
    data = json.loads(captured.out)
    assert data["ok"] is False
    assert data["problems"][0]["row"] == 4
    assert data["problems"][0]["column"] == "宗地编号"
    assert "未导入任何数据" in captured.err
    assert _count(ledger) == 2


def test_show_parcel_says_its_land_life(ledger: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["show", "parcel", "HJ-IDLE", "--db", ledger]) == 0
    out = capsys.readouterr().out
    assert f"土地利用状况（{date.today().isoformat()}）：" in out
    assert "闲置土地认定（国土资源部令第53号）：应收回" in out  # agreed 2024-03-01, today later
    assert "低效用地：供而未用" in out
    assert main(["show", "parcel", "HJ-LOW", "--json", "--db", ledger]) == 0
    data = json.loads(capsys.readouterr().out)
    life = data["land_life"]
    assert life["low_efficiency"]["class"] == "投而未达标"
    assert [y["year"] for y in life["years"]] == [2023, 2024]


def test_the_landbank_command_runs_yields_list(ledger: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "landbank", "yields", "list", "--db", ledger],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "HJ-LOW 2023年" in done.stdout
