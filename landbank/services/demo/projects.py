"""The demo city's 招商项目, county by county: investment tiers so every county has ≥5亿 and
≥1亿 projects, an investor with a 统一社会信用代码, what it needs (land or a factory), and the
dates and funds of its stage (signed before its agreed start, started before it produces)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from landbank.domain.enums import (
    IndustryClass,
    ProjectStage,
    RecordKind,
    RegionKind,
    RentOrBuy,
)
from landbank.services.demo import data
from landbank.services.demo.writer import DemoWriter


class ProjectMaker(DemoWriter):
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
