"""``landbank quota``'s 闲置与低效用地 section (issue 16 item 5): the text table and the JSON keys
per county (docs/standards.md), with the 增存挂钩 effect, on the ``--as-of`` day."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from landbank.cli import main
from landbank.store.migrate import open_database
from tests.services.land_life.ledger import make_ledger

DAY = ["--as-of", "2025-06-30"]


@pytest.fixture
def ledger(tmp_path: Path) -> tuple[str, dict[str, int]]:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    ids = make_ledger(engine)
    engine.dispose()
    return str(path), ids


def _out(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    assert main(argv) == 0
    return capsys.readouterr().out


def test_quota_json_carries_each_county(
    ledger: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, ids = ledger
    data = json.loads(_out(capsys, ["quota", "--year", "2025", "--db", db, *DAY, "--json"]))
    life = data["land_life"]
    assert life["as_of"] == "2025-06-30"
    counties = {c["county"]: c for c in life["counties"]}
    hj = counties["获嘉县"]
    assert set(hj) == {
        "region_id", "county", "idle_count", "idle_hectares", "idle_ids", "take_back_count",
        "take_back_hectares", "take_back_ids", "idle_unknown_count", "idle_unknown_hectares",
        "idle_fees_wan", "low_efficiency", "lapsed_count", "lapsed_hectares", "lapsed_ids",
        "plan_effect",
    }  # fmt: skip
    assert hj["region_id"] == ids["获嘉县"]
    assert hj["idle_count"] == 2
    assert hj["idle_hectares"] == pytest.approx(5.0)
    assert sorted(hj["idle_ids"]) == sorted([ids["HJ-IDLE"], ids["HJ-STOP"]])
    assert list(hj["low_efficiency"]) == ["批而未供", "供而未用", "用而未尽", "建而未投", "投而未达标"]
    assert hj["low_efficiency"]["批而未供"] == {"count": 1, "hectares": 1.0, "ids": [ids["HJ-STOCK"]]}
    assert hj["idle_fees_wan"] == pytest.approx(180.0)
    effect = hj["plan_effect"]
    assert effect["cleared"] is False
    assert effect["change_pct"] == -20
    assert effect["factor"] == 0.8
    assert effect["not_cleared"] == ["批而未供", "闲置"]
    assert counties["辉县市"]["plan_effect"]["not_cleared"] == ["闲置"]
    one = json.loads(
        _out(capsys, ["quota", "--year", "2025", "--db", db, *DAY, "--region", "辉县市", "--json"])
    )
    assert one["land_life"]["county"] == "辉县市"
    assert one["land_life"]["idle_ids"] == [ids["HX-IDLE"]]


def test_quota_text_has_the_section(
    ledger: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str]
) -> None:
    db, _ids = ledger
    out = _out(capsys, ["quota", "--year", "2025", "--db", db, *DAY])
    assert "闲置与低效用地（截至 2025-06-30，宗数与公顷，1 公顷 = 15 亩）" in out
    line = next(x for x in out.splitlines() if x.startswith("获嘉县") and "宗" in x)
    assert "2 宗 5.00 公顷" in line
    assert "1 宗 1.00 公顷" in line
    assert line.endswith("−20%（批而未供、闲置未清零）")
    assert "获嘉县：批而未供 1 宗 1.00 公顷、闲置土地 2 宗 5.00 公顷 未清零" in out
    region = _out(capsys, ["quota", "--year", "2025", "--db", db, *DAY, "--region", "辉县市"])
    assert "−20%（闲置未清零）" in region


def test_the_printed_report_has_the_section(
    ledger: tuple[str, dict[str, int]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("needs poppler")
    db, _ids = ledger
    pdf = tmp_path / "通报.pdf"
    _out(capsys, ["report", "quota", "--year", "2025", "--db", db, *DAY, "-o", str(pdf)])
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "闲置与低效用地（截至 2025-06-30）" in text
    for word in ("闲置土地", "批而未供", "供而未用", "用而未尽", "建而未投", "投而未达标"):
        assert word in text
    assert "2 宗 5.00 公顷" in text
    flat = "".join(text.split())
    assert "−20%（批而未供、闲置未清零）" in flat  # 获嘉县, in red
    assert "−20%（闲置未清零）" in flat  # 辉县市
