"""Benchmark: back a city's PostgreSQL database up and restore it (issue 14 item 6).

    python -m benchmarks.bench_server_backup --pg postgresql://postgres@127.0.0.1/bench_city
        [--parcels 100000] [--factories 5000] [--projects 2000] [--keep]

Builds the city database (``benchmarks/big_ledger.py``; dropped first unless ``--keep`` and it
exists), then for each method (``copy``, and ``pg_dump`` when it fits the server) writes a
backup (:func:`landbank.store.pg_backup.write_backup`) and restores it into a fresh database
``<name>_restore_<method>`` (:func:`landbank.store.pg_restore.restore_backup`, dropped after).
Prints the seconds, the file size and the rows. The upgrade itself (migrations) depends on what
they do; ``landbank server upgrade`` reports its own time.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from benchmarks.big_ledger import make_big_ledger

OUT = Path(__file__).parent / "out"


def _admin(url: str):  # type: ignore[no-untyped-def]
    import psycopg

    parsed = make_url(url)
    return psycopg.connect(
        host=parsed.host or "127.0.0.1", port=parsed.port or 5432, user=parsed.username,
        password=parsed.password, dbname="postgres", autocommit=True,
    )


def _exists(url: str) -> bool:
    with _admin(url) as conn:
        name = make_url(url).database
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None


def main() -> None:
    from landbank.store.engine import make_engine
    from landbank.store.pg_backup import pg_dump_fits, write_backup
    from landbank.store.pg_restore import restore_backup

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--pg", required=True, help="postgresql://user@host/NAME (dropped and rebuilt)")
    ap.add_argument("--parcels", type=int, default=100_000)
    ap.add_argument("--factories", type=int, default=5_000)
    ap.add_argument("--projects", type=int, default=2_000)
    ap.add_argument("--keep", action="store_true", help="reuse the database when it exists")
    args = ap.parse_args()

    url = make_url(args.pg).set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if not (args.keep and _exists(url)):
        started = time.perf_counter()
        make_big_ledger(args.pg, args.parcels, factories=args.factories, projects=args.projects)
        print(f"built in {time.perf_counter() - started:.1f} s")
    OUT.mkdir(exist_ok=True)
    engine = make_engine(url)
    with engine.connect() as conn:
        methods = ["copy", "pg_dump"] if pg_dump_fits(conn) else ["copy"]
    results = []
    for method in methods:
        target = OUT / f"server-backup-{method}.landbank-pg.zip"
        target.unlink(missing_ok=True)
        backup = write_backup(engine, target, method=method)
        fresh = make_url(url).set(database=f"{make_url(url).database}_restore_{method}")
        with _admin(url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{fresh.database}"')
        restored_engine = make_engine(fresh.render_as_string(hide_password=False))
        try:
            restored = restore_backup(restored_engine, target)
        finally:
            restored_engine.dispose()
            with _admin(url) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{fresh.database}" WITH (FORCE)')
        results.append({
            "method": method,
            "rows": sum(backup.rows.values()),
            "backup_s": round(backup.seconds, 2),
            "size_mb": round(backup.size / 1e6, 2),
            "restore_s": round(restored.seconds, 2),
        })
        print(json.dumps(results[-1]))
    engine.dispose()


if __name__ == "__main__":
    main()
