"""``landbank attach`` and ``landbank attachments`` on the demo city (issue 15 part 5): add a
photo and a 红线图 to a parcel by its code, list them (text and JSON), save one, remove one;
bad input ends with exit 2, the reason in Chinese, no traceback and the ledger unchanged."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from landbank.cli import main
from tests.services.attachments.files import pdf, plain_zip, png


@pytest.fixture
def place(demo_db: str, tmp_path: Path) -> dict[str, str]:
    with sqlite3.connect(demo_db) as conn:
        parcel, park = conn.execute(
            "SELECT (SELECT code FROM parcel ORDER BY id LIMIT 1), (SELECT name FROM park ORDER BY id LIMIT 1)"
        ).fetchone()
    conn.close()
    (tmp_path / "现场.png").write_bytes(png(40, 30))
    (tmp_path / "红线图.pdf").write_bytes(pdf())
    (tmp_path / "伪装.jpg").write_bytes(plain_zip())
    (tmp_path / "空.png").write_bytes(b"")
    return {"db": demo_db, "parcel": parcel, "park": park, "tmp": str(tmp_path)}


def _state(db: str) -> tuple[object, ...]:
    conn = sqlite3.connect(db)
    try:
        return tuple(
            conn.execute(
                "SELECT (SELECT count(*) FROM attachment), (SELECT count(*) FROM audit_log),"
                " (SELECT total(size_bytes) FROM attachment)"
            ).fetchone()
        )
    finally:
        conn.close()


def test_attach_list_save_and_remove(place: dict[str, str], capsys: pytest.CaptureFixture[str]) -> None:
    db, code, tmp = place["db"], place["parcel"], Path(place["tmp"])
    assert main(["attach", code, str(tmp / "现场.png"), "--db", db]) == 0
    assert f"已给地块“{code}”添加附件：照片 现场.png（" in capsys.readouterr().out
    assert main(["attach", code, str(tmp / "红线图.pdf"), "--note", "自然资源局盖章", "--db", db]) == 0
    assert main(["attach", place["park"], str(tmp / "现场.png"), "--kind", "园区", "--db", db]) == 0
    capsys.readouterr()

    assert main(["attachments", code, "--db", db]) == 0
    text = capsys.readouterr().out
    assert "序号" in text
    assert "红线图.pdf（自然资源局盖章）" in text
    lines = text.splitlines()
    assert lines[2].split()[:3] == ["1", "照片", "现场.png"]
    assert lines[3].split()[1] == "红线图"
    assert "共 2 个" in lines[-1]
    assert main(["attachments", code, "--json", "--db", db]) == 0
    data = json.loads(capsys.readouterr().out)
    assert [(a["index"], a["category"], a["file_name"]) for a in data["attachments"]] == [
        (1, "照片", "现场.png"), (2, "红线图", "红线图.pdf")
    ]  # fmt: skip
    assert data["attachments"][1]["size_bytes"] == len(pdf())

    out = tmp / "导出的红线图.pdf"
    assert main(["attachments", code, "--save", "2", "-o", str(out), "--db", db]) == 0
    assert out.read_bytes() == pdf()
    assert main(["attachments", code, "--remove", "1", "--yes", "--db", db]) == 0
    assert "已删除" in capsys.readouterr().out
    assert main(["attachments", code, "--json", "--db", db]) == 0
    assert [a["file_name"] for a in json.loads(capsys.readouterr().out)["attachments"]] == ["红线图.pdf"]
    conn = sqlite3.connect(db)
    fields = conn.execute(
        "SELECT user, source, new_value IS NULL FROM audit_log WHERE field = '附件' ORDER BY id"
    ).fetchall()
    conn.close()
    assert [(src, gone) for _u, src, gone in fields] == [("命令行", 0)] * 3 + [("命令行", 1)]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["attach", "PARCEL", "TMP/伪装.jpg"], "内容不是JPEG 图片"),
        (["attach", "PARCEL", "TMP/空.png"], "空文件"),
        (["attach", "PARCEL", "TMP/没有.png"], "文件不存在"),
        (["attach", "PARCEL", "TMP"], "是一个文件夹"),
        (["attach", "PARCEL", "TMP/红线图.pdf", "--category", "照片"], "不能归为照片"),
        (["attach", "PARCEL", "TMP/现场.png", "--category", "乱写"], "不是附件类别"),
        (["attach", "PARCEL", "TMP/现场.png", "--kind", "行政区"], "不是可添加附件的记录类别"),
        (["attach", "不存在的编号", "TMP/现场.png"], "没有编号或名称为“不存在的编号”"),
        (["attach", "99999999", "TMP/现场.png", "--kind", "地块"], "没有编号或名称为“99999999”的地块"),
        (["attach", "PARCEL", "TMP/现场.png", "--region", "不存在县"], "没有名为“不存在县”的县区"),
        (["attach", "PARCEL", "TMP/现场.png", "--note", "一\n二"], "控制字符"),
        (["attachments", "PARCEL", "--save", "1"], "--save 需要用 -o"),
        (["attachments", "PARCEL", "--save", "0", "-o", "TMP/x.png"], "附件序号"),
        (["attachments", "PARCEL", "--save", "3", "-o", "TMP/x.png"], "只有 1 个附件，没有第 3 个"),
        (["attachments", "PARCEL", "--save", "1", "-o", "TMP/没有/x.png"], "文件夹不存在"),
        (["attachments", "PARCEL", "--remove", "1"], "请加 --yes"),
        (["attachments", "PARCEL", "--remove", "2", "--yes"], "没有第 2 个"),
        (["attachments", "PARCEL", "--remove", "1", "--save", "1"], "不能与参数"),
        (["attachments", "PARCEL", "-o", "TMP/x.png"], "-o 只与 --save"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(
    place: dict[str, str], capsys: pytest.CaptureFixture[str], args: list[str], said: str
) -> None:
    db, tmp = place["db"], place["tmp"]
    assert main(["attach", place["parcel"], f"{tmp}/现场.png", "--db", db]) == 0
    before = _state(db)
    capsys.readouterr()
    argv = [a.replace("PARCEL", place["parcel"]).replace("TMP", tmp) for a in args]
    assert main([*argv, "--db", db]) == 2
    err = capsys.readouterr().err
    assert said in err, err
    assert "Traceback" not in err
    assert _state(db) == before


def test_the_same_file_twice_and_a_real_process(place: dict[str, str]) -> None:
    db, code, tmp = place["db"], place["parcel"], place["tmp"]
    run = [sys.executable, "-m", "landbank", "attach", code, f"{tmp}/现场.png", "--db", db]
    first = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    before = _state(db)
    again = subprocess.run(run, capture_output=True, text=True, timeout=120)
    assert again.returncode == 2
    assert "已是地块" in again.stderr
    assert "未重复添加" in again.stderr
    assert "Traceback" not in again.stderr
    assert _state(db) == before
