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
from typing import Any, TypeVar

from sqlmodel import Session, col, select

from landbank.domain.enums import (
    BuildMode,
    FactoryStatus,
    IndustryClass,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RecordKind,
    RegionKind,
    RentOrBuy,
)
from landbank.domain.quota.targets import default_targets
from landbank.services.demo import data
from landbank.services.demo.random_values import DemoRandom
from landbank.services.identity import save_ledger_identity
from landbank.services.records.saving import create_record, update_record
from landbank.store.models import LandParcel, Project

SOURCE = "演示数据"

T = TypeVar("T")


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
    save_ledger_identity(session, city=data.CITY, bureau=f"{data.CITY}商务局", user=user)
    return summary


class _Generator(DemoRandom):
    def __init__(
        self, session: Session, rng: random.Random, year: int, as_of: date, user: str
    ) -> None:
        super().__init__(rng, as_of)
        self.session = session
        self.year = year
        self.user = user
        self.counts: dict[RecordKind, int] = dict.fromkeys(RecordKind, 0)
        self.region_ids: dict[str, int] = {}
        self.park_ids: dict[str, int] = {}
        self.supervision_seq = 0

    # ------------------------------------------------------------ plumbing

    def create(self, kind: RecordKind, values: dict[str, Any]) -> int:
        record = create_record(self.session, kind, values, user=self.user, source=SOURCE)
        self.counts[kind] += 1
        assert record.id is not None
        return record.id

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
        for region in data.REGIONS:
            self.parcels(region)
            self.factories(region)
            self.projects(region)
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

    # ------------------------------------------------------------ parcels

    def parcels(self, region: data.RegionSpec) -> None:
        rows = [self.parcel_values(region) for _ in range(region.parcels)]
        # Codes run per region and year in the order of the reserve date: HX2025-001 …
        rows.sort(key=lambda v: v["reserve_date"] or date(self.year, 12, 31))
        seq: dict[int, int] = {}
        for values in rows:
            code_year = values["reserve_date"].year if values["reserve_date"] else self.year
            seq[code_year] = seq.get(code_year, 0) + 1
            values["code"] = f"{region.prefix}{code_year}-{seq[code_year]:03d}"
            self.create(RecordKind.PARCEL, values)

    def parcel_values(self, region: data.RegionSpec) -> dict[str, Any]:
        rng, y = self.rng, self.year
        status = self.weighted(
            [
                (ParcelStatus.AVAILABLE, 40),
                (ParcelStatus.RESERVED, 10),
                (ParcelStatus.LISTED, 8),
                (ParcelStatus.SUPPLIED, 10),
                (ParcelStatus.HANDED_OVER, 10),
                (ParcelStatus.STARTED, 14),
                (ParcelStatus.IN_PRODUCTION, 8),
            ]
        )
        rank = list(ParcelStatus).index(status)
        ladder = list(ParcelReadiness)
        if status is ParcelStatus.AVAILABLE:
            readiness = self.weighted(list(zip(ladder, (12, 14, 12, 14, 12, 10, 26), strict=True)))
        elif status is ParcelStatus.RESERVED:
            readiness = self.weighted(list(zip(ladder[3:], (2, 3, 3, 6), strict=True)))
        else:  # 净地出让: listed and beyond only as 净地
            readiness = ParcelReadiness.NET_LAND
        park = self.pick(region.parks) if rng.random() < 0.8 else None
        industries = park.industries if park and rng.random() < 0.8 else data.INDUSTRIES
        township = self.pick(region.townships)
        area = round(self.skewed(70, 0.75, 15, 400), 2)
        v: dict[str, Any] = {
            "region_id": self.region_ids[region.name],
            "park_id": self.park_ids[park.name] if park else None,
            "township": township,
            "location": self.location(region, township),
            "boundaries": self.boundaries(),
            "area_mu": area,
            "readiness": readiness.value,
            "status": status.value,
            "planned_use": "工业用地" if rng.random() < 0.9 else "仓储用地",
            "target_industry": self.pick(industries),
            "acquisition_method": self.weighted(data.ACQUISITION_WEIGHTS),
            "land_source": self.pick(data.LAND_SOURCES),
            "contact_person": self.person(),
            "contact_phone": self.phone(),
        }
        v["name"] = v["location"].removeprefix(region.name) + "地块"
        if rng.random() < 0.4:
            v["net_area_mu"] = round(area * rng.uniform(0.85, 0.98), 2)
        if readiness is ParcelReadiness.PLANNED:
            v["reserve_date"] = None
            v["count_year"] = y
        else:
            if rank >= list(ParcelStatus).index(ParcelStatus.HANDED_OVER):
                reserve = self.day(date(y - 2, 1, 1), date(y - 1, 6, 30))
            elif rank >= list(ParcelStatus).index(ParcelStatus.LISTED):
                reserve = self.day(date(y - 2, 1, 1), self.as_of - timedelta(days=120))
            else:
                ry = self.weighted([(y - 2, 25), (y - 1, 30), (y, 45 * region.this_year)])
                reserve = self.day(date(ry, 1, 1), date(ry, 12, 31))
            v["reserve_date"] = reserve
            v["reserve_doc_no"] = f"{region.doc_short}〔{reserve.year}〕{rng.randint(3, 160)}号"
        if rng.random() < 0.7:
            v["far_min"] = self.pick((0.8, 1.0, 1.2))
            v["far_max"] = self.pick((2.0, 2.5, 3.0))
            v["building_density_pct"] = float(rng.randint(30, 60))
            v["green_ratio_pct"] = float(rng.randint(10, 20))
            v["height_limit_m"] = float(self.pick((24, 30, 40, 50)))
        if rng.random() < 0.6:
            v["min_investment_intensity_wan_per_mu"] = float(self.pick((200, 250, 300, 350, 400)))
            v["min_tax_per_mu_wan"] = float(self.pick((10, 12, 15, 20, 25, 30)))
        if rank >= list(ParcelStatus).index(ParcelStatus.SUPPLIED):
            self.supplied(v, region, rank)
        elif status is ParcelStatus.LISTED:
            v["notes"] = "已在市公共资源交易中心挂牌，等待竞买。"
        elif status is ParcelStatus.RESERVED:
            v["notes"] = "已有意向企业对接，待项目签约后挂牌。"
        return v

    def supplied(self, v: dict[str, Any], region: data.RegionSpec, rank: int) -> None:
        rng = self.rng
        reserve: date = v["reserve_date"]
        supply = self.day(reserve + timedelta(days=60), reserve + timedelta(days=240))
        supply = max(reserve, min(supply, self.as_of - timedelta(days=30)))
        self.supervision_seq += 1
        v["supervision_no"] = f"{region.admin_code}{supply.year}B{self.supervision_seq:05d}"
        v["holder"] = self.company(v["target_industry"])
        v["price_wan"] = round(v["area_mu"] * rng.uniform(9, 16), 1)
        handover = supply + timedelta(days=rng.randint(30, 90))
        start = handover + timedelta(days=rng.randint(90, 180))
        v["agreed_handover_date"] = handover
        v["agreed_start_date"] = start
        v["agreed_completion_date"] = start + timedelta(days=rng.randint(365, 730))
        if rank >= list(ParcelStatus).index(ParcelStatus.HANDED_OVER):
            actual_handover = min(handover + timedelta(days=rng.randint(-15, 45)), self.as_of)
            v["actual_handover_date"] = actual_handover
            if rank >= list(ParcelStatus).index(ParcelStatus.STARTED):
                actual_start = min(
                    actual_handover + timedelta(days=rng.randint(30, 200)), self.as_of
                )
                v["actual_start_date"] = actual_start
                if rank >= list(ParcelStatus).index(ParcelStatus.IN_PRODUCTION):
                    v["actual_completion_date"] = min(
                        actual_start + timedelta(days=rng.randint(300, 600)), self.as_of
                    )

    # ------------------------------------------------------------ factories

    def factories(self, region: data.RegionSpec) -> None:
        y, rng = self.year, self.rng
        remaining = region.factories
        seq = 0
        phases: dict[str, int] = {}
        while remaining > 0:
            # Every park gets buildings: phases go round the parks.
            park = region.parks[sum(phases.values()) % len(region.parks)]
            phases[park.name] = phases.get(park.name, 0) + 1
            phase = data.CHINESE_NUMERALS[min(phases[park.name], 10) - 1]
            size = min(remaining, rng.randint(3, 8))
            remaining -= size
            mode = self.weighted(
                [
                    (BuildMode.GOVERNMENT, 5),
                    (BuildMode.JOINT, 3),
                    (BuildMode.RENOVATION, 2),
                    (BuildMode.RELOCATION, 1),
                ]
            )
            owner = (
                region.owner
                if mode is BuildMode.GOVERNMENT
                else self.company(self.pick(park.industries))
            )
            under_construction = rng.random() < 0.12
            completion: date | None = None
            if not under_construction:
                cy = self.weighted(
                    [
                        (y, 35 * region.this_year),
                        (y - 1, 30),
                        (y - 2, 20),
                        (y - rng.randint(3, 5), 15),
                    ]
                )
                completion = self.day(date(cy, 1, 1), date(cy, 12, 31))
            short = park.name.removeprefix(region.name)
            for n in range(1, size + 1):
                seq += 1
                values = self.factory_values(park, completion)
                values.update(
                    code=f"{region.prefix}-CF-{seq:03d}",
                    name=f"{short}{phase}期 {n}#厂房",
                    region_id=self.region_ids[region.name],
                    park_id=self.park_ids[park.name],
                    owner=owner,
                    build_mode=mode.value,
                )
                if completion is None:
                    values["notes"] = f"预计 {y + 1} 年 {rng.randint(3, 10)} 月竣工。"
                self.create(RecordKind.FACTORY, values)

    def factory_values(self, park: data.ParkSpec, completion: date | None) -> dict[str, Any]:
        rng = self.rng
        area = round(self.skewed(7000, 0.6, 2000, 30000), -1)
        if area > 15000:
            floors = self.pick((1, 1, 2))
        else:
            floors = self.weighted([(1, 35), (2, 20), (3, 20), (4, 15), (5, 10)])
        single = floors == 1
        v: dict[str, Any] = {
            "completion_date": completion,
            "floors": floors,
            "floor_area_m2": float(area),
            "ceiling_height_m": rng.choice((8.0, 9.0, 10.0, 10.5, 12.0))
            if single
            else rng.choice((6.0, 6.5, 7.0, 7.5, 8.0)),
            "floor_load_kn_m2": float(
                rng.choice((30, 40, 50)) if single else rng.choice((5, 8, 10, 12))
            ),
            "column_spacing": self.pick(
                data.COLUMN_SPACINGS_SINGLE if single else data.COLUMN_SPACINGS_MULTI
            ),
            "power_kva": float(data.POWER_STEPS[min(8, int(area / 3500) + rng.randint(0, 2))]),
            "dual_power": rng.random() < 0.3,
            "loading_dock": rng.random() < 0.6,
            "fire_rating": self.pick(data.FIRE_RATINGS),
            "environment": self.pick(data.ENVIRONMENTS),
            "rent_yuan_m2_month": rng.randint(16, 36) / 2,
            "target_industry": self.pick(park.industries),
            "contact_person": self.person(),
            "contact_phone": self.phone(),
        }
        if single and rng.random() < 0.4:
            v["crane_t"] = float(self.pick((5, 10, 16, 20, 32)))
        if rng.random() < 0.3:
            v["price_wan"] = round(area * rng.uniform(0.16, 0.26), 1)
        if completion is None:
            v["status"] = FactoryStatus.UNDER_CONSTRUCTION.value
            return v
        status = self.weighted(
            [
                (FactoryStatus.BUILT, 8),
                (FactoryStatus.IDLE, 25),
                (FactoryStatus.PARTLY_OCCUPIED, 27),
                (FactoryStatus.OCCUPIED, 40),
            ]
        )
        v["status"] = status.value
        if status is FactoryStatus.IDLE:
            v["idle_area_m2"] = float(area)
        elif status is FactoryStatus.PARTLY_OCCUPIED:
            v["idle_area_m2"] = float(round(area * rng.uniform(0.2, 0.7), -1))
        elif status is FactoryStatus.OCCUPIED:
            v["idle_area_m2"] = 0.0
        if status in (FactoryStatus.IDLE, FactoryStatus.PARTLY_OCCUPIED):
            v["idle_since"] = self.day(completion, completion + timedelta(days=900))
            v["idle_reason"] = self.pick(data.IDLE_REASONS)
        return v

    # ------------------------------------------------------------ projects

    def projects(self, region: data.RegionSpec) -> None:
        # Investment tiers so every region has ≥5亿 and ≥1亿 projects (篇3: park targets).
        tiers = ["big", "big"] if region.kind == RegionKind.COUNTY.value else ["big"]
        tiers += ["large"] * 4
        tiers += ["normal"] * (region.projects - len(tiers))
        self.rng.shuffle(tiers)
        for tier in tiers:
            self.create(RecordKind.PROJECT, self.project_values(region, tier))

    def project_values(self, region: data.RegionSpec, tier: str) -> dict[str, Any]:
        rng = self.rng
        stage = self.weighted(
            [
                (ProjectStage.LEAD, 15),
                (ProjectStage.NEGOTIATING, 20),
                (ProjectStage.SIGNED, 20),
                (ProjectStage.ABOUT_TO_START, 12),
                (ProjectStage.STARTED, 18),
                (ProjectStage.IN_PRODUCTION, 10),
                (ProjectStage.TERMINATED, 5),
            ]
        )
        park = self.pick(region.parks)
        industry = self.pick(park.industries) if rng.random() < 0.8 else self.pick(data.INDUSTRIES)
        total = {
            "big": self.skewed(90000, 0.6, 50000, 800000),
            "large": rng.uniform(10000, 49000),
            "normal": self.skewed(5000, 0.4, 3000, 9800),
        }[tier]
        total = float(round(total, -2))
        investor, place_code = self.company_and_place(industry)
        v: dict[str, Any] = {
            "name": self.project_name(industry),
            "investor": investor,
            "credit_code": self.credit_code(place_code),
            "region_id": self.region_ids[region.name],
            "source": self.pick(data.PROJECT_SOURCES),
            "industry": industry,
            "industry_class": (
                IndustryClass.ENCOURAGED if rng.random() < 0.8 else IndustryClass.GENERAL
            ).value,
            "total_investment_wan": total,
            "stage": stage.value,
            "responsible_unit": (
                f"{region.name}商务局" if rng.random() < 0.5 else f"{park.name}管委会"
            ),
            "responsible_leader": self.pick(region.leaders),
            "expected_output_wan": float(round(total * rng.uniform(1.2, 2.5), -2)),
            "expected_jobs": int(round(total / rng.uniform(40, 120), -1)) or 10,
        }
        v["expected_tax_wan"] = float(round(v["expected_output_wan"] * rng.uniform(0.03, 0.06), -1))
        v["energy_tce"] = float(round(total * rng.uniform(0.02, 0.15)))
        if industry == "现代物流" or (
            rng.random() < 0.55 and industry not in ("电子信息", "纺织服装")
        ):
            v["req_land_mu"] = float(round(min(600.0, max(10.0, total / rng.uniform(250, 450)))))
            v["rent_or_buy"] = RentOrBuy.BUY.value
        else:
            v["req_factory_m2"] = float(
                round(min(30000.0, max(2000.0, total * rng.uniform(0.8, 2.5))), -2)
            )
            v["req_ceiling_height_m"] = float(self.pick((6, 8, 9, 10, 12)))
            v["req_floor_load_kn_m2"] = float(self.pick((5, 8, 10, 30)))
            v["rent_or_buy"] = self.pick(list(RentOrBuy)).value
        v["req_power_kva"] = float(self.pick(data.POWER_STEPS))
        if stage in (ProjectStage.LEAD, ProjectStage.NEGOTIATING):
            v["preferred_region_id"] = v["region_id"]
            if stage is ProjectStage.NEGOTIATING:
                v["preferred_park_id"] = self.park_ids[park.name]
            v["needed_by"] = self.as_of + timedelta(days=rng.randint(90, 400))
        else:
            v["park_id"] = self.park_ids[park.name]
            self.project_dates(v, stage, total)
        if rng.random() < 0.35 and stage is not ProjectStage.IN_PRODUCTION:
            v["problems"] = self.pick(data.PROBLEMS)
        if stage is ProjectStage.TERMINATED:
            v["notes"] = "企业调整投资计划，项目终止。"
        return v

    def project_dates(self, v: dict[str, Any], stage: ProjectStage, total: float) -> None:
        rng, y, today = self.rng, self.year, self.as_of
        days = timedelta
        if stage is ProjectStage.IN_PRODUCTION:
            done = self.day(date(y - 1, 1, 1), today)
            actual_start = done - days(rng.randint(240, 540))
            signed = actual_start - days(rng.randint(30, 150))
            v["actual_start_date"], v["actual_completion_date"] = actual_start, done
            funds = rng.uniform(0.75, 1.0)
        elif stage is ProjectStage.STARTED:
            actual_start = self.day(date(y - 2, 7, 1), today - days(30))
            signed = actual_start - days(rng.randint(30, 150))
            v["actual_start_date"] = actual_start
            funds = rng.uniform(0.2, 0.7)
        elif stage is ProjectStage.ABOUT_TO_START:
            signed = self.day(today - days(300), today - days(20))
            funds = rng.uniform(0.05, 0.2)
        elif stage is ProjectStage.SIGNED:
            signed = self.day(today - days(400), today - days(5))
            funds = rng.uniform(0.0, 0.1)
        else:  # 终止: signed once, then dropped
            signed = self.day(date(y - 2, 1, 1), today - days(180))
            funds = rng.uniform(0.0, 0.05)
        agreed_start = signed + days(rng.randint(30, 180))
        v["signed_date"] = signed
        v["agreed_start_date"] = agreed_start
        v["agreed_completion_date"] = agreed_start + days(rng.randint(365, 730))
        contract = float(round(total * rng.uniform(0.85, 1.0), -2))
        in_place = float(round(contract * funds, -1))
        v["contract_investment_wan"] = contract
        v["funds_in_place_wan"] = in_place
        v["funds_in_place_year_wan"] = (
            in_place if signed.year == y else float(round(in_place * rng.uniform(0.1, 0.5), -1))
        )
