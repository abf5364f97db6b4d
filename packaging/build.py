"""Build the folder that runs landbank without Python and without admin rights, and its zip.

    python packaging/build.py            (from the project's venv, with PyInstaller installed:
                                          pip install -e ".[bundle]")

builds, for the operating system it runs on (PyInstaller cannot build for another one),

    dist/landbank-<version>-<platform>/      the folder: landbank.exe (the GUI) and
                                             landbank-cli.exe (the subcommands, printing to
                                             the console) on Windows, landbank elsewhere,
                                             and _internal/ (Python, Qt, the app's files)
    dist/landbank-<version>-<platform>.zip   the same folder zipped, for the bureau's IT

then runs the built ``landbank --version`` to check it starts, and prints the sizes and the
time taken. See docs/packaging.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPEC = HERE / "landbank.spec"
ICON_SVG = ROOT / "resources" / "icons" / "landbank.svg"
MIN_PYINSTALLER = (6, 10)

sys.path.insert(0, str(HERE))

import artwork  # noqa: E402
import contents  # noqa: E402


class BuildError(Exception):
    """The build cannot go on: the message says why and what to do."""


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python packaging/build.py",
        description=(
            "Build dist/landbank-<version>-<platform>/ (runs without Python and without admin "
            "rights) and its .zip with PyInstaller, for the operating system this runs on. "
            'Run it with the project\'s venv Python after pip install -e ".[bundle]".'
        ),
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=ROOT / "dist",
        metavar="DIR",
        help="where the folder and the zip go (default: dist/ of the checkout)",
    )
    parser.add_argument(
        "--work",
        type=Path,
        default=ROOT / "build" / "pyinstaller",
        metavar="DIR",
        help="PyInstaller's work folder, kept between builds to go faster (default: build/pyinstaller)",
    )
    parser.add_argument(
        "--clean",
        action="store_true",
        help="empty the work folder and PyInstaller's cache first (after upgrading a dependency)",
    )
    parser.add_argument("--no-zip", action="store_true", help="build the folder only")
    parser.add_argument(
        "--quiet", action="store_true", help="show PyInstaller's warnings and errors only"
    )
    return parser.parse_args(argv)


def check_environment() -> str:
    """The version of the landbank about to be frozen; :class:`BuildError` when this is not
    the project's venv with PyInstaller and this checkout's landbank installed."""
    if sys.prefix == sys.base_prefix:
        raise BuildError(
            "run this with the project's venv Python, e.g. .venv/bin/python packaging/build.py "
            "(Windows: .venv\\Scripts\\python packaging\\build.py)"
        )
    try:
        import PyInstaller  # type: ignore[import-untyped]
    except ImportError:
        raise BuildError(
            'PyInstaller is not installed in this venv: pip install -e ".[bundle]"'
        ) from None
    found = tuple(int(n) for n in PyInstaller.__version__.split(".")[:2] if n.isdigit())
    if found < MIN_PYINSTALLER:
        raise BuildError(
            f'PyInstaller {PyInstaller.__version__} is too old: pip install -e ".[bundle]" '
            f"(needs {'.'.join(map(str, MIN_PYINSTALLER))} or later)"
        )
    try:
        import landbank
    except ImportError:
        raise BuildError("landbank is not installed in this venv: pip install -e .") from None
    where = Path(landbank.__file__).resolve().parent
    if where != ROOT / "landbank":
        raise BuildError(f"this venv's landbank is {where}, not this checkout: pip install -e .")
    if "+source" in landbank.__version__:
        raise BuildError("landbank's version is unknown (not installed): pip install -e .")
    return str(landbank.__version__)


def run_pyinstaller(folder: str, icon: Path, args: argparse.Namespace) -> None:
    command = [
        sys.executable,
        "-m",
        "PyInstaller",
        str(SPEC),
        "--noconfirm",
        "--distpath",
        str(args.out),
        "--workpath",
        str(args.work),
        "--log-level",
        "WARN" if args.quiet else "INFO",
    ]
    if args.clean:
        command.append("--clean")
    command += ["--", "--folder", folder, "--icon", str(icon)]
    result = subprocess.run(command, cwd=ROOT, check=False)
    if result.returncode != 0:
        raise BuildError(f"PyInstaller failed (exit code {result.returncode}); see above")


def executables(folder: Path) -> list[Path]:
    """The built executables: the console one first (it answers ``--version`` in a pipe)."""
    if sys.platform == "win32":
        return [folder / "landbank-cli.exe", folder / "landbank.exe"]
    return [folder / "landbank"]


def frozen_env() -> dict[str, str]:
    """The environment without anything pointing at a Python installation."""
    return {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("PYTHON") and k not in ("VIRTUAL_ENV", "CONDA_PREFIX")
    }


def check_folder(folder: Path, version: str) -> None:
    """The executables are there, and the console one starts and prints the version."""
    for exe in executables(folder):
        if not exe.is_file():
            raise BuildError(f"{exe} was not built")
    result = subprocess.run(
        [str(executables(folder)[0]), "--version"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=frozen_env(),
        timeout=120,
        check=False,
    )
    if result.returncode != 0 or version not in result.stdout:
        raise BuildError(
            f"the built landbank --version failed (exit {result.returncode}):\n"
            f"{result.stdout}{result.stderr}"
        )


def write_zip(folder: Path) -> Path:
    """``<folder>.zip`` holding the folder itself (unzipping gives ``landbank-…/``), with the
    executables' permissions kept for Linux."""
    target = folder.parent / f"{folder.name}.zip"
    partial = folder.parent / f"{folder.name}.zip.partial"
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(folder.parent).as_posix())
    partial.replace(target)
    return target


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink())


def mb(size: int) -> str:
    return f"{size / 1_000_000:.0f} MB"


def build(argv: list[str] | None = None) -> Path:
    """Build the folder (and the zip); returns the folder."""
    args = parse_args(argv)
    args.out = args.out.resolve()
    args.work = args.work.resolve()
    started = time.monotonic()
    version = check_environment()
    name = f"landbank-{version}-{contents.platform_tag()}"
    print(f"building {name} in {args.out}", flush=True)
    if args.clean and args.work.exists():
        shutil.rmtree(args.work)
    icon, png = artwork.write_icons(ICON_SVG, args.work / "icons")
    run_pyinstaller(name, icon, args)
    folder: Path = args.out / name
    if sys.platform != "win32":  # for a menu entry or desktop file; Windows' is in the .exe
        shutil.copy2(png, folder / "landbank.png")
    check_folder(folder, version)
    frozen = time.monotonic() - started
    print(f"\nfolder: {folder} ({mb(folder_size(folder))}), built in {frozen:.0f} s", flush=True)
    if not args.no_zip:
        archive = write_zip(folder)
        print(
            f"zip:    {archive} ({mb(archive.stat().st_size)}), "
            f"{time.monotonic() - started - frozen:.0f} s more"
        )
    print(f"total:  {time.monotonic() - started:.0f} s")
    return folder


def main(argv: list[str] | None = None) -> int:
    try:
        build(argv)
    except BuildError as exc:
        print(f"build.py: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
