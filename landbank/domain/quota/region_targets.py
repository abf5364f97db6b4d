"""The targets that apply to a region in a year (DOMAIN.md, 篇3 二): an explicit 年度指标 row
for the region and year, else the city's own default for the kind of region (table
``quota_default``), else the policy default of :mod:`landbank.domain.quota.targets` (县 2,000 亩 /
120,000 m², 区 1,200 亩 / 60,000 m², 市 0) — with the source named, for the reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from landbank.domain.quota.targets import QuotaTargets, default_targets


class TargetSource(StrEnum):
    EXPLICIT = "年度指标"
    CITY_DEFAULT = "市定默认"
    POLICY_DEFAULT = "政策默认"
    SUM = "合计"


@dataclass(frozen=True)
class ResolvedTargets:
    land_mu: float
    factory_m2: float
    source: TargetSource


def resolve_targets(
    kind: str,
    explicit: QuotaTargets | None = None,
    city_defaults: Mapping[str, QuotaTargets] | None = None,
) -> ResolvedTargets:
    """The targets of a region: its 年度指标 row, else the city's default for its kind, else
    the policy default."""
    if explicit is not None:
        return ResolvedTargets(explicit.land_mu, explicit.factory_m2, TargetSource.EXPLICIT)
    city = (city_defaults or {}).get(kind)
    if city is not None:
        return ResolvedTargets(city.land_mu, city.factory_m2, TargetSource.CITY_DEFAULT)
    try:
        policy = default_targets(kind)
    except ValueError:  # an unknown kind of region: no policy target
        policy = QuotaTargets(0.0, 0.0)
    return ResolvedTargets(policy.land_mu, policy.factory_m2, TargetSource.POLICY_DEFAULT)
