"""Build a large ledger quickly for benchmarks: regions, parks and N parcels (Core executemany),
optionally more regions, factories and projects (the quota report's benchmark).

Not through the record services (that would measure validation and audit, not the tables);
the rows are still valid ledger rows, spread over regions, parks, statuses and areas.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert
from sqlalchemy.engine import make_url
from sqlmodel import Session

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, ProjectStage
from landbank.services.identity import save_ledger_identity
from landbank.store.engine import database_url
from landbank.store.migrate import open_database
from landbank.store.models import Factory, LandParcel, Park, Project, Region

REGIONS = [("辉县市", "县"), ("获嘉县", "县"), ("原阳县", "县"), ("红旗区", "区"), ("牧野区", "区")]
INDUSTRIES = ["装备制造", "新能源电池", "食品加工", "生物医药", "新材料", "电子信息", "纺织服装", "现代物流"]
TOWNS = ["孟庄镇", "百泉镇", "城关镇", "太山镇", "新中大道", "南环路", "北环路", "工业大道"]


def make_big_ledger(
    path: Path | str,
    parcels: int = 100_000,
    seed: int = 1,
    *,
    regions: int = 5,
    factories: int = 0,
    projects: int = 0,
) -> str:
    """Create (or replace) a SQLite ledger at ``path`` — or, given a ``postgresql://`` URL,
    a database of that name on that server, dropped first if it exists — with ``parcels``
    parcels (and ``regions`` regions, ``factories`` factories, ``projects`` projects);
    returns its URL."""
    region_list = REGIONS + [(f"示范{'县区'[i % 2]}{i + 1}", "县区"[i % 2]) for i in range(len(REGIONS), regions)]
    if isinstance(path, str) and path.startswith("postgresql"):
        url = _fresh_postgres_database(path)
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        url = f"sqlite:///{path}"
    engine = open_database(url, upgrade=True)  # a PostgreSQL one is created as server init would
    rng = random.Random(seed)
    now = datetime.now(UTC)
    common = {"version": 1, "created_at": now, "updated_at": now}
    with engine.begin() as conn:
        conn.execute(
            insert(Region),
            [{"name": n, "kind": k, "city": "新乡市", "uuid": str(uuid.uuid4()), **common} for n, k in region_list],
        )
        parks = []
        for region_id, (name, _) in enumerate(region_list, start=1):
            for j in range(3):
                parks.append({"name": f"{name}第{j + 1}产业园", "region_id": region_id, "uuid": str(uuid.uuid4()), **common})
        conn.execute(insert(Park), parks)
        readiness = list(ParcelReadiness)
        statuses = list(ParcelStatus)
        batch: list[dict[str, object]] = []
        for i in range(parcels):
            region_id = rng.randint(1, len(region_list))
            ready = rng.choice(readiness)
            status = rng.choice(statuses) if ready is ParcelReadiness.NET_LAND else rng.choice(statuses[:2])
            batch.append(
                {
                    "code": f"B{region_id}-{i:06d}",
                    "name": f"{rng.choice(TOWNS)}{i % 97}号地块",
                    "region_id": region_id,
                    "park_id": (region_id - 1) * 3 + rng.randint(1, 3) if rng.random() < 0.8 else None,
                    "location": f"{region_list[region_id - 1][0]}{rng.choice(TOWNS)}{rng.randint(1, 300)}号",
                    "area_mu": round(rng.lognormvariate(4.0, 0.8), 2),
                    "readiness": ready.value,
                    "status": status.value,
                    "target_industry": rng.choice(INDUSTRIES),
                    "reserve_date": date(2024, 1, 1) + timedelta(days=rng.randint(0, 1000)),
                    "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
                    **common,
                }
            )
            if len(batch) == 10_000:
                conn.execute(insert(LandParcel), batch)
                batch = []
        if batch:
            conn.execute(insert(LandParcel), batch)
        if factories:
            conn.execute(insert(Factory), [_factory(rng, i, len(region_list), common) for i in range(factories)])
        if projects:
            conn.execute(insert(Project), [_project(rng, i, len(region_list), common) for i in range(projects)])
    with Session(engine) as session:  # a ledger the clerk has opened before: it asks nothing
        save_ledger_identity(session, city="新乡市", bureau="新乡市商务局", user="benchmark")
        session.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return url


def _fresh_postgres_database(url: str) -> str:
    """Drop and create the database ``url`` names (connecting to the server's ``postgres``)."""
    target = make_url(database_url(url))
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{target.database}"')
        conn.exec_driver_sql(f'CREATE DATABASE "{target.database}"')
    server.dispose()
    return target.render_as_string(hide_password=False)


def _factory(rng: random.Random, i: int, regions: int, common: dict[str, object]) -> dict[str, object]:
    region_id = rng.randint(1, regions)
    status = rng.choice(list(FactoryStatus))
    area = float(round(rng.lognormvariate(8.8, 0.6), -1))
    completed = None if status is FactoryStatus.UNDER_CONSTRUCTION else date(2023, 1, 1) + timedelta(days=rng.randint(0, 1400))
    idle = {FactoryStatus.IDLE: area, FactoryStatus.PARTLY_OCCUPIED: round(area / 2, -1), FactoryStatus.OCCUPIED: 0.0}.get(status)
    return {
        "code": f"CF{region_id}-{i:06d}",
        "name": f"{i % 50 + 1}#厂房",
        "region_id": region_id,
        "park_id": (region_id - 1) * 3 + rng.randint(1, 3),
        "status": status.value,
        "completion_date": completed,
        "floor_area_m2": area,
        "idle_area_m2": idle,
        "idle_since": completed + timedelta(days=rng.randint(0, 300)) if completed and idle else None,
        "target_industry": rng.choice(INDUSTRIES),
        "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        **common,
    }


def _project(rng: random.Random, i: int, regions: int, common: dict[str, object]) -> dict[str, object]:
    region_id = rng.randint(1, regions)
    stage = rng.choice(list(ProjectStage))
    total = float(round(rng.lognormvariate(9.2, 1.0), -2))
    signed = None if stage in (ProjectStage.LEAD, ProjectStage.NEGOTIATING) else date(2024, 6, 1) + timedelta(days=rng.randint(0, 900))
    agreed = signed + timedelta(days=rng.randint(30, 200)) if signed else None
    started = agreed + timedelta(days=rng.randint(-20, 120)) if agreed and stage in (ProjectStage.STARTED, ProjectStage.IN_PRODUCTION) else None
    contract = round(total * 0.9, -2) if signed else None
    return {
        "name": f"项目{i:06d}",
        "region_id": region_id,
        "park_id": (region_id - 1) * 3 + rng.randint(1, 3),
        "industry": rng.choice(INDUSTRIES),
        "total_investment_wan": total,
        "stage": stage.value,
        "signed_date": signed,
        "agreed_start_date": agreed,
        "actual_start_date": started,
        "contract_investment_wan": contract,
        "funds_in_place_wan": round(contract * rng.random(), -1) if contract else None,
        "uuid": str(uuid.UUID(int=rng.getrandbits(128))),
        **common,
    }
