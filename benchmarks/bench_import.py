"""Benchmark: import a 100,000-row parcel ledger (.xlsx, 15 columns) against the floor.

    python -m benchmarks.bench_import [--rows 100000] [--keep] [--runs 5] [--profile FILE]

Generates the ledger once (benchmarks/out/import_100k.xlsx, openpyxl write_only, in a child
process; ``--keep`` reuses it), then, each in a fresh process (so peak memory is the case's
alone: a Linux child inherits its parent's max RSS):

- **floor** (``benchmarks/import_floor.py``): python-calamine reads the file, plain ``sqlite3``
  ``executemany`` inserts the same rows into a table of 15 text/real columns in a temporary
  database, commit; timed inside the process and as the whole process (interpreter start to
  exit, the process importing nothing else);
- **import**: :func:`landbank.services.importing.importer.import_records` into a fresh migrated SQLite
  ledger (in a temporary folder) holding the 5 counties and their 15 parks beforehand (the file
  names only these: parks must exist before an import, so the regions are created with them),
  then commit — read, header and columns, parse, validate, references, duplicates, insert, audit;
  timed inside the process;
- **command**: ``landbank import parcels FILE --db DB`` — the console script a clerk runs —
  into such a ledger prepared beforehand by another child, timed as the whole process from its
  start to its exit (wall clock around it; its max RSS from ``wait4``).

Each case runs ``--runs`` times (5; the three alternating, each in a fresh process) and the
runs of median time are compared: a shared 2-core machine varies by ±5 % from run to run.
Prints every run, then the median times, the ratios and the peak memory (max RSS) of each, and
for the import the time spent reading and laying out the file, in the driver's inserts (records
and audit entries) and in the commit. Targets (issue “Speed”): the import within 2× the floor
inside the process, and the whole command within 2× the whole floor process.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "out"
TARGET_RATIO = 2.0
HEADERS = [
    "地块编号", "地块名称", "县区", "园区", "坐落", "收储面积(亩)", "整理程度", "供应状态",
    "规划用途", "目标产业", "收储日期", "容积率下限", "容积率上限", "联系人", "备注",
]  # fmt: skip
REGIONS = [("辉县市", "县"), ("获嘉县", "县"), ("原阳县", "县"), ("红旗区", "区"), ("牧野区", "区")]
PARKS_PER_REGION = 3
INDUSTRIES = ["装备制造", "新能源电池", "食品加工", "生物医药", "新材料", "电子信息", "纺织服装", "现代物流"]
TOWNS = ["孟庄镇", "百泉镇", "城关镇", "太山镇", "新中大道", "南环路", "北环路", "工业大道"]
PEOPLE = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强"]
NOTES = ["", "", "已完成征拆，待三通一平", "企业有意向，正在洽谈", "需调整规划", "地上附着物已清理"]
READINESS = ["拟收储", "已收储(毛地)", "征拆完成", "三通一平", "五通一平", "七通一平", "净地(可供)"]
STATUSES = ["可供", "意向锁定", "已挂牌", "已出让/划拨", "已交地", "已开工", "已竣工投产"]


def park_name(region: str, j: int) -> str:
    return f"{region}第{j + 1}产业园"


def generate(path: Path, rows: int, seed: int = 3) -> None:
    """Write the ledger: a header row, then ``rows`` valid parcels (openpyxl write_only)."""
    from openpyxl import Workbook

    rng = random.Random(seed)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("地块台账")
    sheet.append(HEADERS)
    for i in range(rows):
        region = rng.choice(REGIONS)[0]
        readiness = rng.choice(READINESS)
        # A status past 意向锁定 needs 净地 (the ledger's rule); 意向锁定 needs a project: 可供.
        status = rng.choice([*STATUSES[2:], "可供"]) if readiness == "净地(可供)" else "可供"
        far_min = rng.choice([0.8, 1.0, 1.2])
        sheet.append(
            [
                f"XX{2024 + i % 3}-{i:06d}",
                f"{rng.choice(TOWNS)}{i % 97}号地块",
                region,
                park_name(region, rng.randrange(PARKS_PER_REGION)) if rng.random() < 0.8 else None,
                f"{region}{rng.choice(TOWNS)}{rng.randint(1, 300)}号",
                round(rng.lognormvariate(4.0, 0.8), 2),
                readiness,
                status,
                "工业用地",
                rng.choice(INDUSTRIES),
                datetime.combine(date(2023, 1, 1) + timedelta(days=rng.randint(0, 1000)), datetime.min.time()),
                far_min,
                far_min + rng.choice([1.0, 1.5, 2.0]),
                rng.choice(PEOPLE),
                rng.choice(NOTES) or None,
            ]
        )
    book.save(path)


def peak_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def prepare_ledger(db: Path) -> None:
    """A fresh migrated SQLite ledger at ``db`` holding the 5 counties and their 15 parks."""
    from sqlalchemy import insert

    from landbank.store.migrate import open_database
    from landbank.store.models import Park, Region

    engine = open_database(f"sqlite:///{db}")
    now = datetime.now(UTC)
    common = {"version": 1, "created_at": now, "updated_at": now}
    with engine.begin() as conn:
        conn.execute(
            insert(Region),
            [
                {"name": n, "kind": k, "city": "新乡市", "uuid": str(uuid.uuid4()), **common}
                for n, k in REGIONS
            ],
        )
        conn.execute(
            insert(Park),
            [
                {"name": park_name(n, j), "region_id": r, "uuid": str(uuid.uuid4()), **common}
                for r, (n, _) in enumerate(REGIONS, start=1)
                for j in range(PARKS_PER_REGION)
            ],
        )
    engine.dispose()


def measure_import(xlsx: Path, profile: Path | None = None) -> dict[str, float]:
    """landbank's import into a fresh ledger with the counties and parks, in this process."""
    from sqlalchemy import func, select
    from sqlmodel import Session

    from landbank.domain.enums import RecordKind
    from landbank.services.importing.importer import Progress, import_records
    from landbank.store.migrate import open_database
    from landbank.store.models import AuditEntry, LandParcel

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.sqlite3"
        prepare_ledger(db)
        engine = open_database(f"sqlite:///{db}")
        read_at: list[float] = []

        def progress(step: Progress) -> None:
            if step.total and not read_at:
                read_at.append(time.perf_counter())  # the file is read and its rows laid out

        # Time spent in the driver's inserts (rows and audit entries), to say where it goes.
        import landbank.services.importing.record_batch as record_batch

        inserting = [0.0]
        insert_columns = record_batch.insert_columns

        def timed_insert(*args: Any, **kwargs: Any) -> None:
            began = time.perf_counter()
            insert_columns(*args, **kwargs)
            inserting[0] += time.perf_counter() - began

        record_batch.insert_columns = timed_insert
        profiler = None
        if profile is not None:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        started = time.perf_counter()
        with Session(engine) as session:
            report = import_records(session, RecordKind.PARCEL, xlsx, user="bench", progress=progress)
            if not report.written:
                raise SystemExit(f"import refused: {[e.describe() for e in report.errors[:5]]}")
            committing = time.perf_counter()
            session.commit()
        seconds = time.perf_counter() - started
        commit_s = time.perf_counter() - committing
        record_batch.insert_columns = insert_columns
        if profiler is not None:
            profiler.disable()
            profiler.dump_stats(str(profile))
        with engine.connect() as conn:
            count = conn.execute(select(func.count()).select_from(LandParcel)).scalar_one()
            audited = conn.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
        engine.dispose()
    assert count == report.created, (count, report.created)
    assert audited >= 1, (count, audited)  # one create entry per block of rows written together
    return {
        "rows": count,
        "audit_rows": audited,
        "read_s": round(read_at[0] - started, 2) if read_at else 0.0,
        "insert_s": round(inserting[0], 2),
        "commit_s": round(commit_s, 2),
        "seconds": round(seconds, 2),
        "peak_rss_mb": peak_mb(),
    }


