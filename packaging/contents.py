"""What the frozen folder holds beside the Python code PyInstaller finds by itself, and why.

Imported by ``landbank.spec`` (inside PyInstaller's build) and by the tests; it needs
PyInstaller only for :func:`hidden_imports` and :func:`metadata`.

- **Data files**: exactly the package data a wheel ships (``[tool.setuptools.package-data]``
  in ``pyproject.toml``: the gazetteer, the import synonyms, the CJK font, 使用说明.md, the
  icons, translations), read from there so the two lists cannot drift apart; plus the Alembic
  migrations (``env.py`` and ``versions/*.py``) as files, because Alembic runs them from its
  script directory on disk, not through ``import``.
- **Hidden imports**: every landbank module (``landbank.ui.reports`` loads its printouts with
  ``import_module``; the command modules are imported inside the functions that run them,
  which PyInstaller would find, but a missed one would only show in a clerk's hands), the
  SQLAlchemy dialects picked from the database URL at run time (SQLite, PostgreSQL through
  psycopg) and psycopg's binary libpq.
- **Excludes**: what landbank never uses and PyInstaller would otherwise pull in through
  optional imports of our dependencies (tkinter, test frameworks, the Qt modules for QML,
  3D, web and multimedia).
"""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Callable, Iterable
from fnmatch import fnmatch
from importlib.util import find_spec
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"

# Alembic's script directory: run from files (see the module docstring).
MIGRATIONS = ("landbank.store", "migrations", ("*.py", "versions/*.py"))

# PySide6 modules landbank imports (landbank/ui): PyInstaller's Qt hooks collect these and
# the Qt libraries and plugins they need, and nothing else of Qt.
QT_MODULES = (
    "PySide6.QtCore",
    "PySide6.QtGui",
    "PySide6.QtWidgets",
    "PySide6.QtPrintSupport",
    "PySide6.QtCharts",
)

EXTRA_HIDDEN = (
    "sqlalchemy.dialects.sqlite",
    "sqlalchemy.dialects.sqlite.pysqlite",
    "sqlalchemy.dialects.postgresql",
    "sqlalchemy.dialects.postgresql.psycopg",
    "psycopg",
    "psycopg_binary",
    "python_calamine",
    "openpyxl",
    "numpy",
    "alembic.runtime.migration",
    "alembic.ddl.sqlite",
    "alembic.ddl.postgresql",
    *QT_MODULES,
)

EXCLUDES = (
    "tkinter",
    "_tkinter",
    "pytest",
    "_pytest",
    "hypothesis",
    "IPython",
    "matplotlib",
    "PIL",
    "setuptools",
    "pkg_resources",
    "sqlalchemy.testing",
    "alembic.testing",
    "numpy.tests",
    "PySide6.QtQml",
    "PySide6.QtQuick",
    "PySide6.QtQuickWidgets",
    "PySide6.QtQuick3D",
    "PySide6.QtQuickControls2",
    "PySide6.QtWebEngineCore",
    "PySide6.QtWebEngineWidgets",
    "PySide6.QtWebEngineQuick",
    "PySide6.QtWebChannel",
    "PySide6.QtWebSockets",
    "PySide6.Qt3DCore",
    "PySide6.Qt3DRender",
    "PySide6.Qt3DExtras",
    "PySide6.QtMultimedia",
    "PySide6.QtMultimediaWidgets",
    "PySide6.QtNetwork",
    "PySide6.QtPdf",
    "PySide6.QtPdfWidgets",
    "PySide6.QtDesigner",
    "PySide6.QtHelp",
    "PySide6.QtSql",
    "PySide6.QtTest",
    "PySide6.QtDataVisualization",
    "PySide6.QtGraphs",
    # Bindings PyInstaller's QtCharts/QtGui hooks add but landbank never imports (their Qt
    # libraries stay: libQt6Charts links them).
    "PySide6.QtOpenGL",
    "PySide6.QtOpenGLWidgets",
    "PySide6.QtDBus",
    # Development tools reached through optional imports: pydantic's mypy plugin (mypy and
    # its parser), the syntax colouring of Mako's error pages and of rich.
    "mypy",
    "pydantic.mypy",
    "pydantic.v1.mypy",
    "ast_serialize",
    "librt",
    "pygments",
    "rich",
    "markdown_it",
)

