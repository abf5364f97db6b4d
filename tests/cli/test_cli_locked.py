"""The command line while another program holds the ledger's write lock, and on a ledger that
cannot be written (issue 13: ``reserve``, ``release`` and ``quota-defaults`` crashed with
``sqlite3.OperationalError: database is locked``; a read-only ledger crashed them too).

- A lock released within the busy timeout: every writing command waits for it and succeeds
  (it cannot return before the holder lets go: the holder keeps the lock until then).
- A lock held past the busy timeout (``LANDBANK_BUSY_TIMEOUT=0.5``): exit 2, the Chinese busy
  message, no traceback, nothing written — in-process and through the real ``landbank``
  entry point.
- A read-only ledger file: writing commands exit 2 with the Chinese read-only message and leave
  the file as it was; reading commands work. In a read-only folder too (SQLite cannot create
  the WAL's files beside it): exit 2, the message, no traceback. File permissions do not bind
  root, so as root these run as the user ``nobody`` (``setpriv``), else they are skipped.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from landbank.cli import main
from landbank.services import errors
from landbank.store.migrate import open_database

TODAY = "2026-11-24"  # the demo city's day
PROJECT = "6"  # 中央厨房及预制菜产业园项目, 在谈: may be given a site
CSV_HEADER = "地块编号,县区,收储面积（亩）,供应状态,整理程度\n"

_HOLDER = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("BEGIN IMMEDIATE")
print("held", flush=True)
sys.stdin.read()  # until the test closes stdin
connection.execute("ROLLBACK")
"""


@contextmanager
def write_lock(path: str | Path) -> Iterator[Callable[[], None]]:
    """Another program holds the ledger's write lock (BEGIN IMMEDIATE) until the returned
    function is called (or the block ends)."""
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None
    assert holder.stdout.readline().strip() == "held"

    def release() -> None:
        if holder.stdin is not None and not holder.stdin.closed:
            holder.stdin.close()
        holder.wait(10)

    try:
        yield release
    finally:
        release()


