"""The floor of an import, as a process of its own: read an .xlsx, insert its rows, exit.

    python -m benchmarks.import_floor FILE.xlsx

python-calamine reads the first sheet, plain ``sqlite3`` ``executemany`` inserts its data rows
into a table of text/real columns (no index) in a temporary database, commit. Prints one line of
JSON: the rows, the seconds spent reading and in all (from the read to the commit) and the peak
memory. Only what this needs is imported, so that timing the whole process (interpreter start
to exit, as :mod:`benchmarks.bench_import` does) measures the floor a clerk's command is held
to: a fresh Python process that reads the file and writes the rows.
"""

from __future__ import annotations

import json
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from python_calamine import CalamineWorkbook

REAL_COLUMNS = (5, 11, 12)  # 收储面积(亩), 容积率下限, 容积率上限 of bench_import's ledger


def measure(xlsx: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        rows = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
        read_s = time.perf_counter() - started
        width = len(rows[0])
        conn = sqlite3.connect(Path(tmp) / "floor.sqlite3")
        columns = ", ".join(f"c{i} {'REAL' if i in REAL_COLUMNS else 'TEXT'}" for i in range(width))
        conn.execute(f"CREATE TABLE parcel (id INTEGER PRIMARY KEY, {columns})")
        marks = ", ".join("?" * width)
        names = ", ".join(f"c{i}" for i in range(width))
        with conn:
            conn.executemany(
                f"INSERT INTO parcel ({names}) VALUES ({marks})",
                (
                    [None if c == "" else c.isoformat() if isinstance(c, date) else c for c in row]
                    for row in rows[1:]
                ),
            )
        seconds = time.perf_counter() - started
        count = conn.execute("SELECT count(*) FROM parcel").fetchone()[0]
        conn.close()
    return {
        "rows": count,
        "read_s": round(read_s, 2),
        "seconds": round(seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
