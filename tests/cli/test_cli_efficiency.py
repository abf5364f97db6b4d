"""``landbank efficiency`` (issue 16 item 6): the county's firms of a year with each indicator,
score and class; the scheme shown and set (weights, multiple, fixed bases); bad values exit 2
naming them, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from landbank.cli import main
from landbank.store.engine import read_session
from landbank.store.migrate import open_database
from landbank.store.models import EfficiencyScheme
from tests.services.efficiency.ledger import D_FIRM, make_ledger


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    make_ledger(engine)
    engine.dispose()
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(argv) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_the_ranking_as_text_and_json(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, ["efficiency", "--year", "2025", "--county", "获嘉", "--db", db])
    lines = out.splitlines()
    assert lines[0] == "获嘉县 2025 年度亩均效益评价（A 类 2 家，B 类 5 家，C 类 3 家，D 类 1 家，T 类 1 家）"
    assert lines[1].startswith("评价方法：黄岩：亩均税收 30、亩均增加值 20")
    assert "亩均税收 10.00 万元/亩" in lines[2]
    header = next(line for line in lines if line.startswith("排名"))
    for column in ("地块", "受让单位", "面积(亩)", "亩均税收(万元/亩)", "得分", "类别"):
        assert column in header
    first = next(line for line in lines if line.strip().startswith("1 "))
    assert first.split()[:4] == ["1", "HJ-01", "企业01", "10.00"]
    assert first.split()[-2:] == ["330.00", "A"]
    d_line = next(line for line in lines if D_FIRM in line)
    assert d_line.split()[-1] == "D"
    data = json.loads(_run(capsys, ["efficiency", "--year", "2025", "--db", db, "--json"])[0])
    counties = {c["county"]: c for c in data["counties"]}
    hj = counties["获嘉县"]
    assert hj["bases"]["亩均税收"] == 10.0
    assert hj["units"]["亩均税收"] == "万元/亩"
    firm = hj["firms"][0]
    assert firm["parcel_code"] == "HJ-01"
    assert firm["measures"]["亩均税收"] == 110.0
    assert firm["score"] == 330.0
    assert firm["class"] == "A"
    assert [f["class"] for f in counties["辉县市"]["firms"]] == ["B"]


def test_the_scheme_shown_and_set(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, ["efficiency", "scheme", "--county", "获嘉县", "--db", db])
    assert out.strip().endswith("（来自 预设（黄岩））")
    argv = ["efficiency", "scheme", "--county", "获嘉县", "--preset", "淮安",
            "--weight", "亩均税收=50", "--weight", "亩均销售收入=30", "--multiple", "1.5",
            "--base", "亩均税收=20", "--db", db, "--json"]  # fmt: skip
    data = json.loads(_run(capsys, argv)[0])
    assert data["preset"] == "淮安2024"
    assert data["weights"] == {"亩均税收": 50.0, "亩均销售收入": 30.0, "单位能耗增加值": 20.0}
    assert data["base_multiple"] == 1.5
    assert data["fixed_bases"] == {"亩均税收": 20.0}
    assert data["source"] == "获嘉县"
    out, _ = _run(capsys, ["efficiency", "--year", "2025", "--county", "获嘉县", "--db", db])
    assert "亩均税收 20.00 万元/亩" in out  # the fixed base
    assert "亩均销售收入 150.00 万元/亩" in out  # 2024 average 100 × 1.5


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "2025", "--county", "不存在县"], "不存在县"),
        ([], "--year"),
        (["scheme", "--preset", "南京"], "评价方法“南京”未知"),
        (["scheme", "--preset", "淮安", "--weight", "亩均税收=90"], "各指标权重合计应为 100，现为 145"),
        (["scheme", "--preset", "淮安", "--weight", "亩均利润=10"], "指标“亩均利润”未知"),
        (["scheme", "--preset", "淮安", "--weight", "亩均税收"], "应写成 指标=数值"),
        (["scheme", "--preset", "淮安", "--weight", "亩均税收=很多"], "亩均税收的权重“很多”不是数字"),
        (["scheme", "--preset", "淮安", "--multiple", "0"], "基准值倍数应大于 0"),
        (["scheme", "--preset", "淮安", "--multiple", "inf"], "不是有限的数"),
        (["scheme", "--weight", "亩均税收=45"], "须同时给出 --preset"),
        (["scheme", "--preset", "黄岩", "--base", "亩均销售收入=5"], "亩均销售收入不在评价指标中"),
    ],
)
def test_bad_values_exit_2_and_write_nothing(
    db: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    _out, err = _run(capsys, ["efficiency", *args, "--db", db], code=2)
    assert message in err
    assert "Traceback" not in err
    engine = open_database(f"sqlite:///{db}")
    with read_session(engine) as s:
        assert s.execute(select(func.count()).select_from(EfficiencyScheme)).scalar() == 0
    engine.dispose()


def test_a_year_nobody_reported(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, ["efficiency", "--year", "2019", "--db", db])
    assert out.strip() == "2019 年度没有企业报送经营数据"
