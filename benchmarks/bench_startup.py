"""Benchmark: how fast landbank answers from a cold start (issue 13 item 7), each figure a
whole process beside its floor.

    python -m benchmarks.bench_startup [--parcels 100000] [--runs 7] [--keep]

Builds benchmarks/out/tables.sqlite3 (as bench_tables; ``--keep`` reuses it), then runs each
case and its floor alternately ``--runs`` times in fresh processes and prints the medians:

- ``landbank --version`` against ``python -c "print(...)"`` (the interpreter alone); target
  under 250 ms;
- ``landbank list regions --db DB`` (a command that opens the ledger), same floor; no target;
- the main window with its first page of 200 parcels, on 100,000 parcels: ``landbank --db DB``
  itself, timed from spawning the process to the window painted
  (``benchmarks/window_probe.py --no-measure`` stands in for the event loop), against a bare
  QTableView of 200 rows shown by a fresh process (``benchmarks/floors.py window``); target
  under 600 ms;
- ``landbank report quota --year Y -o OUT.pdf`` on the demo city (``landbank demo``) against a
  fresh process printing a two-page QTextDocument to an A4 PDF (``benchmarks/floors.py pdf``);
  target under 800 ms.

The operating system's file cache is warm (one unrecorded run of each first), as on a clerk's
second start; the window's layout is remembered between runs as it is between a clerk's
sessions (``LANDBANK_CONFIG_DIR`` is benchmarks/out/config).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from benchmarks.processes import PYTHON, Case, alternate, machine, report_line

OUT = Path(__file__).parent / "out"
FLOORS = str(Path(__file__).parent / "floors.py")
TARGETS_MS = {"version": 250.0, "window": 600.0, "report": 800.0}


def main() -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="reuse an existing ledger")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / "tables.sqlite3"
    if not (args.keep and db.exists()):
        from benchmarks.big_ledger import make_big_ledger

        started = time.perf_counter()
        make_big_ledger(db, parcels=args.parcels)
        print(f"built {args.parcels:,} parcels in {time.perf_counter() - started:.1f} s")
    landbank = str(Path(PYTHON).with_name("landbank"))
    demo = OUT / "startup-demo.sqlite3"
    if not demo.exists():
        subprocess.run([landbank, "demo", "--db", str(demo)], check=True, capture_output=True)
    year = str(date.today().year)
    pdf = OUT / "quota.pdf"
    env = {"QT_QPA_PLATFORM": "offscreen", "LANDBANK_CONFIG_DIR": str(OUT / "config")}
    cases = {
        "print floor": Case([PYTHON, "-c", "print('landbank 0.1.0')"], env=env),
        "version": Case([landbank, "--version"], env=env),
        "list regions": Case([landbank, "list", "regions", "--db", str(db)], env=env),
        "pdf floor": Case([PYTHON, FLOORS, "pdf", str(OUT / "floor.pdf")], env=env),
        "report": Case(
            [landbank, "report", "quota", "--year", year, "--db", str(demo), "-o", str(pdf)],
            env=env,
        ),
        "window floor": Case([PYTHON, FLOORS, "window"], until="shown", env=env),
        "window": Case(
            [PYTHON, "-m", "benchmarks.window_probe", str(db), "--no-measure"],
            until="shown",
            env=env,
        ),
    }
    print(machine())
    times = alternate(cases, args.runs)
    print(report_line("landbank --version", times["version"], times["print floor"],
                      TARGETS_MS["version"]))  # fmt: skip
    print(report_line("landbank list regions --db DB", times["list regions"], times["print floor"]))
    print(report_line(f"window with its first page ({args.parcels:,} parcels)", times["window"],
                      times["window floor"], TARGETS_MS["window"]))  # fmt: skip
    print(report_line("landbank report quota -o (demo city)", times["report"],
                      times["pdf floor"], TARGETS_MS["report"]))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
