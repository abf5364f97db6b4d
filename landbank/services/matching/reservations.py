"""Reserving a site for a project (意向锁定), releasing it, and letting reservations expire.

A reservation is the site's ``reserved_project_id`` and ``reserved_until``; a parcel also moves
可供 → 意向锁定 (and back on release). Buildings keep their occupancy status. Every change goes
through :func:`landbank.services.records.saving.update_record`, so it is validated, version-guarded
(two clerks reserving one site at once: the second is refused) and in the audit log.

A project that already holds a site (a reservation still running) is not given a second one
unnoticed: :func:`reserve_sites` refuses, naming the sites held, unless called with
``also=True`` (the dialog asks the clerk first, the command line takes ``--also``). The
buildings of one combination are reserved in one call and are one lock; extending a
reservation of the same sites is no second lock either, nor a building held for the floor-space
need of a project that needs land as well (and the other way round).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import IndustryClass, ParcelStatus, RecordKind
from landbank.domain.horizon import OutOfHorizon, check_deadline
from landbank.domain.site_facts import Site
from landbank.domain.units import format_number
from landbank.services.matching.sites import OPEN_STAGES, load_sites, site_of
from landbank.services.records.saving import RecordError, get_record, update_record
from landbank.store.models import Factory, LandParcel, Project

DEFAULT_RESERVATION_DAYS = 90
SOURCE = "意向锁定"


class ReservationRefused(RecordError):
    """The reservation or release cannot be made; ``str()`` is the Chinese reason."""


class AlreadyHolding(ReservationRefused):
    """The project already holds other sites (``held``); reserving more takes ``also=True``."""

    def __init__(self, message: str, held: list[Site]) -> None:
        super().__init__(message)
        self.held = held


def held_text(site: Site) -> str:
    """“HX2026-003（至 2027-03-31）”: a site held, by its code, with the end of the lock."""
    return site.code + (f"（至 {site.reserved_until}）" if site.reserved_until else "")


@dataclass(frozen=True)
class ReservationOutcome:
    project_name: str
    sites: list[Site]  # as they were before the change
    until: date | None
    warnings: list[str]

    @property
    def summary(self) -> str:
        titles = "、".join(s.title for s in self.sites)
        if self.until is None:
            return f"已解除 {titles} 的意向锁定"
        return f"已为项目“{self.project_name}”意向锁定 {titles}，至 {self.until}"


def _project(session: Session, project_id: int) -> Project:
    project = get_record(session, RecordKind.PROJECT, project_id)
    assert isinstance(project, Project)
    return project


def _is_live(site: Site, today: date) -> bool:
    return site.reserved_until is None or site.reserved_until >= today


def reserve_sites(
    session: Session,
    project_id: int,
    sites: Sequence[tuple[RecordKind, int]],
    *,
    today: date,
    until: date | None = None,
    user: str,
    also: bool = False,
) -> ReservationOutcome:
    """Reserve one site (or several buildings together) for a project until ``until``
    (default: 90 days from today). All or nothing: a refusal leaves every site as it was
    (the caller's transaction is rolled back).

    Refused: a project that is finished, terminated or of a forbidden industry; a site no
    longer offered; a site reserved for another project whose reservation still runs (the
    refusal names that project); unless ``also``, a project already holding another site
    (:class:`AlreadyHolding`, naming the sites held; see :func:`held_elsewhere`). An expired
    reservation of another project is released first.
    """
    project = _project(session, project_id)
    if project.stage not in OPEN_STAGES:
        raise ReservationRefused(f"项目“{project.name}”已为“{project.stage}”，不再需要锁定场地")
    if project.industry_class == IndustryClass.FORBIDDEN.value:
        raise ReservationRefused(f"项目“{project.name}”属于禁止类产业，不能锁定场地")
    if not sites:
        raise ReservationRefused("没有选择要锁定的地块或厂房")
    until = until or today + timedelta(days=DEFAULT_RESERVATION_DAYS)
    try:
        check_deadline(until, today, "锁定截止日期")  # not past, not 8,000 years ahead
    except OutOfHorizon as exc:
        raise ReservationRefused(str(exc)) from None
    loaded = [site_of(session, kind, site_id) for kind, site_id in sites]
    for site in loaded:
        _check_reservable(site, project, today)
    held = [] if also else _held_elsewhere(session, project, sites, today)
    if held:
        raise AlreadyHolding(
            f"项目“{project.name}”已意向锁定 {'、'.join(held_text(s) for s in held)}；"
            f"再锁定 {'、'.join(s.code for s in loaded)} 须先确认，本次未锁定",
            held,
        )
    for site in loaded:
        if site.reserved_project_id not in (None, project_id):
            # Another project's reservation ran out: release it visibly first.
            _write(session, site, None, None, user=user, source=f"{SOURCE}过期解除")
            site = site_of(session, site.kind, site.id)
        _write(session, site, project_id, until, user=user, source=SOURCE)
    return ReservationOutcome(project.name, loaded, until, _coverage_warnings(project, loaded))


def held_elsewhere(
    session: Session, project_id: int, sites: Sequence[tuple[RecordKind, int]], today: date
) -> list[Site]:
    """The sites a project holds (reservation still running) besides ``sites`` — what makes
    reserving ``sites`` a second lock. None when the project holds every one of ``sites``
    already (its locks extended); not counted: the sites themselves, and for a project needing
    both land and floor space, the sites of the other kind (a parcel for the land, buildings
    for the floor space)."""
    return _held_elsewhere(session, _project(session, project_id), sites, today)


def _held_elsewhere(
    session: Session, project: Project, sites: Sequence[tuple[RecordKind, int]], today: date
) -> list[Site]:
    assert project.id is not None
    wanted = set(sites)
    held = [s for s in reserved_for(session, project.id) if _is_live(s, today)]
    if wanted <= {(s.kind, s.id) for s in held}:
        return []  # only locks the project holds, extended
    kinds = {kind for kind, _ in sites}
    both = bool(project.req_land_mu) and bool(project.req_factory_m2)
    return [s for s in held if (s.kind, s.id) not in wanted and (not both or s.kind in kinds)]


def _check_reservable(site: Site, project: Project, today: date) -> None:
    other = site.reserved_project_id is not None and site.reserved_project_id != project.id
    if other and _is_live(site, today):
        until = f"（至 {site.reserved_until}）" if site.reserved_until else ""
        raise ReservationRefused(
            f"{site.kind.label} {site.title} 已为项目“{site.reserved_project_name}”意向锁定"
            f"{until}，不能再为“{project.name}”锁定；请先解除原锁定"
        )
    if site.kind is RecordKind.PARCEL:
        if site.status == ParcelStatus.RESERVED.value and site.reserved_project_id is None:
            raise ReservationRefused(
                f"地块 {site.title} 已标为意向锁定，但未登记为哪个项目锁定；请先在台账中核实"
            )
        if site.status not in (ParcelStatus.AVAILABLE.value, ParcelStatus.RESERVED.value):
            raise ReservationRefused(f"地块 {site.title} 已为“{site.status}”，不能再锁定")
    elif site.area <= 0:
        raise ReservationRefused(f"厂房 {site.title} 为“{site.status}”，没有空余面积可锁定")


def _coverage_warnings(project: Project, sites: list[Site]) -> list[str]:
    """The matched area must cover the project's need (DOMAIN.md): say when it does not."""
    warnings = []
    for kind, need, unit in (
        (RecordKind.PARCEL, project.req_land_mu, "亩"),
        (RecordKind.FACTORY, project.req_factory_m2, "m²"),
    ):
        chosen = [s for s in sites if s.kind is kind]
        if not chosen or not need:
            continue
        total = sum(s.area for s in chosen)
        if total < need:
            warnings.append(
                f"锁定的{kind.label}合计 {format_number(total, 1)} {unit}，"
                f"不足项目需求 {format_number(need, 1)} {unit}"
            )
    return warnings


def _write(
    session: Session,
    site: Site,
    project_id: int | None,
    until: date | None,
    *,
    user: str,
    source: str,
) -> None:
    values: dict[str, Any] = {"reserved_project_id": project_id, "reserved_until": until}
    if site.kind is RecordKind.PARCEL:
        if project_id is not None:
            values["status"] = ParcelStatus.RESERVED.value
        elif site.status == ParcelStatus.RESERVED.value:
            # Released: offered again. A parcel the clerk has since listed or supplied keeps
            # its status; only the reservation is cleared.
            values["status"] = ParcelStatus.AVAILABLE.value
    update_record(
        session,
        site.kind,
        site.id,
        values,
        expected_version=site.version,
        user=user,
        source=source,
        managed=True,
    )


def release_site(
    session: Session, kind: RecordKind, site_id: int, *, user: str, source: str = "解除意向锁定"
) -> ReservationOutcome:
    """Free a site: the reservation is cleared, a parcel goes back to 可供."""
    site = site_of(session, kind, site_id)
    if site.reserved_project_id is None and not (
        kind is RecordKind.PARCEL and site.status == ParcelStatus.RESERVED.value
    ):
        raise ReservationRefused(f"{kind.label} {site.title} 没有意向锁定")
    _write(session, site, None, None, user=user, source=source)
    return ReservationOutcome(site.reserved_project_name or "", [site], None, [])


def release_project(session: Session, project_id: int, *, user: str) -> ReservationOutcome:
    """Free every site reserved for a project."""
    project = _project(session, project_id)
    held = reserved_for(session, project_id)
    if not held:
        raise ReservationRefused(f"项目“{project.name}”没有意向锁定的地块或厂房")
    for site in held:
        _write(session, site, None, None, user=user, source="解除意向锁定")
    return ReservationOutcome(project.name, held, None, [])


def _sites_where(session: Session, condition: Callable[[Any], Any]) -> list[Site]:
    """The parcels and buildings whose row meets ``condition(table)``."""
    ids: dict[RecordKind, list[int]] = {}
    for kind, table in ((RecordKind.PARCEL, LandParcel), (RecordKind.FACTORY, Factory)):
        stmt = select(col(table.id)).where(condition(table))
        ids[kind] = [int(i) for i in session.execute(stmt).scalars()]
    return load_sites(session, ids=ids)


def reserved_for(session: Session, project_id: int) -> list[Site]:
    """The sites reserved for a project."""
    return _sites_where(session, lambda table: col(table.reserved_project_id) == project_id)


def expired_reservations(session: Session, today: date) -> list[Site]:
    """The sites whose reservation ran out before ``today``."""
    return _sites_where(session, lambda table: col(table.reserved_until) < today)


def release_expired(
    session: Session, today: date, *, user: str, region_id: int | None = None
) -> list[Site]:
    """Free every site whose reservation ran out before ``today`` (only ``region_id``'s: a
    county clerk on a city server may change its own county's sites only); returns them."""
    expired = expired_reservations(session, today)
    if region_id is not None:
        expired = [site for site in expired if site.region_id == region_id]
    for site in expired:
        _write(session, site, None, None, user=user, source=f"{SOURCE}过期解除")
    return expired
