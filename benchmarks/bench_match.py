"""Benchmark: matching projects against 100,000 sites (issue 4).

    python -m benchmarks.bench_match [--sites 100000] [--projects 1000] [--runs 5]

Generates a city's worth of offerable sites in memory — 70 % parcels (可供, some 意向锁定, some
not yet 净地) and 30 % buildings with free floor space, spread over 20 counties and 120 parks,
with target industries, thresholds, prices, rents and building specs — and 1,000 open projects
with mixed requirements (land, floor space or both unset, ranges, specs, preferences, dates).
Every site is offerable: the worst case (a real ledger's supplied parcels never reach the
matcher). Measures, best of ``--runs``:

- building the column table of the sites (once per ledger load);
- one project against all sites (the dialog's 重新匹配), for a land project and a floor-space
  project (with its combinations of buildings);
- every open project against all sites (the city's daily sweep).

The sites are matched with a 标准地 table (issue 16): a row per county (投资强度 150–250 万元/亩),
per county and industry for three industries (亩均税收), per park for one park in three
(亩均产出 of 装备制造 and 投资强度 of all industries) — so every parcel is judged by the hard
constraint, its own thresholds over the table's; ``--no-standards`` leaves the table out.

Targets: one project under 50 ms; 1,000 projects under 5 s. Also times loading the sites from a
SQLite ledger of the same size (``load_sites``), which the dialog does once when it opens.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from datetime import date, timedelta
from pathlib import Path

from landbank.allocator import tune_allocator
from landbank.domain.enums import RecordKind
from landbank.domain.matching import SiteTable, match_sites
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.standards import Indicator, StandardRow, Threshold

TODAY = date(2026, 11, 24)
INDUSTRIES = ["装备制造", "食品加工", "新材料", "电子信息", "纺织服装", "现代物流", "生物医药",
              "新能源电池", "高端装备制造", "冷链/物流", ""]  # fmt: skip
READINESS = ["三通一平", "五通一平", "七通一平", "净地(可供)", "净地(可供)", "净地(可供)"]


def make_sites(n: int, seed: int = 11) -> list[Site]:
    rng = random.Random(seed)
    sites: list[Site] = []
    for i in range(n):
        region = rng.randrange(1, 21)
        park = region * 10 + rng.randrange(6) if rng.random() < 0.8 else None
        if rng.random() < 0.7:
            locked = rng.random() < 0.1
            sites.append(
                Site(
                    RecordKind.PARCEL, i, f"P{i:06d}", "", region, park,
                    round(rng.lognormvariate(4.2, 0.7), 1),
                    "意向锁定" if locked else "可供",
                    region_name=f"县{region}", park_name=f"园区{park}" if park else "",
                    readiness=rng.choice(READINESS),
                    target_industry=rng.choice(INDUSTRIES) or None,
                    min_intensity_wan_per_mu=rng.choice([None, 200.0, 250.0, 300.0, 400.0]),
                    min_tax_per_mu_wan=rng.choice([None, 10.0, 15.0, 20.0, 30.0]),
                    price_wan=rng.choice([None, rng.uniform(8, 20) * 100]),
                    reserved_project_id=rng.randrange(1, 1000) if locked else None,
                    reserved_until=TODAY + timedelta(days=rng.randrange(-60, 120)) if locked else None,
                )
            )
        else:
            sites.append(
                Site(
                    RecordKind.FACTORY, i, f"F{i:06d}", f"{i}号厂房", region, park,
                    float(rng.randrange(1000, 15000, 10)),
                    rng.choice(["闲置", "已建成", "部分入驻", "在建"]),
                    target_industry=rng.choice(INDUSTRIES) or None,
                    rent_yuan_m2_month=rng.choice([None, rng.uniform(8, 20)]),
                    ceiling_height_m=rng.choice([None, 6.0, 8.0, 9.0, 10.0, 12.0]),
                    floor_load_kn_m2=rng.choice([None, 8.0, 20.0, 30.0, 40.0]),
                    power_kva=rng.choice([None, 315.0, 630.0, 800.0, 1250.0]),
                    ready_date=TODAY + timedelta(days=rng.randrange(-400, 400)),
                )
            )
    return sites


def make_standards(seed: int = 13) -> list[StandardRow]:
    """The 标准地 table of the 20 counties and their parks (see the module docstring)."""
    rng = random.Random(seed)
    rows: list[StandardRow] = []
    for region in range(1, 21):
        county = f"县{region}"
        intensity = Threshold(float(rng.choice([150, 200, 250])))
        rows.append(StandardRow(county, None, None, {Indicator.INVESTMENT_INTENSITY: intensity}))
        for industry in ("装备制造", "食品加工", "新材料"):
            tax = Threshold(float(rng.choice([8, 12, 15])))
            rows.append(StandardRow(county, None, industry, {Indicator.TAX_PER_MU: tax}))
        for park in range(region * 10, region * 10 + 6, 3):
            output = Threshold(float(rng.choice([200, 300])))
            rows.append(StandardRow(county, f"园区{park}", "装备制造",
                                    {Indicator.OUTPUT_PER_MU: output}))  # fmt: skip
            rows.append(StandardRow(county, f"园区{park}", None,
                                    {Indicator.INVESTMENT_INTENSITY: Threshold(180.0)}))  # fmt: skip
    return rows


def make_projects(n: int, seed: int = 12) -> list[Requirements]:
    rng = random.Random(seed)
    projects = []
    for i in range(n):
        kind = rng.random()
        land = round(rng.lognormvariate(4.0, 0.8), 0) if kind < 0.5 else None
        floor = float(rng.randrange(2000, 30000, 100)) if 0.4 < kind < 0.95 else None
        projects.append(
            Requirements(
                project_id=i + 1, project_name=f"项目{i + 1}", land_mu=land,
                land_max_mu=land * 1.5 if land and rng.random() < 0.3 else None,
                factory_m2=floor,
                ceiling_height_m=rng.choice([None, 8.0, 9.0]) if floor else None,
                floor_load_kn_m2=rng.choice([None, 20.0, 30.0]) if floor else None,
                power_kva=rng.choice([None, 400.0, 630.0]) if floor else None,
                industry=rng.choice(INDUSTRIES) or None,
                home_region_id=rng.randrange(1, 21),
                preferred_region_id=rng.choice([None, rng.randrange(1, 21)]),
                preferred_park_id=rng.choice([None, rng.randrange(10, 210)]),
                investment_intensity_wan_per_mu=rng.choice([None, 250.0, 350.0]) if land else None,
                tax_per_mu_wan=rng.choice([None, 12.0, 25.0]) if land else None,
                needed_by=rng.choice([None, TODAY + timedelta(days=rng.randrange(30, 700))]),
                rent_or_buy=rng.choice([None, "租赁", "购买", "均可"]),
            )
        )
    return projects


def best(runs: int, fn: object) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def time_loading(n: int) -> float:
    """Load ``n`` offerable sites from a SQLite ledger with ``load_sites`` (written with the
    bulk insert of benchmarks/big_ledger.py's kind: plain executemany)."""
    import sqlite3
    import tempfile

    from sqlmodel import Session

    from landbank.services.matching.sites import load_sites
    from landbank.store.migrate import open_database

    sites = make_sites(n)
    folder = Path(tempfile.mkdtemp())
    path = folder / "match.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    engine.dispose()
    con = sqlite3.connect(path)
    now = "2026-11-24 00:00:00"
    con.executemany(
        "INSERT INTO region (id, uuid, version, created_at, updated_at, name, kind) "
        "VALUES (?, ?, 1, ?, ?, ?, '县')",
        [(r, f"r{r}", now, now, f"县{r}") for r in range(1, 21)],
    )
    con.executemany(
        "INSERT INTO park (id, uuid, version, created_at, updated_at, name, region_id) "
        "VALUES (?, ?, 1, ?, ?, ?, ?)",
        [(p, f"k{p}", now, now, f"园区{p}", p // 10) for p in range(10, 210)],
    )
    con.executemany(
        "INSERT INTO parcel (id, uuid, version, created_at, updated_at, code, region_id, park_id,"
        " area_mu, readiness, status, target_industry, price_wan) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, ?, '可供', ?, ?)",
        [(s.id + 1, f"p{s.id}", now, now, s.code, s.region_id, s.park_id, s.area,
          s.readiness, s.target_industry, s.price_wan)
         for s in sites if s.kind is RecordKind.PARCEL],
    )  # fmt: skip
    con.executemany(
        "INSERT INTO factory (id, uuid, version, created_at, updated_at, code, name, region_id,"
        " park_id, status, floor_area_m2, idle_area_m2, ceiling_height_m, rent_yuan_m2_month) "
        "VALUES (?, ?, 1, ?, ?, ?, ?, ?, ?, '闲置', ?, ?, ?, ?)",
        [(s.id + 1, f"f{s.id}", now, now, s.code, s.name, s.region_id, s.park_id, s.area,
          s.area, s.ceiling_height_m, s.rent_yuan_m2_month)
         for s in sites if s.kind is RecordKind.FACTORY],
    )  # fmt: skip
    con.commit()
    con.close()
    engine = open_database(f"sqlite:///{path}")
    try:
        with Session(engine) as session:
            start = time.perf_counter()
            loaded = load_sites(session)
            elapsed = time.perf_counter() - start
        assert len(loaded) == n, len(loaded)
    finally:
        engine.dispose()
        path.unlink()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-standards", action="store_true", help="match without a 标准地 table")
    args = parser.parse_args()
    # As the landbank command does at start (see landbank/allocator.py).
    print(f"glibc allocator tuned: {tune_allocator()}")
    print(f"machine: {platform.processor() or platform.machine()}, Python {platform.python_version()}")
    sites = make_sites(args.sites)
    projects = make_projects(args.projects)
    standards = [] if args.no_standards else make_standards()
    build = best(args.runs, lambda: SiteTable(sites, standards))
    table = SiteTable(sites, standards)
    land = next(p for p in projects if p.land_mu and not p.factory_m2)
    floor = next(p for p in projects if p.factory_m2 and not p.land_mu)
    one_land = best(args.runs, lambda: match_sites(land, table, TODAY))
    one_floor = best(args.runs, lambda: match_sites(floor, table, TODAY))
    sweep = best(
        max(1, args.runs // 2),
        lambda: [match_sites(p, table, TODAY) for p in projects],
    )
    load = time_loading(args.sites)
    fits = match_sites(land, table, TODAY)
    print(f"sites: {args.sites:,}  projects: {args.projects:,}  标准地 rows: {len(standards)}")
    print(f"build site table:            {build * 1000:8.1f} ms")
    print(f"one land project:            {one_land * 1000:8.1f} ms  (target < 50 ms; "
          f"{fits.fitting:,} sites fit)")  # fmt: skip
    print(f"one floor-space project:     {one_floor * 1000:8.1f} ms  (with combinations)")
    print(f"every open project:          {sweep:8.2f} s   (target < 5 s)")
    print(f"load sites from SQLite:      {load * 1000:8.1f} ms  (once per dialog)")


if __name__ == "__main__":
    main()