def _child(*args: str) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_import", *args], capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise SystemExit(f"benchmark child {args} failed:\n{proc.stderr}")
    result: dict[str, float] = json.loads(proc.stdout.splitlines()[-1])
    return result


def run_process(command: list[str]) -> tuple[float, float, str]:
    """Run ``command``: (wall seconds from its start to its exit, its peak RSS in MB, stdout).

    The wall clock runs around the process as a clerk waits for it: interpreter start,
    imports, work and exit. Output goes to a file (a pipe could fill and stall the child) and
    the child's own max RSS comes from ``wait4``.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        if proc.returncode != 0:
            raise SystemExit(
                f"{' '.join(command)} exited with {proc.returncode}:\n{stdout}\n"
                + err.read().decode("utf-8", "replace")
            )
    return seconds, round(usage.ru_maxrss / 1024, 1), stdout


def landbank_command() -> list[str]:
    """The ``landbank`` console script a clerk runs (the venv's, beside this interpreter)."""
    script = Path(sys.executable).parent / ("landbank.exe" if os.name == "nt" else "landbank")
    return [str(script)] if script.exists() else [sys.executable, "-m", "landbank"]


def measure_floor_process(xlsx: Path) -> dict[str, float]:
    """The floor (benchmarks/import_floor.py) as a whole process, timed from start to exit."""
    wall, peak, stdout = run_process([sys.executable, "-m", "benchmarks.import_floor", str(xlsx)])
    figures: dict[str, float] = json.loads(stdout.splitlines()[-1])
    return {**figures, "wall_s": round(wall, 2), "peak_rss_mb": peak}


def measure_import_process(xlsx: Path, profile: Path | None) -> dict[str, float]:
    """:func:`measure_import` in a child; its process also timed from start to exit."""
    extra = ["--profile", str(profile)] if profile else []
    command = [sys.executable, "-m", "benchmarks.bench_import", "--measure", "import", str(xlsx)]
    wall, _, stdout = run_process([*command, *extra])
    figures: dict[str, float] = json.loads(stdout.splitlines()[-1])
    return {**figures, "wall_s": round(wall, 2)}


def measure_command(xlsx: Path, rows: int) -> dict[str, float]:
    """``landbank import parcels FILE --db DB`` as a clerk runs it, timed from start to exit.

    The ledger is prepared beforehand in another child (migrated, the 5 counties and their
    15 parks), as for :func:`measure_import`; the rows are counted afterwards.
    """
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "ledger.sqlite3"
        _child("--prepare", str(db))
        command = [*landbank_command(), "import", "parcels", str(xlsx), "--db", str(db)]
        wall, peak, _ = run_process(command)
        conn = sqlite3.connect(db)
        count = conn.execute("SELECT count(*) FROM parcel").fetchone()[0]
        conn.close()
    if count != rows:
        raise SystemExit(f"landbank import wrote {count:,} parcels, not {rows:,}")
    return {"rows": count, "seconds": round(wall, 2), "peak_rss_mb": peak}


def _median(runs: list[dict[str, float]], key: str = "seconds") -> dict[str, float]:
    """The run of median time (its figures kept together)."""
    ordered = sorted(runs, key=lambda r: r[key])
    return ordered[len(ordered) // 2]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="reuse the generated file")
    parser.add_argument("--profile", type=Path, help="write a cProfile of the import here")
    parser.add_argument("--runs", type=int, default=5, help="runs of each case; the medians are compared")
    parser.add_argument("--measure", nargs=2, metavar=("CASE", "XLSX"), help=argparse.SUPPRESS)
    parser.add_argument("--generate", nargs=2, metavar=("XLSX", "ROWS"), help=argparse.SUPPRESS)
    parser.add_argument("--prepare", metavar="DB", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate:
        generate(Path(args.generate[0]), int(args.generate[1]))
        print(json.dumps({"peak_rss_mb": peak_mb()}))
        return 0
    if args.prepare:
        prepare_ledger(Path(args.prepare))
        print(json.dumps({"peak_rss_mb": peak_mb()}))
        return 0
    if args.measure:
        print(json.dumps(measure_import(Path(args.measure[1]), args.profile)))
        return 0
    OUT.mkdir(exist_ok=True)
    name = "import_100k.xlsx" if args.rows == 100_000 else f"import_{args.rows}.xlsx"
    xlsx = OUT / name
    if not (args.keep and xlsx.exists()):
        t0 = time.perf_counter()
        _child("--generate", str(xlsx), str(args.rows))
        print(f"generated {args.rows:,} rows x {len(HEADERS)} columns in {time.perf_counter() - t0:.1f} s "
              f"({xlsx.stat().st_size / 1e6:.1f} MB)")
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    floors: list[dict[str, float]] = []
    fulls: list[dict[str, float]] = []
    commands: list[dict[str, float]] = []
    for _ in range(args.runs):  # alternating, so a slow spell of the machine hits every case
        floors.append(measure_floor_process(xlsx))
        fulls.append(measure_import_process(xlsx, args.profile))
        commands.append(measure_command(xlsx, args.rows))
    if args.runs > 1:
        print("runs (floor process / command / ratio; floor / import_records in process / ratio):")
        for f, i, c in zip(floors, fulls, commands, strict=True):
            print(f"  {f['wall_s']} / {c['seconds']} s / {c['seconds'] / f['wall_s']:.2f}x;  "
                  f"{f['seconds']} / {i['seconds']} s / {i['seconds'] / f['seconds']:.2f}x")
    floor = _median(floors)
    floor_process = _median(floors, "wall_s")
    full = _median(fulls)
    command = _median(commands)
    ratio = full["seconds"] / floor["seconds"]
    command_ratio = command["seconds"] / floor_process["wall_s"]
    print(f"   floor (calamine + sqlite3): {floor['rows']:,} rows in {floor['seconds']} s "
          f"(read {floor['read_s']} s), peak {floor['peak_rss_mb']} MB; "
          f"whole process {floor_process['wall_s']} s")
    print(f"  import (import_records + commit): {full['rows']:,} rows, {full['audit_rows']:,} audit entries in "
          f"{full['seconds']} s (read and lay out {full['read_s']} s, inserts {full['insert_s']} s, "
          f"commit {full['commit_s']} s), peak {full['peak_rss_mb']} MB")
    print(f" command (landbank import parcels FILE --db DB): {command['rows']:,} rows in "
          f"{command['seconds']} s, whole process, peak {command['peak_rss_mb']} MB")
    ratios = (("import/floor, in process", ratio), ("command/floor, whole processes", command_ratio))
    for label, value in ratios:
        mark = "ok" if value <= TARGET_RATIO else f"OVER target {TARGET_RATIO}x"
        print(f"   ratio {label}: {value:.2f}x ({mark})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
