"""Benchmark: the record tables on a 100,000-parcel ledger.

    python -m benchmarks.bench_tables [--parcels 100000] [--keep] [--pg URL]

Builds the ledger (benchmarks/out/tables.sqlite3; with ``--pg postgresql://user@host/NAME``
the PostgreSQL database NAME, dropped and made again), then starts a fresh process that opens the
main window offscreen and measures: wall time from process start to the shown window with its
first page, filter (county + status + area range), search, sort by area and by county (best of
5; each includes the count, sums and first page in SQL), and peak memory (max RSS).
Targets (issue 2, 2-core machine): window < 1.5 s, filter or sort < 0.1 s, < 300 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from benchmarks.big_ledger import make_big_ledger
from landbank.store.engine import database_url

OUT = Path(__file__).parent / "out"
TARGETS = {"start_to_window_ms": 1500, "filter_ms": 100, "search_ms": 100, "sort_area_ms": 100, "sort_region_ms": 100, "peak_rss_mb": 300}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse an existing ledger")
    parser.add_argument("--pg", metavar="URL", help="a PostgreSQL database to build and measure instead")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    if args.pg:
        db = make_url(database_url(args.pg)).render_as_string(hide_password=False)
        built = args.keep
    else:
        db = str(OUT / "tables.sqlite3")
        built = args.keep and Path(db).exists()
    if not built:
        t0 = time.perf_counter()
        make_big_ledger(db if args.pg else Path(db), parcels=args.parcels)
        print(f"built {args.parcels:,} parcels in {time.perf_counter() - t0:.1f} s")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", LANDBANK_CONFIG_DIR=str(OUT / "config"))
    # Warm the OS file cache once, as a clerk's second start would be.
    subprocess.run([sys.executable, "-m", "benchmarks.window_probe", str(db)], env=env, check=True, capture_output=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.window_probe", str(db)], env=env, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    if proc.stdout.readline().strip() != "shown":
        raise SystemExit("the probe failed before showing the window")
    start_to_window_ms = round((time.perf_counter() - t0) * 1000, 1)
    figures = {"start_to_window_ms": start_to_window_ms, **json.loads(proc.stdout.readline())}
    if proc.wait() != 0:
        raise SystemExit("the probe failed")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    for key, value in figures.items():
        target = TARGETS.get(key)
        mark = "" if target is None else ("  ok" if value < target else f"  OVER target {target}")
        print(f"{key:>24}: {value}{mark}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