# Qt plugins landbank has no use for, matched (fnmatch, lower case, "/") against their place
# in the bundle; the Qt libraries only they need go with them (see prune_binaries). The
# virtual keyboard brings Qt Quick and QML, the PDF image reader Qt PDF, the GTK theme GTK's
# whole stack; the embedded-device platforms (eglfs, linuxfb, vnc …) and input drivers
# (evdev, tuio: Qt Network) serve kiosks, not clerks' PCs. opengl32sw.dll (Windows, 20 MB) is
# the software OpenGL for Qt Quick; widgets paint without OpenGL.
DROP_BINARIES = (
    "pyside6/qt/plugins/platforminputcontexts/*virtualkeyboard*",
    "pyside6/qt/plugins/imageformats/*qpdf*",
    "pyside6/qt/plugins/platformthemes/*gtk3*",
    "pyside6/qt/plugins/platforms/*eglfs*",
    "pyside6/qt/plugins/platforms/*linuxfb*",
    "pyside6/qt/plugins/platforms/*minimalegl*",
    "pyside6/qt/plugins/platforms/*vnc*",
    "pyside6/qt/plugins/platforms/*vkkhrdisplay*",
    "pyside6/qt/plugins/egldeviceintegrations/*",
    "pyside6/qt/plugins/generic/*",
    "*opengl32sw.dll",
)

# Qt's own translations (buttons of its dialogs): Chinese only, the app's language.
KEEP_QT_TRANSLATIONS = ("*_zh_cn.qm", "*_zh_tw.qm")

# Scripts that rebuild the shipped files (resources/*/build_*.py): not part of the app.
_BUILD_SCRIPTS = "build_"


def package_dir(package: str) -> Path | None:
    """The folder of ``package`` as installed (the checkout, for an editable install);
    ``None`` when there is none (``landbank.resources.translations`` until the app has a
    translation: its source text is Chinese)."""
    try:
        spec = find_spec(package)
    except ModuleNotFoundError:
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def package_data() -> dict[str, list[str]]:
    """``[tool.setuptools.package-data]``: package → file patterns."""
    with PYPROJECT.open("rb") as fh:
        config = tomllib.load(fh)
    data: dict[str, list[str]] = config["tool"]["setuptools"]["package-data"]
    return data


def data_files() -> list[tuple[str, str]]:
    """(source file, destination folder in the bundle) for every data file."""
    found: list[tuple[str, str]] = []
    wanted = {pkg: list(patterns) for pkg, patterns in package_data().items()}
    store, folder, scripts = MIGRATIONS
    wanted.setdefault(store, []).extend(f"{folder}/{p}" for p in scripts)
    for package, patterns in sorted(wanted.items()):
        base = package_dir(package)
        if base is None:
            continue
        target = Path(*package.split("."))
        for pattern in patterns:
            for path in sorted(base.glob(pattern)):
                if path.is_file():
                    rel = path.relative_to(base).parent
                    found.append((str(path), str(target / rel)))
    return found


def required_files() -> list[str]:
    """The files the app cannot run without, as paths in the bundle: what
    :mod:`landbank.resource_files` reads, the icon, and Alembic's ``env.py`` and first
    migration."""
    from landbank import resource_files as rf

    shipped = [rf.COUNTIES, rf.IMPORT_SYNONYMS, rf.CJK_FONT, rf.GUIDE, rf.APP_ICON]
    return [
        *("/".join((*rf.PACKAGE.split("."), *parts)) for parts in shipped),
        "landbank/store/migrations/env.py",
        "landbank/store/migrations/versions/0001_initial.py",
    ]


def missing_data() -> list[str]:
    """The :func:`required_files` that :func:`data_files` does not ship (a package-data pattern
    gone stale, or a broken checkout)."""
    shipped = {(Path(dest) / Path(src).name).as_posix() for src, dest in data_files()}
    return [name for name in required_files() if name not in shipped]


Entry = tuple[str, str, str]  # PyInstaller's TOC entry: name in the bundle, source, kind


