"""The demo city's parcels after supply (issue 16 items 4–6): approval dates (a few stuck
批而未供 or lapsed), the contract's investment and commitments, what has been developed and
invested, a few stopped or delayed by the government, production dates and built floor area.

Everything draws from a random stream of its own, so the rest of the demo city is the same with
or without it; the figures are written with the parcel (:meth:`LifeMaker.life_values`, called
for each parcel the demo creates). No yearly figures (``land_yield``): the demo's parcels were
all taken in within the last two years, so none has been in production for a full calendar year
to report on.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from landbank.domain.enums import ParcelStatus
from landbank.services.demo.writer import DemoWriter

M2_PER_MU = 10000 / 15
_RANKS = {status.value: i for i, status in enumerate(ParcelStatus)}


class LifeMaker(DemoWriter):
    _life_rng: random.Random | None = None

    @property
    def life_rng(self) -> random.Random:
        if self._life_rng is None:
            self._life_rng = random.Random(f"land-life-{self.year}")
        return self._life_rng

    def life_values(self, v: dict[str, Any]) -> None:
        """Add the after-supply figures of one parcel about to be created."""
        r = self.life_rng
        rank = _RANKS[v["status"]]
        reserve: date | None = v.get("reserve_date")
        if rank < _RANKS[ParcelStatus.SUPPLIED.value]:
            if reserve is not None and r.random() < 0.5:
                v["approval_date"] = reserve - timedelta(days=r.randint(30, 400))
            elif reserve is None and r.random() < 0.6:  # approved, not yet taken in
                v["approval_date"] = self.as_of - timedelta(days=r.randint(300, 1300))
            return
        area: float = v["area_mu"]
        if reserve is not None:
            v["approval_date"] = reserve - timedelta(days=r.randint(60, 300))
        intensity = v.get("min_investment_intensity_wan_per_mu") or float(
            r.choice((200, 250, 300, 350))
        )
        contract = round(area * intensity * r.uniform(1.0, 1.3) - (v.get("price_wan") or 0), 1)
        v["contract_investment_wan"] = max(contract, round(area * 100, 1))
        if r.random() < 0.8:
            v["committed_intensity_wan_per_mu"] = intensity
            v["committed_tax_per_mu_wan"] = v.get("min_tax_per_mu_wan") or float(
                r.choice((10, 12, 15, 20))
            )
        if rank < _RANKS[ParcelStatus.STARTED.value]:
            if r.random() < 0.08:
                v["government_cause"] = True
            return
        start: date = v["actual_start_date"]
        if rank == _RANKS[ParcelStatus.STARTED.value]:
            stopped = r.random() < 0.2 and start + timedelta(days=90) < self.as_of
            share = r.uniform(0.1, 0.5) if stopped else r.uniform(0.3, 0.95)
            v["developed_area_mu"] = round(area * share, 2)
            v["investment_made_wan"] = round(
                v["contract_investment_wan"] * share * r.uniform(0.6, 1.1), 1
            )
            if stopped:
                span = (self.as_of - start).days - 61  # from 60 days after the start to yesterday
                v["stopped_since"] = start + timedelta(days=60 + r.randint(0, span))
            return
        done: date = v["actual_completion_date"]
        v["developed_area_mu"] = area
        v["investment_made_wan"] = round(v["contract_investment_wan"] * r.uniform(0.7, 1.2), 1)
        far = v.get("far_min") or 1.0
        v["built_floor_area_m2"] = round(area * M2_PER_MU * far * r.uniform(0.8, 1.5))
        if r.random() < 0.85:
            v["production_start_date"] = min(done + timedelta(days=r.randint(20, 150)), self.as_of)
