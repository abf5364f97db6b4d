"""``landbank outline import`` / ``export`` from the shell: reports, JSON, exit codes, and the
round trip through files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from landbank.cli import main
from landbank.store.migrate import open_database
from tests.services.outlines.files import jzd_text, rectangle, write_jzd
from tests.services.outlines.ledger import make_ledger, state


@pytest.fixture
def ledger(tmp_path: Path) -> str:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    make_ledger(engine, {"HX-001": 90.0, "HX-002": 80.0})
    engine.dispose()
    return str(path)


def _state(db: str) -> tuple[object, ...]:
    engine = open_database(f"sqlite:///{db}")
    try:
        return state(engine)
    finally:
        engine.dispose()


def test_import_dry_run_then_import_then_export(
    ledger: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = jzd_text(
        [
            ("HX-001", "一号地", [rectangle()]),
            ("HX-002", "二号地", [rectangle(3921000)]),
            ("NOPE", "", [rectangle(3922000)]),
        ]
    )
    path = write_jzd(tmp_path / "红线.txt", text)
    before = _state(ledger)
    assert main(["outline", "import", str(path), "--dry-run", "--json", "--db", ledger]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["counts"]["new"] == 2
    assert data["counts"]["unmatched"] == 1
    assert data["area_mismatches"] == 1
    assert [r["area_mismatch"] for r in data["rows"]] == [False, True, False]
    assert data["rows"][1]["registered_mu"] == 80.0
    assert _state(ledger) == before
    assert main(["outline", "import", str(path), "--db", ledger]) == 0
    out = capsys.readouterr().out
    assert "界址点 红线.txt：3 个红线，按地块编号匹配地块，已导入" in out
    assert "新增红线 2；未匹配 1" in out
    assert "收储面积 80.00 亩，相差 +12.50 %（红线面积不符）" in out
    assert "台账中没有此地块" in out
    assert _state(ledger) != before
    assert main(["outline", "import", str(path), "--db", ledger]) == 0
    assert "与现有红线相同 2" in capsys.readouterr().out
    out_file = tmp_path / "导出.txt"
    assert (
        main(
            [
                "outline",
                "export",
                "-o",
                str(out_file),
                "--codes",
                "HX-002，HX-001",
                "--encoding",
                "utf-8",
                "--db",
                ledger,
            ]
        )
        == 0
    )
    assert "已导出 2 个红线" in capsys.readouterr().out
    assert "J1,1,3921000.000,38500000.000" in out_file.read_text("utf-8")
    geojson = tmp_path / "导出.geojson"
    assert (
        main(
            [
                "outline",
                "export",
                "-o",
                str(geojson),
                "--county",
                "辉县市",
                "--json",
                "--db",
                ledger,
            ]
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["count"] == 2


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["import", "MISSING/红线.txt"], "文件不存在"),
        (["import", "BINARY"], "不是文本文件"),
        (["import", "BAD"], "错误"),
        (["import", "GOOD", "--county", "北京"], "没有名为“北京”的县区"),
        (["import", "GOOD", "--key-field", "DKBH"], "没有名为“DKBH”的属性"),
        (["export", "-o", "TMP/x.xlsx"], "应以 .geojson、.json 或 .txt 结尾"),
        (["export", "-o", "MISSING/x.geojson"], "文件夹不存在"),
        (["export", "-o", "TMP/x.geojson"], "没有可导出的红线"),
        (["export", "-o", "TMP/x.geojson", "--county", "北京"], "没有名为“北京”的县区"),
        (["import", "GOOD", "--db", "TMP/没有.sqlite3"], "数据库文件不存在"),
    ],
)
def test_bad_input_exit_2_in_chinese(
    ledger: str, tmp_path: Path, args: list[str], said: str, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02" * 50)
    write_jzd(tmp_path / "good.txt", jzd_text([("HX-001", "", [rectangle()])]))
    bowtie = [
        (3920000.0, 500000.0),
        (3920200.0, 500300.0),
        (3920200.0, 500000.0),
        (3920000.0, 500300.0),
    ]
    write_jzd(
        tmp_path / "bad.txt", jzd_text([("HX-001", "", [rectangle()]), ("HX-002", "", [bowtie])])
    )
    places = {
        "MISSING": str(tmp_path / "没有"),
        "BINARY": str(tmp_path / "bin.txt"),
        "GOOD": str(tmp_path / "good.txt"),
        "BAD": str(tmp_path / "bad.txt"),
        "TMP": str(tmp_path),
    }
    argv = ["outline"]
    for arg in args:
        for key, value in places.items():
            if arg == key or arg.startswith(key + "/"):
                arg = value + arg[len(key) :]
        argv.append(arg)
    if "--db" not in argv:
        argv += ["--db", ledger]
    before = _state(ledger)
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert said in captured.err + captured.out
    assert "Traceback" not in captured.err + captured.out
    assert _state(ledger) == before


def test_the_landbank_command_in_a_process(ledger: str, tmp_path: Path) -> None:
    path = write_jzd(tmp_path / "红线.txt", jzd_text([("HX-001", "", [rectangle()])], prefix=False))
    run = subprocess.run(
        [sys.executable, "-m", "landbank", "outline", "import", str(path), "--json", "--db", ledger],
        capture_output=True, text=True, timeout=120, encoding="utf-8",
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["rows"][0]["outline_mu"] == 90.0
    broken = tmp_path / "坏.geojson"
    broken.write_bytes(b"\xff\xfe{" * 10)
    run = subprocess.run(
        [sys.executable, "-m", "landbank", "outline", "import", str(broken), "--db", ledger],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    assert "坏.geojson：无法识别文件的编码" in run.stderr
    assert "Traceback" not in run.stderr
