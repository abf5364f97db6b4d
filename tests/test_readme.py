"""Every command of the README's headless examples runs as written on the demo city, from a
fresh clone (the files it names are in the repository)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from landbank.cli import main

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("Headless, for scripts", 1)[1]
    code = re.search(r"```bash\n(.*?)```", block, re.S)
    assert code is not None
    lines = [line.split("  #", 1)[0].strip() for line in code[1].splitlines()]
    return [line for line in lines if line.startswith("landbank ")]


def test_the_examples_name_only_files_of_the_repository() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "../" not in text  # no link outside the repository (a clone has only itself)
    for command in readme_commands():
        for word in shlex.split(command):
            if word.startswith("tests/"):
                assert (ROOT / word).exists(), word


def test_every_example_runs_on_the_demo_city(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # the files the examples write land here
    commands = readme_commands()
    assert len(commands) >= 15
    assert commands[0].startswith("landbank demo")
    for command in commands:
        argv = [str(ROOT / w) if w.startswith("tests/") else w for w in shlex.split(command)[1:]]
        code = main(argv)
        out = capsys.readouterr()
        assert code == 0, f"{command}\n{out.out[-2000:]}\n{out.err[-2000:]}"
    assert (tmp_path / "进度通报.pdf").stat().st_size > 10_000
    assert (tmp_path / "导入报告.xlsx").exists()
