"""The demo city's 标准厂房, county by county: built in phases that go round the parks, each
phase with one build mode, owner and completion date; a building's size, floors, height, load,
power and rent, and for an idle or partly let one its idle area, since when and why."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from landbank.domain.enums import BuildMode, FactoryStatus, RecordKind
from landbank.services.demo import data
from landbank.services.demo.writer import DemoWriter


class FactoryMaker(DemoWriter):
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