def _bundle_name(name: str) -> str:
    """``name`` as the patterns above spell it: "/" between folders, lower case, and the
    Windows wheel's ``PySide6/plugins`` and ``PySide6/translations`` (it has no ``Qt/``
    level) under ``pyside6/qt/`` as in the Linux wheel (found building under Wine, where
    nothing but opengl32sw.dll was left out: 199 → 172 MB once mapped)."""
    bundle = name.replace("\\", "/").lower()
    for sub in ("plugins/", "translations/"):
        if bundle.startswith("pyside6/" + sub):
            return "pyside6/qt/" + bundle.removeprefix("pyside6/")
    return bundle


def _dropped(name: str) -> bool:
    return any(fnmatch(_bundle_name(name), pattern) for pattern in DROP_BINARIES)


def prune_binaries(
    binaries: list[Entry],
    imports_of: Callable[[str], Iterable[str]],
) -> tuple[list[Entry], list[str]]:
    """``binaries`` without :data:`DROP_BINARIES` and the libraries only those needed;
    returns what is kept and the names dropped. ``imports_of(source)`` names the libraries a
    binary links (PyInstaller's ``bindepend.get_imports``).

    A library is dropped only when a dropped binary needs it and nothing kept does (libraries
    loaded at run time rather than linked stay: nothing here drops one that is not a
    dependency of a dropped plugin). :class:`SystemExit` when a kept binary needs a dropped
    one (the list above is wrong)."""
    by_file: dict[str, list[Entry]] = {}
    for entry in binaries:
        by_file.setdefault(Path(_bundle_name(entry[0])).name, []).append(entry)
    deps: dict[Entry, set[str]] = {}

    def needs(entry: Entry) -> set[str]:
        if entry not in deps:
            deps[entry] = {Path(n).name.lower() for n in imports_of(entry[1])} & by_file.keys()
        return deps[entry]

    def closure(start: Iterable[Entry]) -> set[Entry]:
        seen: set[Entry] = set()
        todo = list(start)
        while todo:
            entry = todo.pop()
            if entry in seen:
                continue
            seen.add(entry)
            todo.extend(e for name in needs(entry) for e in by_file[name])
        return seen

    explicit = {e for e in binaries if _dropped(e[0])}
    candidates = closure(explicit) - explicit
    needed = closure(e for e in binaries if e not in explicit and e not in candidates)
    drop = explicit | (candidates - needed)
    broken = sorted(
        f"{e[0]} needs {name}"
        for e in needed
        for name in needs(e)
        if any(d in drop for d in by_file[name])
    )
    if broken:
        raise SystemExit("packaging/contents.py drops what is needed: " + "; ".join(broken))
    kept = [e for e in binaries if e not in drop]
    return kept, sorted(e[0] for e in drop)


def prune_datas(datas: list[Entry], dropped: Iterable[str]) -> list[Entry]:
    """``datas`` without the links to dropped libraries and without Qt's translations but
    the Chinese ones."""
    gone = {_bundle_name(name) for name in dropped}
    kept = []
    for name, source, kind in datas:
        bundle = _bundle_name(name)
        if kind == "SYMLINK" and _bundle_name(source) in gone:
            continue
        if bundle.startswith("pyside6/qt/translations/") and not any(
            fnmatch(bundle, "*/" + p) for p in KEEP_QT_TRANSLATIONS
        ):
            continue
        kept.append((name, source, kind))
    return kept


def hidden_imports() -> list[str]:
    """Every landbank module but the resources' build scripts, and :data:`EXTRA_HIDDEN`."""
    from PyInstaller.utils.hooks import collect_submodules  # type: ignore[import-untyped]

    own = collect_submodules(
        "landbank", filter=lambda name: not name.rsplit(".", 1)[-1].startswith(_BUILD_SCRIPTS)
    )
    return sorted({*own, *EXTRA_HIDDEN})


def metadata() -> list[tuple[str, str]]:
    """The installed metadata of landbank: ``landbank.__version__`` reads it at run time."""
    from PyInstaller.utils.hooks import copy_metadata

    return list(copy_metadata("landbank"))


def platform_tag() -> str:
    """``windows-x64``, ``linux-x64``, ``linux-arm64``, ``macos-arm64`` …"""
    import platform

    system = {"win32": "windows", "darwin": "macos"}.get(sys.platform, sys.platform)
    machine = platform.machine().lower()
    machine = {
        "amd64": "x64",
        "x86_64": "x64",
        "aarch64": "arm64",
        "i386": "x86",
        "i686": "x86",
    }.get(machine, machine)
    return f"{system}-{machine}"
