"""The demo city's 收储地块, county by county: the status and readiness ladders kept
consistent (已挂牌 or further only as 净地), codes per county and year in the order of the
reserve date, and a supplied parcel's holder, 电子监管号, price and agreed and actual dates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from landbank.domain.enums import ParcelReadiness, ParcelStatus, RecordKind
from landbank.services.demo import data
from landbank.services.demo.writer import DemoWriter


class ParcelMaker(DemoWriter):
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
