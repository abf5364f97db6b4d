"""The city's own default targets per kind of region (issue 5): a city may replace the policy
defaults (县 2,000 亩 / 120,000 m², 区 1,200 亩 / 60,000 m²; :mod:`landbank.domain.quota.targets`)
for every region of a kind that has no 年度指标 row for the year. Stored in ``quota_default``
with who changed it and when; the functions flush, the caller commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import RegionKind
from landbank.domain.quota.targets import DEFAULT_TARGETS, QuotaTargets
from landbank.domain.units import MAX_NUMBER
from landbank.services.records.audit_log import add_setting_entry
from landbank.store.models import QuotaDefault, as_utc, utc_now

LAND_LABEL = "收储目标(亩)"
FLOOR_LABEL = "标准厂房目标(m²)"


class QuotaInputError(ValueError):
    """A default target that cannot be stored; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class QuotaDefaultInfo:
    """The default targets of a kind of region: the city's own (``city``) or the policy's."""

    kind: RegionKind
    land_target_mu: float
    factory_target_m2: float
    city: bool  # set by the city (table quota_default), else the policy default
    updated_at: datetime | None = None
    updated_by: str | None = None


def city_default_targets(session: Session) -> dict[str, QuotaTargets]:
    rows = session.execute(
        select(
            col(QuotaDefault.region_kind),
            col(QuotaDefault.land_target_mu),
            col(QuotaDefault.factory_target_m2),
        )
    )
    return {kind: QuotaTargets(land, floor) for kind, land, floor in rows}


def quota_defaults(session: Session) -> list[QuotaDefaultInfo]:
    """县 and 区 (and 市 when the city set one), the city's own value where set."""
    rows = {row.region_kind: row for row in session.execute(select(QuotaDefault)).scalars()}
    result = []
    for kind in (RegionKind.COUNTY, RegionKind.DISTRICT, RegionKind.CITY):
        row = rows.get(kind.value)
        if row is not None:
            result.append(
                QuotaDefaultInfo(
                    kind,
                    row.land_target_mu,
                    row.factory_target_m2,
                    city=True,
                    updated_at=as_utc(row.updated_at),
                    updated_by=row.updated_by,
                )
            )
        elif kind is not RegionKind.CITY:
            policy = DEFAULT_TARGETS[kind]
            result.append(QuotaDefaultInfo(kind, policy.land_mu, policy.factory_m2, city=False))
    return result


def _checked_target(value: float | None, what: str) -> float | None:
    if value is None:
        return None
    if not value >= 0 or value > MAX_NUMBER:  # also refuses NaN
        raise QuotaInputError(f"{what}应为 0 至 {MAX_NUMBER:g} 之间的数")
    return float(value)


def set_quota_default(
    session: Session,
    kind: RegionKind | str,
    *,
    land_target_mu: float | None = None,
    factory_target_m2: float | None = None,
    user: str,
    source: str = "界面",
) -> QuotaDefaultInfo:
    """Set the city's default for a kind of region (a value not given keeps the current
    default, the city's or the policy's). Flushes; the caller commits."""
    try:
        kind = RegionKind(kind)
    except ValueError as exc:
        raise QuotaInputError(f"“{kind}”不是县区类型（可选：县、区、市）") from exc
    land = _checked_target(land_target_mu, LAND_LABEL)
    floor = _checked_target(factory_target_m2, FLOOR_LABEL)
    current = {info.kind: info for info in quota_defaults(session)}.get(kind)
    row = session.get(QuotaDefault, kind.value)
    if row is None:
        base = current or QuotaDefaultInfo(kind, 0.0, 0.0, city=False)
        row = QuotaDefault(
            region_kind=kind.value,
            land_target_mu=base.land_target_mu,
            factory_target_m2=base.factory_target_m2,
        )
        session.add(row)
    before = (current.land_target_mu, current.factory_target_m2) if current else (None, None)
    if land is not None:
        row.land_target_mu = land
    if floor is not None:
        row.factory_target_m2 = floor
    _audit(session, kind, before, (row.land_target_mu, row.factory_target_m2), user, source)
    row.updated_at = utc_now()
    row.updated_by = user
    session.flush()
    return QuotaDefaultInfo(
        kind, row.land_target_mu, row.factory_target_m2, True, row.updated_at, user
    )


def reset_quota_default(
    session: Session, kind: RegionKind | str, *, user: str, source: str = "界面"
) -> None:
    """Back to the policy default for a kind of region (audited). Flushes; the caller
    commits."""
    kind = RegionKind(kind)
    row = session.get(QuotaDefault, kind.value)
    if row is not None:
        policy = DEFAULT_TARGETS.get(kind)
        after = (policy.land_mu, policy.factory_m2) if policy else (None, None)
        _audit(session, kind, (row.land_target_mu, row.factory_target_m2), after, user, source)
        session.delete(row)
        session.flush()


def _shown(value: float | None) -> str | None:
    return None if value is None else f"{value:g}"


def _audit(
    session: Session,
    kind: RegionKind,
    before: tuple[float | None, float | None],
    after: tuple[float | None, float | None],
    user: str,
    source: str,
) -> None:
    """The audit entries of a change of the city's default for ``kind`` (one a figure)."""
    setting = f"全市默认指标（{kind.label}）"
    for label, old, new in zip((LAND_LABEL, FLOOR_LABEL), before, after, strict=True):
        add_setting_entry(
            session,
            setting,
            field=label,
            old=_shown(old),
            new=_shown(new),
            user=user,
            source=source,
        )
