"""The modules of ``packaging/`` (a folder of scripts, not a package: a package named
``packaging`` would shadow the library of that name), loaded by file."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
PACKAGING = ROOT / "packaging"


def load(stem: str, name: str | None = None) -> ModuleType:
    """``packaging/<stem>.py`` as the module ``name`` (default ``stem``). build.py imports its
    neighbours ``contents`` and ``artwork`` by their plain names: the folder is on
    ``sys.path`` while a module loads, and taken off again (it holds a ``build.py``, which
    would shadow the ``build`` package for the rest of the session)."""
    name = name or stem
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PACKAGING / f"{stem}.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(PACKAGING))
    try:
        sys.modules[name] = module
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = [p for p in sys.path if p != str(PACKAGING)]
    return module
