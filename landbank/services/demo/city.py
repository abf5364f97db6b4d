"""A realistic demo city (新乡市), the same for the same seed: to try the app, to take
screenshots and to show a meeting what a full ledger looks like.

Every record goes through :func:`landbank.services.records.saving.create_record`, so the demo is
validated and audited exactly like a clerk's input (source “演示数据”). The function only
flushes; the caller commits.

States follow the ladders consistently: a parcel is 已挂牌 or further only when it is 净地, a
supplied parcel has a holder, a 电子监管号 and agreed dates, a started one an actual start date;
an idle factory has idle area and a date it fell idle; a signed project has a signing date
before its agreed start, and so on. Dates lie in the demo year and the two before it, never
after ``as_of`` (today, for the current year).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlmodel import Session, col, select

from landbank.domain.enums import RecordKind
from landbank.domain.quota.targets import default_targets
from landbank.services.demo import data
from landbank.services.demo.factories import FactoryMaker
from landbank.services.demo.land_life import LifeMaker
from landbank.services.demo.parcels import ParcelMaker
from landbank.services.demo.projects import ProjectMaker
from landbank.services.demo.sites import SiteMaker
from landbank.services.demo.standards import StandardMaker
from landbank.services.demo.writer import SOURCE
from landbank.services.identity import save_ledger_identity
from landbank.services.records.saving import update_record
from landbank.store.models import LandParcel, Project


@dataclass(frozen=True)
class DemoSummary:
    regions: int
    parks: int
    parcels: int
    factories: int
    projects: int
    quotas: int

    def describe(self) -> str:
        return (
            f"{self.regions} 个县区、{self.parks} 个园区、{self.parcels} 个地块、"
            f"{self.factories} 栋厂房、{self.projects} 个项目、{self.quotas} 条年度指标"
        )


def default_as_of(year: int, today: date | None = None) -> date:
    """The demo's “today”: today in the current year, 31 Dec for a past year, mid-year for a
    future one."""
    today = today or date.today()
    if year == today.year:
        return today
    return date(year, 12, 31) if year < today.year else date(year, 6, 30)


def create_demo_city(
    session: Session,
    *,
    year: int,
    seed: int = 7,
    user: str = "演示数据",
    as_of: date | None = None,
) -> DemoSummary:
    """Create the demo city in ``session`` (flushed, not committed)."""
    gen = _Generator(session, random.Random(seed), year, as_of or default_as_of(year), user)
    summary = gen.run()
    save_ledger_identity(
        session, city=data.CITY, bureau=f"{data.CITY}商务局", user=user, source=SOURCE
    )
    return summary


class _Generator(ParcelMaker, FactoryMaker, ProjectMaker, SiteMaker, LifeMaker, StandardMaker):
    """The city: its regions and parks, then county by county the parcels, factories and
    projects (:mod:`~landbank.services.demo.parcels`, :mod:`~landbank.services.demo.factories`,
    :mod:`~landbank.services.demo.projects`), the sites locked for projects and the year's
    quota."""

    def parcel_values(self, region: data.RegionSpec) -> dict[str, Any]:
        values = super().parcel_values(region)
        self.life_values(values)  # after supply (services/demo/land_life.py)
        return values

    # ------------------------------------------------------------ the city

    def run(self) -> DemoSummary:
        for region in data.REGIONS:
            self.region_ids[region.name] = self.create(
                RecordKind.REGION, {"name": region.name, "kind": region.kind, "city": data.CITY}
            )
            for park in region.parks:
                self.park_ids[park.name] = self.create(
                    RecordKind.PARK,
                    {"name": park.name, "region_id": self.region_ids[region.name]},
                )
        self.standards()  # the 标准地 table, before the sites it applies to
        for region in data.REGIONS:
            self.parcels(region)
            self.factories(region)
            self.projects(region)
            self.locate(region)
            self.reservations(region)
            targets = default_targets(region.kind)
            self.create(
                RecordKind.QUOTA,
                {
                    "region_id": self.region_ids[region.name],
                    "year": self.year,
                    "land_target_mu": targets.land_mu,
                    "factory_target_m2": targets.factory_m2,
                },
            )
        c = self.counts
        return DemoSummary(
            regions=c[RecordKind.REGION],
            parks=c[RecordKind.PARK],
            parcels=c[RecordKind.PARCEL],
            factories=c[RecordKind.FACTORY],
            projects=c[RecordKind.PROJECT],
            quotas=c[RecordKind.QUOTA],
        )

    # ------------------------------------------------------------ reservations

    def reservations(self, region: data.RegionSpec) -> None:
        """Each 意向锁定 parcel is held for one of the county's open projects, some locks
        running out soon or already past (their own random stream: the rest of the city stays
        as it was)."""
        rng = random.Random(f"{self.year}-{region.name}")
        region_id = self.region_ids[region.name]
        locked = self.session.execute(
            select(col(LandParcel.id), col(LandParcel.version))
            .where(col(LandParcel.region_id) == region_id, col(LandParcel.status) == "意向锁定")
            .order_by(col(LandParcel.id))
        ).all()
        projects = list(
            self.session.execute(
                select(col(Project.id))
                .where(
                    col(Project.region_id) == region_id,
                    col(Project.stage).in_(("在谈", "签约", "拟开工")),
                    col(Project.req_land_mu).is_not(None),
                )
                .order_by(col(Project.id))
            ).scalars()
        )
        for (parcel_id, version), project_id in zip(locked, projects, strict=False):
            until = self.as_of + timedelta(days=rng.choice((-12, 9, 20, 45, 60, 75, 90)))
            update_record(
                self.session,
                RecordKind.PARCEL,
                parcel_id,
                {"reserved_project_id": project_id, "reserved_until": until},
                expected_version=version,
                user=self.user,
                source=SOURCE,
                managed=True,
            )
