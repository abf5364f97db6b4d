"""What the 报表 → 标准地指标承诺书… dialog offers: the open projects (by name) and the land
parcels (by code and name), each parcel with its county so the dialog can put the project's
preferred county (else its own county) first."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.services.matching.sites import OPEN_STAGES
from landbank.store.models import LandParcel, Project, Region


@dataclass(frozen=True)
class ProjectChoice:
    id: int
    name: str
    region_id: int
    preferred_region_id: int | None

    @property
    def county_id(self) -> int:
        """The county whose parcels come first: the preferred one, else the project's own."""
        return self.preferred_region_id or self.region_id


@dataclass(frozen=True)
class ParcelChoice:
    id: int
    code: str
    name: str
    region_id: int
    region: str

    @property
    def text(self) -> str:
        name = f" {self.name}" if self.name and self.name != self.code else ""
        return f"{self.code}{name}（{self.region}）"


def open_project_choices(session: Session) -> list[ProjectChoice]:
    """Projects still looking for a site (线索 … 拟开工), by name."""
    stmt = (
        select(
            col(Project.id), col(Project.name), col(Project.region_id),
            col(Project.preferred_region_id),
        )
        .where(col(Project.stage).in_(OPEN_STAGES))
        .order_by(col(Project.name), col(Project.id))
    )  # fmt: skip
    return [
        ProjectChoice(int(pid), name, int(region), int(pref) if pref is not None else None)
        for pid, name, region, pref in session.execute(stmt)
    ]


def parcel_choices(session: Session) -> list[ParcelChoice]:
    """Every land parcel, by county and code."""
    stmt = (
        select(
            col(LandParcel.id), col(LandParcel.code), col(LandParcel.name),
            col(LandParcel.region_id), col(Region.name),
        )
        .join(Region, col(Region.id) == col(LandParcel.region_id))
        .order_by(col(Region.name), col(LandParcel.code), col(LandParcel.id))
    )  # fmt: skip
    return [
        ParcelChoice(int(pid), code, name or "", int(region), region_name)
        for pid, code, name, region, region_name in session.execute(stmt)
    ]


def parcels_for(parcels: list[ParcelChoice], county_id: int | None) -> list[ParcelChoice]:
    """``parcels`` with those of ``county_id`` first (the order kept within each group)."""
    return sorted(parcels, key=lambda p: p.region_id != county_id)
