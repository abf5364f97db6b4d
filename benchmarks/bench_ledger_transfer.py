"""Benchmark: a county's SQLite ledger into a city's PostgreSQL ledger and back (issue 14
item 7: ``server import-ledger`` / ``server export-ledger``).

    python -m benchmarks.bench_ledger_transfer --pg postgresql://postgres@127.0.0.1/bench_transfer
        [--parcels 200] [--factories 30] [--projects 14]

Drops and creates the database, runs ``server init`` and puts the demo city in it, makes a
county ledger (延津, not in the demo) through the services (``tests/services/county_ledger.py``:
each record created and audited as a clerk's app would), then times the dry run, the import,
a second import (every record already there: skipped) and the export of the county. Prints
the seconds and the counts; the roles ``server init`` made are dropped at the end.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import psycopg
from sqlalchemy.engine import make_url


def main() -> None:
    from landbank.services.demo.city import create_demo_city
    from landbank.services.server.ledger_export import export_ledger
    from landbank.services.server.ledger_transfer import import_ledger
    from landbank.services.server.roles import role_names
    from landbank.services.server.setup import init_server
    from landbank.store.engine import write_session
    from landbank.store.migrate import open_database
    from tests.server_helpers import drop_roles
    from tests.services.county_ledger import make_county_ledger

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--pg", required=True, help="postgresql://postgres@host/NAME (dropped, rebuilt)"
    )
    ap.add_argument("--parcels", type=int, default=200)
    ap.add_argument("--factories", type=int, default=30)
    ap.add_argument("--projects", type=int, default=14)
    args = ap.parse_args()

    parsed = make_url(args.pg)
    name = str(parsed.database)
    url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    admin = psycopg.connect(
        host=parsed.host or "127.0.0.1", port=parsed.port or 5432, user=parsed.username,
        password=parsed.password, dbname="postgres", autocommit=True,
    )  # fmt: skip
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        init_server(url)
        engine = open_database(url)
        with write_session(engine) as s:
            create_demo_city(s, year=2026)
        engine.dispose()
        with tempfile.TemporaryDirectory() as folder:
            ledger = Path(folder) / "延津.sqlite3"
            started = time.perf_counter()
            make_county_ledger(
                ledger, parcels=args.parcels, factories=args.factories, projects=args.projects
            )
            print(f"county ledger made through the services: {time.perf_counter() - started:.1f} s")
            for what, dry in (("dry run", True), ("import", False), ("again", False)):
                started = time.perf_counter()
                report = import_ledger(ledger, url, dry_run=dry)
                added = {k.value: n for k, n in report.added.items()}
                print(
                    f"{what:8} {time.perf_counter() - started:6.2f} s  added {added} history "
                    f"{report.history} same {sum(report.same.values())} written {report.written}"
                )
            started = time.perf_counter()
            out = export_ledger(url, "延津县", Path(folder) / "导出.sqlite3")
            counts = {k.value: n for k, n in out.counts.items()}
            print(
                f"export   {time.perf_counter() - started:6.2f} s  {counts} history {out.history}"
            )
    finally:
        drop_roles(url, role_names(name), [])
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


if __name__ == "__main__":
    main()