def _query(db: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return list(connection.execute(sql, params))
    finally:
        connection.close()


def _free_parcel(db: str) -> str:
    rows = _query(db, "SELECT code FROM parcel WHERE status = '可供' AND reserved_project_id IS NULL ORDER BY id")
    return str(rows[0][0])


def _reserve(db: str, code: str) -> list[str]:
    return ["reserve", "--project", PROJECT, "--site", code, "--also", "--today", TODAY, "--db", db]


def _lock_of(db: str, code: str) -> list[tuple[object, ...]]:
    return _query(db, "SELECT reserved_project_id, status FROM parcel WHERE code = ?", code)


def _csv(folder: Path, code: str) -> str:
    path = folder / "新地块.csv"
    path.write_text(CSV_HEADER + f"{code},辉县市,12.5,可供,净地\n", "utf-8")
    path.chmod(0o644)
    return str(path)


# A writing command on a ledger: its arguments, and whether what it writes is there.
Case = tuple[list[str], Callable[[], bool]]


def _case(name: str, demo_db: str, tmp_path: Path) -> Case:
    """The command ``name`` ready to run: on the demo city (``release`` with a site reserved
    first), ``demo`` on an empty ledger."""
    db = demo_db
    match name:
        case "reserve":
            code = _free_parcel(db)
            return _reserve(db, code), lambda: _lock_of(db, code) == [(int(PROJECT), "意向锁定")]
        case "release":
            code = _free_parcel(db)
            assert main(_reserve(db, code)) == 0
            argv = ["release", "--site", code, "--today", TODAY, "--db", db]
            return argv, lambda: _lock_of(db, code) == [(None, "可供")]
        case "quota-defaults":
            argv = ["quota-defaults", "--county-land", "1500", "--db", db]
            sql = "SELECT land_target_mu FROM quota_default WHERE region_kind = '县'"
            return argv, lambda: _query(db, sql) == [(1500.0,)]
        case "import":
            argv = ["import", "parcels", _csv(tmp_path, "锁-001"), "--db", db]
            return argv, lambda: _query(db, "SELECT area_mu FROM parcel WHERE code = '锁-001'") == [(12.5,)]
        case "settings":
            argv = ["settings", "--city", "锁城市", "--db", db]
            return argv, lambda: _query(db, "SELECT city FROM ledger_info") == [("锁城市",)]
        case "demo":
            db = str(tmp_path / "空台账.sqlite3")
            open_database(f"sqlite:///{db}").dispose()
            return ["demo", "--year", "2026", "--db", db], lambda: _query(db, "SELECT count(*) FROM parcel") != [(0,)]
    raise AssertionError(name)


WRITING = ["reserve", "release", "quota-defaults", "import", "settings", "demo"]


def _db_of(argv: list[str]) -> str:
    return argv[argv.index("--db") + 1]


@pytest.mark.parametrize("name", WRITING)
def test_a_command_waits_for_another_programs_write_and_then_writes(
    name: str, demo_db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv, written = _case(name, demo_db, tmp_path)
    capsys.readouterr()
    released = threading.Event()
    with write_lock(_db_of(argv)) as release:

        def let_go() -> None:
            released.set()
            release()

        timer = threading.Timer(0.8, let_go)  # well within the default 5 s busy timeout
        timer.start()
        try:
            code = main(argv)
        finally:
            timer.cancel()
        finished_after_release = released.is_set()
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert finished_after_release  # it waited for the lock: the holder kept it until then
    assert written()
    assert "Traceback" not in captured.err


def _state(db: str) -> list[tuple[object, ...]]:
    """What any of the commands would change: audit entries, versions, defaults, identity."""
    return _query(
        db,
        "SELECT (SELECT count(*) FROM audit_log), (SELECT total(version) FROM parcel),"
        " (SELECT count(*) FROM parcel), (SELECT count(*) FROM quota_default),"
        " (SELECT group_concat(city) FROM ledger_info)",
    )


@pytest.mark.parametrize("name", WRITING)
def test_a_lock_held_past_the_busy_timeout_is_a_chinese_message_and_exit_2(
    name: str,
    demo_db: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv, written = _case(name, demo_db, tmp_path)
    db = _db_of(argv)
    before = _state(db)
    monkeypatch.setenv("LANDBANK_BUSY_TIMEOUT", "0.5")
    capsys.readouterr()
    with write_lock(db):
        code = main(argv)
    captured = capsys.readouterr()
    assert code == 2
    assert errors.BUSY in captured.err + captured.out  # import --json would say it on stdout
    assert "Traceback" not in captured.err
    assert not written()
    assert _state(db) == before


@pytest.mark.parametrize("name", ["reserve", "quota-defaults", "import"])
def test_the_landbank_command_says_busy_without_a_traceback(
    name: str, demo_db: str, tmp_path: Path
) -> None:
    argv, written = _case(name, demo_db, tmp_path)
    env = {**os.environ, "LANDBANK_BUSY_TIMEOUT": "0.5"}
    with write_lock(demo_db):
        run = subprocess.run(
            [sys.executable, "-m", "landbank", *argv],
            env=env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
    assert run.returncode == 2, run.stderr
    assert errors.BUSY in run.stderr
    assert "Traceback" not in run.stderr
    assert not written()


# ---------------------------------------------------------------- a ledger that cannot be written


def _as_other_user() -> list[str]:
    """The command prefix that runs a program as a user file permissions bind: nothing when
    not root; as root ``setpriv`` to ``nobody``; the test is skipped when neither works."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("as root, file permissions bind nobody, and setpriv is missing")
    prefix = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    probe = subprocess.run([*prefix, sys.executable, "-c", "import landbank"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"landbank cannot run as nobody here: {probe.stderr[-300:]!r}")
    return prefix


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder the other user can reach (pytest's own are root's alone)."""
    folder = Path(tempfile.mkdtemp(prefix="landbank-readonly-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir():
                path.chmod(0o755)
        shutil.rmtree(folder)


def _run_as_other(prefix: list[str], home: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HOME": str(home),
        "LANDBANK_CONFIG_DIR": str(home / "config"),
        "LANDBANK_DATA_DIR": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "xdg"),
    }
    return subprocess.run(
        [*prefix, sys.executable, "-m", "landbank", *argv],
        env=env, capture_output=True, text=True, timeout=120, cwd=home,
    )  # fmt: skip


def _read_only_ledger(demo_db: str, folder: Path, *, folder_read_only: bool) -> tuple[str, Path, str]:
    ledger_folder = folder / "台账"
    ledger_folder.mkdir()
    ledger = ledger_folder / "只读.sqlite3"
    shutil.copy(demo_db, ledger)
    ledger.chmod(0o444)
    ledger_folder.chmod(0o555 if folder_read_only else 0o777)
    home = folder / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)  # whatever the umask
    return str(ledger), home, _csv(home, "只读-001")


def _writes(ledger: str, csv: str, parcel: str) -> dict[str, list[str]]:
    return {
        "reserve": _reserve(ledger, parcel),
        "quota-defaults": ["quota-defaults", "--county-land", "1500", "--db", ledger],
        "import": ["import", "parcels", csv, "--db", ledger],
        "settings": ["settings", "--city", "只读市", "--db", ledger],
    }


def test_a_read_only_ledger_refuses_writes_with_a_message_and_still_reads(
    demo_db: str, shared_folder: Path
) -> None:
    prefix = _as_other_user()
    ledger, home, csv = _read_only_ledger(demo_db, shared_folder, folder_read_only=False)
    digest = hashlib.sha256(Path(ledger).read_bytes()).hexdigest()
    for name, argv in _writes(ledger, csv, _free_parcel(demo_db)).items():
        run = _run_as_other(prefix, home, argv)
        assert run.returncode == 2, (name, run.stderr[-2000:])
        assert errors.READONLY in run.stderr, (name, run.stderr[-2000:])
        assert "Traceback" not in run.stderr
    assert hashlib.sha256(Path(ledger).read_bytes()).hexdigest() == digest
    for argv in (["list", "parcels", "--limit", "3", "--db", ledger], ["quota-defaults", "--db", ledger]):
        run = _run_as_other(prefix, home, argv)
        assert run.returncode == 0, run.stderr[-2000:]
        assert "Traceback" not in run.stderr
    assert stat.S_IMODE(Path(ledger).stat().st_mode) == 0o444


def test_a_ledger_in_a_read_only_folder_is_a_message_for_every_command(
    demo_db: str, shared_folder: Path
) -> None:
    prefix = _as_other_user()
    ledger, home, csv = _read_only_ledger(demo_db, shared_folder, folder_read_only=True)
    commands = {**_writes(ledger, csv, _free_parcel(demo_db)), "list": ["list", "parcels", "--db", ledger]}
    for name, argv in commands.items():
        run = _run_as_other(prefix, home, argv)
        assert run.returncode == 2, (name, run.stderr[-2000:])
        assert "只读" in run.stderr, (name, run.stderr[-2000:])
        assert "Traceback" not in run.stderr
    assert sorted(p.name for p in Path(ledger).parent.iterdir()) == ["只读.sqlite3"]
