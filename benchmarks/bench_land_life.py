"""Benchmark: the counties' 闲置与低效用地 figures (issue 16 item 5) on a city of 300,000
parcels, as the 指标进度 dashboard and the quota report read them.

    python -m benchmarks.bench_land_life [--parcels 300000] [--keep]

Builds the ledger (benchmarks/out/land_life.sqlite3, benchmarks/big_ledger.py) with 20 regions,
then gives the supplied parcels a contract (agreed start and completion, a price, 合同约定投资),
the started ones an actual start and some investment, the completed ones a production start,
a third of the unsupplied ones an approval date, and one yearly figure row to every supplied
parcel — so every rule has work to do. Measured: ``county_land_life`` for the whole city (the
dashboard's refresh), best of 3 after one cold run, and the JSON the CLI prints.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

from benchmarks.big_ledger import make_big_ledger
from landbank.services.land_life.status import county_land_life
from landbank.store.migrate import open_database

OUT = Path(__file__).parent / "out"
AS_OF = date(2026, 11, 24)
SUPPLIED = "('已出让/划拨', '已交地', '已开工', '已竣工投产')"

_PREPARE = [
    "UPDATE parcel SET agreed_start_date = date(reserve_date, '+120 days'),"
    " agreed_completion_date = date(reserve_date, '+600 days'),"
    " price_wan = round(area_mu * 12, 1), holder = '某公司' || (id % 3000),"
    " contract_investment_wan = round(area_mu * 300, 1),"
    " committed_tax_per_mu_wan = 15"
    f" WHERE status IN {SUPPLIED}",
    "UPDATE parcel SET actual_start_date = date(reserve_date, '+200 days'),"
    " investment_made_wan = round(area_mu * 300 * (id % 10) / 10.0, 1)"
    " WHERE status IN ('已开工', '已竣工投产')",
    "UPDATE parcel SET actual_completion_date = date(reserve_date, '+500 days'),"
    " production_start_date = date(reserve_date, '+560 days')"
    " WHERE status = '已竣工投产' AND id % 2 = 0",
    "UPDATE parcel SET approval_date = date(reserve_date, '-30 days')"
    f" WHERE status NOT IN {SUPPLIED} AND id % 3 = 0",
    "INSERT INTO land_yield (uuid, version, created_at, updated_at, parcel_id, region_id, year,"
    " tax_wan, revenue_wan, output_wan, value_added_wan, energy_tce, employees)"
    " SELECT lower(hex(randomblob(16))), 1, datetime('now'), datetime('now'), id, region_id,"
    " 2025, area_mu * (id % 30), area_mu * 200, area_mu * 220, area_mu * 60, area_mu * 2,"
    f" 20 + id % 200 FROM parcel WHERE status IN {SUPPLIED}",
]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parcels", type=int, default=300_000)
    parser.add_argument("--keep", action="store_true", help="reuse an existing ledger")
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    db = OUT / "land_life.sqlite3"
    if not (args.keep and db.exists()):
        started = time.perf_counter()
        make_big_ledger(db, args.parcels, regions=20)
        engine = open_database(f"sqlite:///{db}", upgrade=True)
        with engine.begin() as conn:
            for statement in _PREPARE:
                conn.execute(text(statement))
            conn.exec_driver_sql("ANALYZE")
        engine.dispose()
        print(f"ledger of {args.parcels:,} parcels built in {time.perf_counter() - started:.1f} s")
    engine = open_database(f"sqlite:///{db}", upgrade=True)
    times = []
    report = None
    for _ in range(4):
        with Session(engine) as session:
            started = time.perf_counter()
            report = county_land_life(session, AS_OF)
            times.append(time.perf_counter() - started)
    assert report is not None
    idle = sum(c.summary.idle.count for c in report.counties)
    low = sum(t.count for c in report.counties for t in c.summary.low.values())
    print(
        f"county_land_life: {len(report.counties)} counties, {report.judged:,} parcels judged,"
        f" {idle:,} 闲置, {low:,} 低效; cold {times[0]:.2f} s, best of 3 {min(times[1:]):.2f} s"
    )
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
