"""Annual quota defaults (DOMAIN.md, 篇3 二): what each kind of region must reserve and build.

A county (县, 县级市) reserves 2,000 亩 of industrial land and completes 120,000 m² of standard
factories a year; a district (区) 1,200 亩 and 60,000 m². Every quota stays editable.
"""

from __future__ import annotations

from dataclasses import dataclass

from landbank.domain.enums import RegionKind


@dataclass(frozen=True)
class QuotaTargets:
    land_mu: float
    factory_m2: float


DEFAULT_TARGETS: dict[RegionKind, QuotaTargets] = {
    RegionKind.COUNTY: QuotaTargets(land_mu=2000.0, factory_m2=120_000.0),
    RegionKind.DISTRICT: QuotaTargets(land_mu=1200.0, factory_m2=60_000.0),
    RegionKind.CITY: QuotaTargets(land_mu=0.0, factory_m2=0.0),
}


def default_targets(kind: RegionKind | str) -> QuotaTargets:
    return DEFAULT_TARGETS[RegionKind(kind)]
