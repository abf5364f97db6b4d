"""The layout of the code (issue 12): features as folders, no module over 600 lines and few
over 400, and no feature reaching into another's private names."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "landbank"
MAX_LINES = 600
# A module over this is usually two jobs: a few may be (one class with one job, long).
USUAL_LINES = 400
MAX_OVER_USUAL = 3
# Modules still over the limit, with the size they may not grow beyond: each is split by job
# in its turn (issue 12) and then leaves this list.
STILL_LONG: dict[str, int] = {
}


def _modules() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def _feature(module: str) -> str:
    """landbank.<layer>.<feature> for a module inside a feature folder, else its layer (or the
    module itself at the top)."""
    parts = module.split(".")
    if len(parts) >= 4:
        return ".".join(parts[:3])
    return ".".join(parts[:2])


def _name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def test_no_module_is_over_600_lines() -> None:
    long = {
        str(p.relative_to(ROOT)): n
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    grown = {name: n for name, n in long.items() if n > STILL_LONG.get(name, MAX_LINES)}
    assert grown == {}
    assert set(long) <= set(STILL_LONG)


def test_few_modules_are_over_400_lines() -> None:
    over = sorted(
        f"{p.relative_to(ROOT)} ({n})"
        for p in _modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > USUAL_LINES
    )
    assert len(over) <= MAX_OVER_USUAL, over


def test_no_feature_imports_another_features_private_names() -> None:
    reaching: list[str] = []
    for path in _modules():
        here = _name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if not node.module.startswith("landbank."):
                continue
            private = [a.name for a in node.names if a.name.startswith("_") and not a.name.startswith("__")]
            if private and _feature(node.module) != _feature(here):
                reaching.append(f"{here} → {node.module}: {', '.join(private)}")
    assert reaching == []


def test_features_are_folders_in_services_and_ui() -> None:
    """No name prefix left that a folder should hold (import_, match_, quota_, record_, demo)."""
    for layer in ("services", "ui"):
        loose = sorted(
            p.stem
            for p in (PACKAGE / layer).glob("*.py")
            if p.stem.startswith(("import_", "match_", "quota_", "record_", "demo", "report_"))
        )
        assert loose == [], layer
    assert not list(PACKAGE.glob("cli_*.py"))


# The CLI modules that may reach Qt: the entry point, the GUI launch and the printed reports.
CLI_WITH_QT = {"app", "gui", "reports"}


def test_every_cli_module_but_the_qt_ones_is_in_the_no_qt_contract() -> None:
    """import-linter's "Only landbank.ui imports PySide6" names the CLI modules one by one (the
    package as a whole starts the GUI): a new command module must join that list."""
    import tomllib

    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    contract = next(
        c for c in config["tool"]["importlinter"]["contracts"] if c["name"].startswith("Only landbank.ui")
    )
    listed = set(contract["source_modules"])
    modules = {p.stem for p in (PACKAGE / "cli").glob("*.py") if p.stem != "__init__"}
    missing = sorted(f"landbank.cli.{m}" for m in modules - CLI_WITH_QT if f"landbank.cli.{m}" not in listed)
    assert missing == []
