"""The frozen folder, built once by ``packaging/build.py`` (PyInstaller) and run as a clerk's
PC runs it: no Python on PATH, no PYTHONPATH, no venv, home and app data in a temporary
folder. It prints its version, creates the demo city, renders the window, imports a
township's ledger (the gazetteer and the import synonyms load from the bundle), prints a
report with Chinese text, and keeps its data in the user's data folder.

About a minute to build here (2 cores); deselect with ``-m "not bundle"``.
"""

from __future__ import annotations

import json
import locale
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtGui import QImage

import landbank
from tests.packaging.conftest import ROOT, load

pytestmark = pytest.mark.bundle

WINDOWS = sys.platform == "win32"
contents = load("contents")


@dataclass(frozen=True)
class Frozen:
    folder: Path
    env: dict[str, str]
    home: Path

    @property
    def cli(self) -> Path:
        """The executable the subcommands run from (the console one on Windows)."""
        return self.folder / ("landbank-cli.exe" if WINDOWS else "landbank")

    def run(self, *args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
        # --json output is UTF-8 whatever the console's code page (cli/app.py); text output
        # on Windows is in the console's (cp936 on a Chinese PC).
        utf8 = not WINDOWS or "--json" in args
        return subprocess.run(
            [str(self.cli), *map(str, args)],
            env=self.env,
            cwd=cwd or self.home,
            capture_output=True,
            text=True,
            encoding="utf-8" if utf8 else locale.getpreferredencoding(False),
            errors="replace",
            timeout=300,
            check=False,
        )


def _bare_env(root: Path) -> tuple[dict[str, str], Path]:
    """An environment with nothing of Python in it: PATH is an empty folder."""
    empty = root / "empty-path"
    home = root / "home"
    empty.mkdir()
    home.mkdir()
    env = {
        "PATH": str(empty),
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": "C.UTF-8",  # a desktop's locale; Qt warns on plain C
    }
    if WINDOWS:
        env |= {
            "SYSTEMROOT": os.environ.get("SYSTEMROOT", r"C:\Windows"),
            "USERPROFILE": str(home),
            "APPDATA": str(home / "AppData" / "Roaming"),
            "LOCALAPPDATA": str(home / "AppData" / "Local"),
            # platformdirs asks Windows for the known folders (SHGetKnownFolderPath), not the
            # variables above: these override them (seen building the folder under Wine).
            "WIN_PD_OVERRIDE_APPDATA": str(home / "AppData" / "Roaming"),
            "WIN_PD_OVERRIDE_LOCAL_APPDATA": str(home / "AppData" / "Local"),
            "TEMP": str(home),
            "TMP": str(home),
        }
    return env, home


@pytest.fixture(scope="module")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Frozen:
    root = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "packaging" / "build.py"),
            "--out",
            str(root / "dist"),
            "--work",
            str(root / "work"),
            "--no-zip",
            "--quiet",
        ],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=1800,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-5000:]
    folder = root / "dist" / f"landbank-{landbank.__version__}-{contents.platform_tag()}"
    assert folder.is_dir(), result.stdout[-3000:]
    env, home = _bare_env(root)
    return Frozen(folder, env, home)


