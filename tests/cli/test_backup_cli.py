"""``landbank backup`` and ``landbank restore``: a backup into 备份/ or a chosen file, the list, a
restore with --yes or after a question on a terminal; refusals (exit 2, a Chinese reason, no
traceback, the ledger unchanged)."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path

import pytest

from landbank.cli import main

PG_URL = "postgresql://postgres@127.0.0.1:5432/landbank"


def _content(path: Path) -> str:
    """A digest of what the ledger holds (every table's rows), whatever its file looks like."""
    with closing(sqlite3.connect(path)) as conn:
        return hashlib.sha256("\n".join(conn.iterdump()).encode()).hexdigest()


def _parcels(path: Path) -> int:
    with closing(sqlite3.connect(path)) as conn:
        return int(conn.execute("SELECT count(*) FROM parcel").fetchone()[0])


def _delete_parcels(path: Path, how_many: int) -> None:
    with closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(
            "DELETE FROM parcel WHERE id IN (SELECT id FROM parcel ORDER BY id LIMIT ?)",
            (how_many,),
        )


def _backup(capsys: pytest.CaptureFixture[str], db: str, *more: str) -> Path:
    """Run ``landbank backup``; the path it names."""
    capsys.readouterr()
    assert main(["backup", "--db", db, *more]) == 0
    out = capsys.readouterr().out
    assert out.startswith("已备份台账 演示.sqlite3 到 ")
    path = Path(out.split(" 到 ", 1)[1].split("（", 1)[0])
    assert path.is_file()
    return path


def _refused(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    capsys.readouterr()
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "Traceback" not in captured.err
    assert captured.err.startswith("landbank：")
    return captured.err


def test_backup_into_the_backup_folder_and_the_list(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = Path(demo_db)
    first = _backup(capsys, demo_db)
    assert first.parent == ledger.parent / "备份"
    assert first.name.startswith("演示-")
    assert first.name.endswith("-manual.sqlite3")
    assert _content(first) == _content(ledger)
    second = _backup(capsys, demo_db)
    assert second != first

    assert main(["backup", "--list", "--db", demo_db]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("台账 演示.sqlite3 的备份（2 份，文件夹：")
    assert "日期" in lines[1]
    assert "类型" in lines[1]
    assert "大小" in lines[1]
    assert "文件" in lines[1]
    assert second.name in out
    assert first.name in out
    assert out.count("手动") == 2
    assert " KB" in out or " MB" in out

    assert main(["backup", "--list", "--json", "--db", demo_db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [item["file"] for item in listed] == [str(second), str(first)]
    assert {item["kind_label"] for item in listed} == {"手动"}
    assert listed[0]["size_bytes"] == second.stat().st_size


def test_the_list_of_a_ledger_without_backups(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--list", "--db", demo_db]) == 0
    assert capsys.readouterr().out.startswith("台账 演示.sqlite3 还没有备份（备份文件夹：")
    assert main(["backup", "--list", "--json", "--db", demo_db]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_backup_into_a_chosen_file(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "U盘" / "交接备份.sqlite3"
    target.parent.mkdir()
    assert _backup(capsys, demo_db, "-o", str(target)) == target
    assert _content(target) == _content(Path(demo_db))
    assert not (Path(demo_db).parent / "备份").exists()  # not a backup of the folder
    assert sorted(p.name for p in target.parent.iterdir()) == ["交接备份.sqlite3"]


def test_backup_into_a_folder_that_cannot_be_written(
    demo_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    locked = tmp_path / "只读"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        if os.access(locked, os.W_OK):  # root writes anyway: the system says no as it would

            def refuse(*_args: object, **_kwargs: object) -> tuple[int, str]:
                raise PermissionError(13, "Permission denied")

            monkeypatch.setattr(tempfile, "mkstemp", refuse)
        err = _refused(capsys, ["backup", "-o", str(locked / "x.sqlite3"), "--db", demo_db])
        assert f"无法在文件夹 {locked} 中写入备份：没有写入权限" in err
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)
    err = _refused(capsys, ["backup", "-o", str(tmp_path / "没有" / "x.sqlite3"), "--db", demo_db])
    assert "文件夹不存在" in err
    err = _refused(capsys, ["backup", "-o", demo_db, "--db", demo_db])
    assert "就是当前台账本身" in err


def test_wrong_options_and_missing_or_server_ledgers(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "--json 只能与 --list 一起使用" in _refused(
        capsys, ["backup", "--json", "--db", demo_db]
    )
    assert "不能同时使用" in _refused(capsys, ["backup", "--list", "-o", "x", "--db", demo_db])
    missing = tmp_path / "没有的台账.sqlite3"
    assert "台账文件不存在" in _refused(capsys, ["backup", "--db", str(missing)])
    assert not missing.exists()
    for argv in (["backup"], ["backup", "--list"], ["restore", demo_db, "--yes"]):
        err = _refused(capsys, [*argv, "--db", PG_URL])
        assert "PostgreSQL" in err
        assert "pg_dump" in err


# ---------------------------------------------------------------- restore


def test_restore_with_yes(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    ledger = Path(demo_db)
    backup = _backup(capsys, demo_db)
    before = _content(ledger)
    _delete_parcels(ledger, 50)  # a morning's mistake
    assert _parcels(ledger) == 150

    assert main(["restore", str(backup), "--yes", "--db", demo_db]) == 0
    out = capsys.readouterr().out
    assert f"已用 {backup.name} 恢复台账" in out
    assert "恢复前的台账已备份为 " in out
    assert _content(ledger) == before
    assert _parcels(ledger) == 200
    saved = Path(out.split("恢复前的台账已备份为 ", 1)[1].split("。", 1)[0])
    assert saved.name.endswith("-before-restore.sqlite3")
    assert _parcels(saved) == 150  # the mistake too can be had back


def test_restore_without_yes_refuses_off_a_terminal(
    demo_db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger = Path(demo_db)
    backup = _backup(capsys, demo_db)
    _delete_parcels(ledger, 10)
    current = _content(ledger)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # piped, not a terminal
    err = _refused(capsys, ["restore", str(backup), "--db", demo_db])
    assert "--yes" in err
    assert _content(ledger) == current
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # no 恢复前 copy either


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("answer", "code", "parcels"), [("n\n", 1, 190), ("", 1, 190), ("y\n", 0, 200)]
)
def test_restore_asks_on_a_terminal(
    demo_db: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    answer: str,
    code: int,
    parcels: int,
) -> None:
    ledger = Path(demo_db)
    backup = _backup(capsys, demo_db)
    _delete_parcels(ledger, 10)
    monkeypatch.setattr(sys, "stdin", _Terminal(answer))
    assert main(["restore", str(backup), "--db", demo_db]) == code
    out = capsys.readouterr().out
    assert f"将用备份 {backup.name}（" in out
    assert "手动备份）替换当前台账" in out
    assert "确定恢复吗？" in out
    assert ("未恢复。" in out) == (code == 1)
    assert _parcels(ledger) == parcels


def _newer_schema(source: Path, target: Path) -> Path:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dest:
        src.backup(dest)
        with dest:
            dest.execute("UPDATE alembic_version SET version_num = 'f00dcafe'")
        dest.execute("PRAGMA journal_mode=DELETE")
    return target


def test_files_that_cannot_be_restored(
    demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = Path(demo_db)
    backup = _backup(capsys, demo_db)
    _delete_parcels(ledger, 5)
    current = _content(ledger)
    photo = tmp_path / "照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40)
    empty_db = tmp_path / "空的.sqlite3"
    with closing(sqlite3.connect(empty_db)) as conn:
        conn.execute("CREATE TABLE t (x)")
    truncated = tmp_path / "半截.sqlite3"
    truncated.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])
    newer = _newer_schema(backup, tmp_path / "新版本.sqlite3")
    cases = {
        photo: "照片.jpg 不是 landbank 台账（不是 SQLite 数据库文件）",
        empty_db: "空的.sqlite3 不是 landbank 台账（没有数据表 alembic_version、region、parcel）",
        truncated: "半截.sqlite3 已损坏或不完整，不能用于恢复",
        newer: "新版本.sqlite3 由更新版本的 landbank 创建（架构版本 f00dcafe）",
        tmp_path / "没有.sqlite3": "文件不存在",
        tmp_path: "不是文件",
        ledger: "就是当前台账本身",
    }
    for source, reason in cases.items():
        err = _refused(capsys, ["restore", str(source), "--yes", "--db", demo_db])
        assert reason in err, err
        assert _content(ledger) == current
    assert [p.name for p in backup.parent.iterdir()] == [backup.name]  # nothing backed up
    # The files looked at are left as they were: nothing written beside them.
    assert sorted(
        p.name for p in tmp_path.iterdir() if p.name.startswith(("半截", "新版本", "空的"))
    ) == [
        "半截.sqlite3",
        "新版本.sqlite3",
        "空的.sqlite3",
    ]
