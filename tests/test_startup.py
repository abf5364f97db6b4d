"""What a fresh ``landbank`` process imports: the parsers need no database code, an import
needs neither Alembic (when the ledger is at the newest revision), openpyxl nor NumPy, and the
head revision read from the version scripts is Alembic's."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from landbank.store import migrate
from landbank.store.migrate import (
    current_revision,
    head_revision,
    open_database,
    script_head,
    stored_revision,
)
from tests.services.messy_ledgers import messy_parcels_xlsx

ROOT = Path(__file__).resolve().parent.parent
# ~0.2 s (Alembic), ~0.2 s (openpyxl, which loads NumPy), ~0.1 s (NumPy): not an import's.
NOT_FOR_AN_IMPORT = {"alembic", "openpyxl", "numpy", "PySide6", "landbank.domain.matching"}
NOT_FOR_HELP = NOT_FOR_AN_IMPORT | {"sqlalchemy", "sqlmodel", "pydantic", "landbank.store.models"}


def _run_landbank(argv: list[str]) -> tuple[int, set[str]]:
    """``landbank.cli.main(argv)`` in a fresh interpreter: (exit code, modules it imported)."""
    script = (
        "import json, sys\n"
        "from landbank.cli import main\n"
        f"code = main({argv!r})\n"
        "print('\\n' + json.dumps({'code': code, 'modules': sorted(sys.modules)}))\n"
    )
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert proc.stdout, proc.stderr
    result = json.loads(proc.stdout.splitlines()[-1])
    return result["code"], set(result["modules"])


def _top_level(modules: set[str]) -> set[str]:
    return modules | {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    "argv", [["--help"], ["import", "--help"], ["export", "--help"], ["--version"]]
)
def test_help_imports_no_database_code(argv: list[str]) -> None:
    code, modules = _run_landbank(argv)
    assert code == 0
    assert not _top_level(modules) & NOT_FOR_HELP
    assert "landbank.services.importing.importer" not in modules


def test_the_version_is_read_only_when_asked_for(capsys: pytest.CaptureFixture[str]) -> None:
    """importlib.metadata (~30 ms) is not loaded by a command that does not show the version;
    --version prints it on stdout."""
    code, modules = _run_landbank(["--help"])
    assert code == 0
    assert "importlib.metadata" not in modules
    import landbank
    from landbank.cli.app import main

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"landbank {landbank.__version__}\n"


def test_an_import_needs_neither_alembic_openpyxl_nor_numpy(tmp_path: Path) -> None:
    db = tmp_path / "ledger.sqlite3"
    open_database(f"sqlite:///{db}").dispose()  # at the newest revision
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    code, modules = _run_landbank(["import", "parcels", str(path), "--db", str(db)])
    assert code == 0
    assert "landbank.services.importing.importer" in modules
    assert not _top_level(modules) & NOT_FOR_AN_IMPORT
    code, modules = _run_landbank(["list", "parcels", "--db", str(db)])
    assert code == 0
    assert not _top_level(modules) & NOT_FOR_AN_IMPORT


def test_a_new_ledger_is_still_made_by_alembic(tmp_path: Path) -> None:
    db = tmp_path / "new.sqlite3"
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    code, modules = _run_landbank(["import", "parcels", str(path), "--db", str(db)])
    assert code == 0
    assert "alembic" in modules
    engine = open_database(f"sqlite:///{db}")
    assert current_revision(engine) == head_revision()
    engine.dispose()


def test_the_scripts_head_is_alembics(sqlite_url: str) -> None:
    assert script_head() == head_revision()
    engine = open_database(sqlite_url)
    assert stored_revision(engine) == current_revision(engine) == head_revision()
    engine.dispose()


def test_scripts_the_quick_read_cannot_follow_are_left_to_alembic(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_database(sqlite_url).dispose()
    head = head_revision()
    later = tmp_path / "later_migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, later)
    (later / "versions" / "9002_merge.py").write_text(
        f'revision = "9002"\ndown_revision = ("{head}",)\nbranch_labels = None\n'
        "depends_on = None\n\n\ndef upgrade() -> None:\n    pass\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", later)
    assert script_head() is None
    engine = open_database(sqlite_url)
    assert current_revision(engine) == "9002"
    engine.dispose()


def test_the_command_process_exits_without_a_final_collection(tmp_path: Path) -> None:
    """``landbank import`` as a clerk runs it (``main()`` without arguments: the collector is
    frozen at the end): the report is printed whole and the rows are in the ledger."""
    db = tmp_path / "ledger.sqlite3"
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    script = (
        "import gc, sys\n"
        "from landbank.cli import main\n"
        f"sys.argv = ['landbank', 'import', 'parcels', {str(path)!r}, '--db', {str(db)!r}]\n"
        "code = main()\n"
        "print('frozen', gc.get_freeze_count() > 0)\n"
        "sys.exit(code)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "导入完成" in proc.stdout
    assert proc.stdout.rstrip().endswith("frozen True")
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert conn.execute("SELECT count(*) FROM parcel").fetchone() == (3,)


def test_main_called_with_arguments_leaves_the_collector_alone(sqlite_url: str) -> None:
    import gc

    from landbank.cli import main

    open_database(sqlite_url).dispose()
    before = gc.get_freeze_count()
    assert main(["list", "regions", "--db", sqlite_url]) == 0
    assert gc.get_freeze_count() == before