def _ok(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    return result.stdout


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{tool} is required under CI")
    pytest.skip(f"needs {tool}")


LEDGER_ROWS: list[list[object]] = [
    ["序号", "乡镇", "地块位置", "面积（亩）", "收储时间", "土地现状", "规划用途", "意向企业", "备注"],
    [1, "太山镇", "太山镇经二路东侧", 66.75, "2025年5月16日", "三通一平", "工业用地", None, None],
    [2, "亢村镇", "亢村镇纬三路北侧", "28.77", "2025.4", "净地", "工业用地", "河南某公司", None],
    [3, "冯庄镇", "冯庄镇新乡西站物流园北", "约117.35亩", "2025.6", "正在拆迁", "工业用地", None, "待报批"],
]  # fmt: skip


def _township_ledger(path: Path) -> Path:
    """A township's parcels as 获嘉县 sends them: the county only in the merged title, areas
    in 亩 with words around them, dates as clerks type them, the land's state in words, a
    totals row."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "2025年收储台账"
    ws.append(["获嘉县2025年度工业用地收储台账"])
    ws.merge_cells("A1:I1")
    ws.append(["填报单位：获嘉县商务局（盖章）    填报日期：2025年11月30日"])
    for row in LEDGER_ROWS:
        ws.append(row)
    ws.append(["合计", None, None, 212.87])
    book.save(path)
    return path


# ---------------------------------------------------------------- the folder


def test_the_folder_runs_without_python(frozen: Frozen) -> None:
    assert shutil.which("python", path=frozen.env["PATH"]) is None
    assert shutil.which("python3", path=frozen.env["PATH"]) is None
    out = _ok(frozen.run("--version"))
    assert out.strip() == f"landbank {landbank.__version__}"
    names = {p.name for p in frozen.folder.iterdir()}
    expected = {"landbank.exe", "landbank-cli.exe"} if WINDOWS else {"landbank", "landbank.png"}
    assert names == {"_internal", *expected}
    internal = frozen.folder / "_internal"
    # What the app reads at run time is there as files; tools it never uses are not.
    for name in contents.required_files():
        assert (internal / name).is_file(), name
    for unused in ("mypy", "pytest", "tkinter", "pygments"):
        assert not (internal / unused).exists(), unused
    # (PySide6's Windows wheel has no Qt/ level: PySide6/translations.)
    qt = internal / "PySide6" if WINDOWS else internal / "PySide6" / "Qt"
    qt_translations = list((qt / "translations").glob("*.qm"))
    assert qt_translations
    assert all("_zh_" in p.name for p in qt_translations)


def test_bad_input_is_a_message_not_a_traceback(frozen: Frozen, tmp_path: Path) -> None:
    result = frozen.run(
        "import", "parcels", tmp_path / "没有这个文件.xlsx", "--db", tmp_path / "l.sqlite3"
    )
    assert result.returncode == 2
    assert "landbank：" in result.stderr
    assert "Traceback" not in result.stderr


# ---------------------------------------------------------------- the demo city


def test_demo_screenshot_and_report(frozen: Frozen, tmp_path: Path) -> None:
    db = tmp_path / "demo.sqlite3"
    out = _ok(frozen.run("demo", "--db", db, "--year", "2026"))
    assert "演示数据" in out
    assert db.stat().st_size > 100_000

    png = tmp_path / "地块台账.png"
    _ok(frozen.run("screenshot", png, "--db", db, "--view", "parcels", "--size", "1200x800"))
    image = QImage(str(png))
    assert (image.width(), image.height()) == (1200, 800)
    # The window, not a blank rectangle: a grid of samples finds the table's many colours
    # (text, selection, headers), and dark text on the light table.
    colours = {image.pixel(x, y) for x in range(0, 1200, 7) for y in range(0, 800, 7)}
    assert len(colours) > 50
    assert any(  # a band of the table's rows, wherever their lines fall
        image.pixelColor(x, y).lightness() < 80
        for x in range(0, 1200, 3)
        for y in range(140, 320, 2)
    )

    pdf = tmp_path / "进度通报.pdf"
    out = _ok(frozen.run("report", "quota", "--year", "2026", "-o", pdf, "--db", db))
    assert "已保存报表" in out
    text = subprocess.run(
        [_require("pdftotext"), str(pdf), "-"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
    ).stdout
    assert "年度收储工业用地和标准厂房建设指标进度通报" in text
    for county in ("辉县市", "获嘉县", "牧野区"):
        assert county in text


# ---------------------------------------------------------------- a township's ledger


def test_import_a_township_ledger(frozen: Frozen, tmp_path: Path) -> None:
    ledger = _township_ledger(tmp_path / "获嘉县收储台账.xlsx")
    db = tmp_path / "ledger.sqlite3"
    result = frozen.run("import", "parcels", ledger, "--db", db, "--json")
    report = json.loads(_ok(result))
    assert report["written"] is True
    assert report["counts"]["created"] == 3
    assert report["counts"]["errors"] == 0
    # The county from the title, known to the gazetteer (its short name makes the codes);
    # the headers through the import synonyms.
    assert report["new_regions"] == ["获嘉县"]
    assert [c["code"] for c in report["changes"]["created"]] == [
        "获嘉2025-001",
        "获嘉2025-002",
        "获嘉2025-003",
    ]
    listing = json.loads(_ok(frozen.run("list", "parcels", "--db", db, "--json")))
    rows = {r["code"]: r for r in listing["records"]}
    assert rows["获嘉2025-003"]["area_mu"] == pytest.approx(117.35)
    assert rows["获嘉2025-003"]["location"] == "冯庄镇新乡西站物流园北"


# ---------------------------------------------------------------- where the data lives


def test_without_db_the_ledger_lives_in_the_user_data_folder(
    frozen: Frozen, tmp_path: Path
) -> None:
    ledger = _township_ledger(tmp_path / "台账.xlsx")
    _ok(frozen.run("import", "parcels", ledger))
    if WINDOWS:
        folder = Path(frozen.env["LOCALAPPDATA"]) / "landbank"
    elif sys.platform == "darwin":
        folder = frozen.home / "Library" / "Application Support" / "landbank"
    else:
        folder = frozen.home / ".local" / "share" / "landbank"
    assert (folder / "landbank.sqlite3").is_file()
    listing = json.loads(_ok(frozen.run("list", "parcels", "--json")))
    assert listing["total"] == 3
    assert not list(frozen.folder.rglob("*.sqlite3"))  # nothing written into the program folder


# ---------------------------------------------------------------- the shared server


@pytest.mark.postgres
def test_the_folder_opens_a_postgresql_ledger(frozen: Frozen, postgres_url: str) -> None:
    _ok(frozen.run("demo", "--db", postgres_url, "--year", "2026"))
    regions = json.loads(_ok(frozen.run("list", "regions", "--db", postgres_url, "--json")))
    assert regions["total"] == 5
