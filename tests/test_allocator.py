"""The allocator tuning the landbank command applies at start."""

from __future__ import annotations

import sys

import pytest

from landbank.allocator import tune_allocator


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc only")
def test_glibc_thresholds_are_raised_once() -> None:
    assert tune_allocator() is True
    assert tune_allocator() is True  # idempotent


def test_the_command_tunes_before_anything_else(monkeypatch: pytest.MonkeyPatch) -> None:
    import landbank.cli.app as cli

    calls: list[str] = []
    monkeypatch.setattr(cli, "tune_allocator", lambda: calls.append("tuned") or True)
    assert cli.main(["--version"]) == 0
    assert calls == ["tuned"]
