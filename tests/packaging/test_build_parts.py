"""The parts of packaging/build.py that do not need a build: the icon, the Windows version
resource, what the folder holds (and leaves out), the zip, the command's checks."""

from __future__ import annotations

import importlib.util
import os
import stat
import struct
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

import landbank
from tests.packaging.conftest import ROOT, load

artwork = load("artwork")
contents = load("contents")
build = load("build", "landbank_packaging_build")


# ---------------------------------------------------------------- the icon


def _ico_images(data: bytes) -> list[tuple[int, bytes]]:
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    images = []
    for i in range(count):
        w, h, _colours, _, planes, bits, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * i
        )
        assert (w, planes, bits) == (h, 1, 32)
        images.append((w or 256, data[offset : offset + size]))
    return images


def test_the_ico_holds_every_size_drawn_from_the_svg(tmp_path: Path) -> None:
    ico, png = artwork.write_icons(ROOT / "resources" / "icons" / "landbank.svg", tmp_path)
    images = _ico_images(ico.read_bytes())
    assert [size for size, _ in images] == sorted(artwork.ICO_SIZES)
    for size, data in images:
        image = QImage.fromData(data, "PNG")
        assert (image.width(), image.height()) == (size, size)
    big = QImage(str(png))
    assert (big.width(), big.height()) == (256, 256)
    # Drawn, not blank: the SVG's blue tile in the middle of its left edge, transparent corners.
    assert big.pixelColor(20, 128).name() == "#1f5f8b"
    assert big.pixelColor(0, 0).alpha() == 0
    # Qt's own ICO reader (the plugin Windows' Qt uses) reads the file back.
    assert not QImage(str(ico)).isNull()


def test_a_broken_svg_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.svg"
    bad.write_text("<svg", encoding="utf-8")
    with pytest.raises(ValueError, match="SVG"):
        artwork.write_icons(bad, tmp_path / "out")


# ---------------------------------------------------------------- the version resource


@pytest.mark.parametrize(
    ("version", "numbers"),
    [
        ("0.1.0", (0, 1, 0, 0)),
        ("1.2", (1, 2, 0, 0)),
        ("2.0.3.4.5", (2, 0, 3, 4)),
        ("0.2.0.dev3+g1234abc", (0, 2, 0, 0)),
        ("0.0.0+source", (0, 0, 0, 0)),
    ],
)
def test_the_windows_version_has_four_numbers(version: str, numbers: tuple[int, ...]) -> None:
    assert artwork.version_tuple(version) == numbers


def test_the_version_resource_is_what_pyinstaller_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # PyInstaller's reader imports pefile and win32api, Windows-only: stand-ins will do to
    # read the text (they serve to write the resource into an .exe). A private copy of the
    # module, so nothing else sees them.
    import PyInstaller.compat

    monkeypatch.setitem(sys.modules, "pefile", types.ModuleType("pefile"))
    if not hasattr(PyInstaller.compat, "win32api"):
        monkeypatch.setattr(PyInstaller.compat, "win32api", None, raising=False)
    spec = importlib.util.find_spec("PyInstaller.utils.win32.versioninfo")
    assert spec is not None
    assert spec.loader is not None
    versioninfo = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(versioninfo)

    text = artwork.version_resource(
        "0.3.1", internal_name="landbank-cli", original_filename="landbank-cli.exe"
    )
    path = tmp_path / "version.txt"
    path.write_text(text, encoding="utf-8")
    info = versioninfo.load_version_info_from_text_file(str(path))
    assert isinstance(info, versioninfo.VSVersionInfo)
    strings = {s.name: s.val for s in info.kids[0].kids[0].kids}
    assert strings["ProductName"] == "收储地块与标准厂房台账"
    assert strings["CompanyName"] == "landbank"
    assert (strings["FileVersion"], strings["ProductVersion"]) == ("0.3.1", "0.3.1")
    assert strings["OriginalFilename"] == "landbank-cli.exe"
    assert info.ffi.fileVersionMS == (0 << 16) | 3
    assert info.ffi.fileVersionLS == (1 << 16) | 0
    raw = info.toRaw()  # the bytes that go into the .exe: the Chinese name in UTF-16
    assert "收储地块与标准厂房台账".encode("utf-16-le") in raw


# ---------------------------------------------------------------- what the folder holds


