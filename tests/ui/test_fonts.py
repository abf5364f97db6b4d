"""The CJK font landbank ships (issue 13, part 1; ``resources/fonts/README.md``):

- it holds every character landbank prints of its own: the string literals of its source (not
  the docstrings, which nobody sees), the guide, the import synonyms and the gazetteer — read
  through :mod:`landbank.resource_files`, as the installed app reads them;
- on a machine without a CJK font of its own (a fontconfig set up with DejaVu Sans alone, in a
  fresh process), ``landbank report quota`` writes a PDF whose text is Chinese, in the shipped
  font, embedded, and the screen falls back to the shipped family;
- with a system CJK font, the screen keeps it and printouts still put the shipped font first.
"""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtGui import QRawFont
from pytestqt.qtbot import QtBot

import landbank
from landbank.resource_files import (
    CJK_FONT,
    COUNTIES,
    GUIDE,
    IMPORT_SYNONYMS,
    read_bytes,
    read_text,
)
from landbank.ui.app import create_application
from landbank.ui.fonts import SHIPPED_FAMILY, print_families, print_font, shipped_family

PROBE = """
from PySide6.QtWidgets import QApplication
from landbank.ui.app import create_application
from landbank.ui.fonts import print_families, system_cjk_font
create_application(["landbank"])
print("screen=" + "|".join(QApplication.font().families()))
print("system=" + str(system_cjk_font()))
print("print=" + "|".join(print_families()))
"""


# ---------------------------------------------------------------- what the font holds


def _printed_strings(source: str) -> list[str]:
    """The string literals of a module, its docstrings left out."""
    tree = ast.parse(source)
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                docstrings.add(id(body[0].value))
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def landbank_texts() -> dict[str, str]:
    """What landbank prints of its own, by where it comes from."""
    package = Path(landbank.__file__).parent
    texts = {
        str(path.relative_to(package.parent)): "".join(_printed_strings(path.read_text("utf-8")))
        for path in sorted(package.rglob("*.py"))
    }
    for parts in (GUIDE, IMPORT_SYNONYMS, COUNTIES):
        texts["resources/" + "/".join(parts)] = read_text(*parts)
    return texts


def _drawn(character: str) -> bool:
    """A character that takes a glyph: not a control nor a format character (U+FEFF …)."""
    return unicodedata.category(character) not in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")


def has_glyph(font: QRawFont, character: str) -> bool:
    """Whether the font's cmap gives ``character`` a glyph (``QRawFont.supportsCharacter``
    answers yes for some characters it maps to glyph 0, .notdef: 龘, 堃)."""
    return font.glyphIndexesForString(character) not in ([], [0])


def test_the_shipped_font_holds_every_character_landbank_prints(qtbot: QtBot) -> None:
    font = QRawFont(read_bytes(*CJK_FONT), 12.0)
    assert font.isValid()
    assert font.familyName() == SHIPPED_FAMILY
    texts = landbank_texts()
    assert len(texts) > 100  # the sources were found
    wanted = {c for text in texts.values() for c in text if ord(c) > 0x7E and _drawn(c)}
    assert {"亩", "²", "✓", "✗", "△", "—", "–", "　", "（", "，"} <= wanted  # the walk found them
    assert {"埇", "瀍"} <= wanted  # hanzi of the gazetteer beyond GB 2312
    missing = sorted(c for c in wanted if not has_glyph(font, c))
    where = {c: sorted(name for name, text in texts.items() if c in text)[:3] for c in missing[:20]}
    assert missing == [], (
        f"{len(missing)} characters are not in the shipped font (rebuild it with "
        f"resources/fonts/build_font.py): {where}"
    )


def test_a_character_outside_the_font_is_named(qtbot: QtBot) -> None:
    """The check above does see a character the subset lacks (a rare hanzi of a name)."""
    font = QRawFont(read_bytes(*CJK_FONT), 12.0)
    assert has_glyph(font, "辉")
    assert has_glyph(font, "埇")  # the gazetteer's, beyond GB 2312
    for rare in ("𠀀", "龘", "堃", "玥"):  # not in GB 2312 nor in landbank's texts
        assert not has_glyph(font, rare), rare


