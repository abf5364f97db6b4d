"""``landbank report pledge --project P --site S -o FILE.pdf``: the 标准地指标承诺书 (issue 16
item 3) on the demo city — its text read back with pdftotext, a failing parcel printed marked,
bad names refused with exit 2."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from landbank.cli import main

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler")


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def _project(capsys: pytest.CaptureFixture[str], db: str, name: str) -> dict[str, Any]:
    records = _json(capsys, ["--db", db, "list", "projects", "--limit", "0", "--json"])["records"]
    return next(r for r in records if r["name"] == name)


def test_a_pledge_lists_the_parcel_the_project_and_the_indicators(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The demo's 面制品 project (4,600 万元, 370 万元 of tax) on the 15 亩 parcel asking 200 and
    30 万元/亩: printed, 投资强度 通过 and 亩均税收 不符, with a note at the top."""
    db = ["--db", demo_db]
    project = _project(capsys, demo_db, "年产 20 万吨优质面制品项目")
    parcels = _json(capsys, [*db, "list", "parcels", "--limit", "0", "--json"])["records"]
    [site] = [p for p in parcels if p["target_industry"] == "纺织服装" and p["area_mu"] == 15.0
              and p["status"] == "可供"]  # fmt: skip
    out = tmp_path / "承诺书.pdf"
    capsys.readouterr()
    argv = [*db, "report", "pledge", "--project", project["name"], "--site", site["code"],
            "--region", "辉县市", "-o", str(out), "--as-of", "2026-11-24"]  # fmt: skip
    assert main(argv) == 0
    assert f"已保存报表：{out}（1 页）" in capsys.readouterr().out
    text = _text(out)
    for expected in (
        "标准地指标承诺书",
        "新乡市商务局",
        site["code"],
        "15.00 亩",
        project["name"],
        project["investor"],
        project["credit_code"],
        "固定资产投资强度 ≥200.00 万元/亩 306.67 万元/亩",
        "总投资 4,600.00 万元",  # the arithmetic (wrapped in its cell)
        "亩均税收 ≥30.00 万元/亩 24.67 万元/亩",
        "预计年税收 370.00 万元",
        "✗ 不符",
        "✓ 通过",
        "○ 承诺",
        "国家标准",
        "注意：本项目在该地块的亩均税收未达到标准（标“不符”）",
        "按合同约定承担违约责任",
        "承诺单位（盖章）",
        "法定代表人（签字）",
        "见证单位：辉县市商务局",
        "打印日期：2026-11-24",
    ):
        assert expected in text, expected
    # The PNG the clerk would look at renders (one page, not blank).
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(out), str(tmp_path / "p")], check=True)
        [png] = list(tmp_path.glob("p-*.png"))
        assert png.stat().st_size > 10_000


def test_a_pledge_by_id_that_meets_every_indicator_has_no_note(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", demo_db]
    project = _project(capsys, demo_db, "年产 100 台（套）智能起重装备项目")
    found = _json(capsys, [*db, "match", "--project", str(project["id"]), "--json", "--top", "20",
                           "--today", "2026-11-24"])  # fmt: skip
    meeting = [c for c in found["candidates"]
               if c["standard"] and c["standard"]["verdict"] == "符合"]  # fmt: skip
    assert meeting
    code = meeting[0]["sites"][0]["code"]
    out = tmp_path / "ok.pdf"
    assert main([*db, "report", "pledge", "--project", str(project["id"]), "--site", code,
                 "-o", str(out)]) == 0  # fmt: skip
    text = _text(out)
    assert "注意：" not in text
    assert "不符" not in text
    packed = text.replace(" ", "")  # a long source (县区·园区·产业) may wrap in its cell
    for check in meeting[0]["standard"]["checks"]:
        assert check["requirement"].replace(" ", "") in packed
        assert check["source"].replace(" ", "") in packed


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--project", "不存在的项目", "--site", "HX2025-002"], "没有名为“不存在的项目”的项目"),
        (["--project", "1", "--site", "不存在"], "没有编号为“不存在”的地块或厂房"),
        (["--project", "1", "--site", "HX2025-002", "--region", "获嘉县"],
         "没有编号为“HX2025-002”的地块或厂房"),  # another county's parcel
        (["--project", "1", "--site", "HX2025-002", "--region", "不存在县"], "不存在县"),
        (["--project", "1"], "pledge 承诺书需要 --project 项目 和 --site 地块编号"),
        (["--site", "HX2025-002"], "pledge 承诺书需要 --project 项目 和 --site 地块编号"),
    ],
)
def test_bad_names_are_refused_in_chinese(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    out = tmp_path / "x.pdf"
    capsys.readouterr()
    assert main(["--db", demo_db, "report", "pledge", *args, "-o", str(out)]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_a_building_has_no_pledge(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    factories = _json(capsys, ["--db", demo_db, "list", "factories", "--limit", "1", "--json"])
    code = factories["records"][0]["code"]
    capsys.readouterr()
    argv = ["--db", demo_db, "report", "pledge", "--project", "1", "--site", code, "-o",
            str(tmp_path / "x.pdf")]  # fmt: skip
    assert main(argv) == 2
    assert f"“{code}”是厂房，标准地指标承诺书只用于地块" in capsys.readouterr().err