def test_every_file_the_app_reads_is_collected() -> None:
    assert contents.missing_data() == []
    shipped = {(Path(dest) / Path(src).name).as_posix(): src for src, dest in contents.data_files()}
    for name in contents.required_files():
        assert Path(shipped[name]).is_file(), name
    # Every migration Alembic may run, as a file.
    versions = ROOT / "landbank" / "store" / "migrations" / "versions"
    for migration in versions.glob("0*.py"):
        assert f"landbank/store/migrations/versions/{migration.name}" in shipped
    # The resources' build scripts stay out, as in the wheel.
    assert not any("build_" in name for name in shipped)


def test_hidden_imports_reach_what_is_loaded_by_name() -> None:
    hidden = set(contents.hidden_imports())
    assert {
        "landbank.ui.reports.printouts",  # import_module in landbank.ui.reports
        "landbank.cli.importing",
        "sqlalchemy.dialects.sqlite.pysqlite",
        "sqlalchemy.dialects.postgresql.psycopg",
        "psycopg_binary",
        "PySide6.QtCharts",
        "PySide6.QtPrintSupport",
    } <= hidden
    assert not any(name.rsplit(".", 1)[-1].startswith("build_") for name in hidden)
    assert not hidden & set(contents.EXCLUDES)


def _fake_binaries() -> tuple[list[tuple[str, str, str]], dict[str, list[str]]]:
    binaries = [
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/src/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/imageformats/libqpdf.so", "/src/libqpdf.so", "BINARY"),
        ("PySide6/Qt/lib/libQt6Pdf.so.6", "/src/libQt6Pdf.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/src/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6Core.so.6", "/src/libQt6Core.so.6", "BINARY"),
        ("libdbus-1.so.3", "/lib/libdbus-1.so.3", "BINARY"),  # loaded at run time
    ]
    links = {
        "/src/libqxcb.so": ["libQt6Gui.so.6", "libQt6Core.so.6"],
        "/src/libqpdf.so": ["libQt6Pdf.so.6", "libQt6Gui.so.6", "libc.so.6"],
        "/src/libQt6Pdf.so.6": ["libQt6Gui.so.6"],
        "/src/libQt6Gui.so.6": ["libQt6Core.so.6"],
    }
    return binaries, links


def test_unused_plugins_go_with_the_libraries_only_they_need() -> None:
    binaries, links = _fake_binaries()
    kept, dropped = contents.prune_binaries(binaries, lambda src: links.get(src, []))
    assert dropped == [
        "PySide6/Qt/lib/libQt6Pdf.so.6",
        "PySide6/Qt/plugins/imageformats/libqpdf.so",
    ]
    assert [e[0] for e in kept] == [
        "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/lib/libQt6Gui.so.6",
        "PySide6/Qt/lib/libQt6Core.so.6",
        "libdbus-1.so.3",
    ]


def test_dropping_what_a_kept_binary_needs_stops_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    binaries, links = _fake_binaries()
    monkeypatch.setattr(contents, "DROP_BINARIES", ("*libqt6gui*",))
    with pytest.raises(SystemExit, match=r"libqxcb\.so needs libqt6gui\.so\.6"):
        contents.prune_binaries(binaries, lambda src: links.get(src, []))


def test_links_to_dropped_libraries_and_foreign_qt_translations_go() -> None:
    datas = [
        ("libQt6Pdf.so.6", "PySide6/Qt/lib/libQt6Pdf.so.6", "SYMLINK"),
        ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
        ("PySide6/Qt/translations/qtbase_zh_CN.qm", "/src/qtbase_zh_CN.qm", "DATA"),
        ("PySide6/Qt/translations/qtbase_de.qm", "/src/qtbase_de.qm", "DATA"),
        ("landbank/resources/import_synonyms.json", "/src/import_synonyms.json", "DATA"),
    ]
    kept = contents.prune_datas(datas, ["PySide6/Qt/lib/libQt6Pdf.so.6"])
    assert [e[0] for e in kept] == [
        "libQt6Gui.so.6",
        "PySide6/Qt/translations/qtbase_zh_CN.qm",
        "landbank/resources/import_synonyms.json",
    ]


