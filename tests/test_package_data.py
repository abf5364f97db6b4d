"""A wheel of landbank carries its resources and the installed copy finds them (issue 13,
part 1): ``resources/`` is installed as ``landbank.resources`` (``setup.py``, the package-data
of ``pyproject.toml``) and read through :mod:`landbank.resource_files`, never through a path
relative to a source file.

The wheel is built offline from a copy of the sources (``pip wheel --no-build-isolation``, so
no registry is asked), installed with ``pip install --target`` into a folder of its own, and a
fresh Python started elsewhere (so neither the checkout nor its editable install is what it
imports) reads every shipped file through ``resource_files``, finds the migrations and
registers the shipped font with Qt.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "landbank", "resources")

SHIPPED = (
    "landbank/resources/fonts/LandbankSansSC-Regular.ttf",
    "landbank/resources/fonts/OFL.txt",
    "landbank/resources/fonts/README.md",
    "landbank/resources/gazetteer/counties.tsv",
    "landbank/resources/import_synonyms.json",
    "landbank/resources/使用说明.md",
    "landbank/store/migrations/env.py",
    "landbank/store/migrations/script.py.mako",
    "landbank/store/migrations/versions/0001_initial.py",
    "landbank/py.typed",
)
NOT_SHIPPED = ("build_font.py", "__pycache__", ".pyc")

READER = """
import json, sys
from pathlib import Path
import landbank
from landbank import resource_files as r
from landbank.services.importing.gazetteer_data import gazetteer
from landbank.store.migrate import MIGRATIONS_DIR, head_revision

found = {
    "landbank": landbank.__file__,
    "font": len(r.read_bytes(*r.CJK_FONT)),
    "licence": r.read_text("fonts", "OFL.txt").splitlines()[0],
    "counties": len(r.read_text(*r.COUNTIES).splitlines()),
    "gazetteer": gazetteer().resolve("辉县").county.name,
    "synonyms": len(json.loads(r.read_text(*r.IMPORT_SYNONYMS))),
    "guide": r.read_text(*r.GUIDE).splitlines()[0],
    "migrations": str(MIGRATIONS_DIR),
    "head": head_revision(),
}
try:
    r.read_bytes("fonts", "build_font.py")
except r.MissingResource as exc:
    found["missing"] = str(exc)
from PySide6.QtGui import QGuiApplication
app = QGuiApplication(["landbank"])
from landbank.ui.fonts import shipped_family
found["family"] = shipped_family()
print(json.dumps(found, ensure_ascii=False))
"""


def _copy_sources(target: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name, ignore=ignore)
        else:
            shutil.copy2(source, target / name)


def _run(
    args: list[str], cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 0, (args, done.stdout[-2000:], done.stderr[-3000:])
    return done


@pytest.mark.slow
def test_a_wheel_ships_the_resources_and_the_installed_copy_reads_them(tmp_path: Path) -> None:
    source, dist, site, elsewhere = (tmp_path / n for n in ("src", "dist", "site", "elsewhere"))
    source.mkdir()
    elsewhere.mkdir()
    _copy_sources(source)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-q",
          "-w", str(dist), str(source)])  # fmt: skip
    (wheel,) = dist.glob("landbank-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    missing = [name for name in SHIPPED if name not in names]
    assert missing == [], missing
    stray = [name for name in names if any(bad in name for bad in NOT_SHIPPED)]
    assert stray == [], stray
    _run([*pip, "install", "--no-deps", "--no-index", "-q", "--target", str(site), str(wheel)])

    env = {**os.environ, "PYTHONPATH": str(site), "QT_QPA_PLATFORM": "offscreen"}
    done = _run([sys.executable, "-c", READER], cwd=elsewhere, env=env)
    found = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(found["landbank"]).is_relative_to(site)  # the installed copy, not the checkout
    assert Path(found["migrations"]).is_relative_to(site)
    font = ROOT / "resources" / "fonts" / "LandbankSansSC-Regular.ttf"
    assert found["font"] == font.stat().st_size
    assert found["licence"].startswith("Copyright 2014-2021 Adobe")
    assert found["counties"] > 2800
    assert found["gazetteer"] == "辉县市"
    assert found["synonyms"] == len(
        json.loads((ROOT / "resources/import_synonyms.json").read_text("utf-8"))
    )
    assert found["guide"] == "# 使用说明"
    assert found["head"] == _head_in_checkout()
    assert "安装不完整" in found["missing"]  # the build script is not shipped
    assert found["family"] == "Landbank Sans SC"


def _head_in_checkout() -> str:
    from landbank.store.migrate import head_revision

    return head_revision()
