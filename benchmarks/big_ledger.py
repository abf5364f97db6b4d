"""Build a large ledger quickly for benchmarks: regions, parks and N parcels (Core executemany).

Not through the record services (that would measure validation and audit, not the tables);
the rows are still valid ledger rows, spread over regions, parks, statuses and areas.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

from landbank.domain.enums import ParcelReadiness, ParcelStatus
from landbank.store.migrate import open_database
from landbank.store.models import LandParcel, Park, Region

REGIONS = [("辉县市", "县"), ("获嘉县", "县"), ("原阳县", "县"), ("红旗区", "区"), ("牧野区", "区")]
INDUSTRIES = ["装备制造", "新能源电池", "食品加工", "生物医药", "新材料", "电子信息", "纺织服装", "现代物流"]
TOWNS = ["孟庄镇", "百泉镇", "城关镇", "太山镇", "新中大道", "南环路", "北环路", "工业大道"]


def make_big_ledger(path: Path, parcels: int = 100_000, seed: int = 1) -> str:
    """Create (or replace) a SQLite ledger at ``path`` with ``parcels`` parcels; returns its URL."""
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    url = f"sqlite:///{path}"
    engine = open_database(url)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    common = {"version": 1, "created_at": now, "updated_at": now}
    with engine.begin() as conn:
        conn.execute(
            insert(Region),
            [{"name": n, "kind": k, "city": "新乡市", "uuid": str(uuid.uuid4()), **common} for n, k in REGIONS],
        )
        parks = []
        for region_id, (name, _) in enumerate(REGIONS, start=1):
            for j in range(3):
                parks.append({"name": f"{name}第{j + 1}产业园", "region_id": region_id, "uuid": str(uuid.uuid4()), **common})
        conn.execute(insert(Park), parks)
        readiness = list(ParcelReadiness)
        statuses = list(ParcelStatus)
        batch: list[dict[str, object]] = []
        for i in range(parcels):
            region_id = rng.randint(1, len(REGIONS))
            ready = rng.choice(readiness)
            status = rng.choice(statuses) if ready is ParcelReadiness.NET_LAND else rng.choice(statuses[:2])
            batch.append(
                {
                    "code": f"B{region_id}-{i:06d}",
                    "name": f"{rng.choice(TOWNS)}{i % 97}号地块",
                    "region_id": region_id,
                    "park_id": (region_id - 1) * 3 + rng.randint(1, 3) if rng.random() < 0.8 else None,
                    "location": f"{REGIONS[region_id - 1][0]}{rng.choice(TOWNS)}{rng.randint(1, 300)}号",
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
    with engine.connect() as conn:
        conn.exec_driver_sql("ANALYZE")
    engine.dispose()
    return url