def test_the_platform_tag_names_system_and_processor() -> None:
    tag = contents.platform_tag()
    system, machine = tag.split("-")
    assert system == {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    assert machine
    assert machine != "amd64"


# ---------------------------------------------------------------- the command


def test_help_names_the_options() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "packaging" / "build.py"), "--help"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0
    for option in ("--out", "--work", "--clean", "--no-zip"):
        assert option in result.stdout


def test_the_command_checks_it_runs_in_the_venv(monkeypatch: pytest.MonkeyPatch) -> None:
    assert build.check_environment() == landbank.__version__
    monkeypatch.setattr(sys, "base_prefix", sys.prefix)
    with pytest.raises(build.BuildError, match="venv"):
        build.check_environment()


def test_outside_a_venv_it_says_what_to_do(tmp_path: Path) -> None:
    base = Path(sys.base_prefix) / ("python.exe" if os.name == "nt" else "bin/python3")
    if not base.exists() or Path(sys.prefix) == Path(sys.base_prefix):
        pytest.skip("no base interpreter beside this venv")
    result = subprocess.run(
        [str(base), str(ROOT / "packaging" / "build.py"), "--out", str(tmp_path / "dist")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "venv" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "dist").exists()


def test_the_zip_holds_the_folder_with_its_permissions(tmp_path: Path) -> None:
    folder = tmp_path / "landbank-0.1.0-linux-x64"
    (folder / "_internal" / "landbank").mkdir(parents=True)
    exe = folder / "landbank"
    exe.write_bytes(b"\x7fELF")
    exe.chmod(0o755)
    (folder / "_internal" / "landbank" / "使用说明.md").write_text("说明", encoding="utf-8")
    archive = build.write_zip(folder)
    assert archive == tmp_path / "landbank-0.1.0-linux-x64.zip"
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        assert "landbank-0.1.0-linux-x64/landbank" in names
        assert "landbank-0.1.0-linux-x64/_internal/landbank/使用说明.md" in names
        mode = zf.getinfo("landbank-0.1.0-linux-x64/landbank").external_attr >> 16
        if os.name != "nt":
            assert mode & stat.S_IXUSR
        assert zf.read("landbank-0.1.0-linux-x64/_internal/landbank/使用说明.md").decode() == "说明"
    assert not (tmp_path / "landbank-0.1.0-linux-x64.zip.partial").exists()


def test_the_windows_wheel_layout_is_pruned_like_the_linux_one() -> None:
    """PySide6's Windows wheel has PySide6\\plugins and PySide6\\translations (no Qt\\ level)."""
    binaries = [
        ("PySide6\\plugins\\imageformats\\qpdf.dll", "C:\\src\\qpdf.dll", "BINARY"),
        ("PySide6\\Qt6Pdf.dll", "C:\\src\\Qt6Pdf.dll", "BINARY"),
        ("PySide6\\plugins\\platforms\\qwindows.dll", "C:\\src\\qwindows.dll", "BINARY"),
        ("PySide6\\Qt6Gui.dll", "C:\\src\\Qt6Gui.dll", "BINARY"),
        ("PySide6\\opengl32sw.dll", "C:\\src\\opengl32sw.dll", "BINARY"),
    ]
    links = {
        "C:\\src\\qpdf.dll": ["Qt6Pdf.dll", "Qt6Gui.dll", "KERNEL32.dll"],
        "C:\\src\\Qt6Pdf.dll": ["Qt6Gui.dll"],
        "C:\\src\\qwindows.dll": ["Qt6Gui.dll"],
    }
    kept, dropped = contents.prune_binaries(binaries, lambda src: links.get(src, []))
    assert dropped == [
        "PySide6\\Qt6Pdf.dll",
        "PySide6\\opengl32sw.dll",
        "PySide6\\plugins\\imageformats\\qpdf.dll",
    ]
    assert [e[0] for e in kept] == ["PySide6\\plugins\\platforms\\qwindows.dll", "PySide6\\Qt6Gui.dll"]
    datas = [
        ("PySide6\\translations\\qtbase_zh_CN.qm", "C:\\src\\qtbase_zh_CN.qm", "DATA"),
        ("PySide6\\translations\\qtbase_de.qm", "C:\\src\\qtbase_de.qm", "DATA"),
    ]
    assert [e[0] for e in contents.prune_datas(datas, dropped)] == [
        "PySide6\\translations\\qtbase_zh_CN.qm"
    ]
