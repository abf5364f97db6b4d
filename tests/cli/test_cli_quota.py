"""``landbank quota`` and ``landbank quota-defaults``: text and JSON, one region, defaults,
and bad input ending with exit code 2 and a Chinese message."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from landbank.cli import main
from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.migrate import open_database

REGIONS = {"辉县市", "获嘉县", "原阳县", "红旗区", "牧野区"}
AS_OF = ["--as-of", "2026-11-24"]  # the demo ledger (tests/cli/conftest.py) is of that day


def _run(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(argv) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    out, _ = _run(capsys, [*argv, "--json"])
    return json.loads(out)


def test_quota_table(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, ["quota", "--year", "2026", "--db", demo_db, *AS_OF])
    lines = out.splitlines()
    assert lines[0] == "2026 年度指标进度（截至 2026-11-24，时序进度 89.9%）"
    header = lines[2]
    for column in ("排名", "县区", "收储目标(亩)", "已收储(亩)", "厂房目标(m²)", "已竣工(m²)",
                   "履约率", "开工率", "资金到位率", "预警(条)"):  # fmt: skip
        assert column in header
    body = lines[4:10]
    assert {line.split()[1] for line in body[:5]} == REGIONS
    assert [line.split()[0] for line in body[:5]] == ["1", "2", "3", "4", "5"]
    assert body[5].split()[0] == "全市合计"
    assert "正常" in out
    assert "严重滞后" in out
    assert "三率（2026 年新签合同项目" in out
    assert "园区招商目标" in out
    assert "预警 " in out
    assert "土地闲置满一年" in out


def test_quota_json_carries_units_in_its_keys(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, ["quota", "--year", "2026", "--db", demo_db, *AS_OF])
    assert (data["year"], data["as_of"], data["pace_pct"]) == (2026, "2026-11-24", 89.86)
    assert {r["region"] for r in data["regions"]} == REGIONS
    first = data["regions"][0]
    for key in ("land_target_mu", "land_done_mu", "land_expected_mu", "land_pct", "land_status",
                "factory_target_m2", "factory_done_m2", "factory_pct", "rank", "score_pct"):  # fmt: skip
        assert key in first
    assert first["rank"] == 1
    assert len(first["monthly"]) == 12
    assert first["monthly"][-1]["land_cumulative_mu"] == pytest.approx(first["land_done_mu"])
    total = data["total"]
    assert total["region"] == "全市合计"
    assert total["land_target_mu"] == 8400.0
    assert total["land_done_mu"] == pytest.approx(sum(r["land_done_mu"] for r in data["regions"]))
    rates = total["rates"]
    assert set(rates) >= {"performance_pct", "start_pct", "funds_pct", "funds_in_place_wan"}
    assert data["alerts"]["count"] == len(data["alerts"]["items"]) > 0
    assert data["alerts"]["by_kind"]["土地闲置满一年"] > 0
    assert data["stock"]["net_land_mu"] > 0
    assert data["pipeline"][0]["stage"] == "线索"
    assert all("signed_500m" in p for p in data["parks"])


def test_one_region_in_detail(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["quota", "--year", "2026", "--region", "辉县市", "--db", demo_db, *AS_OF]
    out, _ = _run(capsys, argv)
    assert out.startswith("辉县市 2026 年度指标进度")
    assert "第 " in out.splitlines()[0]
    assert "当月收储(亩)" in out
    assert "12月" in out
    assert "尚可计入" in out
    data = _json(capsys, argv)
    assert data["region"] == "辉县市"
    assert data["ranked_regions"] == 5
    assert sum(p["area_mu"] for p in data["parcels"]) == pytest.approx(data["land_done_mu"])
    assert sum(f["floor_area_m2"] for f in data["factories"]) == pytest.approx(
        data["factory_done_m2"]
    )
    assert all(p["month"] for p in data["parcels"])
    assert {a["region"] for a in data["alerts"]["items"]} <= {"辉县市"}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["quota", "--year", "2026", "--region", "火星县"], "没有名为“火星县”的县区"),
        (["quota", "--year", "26"], "不是有效的年度"),
        (["quota"], "缺少参数"),
        (["quota", "--year", "2026", "--as-of", "明天"], "不是有效的日期"),
        (["quota-defaults", "--county-land", "很多"], "不是有效的数字"),
        (["quota-defaults", "--county-land", "3公顷", "--reset", "all"], "--reset 不能"),
        (["quota-defaults", "--district-factory", "100万元"], "不适用"),
        (["quota-defaults", "--district-land", "-5"], "不小于 0"),
    ],
)
def test_bad_input_exits_2(
    demo_db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    _, err = _run(capsys, [*argv, "--db", demo_db], code=2)
    assert message in err


def test_missing_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = str(tmp_path / "none.sqlite3")
    _, err = _run(capsys, ["quota", "--year", "2026", "--db", missing], code=2)
    assert "数据库文件不存在" in err
    _run(capsys, ["quota-defaults", "--county-land", "100", "--db", missing], code=2)
    assert not Path(missing).exists()


def test_quota_defaults_show_set_and_reset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "ledger.sqlite3")
    engine = open_database(f"sqlite:///{db}")
    with Session(engine) as session:
        create_record(session, RecordKind.REGION, {"name": "红旗区", "kind": "区"}, user="测试员")
        session.commit()
    engine.dispose()

    out, _ = _run(capsys, ["quota-defaults", "--db", db])
    assert "政策默认" in out
    assert "1,200" in out

    out, _ = _run(
        capsys,
        ["quota-defaults", "--district-land", "100公顷", "--district-factory", "5万平方米",
         "--db", db],
    )  # fmt: skip
    assert "已更新默认年度指标" in out
    assert "本市设定" in out
    shown = {d["region_kind"]: d for d in _json(capsys, ["quota-defaults", "--db", db])}
    assert (shown["区"]["land_target_mu"], shown["区"]["factory_target_m2"]) == (1500.0, 50_000.0)
    assert shown["区"]["source"] == "city"
    assert shown["区"]["updated_by"] == "测试员"
    assert shown["县"]["source"] == "policy"

    data = _json(capsys, ["quota", "--year", "2026", "--db", db, *AS_OF])
    [region] = data["regions"]
    assert (region["land_target_mu"], region["target_source"]) == (1500.0, "市定默认")
    assert region["land_pct"] == 0.0
    assert region["rates"]["performance_pct"] is None  # no contracts: null, not 0

    _run(capsys, ["quota-defaults", "--reset", "district", "--db", db])
    data = _json(capsys, ["quota", "--year", "2026", "--db", db, *AS_OF])
    assert data["regions"][0]["land_target_mu"] == 1200.0


def test_help_explains_the_pace(capsys: pytest.CaptureFixture[str]) -> None:
    out, _ = _run(capsys, ["quota", "--help"])
    assert "90%" in out
    assert "--region" in out
    out, _ = _run(capsys, ["quota-defaults", "--help"])
    assert "2000 亩" in out
