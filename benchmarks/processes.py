"""Whole processes timed from the outside, for the cold-start benchmarks (issue 13 item 7).

A case is a command line; its time is the wall clock from spawning the process to its exit,
or to the first line it prints that starts with a marker (a GUI prints ``shown`` once its
window is painted, then goes on measuring or exits). Cases run alternately, several times,
and the median of each is reported: the benchmark machine has 2 cores shared with other
work, so a single run can be off by 20 % or more.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    """A command timed as a whole process; ``until`` ends the clock at a printed line."""

    argv: Sequence[str]
    until: str | None = None
    env: Mapping[str, str] = field(default_factory=dict)


def time_process(case: Case) -> tuple[float, str]:
    """Seconds from spawning ``case`` to its exit (or its ``until`` line); and what it printed
    (after that line too: the process is waited for)."""
    env = {**os.environ, **case.env}
    started = time.perf_counter()
    proc = subprocess.Popen(
        list(case.argv), env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    seconds = None
    lines = []
    if case.until is not None:
        for line in proc.stdout:
            lines.append(line)
            if line.startswith(case.until):
                seconds = time.perf_counter() - started
                break
    out, err = proc.communicate()
    if seconds is None:
        seconds = time.perf_counter() - started
    if proc.returncode != 0 or (case.until is not None and not any(
        line.startswith(case.until) for line in lines
    )):
        raise SystemExit(f"{' '.join(case.argv)} failed ({proc.returncode}):\n{err[-2000:]}")
    return seconds, "".join(lines) + out


def alternate(cases: Mapping[str, Case], runs: int, *, warm: bool = True) -> dict[str, list[float]]:
    """Every case ``runs`` times, one after the other in turn (after one unrecorded run of
    each with ``warm``: the operating system's file cache as on a clerk's second start);
    seconds per run."""
    if warm:
        for case in cases.values():
            time_process(case)
    times: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, case in cases.items():
            times[name].append(time_process(case)[0])
    return times


def median_ms(seconds: Sequence[float]) -> float:
    return round(statistics.median(seconds) * 1000, 1)


def machine() -> str:
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    return (
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, load average {load:.2f} at the start"
    )


def report_line(label: str, runs: Sequence[float], floor: Sequence[float] | None,
                target_ms: float | None = None) -> str:  # fmt: skip
    """``label: median ms (runs …) | floor … | ratio … | target …``."""
    ms = median_ms(runs)
    parts = [f"{label}: {ms:,.0f} ms (median of {len(runs)}: "
             + ", ".join(f"{s * 1000:.0f}" for s in runs) + ")"]  # fmt: skip
    if floor:
        floor_ms = median_ms(floor)
        parts.append(f"floor {floor_ms:,.0f} ms, {ms / floor_ms:.1f}× the floor")
    if target_ms is not None:
        parts.append(f"target < {target_ms:,.0f} ms: " + ("ok" if ms < target_ms else "OVER"))
    return " | ".join(parts)


PYTHON = sys.executable