def test_printouts_put_the_shipped_font_first(qtbot: QtBot) -> None:
    create_application(["landbank"])
    assert shipped_family() == SHIPPED_FAMILY
    families = print_families()
    assert families[0] == SHIPPED_FAMILY
    assert families.count(SHIPPED_FAMILY) == 1
    font = print_font(9.5)
    assert font.families()[0] == SHIPPED_FAMILY
    assert font.pointSizeF() == 9.5


# ---------------------------------------------------------------- a machine without a CJK font


needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
    reason="needs poppler-utils",
)
needs_fontconfig = pytest.mark.skipif(
    shutil.which("fc-list") is None or sys.platform != "linux", reason="needs fontconfig (Linux)"
)


def _dejavu() -> Path | None:
    """DejaVu Sans of this machine, for a Latin font in the CJK-less setup (none: no font)."""
    found = subprocess.run(
        ["fc-match", "-f", "%{file}", "DejaVu Sans:style=Book"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    path = Path(found) if found else None
    return path if path and path.name == "DejaVuSans.ttf" and path.is_file() else None


def no_cjk_environment(tmp_path: Path) -> dict[str, str]:
    """An environment whose fontconfig knows DejaVu Sans alone (no CJK font), checked."""
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    dejavu = _dejavu()
    if dejavu is not None:
        shutil.copy(dejavu, fonts / dejavu.name)
    config = tmp_path / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{fonts}</dir>\n  <cachedir>{tmp_path / 'fc-cache'}</cachedir>\n"
        "</fontconfig>\n",
        encoding="utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(config), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("FONTCONFIG_PATH", None)
    listed = subprocess.run(
        ["fc-list", ":lang=zh", "family"], env=env, capture_output=True, text=True, check=True
    )
    assert listed.stdout.strip() == "", listed.stdout  # truly no CJK font
    return env


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done


def _probe(env: dict[str, str], cwd: Path) -> dict[str, list[str]]:
    out = _run(["-c", PROBE], env, cwd).stdout
    found = dict(line.split("=", 1) for line in out.splitlines() if "=" in line)
    return {key: value.split("|") for key, value in found.items()}


@needs_poppler
@needs_fontconfig
def test_a_machine_without_a_cjk_font_prints_chinese(tmp_path: Path) -> None:
    env = no_cjk_environment(tmp_path)
    db, pdf = tmp_path / "演示.sqlite3", tmp_path / "通报.pdf"
    _run(["-m", "landbank", "demo", "--db", str(db), "--year", "2026"], env, tmp_path)
    _run(
        ["-m", "landbank", "report", "quota", "--year", "2026", "--as-of", "2026-11-24",
         "--db", str(db), "-o", str(pdf)],
        env,
        tmp_path,
    )  # fmt: skip
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    for word in ("年度", "指标", "进度通报", "制表单位", "新乡市商务局", "辉县市", "红旗区", "亩"):
        assert word in flat, (word, text[:300])
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
    embedded = [line.split() for line in fonts.stdout.splitlines()[2:]]
    ours = [row for row in embedded if row[0].endswith("LandbankSansSC-Regular")]
    assert ours, fonts.stdout
    assert all(row[-5] == "yes" for row in ours)  # emb
    assert all(row[-3] == "yes" for row in ours)  # uni: the text reads back


@needs_fontconfig
def test_the_screen_falls_back_to_the_shipped_font(tmp_path: Path) -> None:
    found = _probe(no_cjk_environment(tmp_path), tmp_path)
    assert found["system"] == ["None"]
    assert found["screen"][0] == SHIPPED_FAMILY
    assert found["print"][0] == SHIPPED_FAMILY


@needs_fontconfig
def test_a_system_cjk_font_keeps_the_screen(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    listed = subprocess.run(["fc-list", ":lang=zh", "family"], env=env, capture_output=True,
                            text=True, check=False)  # fmt: skip
    if not listed.stdout.strip():
        pytest.skip("no CJK font on this machine (CI installs fonts-wqy-microhei)")
    found = _probe(env, tmp_path)
    assert found["system"] != ["None"]
    assert found["screen"][0] == found["system"][0]
    assert found["print"][:2] == [SHIPPED_FAMILY, found["system"][0]]
