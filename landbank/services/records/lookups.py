"""Regions, parks and projects by name and by id, for checking and auditing records.

:class:`NameLookup` asks the database each time (one record: a dialog checks as the clerk
types); :class:`CachedNameLookup` answers from names loaded once and reloaded on a miss (a file
import of 100,000 rows). Both give the same answers, so every path checks records alike.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session, col, select

from landbank.domain.fields import FieldType
from landbank.store.models import Park, Project, Region
from landbank.store.queries import load_names


class NameLookup:
    """Regions, parks and projects by name and by id, asked of the database each time: cheap
    for one record (a dialog checks as the clerk types). :class:`CachedNameLookup` answers a
    file import from memory instead; both give the same answers."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def region_id(self, name: str) -> int | None:
        stmt = select(col(Region.id)).where(col(Region.name) == name)
        return self.session.execute(stmt).scalar_one_or_none()

    def park_ids(self, name: str, region_id: int | None) -> list[int]:
        stmt = select(col(Park.id)).where(col(Park.name) == name)
        if region_id is not None:
            stmt = stmt.where(col(Park.region_id) == region_id)
        return list(self.session.execute(stmt.order_by(col(Park.id))).scalars())

    def project_id(self, name: str) -> int | None:
        stmt = select(col(Project.id)).where(col(Project.name) == name).order_by(col(Project.id))
        return self.session.execute(stmt).scalars().first()

    def park(self, park_id: int) -> tuple[str, int] | None:
        """(name, region id) of a park, or ``None``."""
        row = self.session.execute(
            select(col(Park.name), col(Park.region_id)).where(col(Park.id) == park_id)
        ).first()
        return (row[0], row[1]) if row is not None else None

    def region_name(self, region_id: int) -> str | None:
        stmt = select(col(Region.name)).where(col(Region.id) == region_id)
        return self.session.execute(stmt).scalar_one_or_none()

    def name_of(self, field_type: FieldType, ref: int) -> str | None:
        table: Any = {FieldType.REGION: Region, FieldType.PARK: Park, FieldType.PROJECT: Project}[
            field_type
        ]
        return self.session.execute(select(table.name).where(table.id == ref)).scalar_one_or_none()


class CachedNameLookup(NameLookup):
    """The same answers from names loaded once and reloaded on a miss (so a region created
    during an import is found)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self.reload()

    def reload(self) -> None:
        self.names = load_names(self.session)
        self._regions = {name: rid for rid, name in self.names.regions.items()}
        self._parks: dict[str, list[int]] = {}
        for pid in sorted(self.names.parks):
            self._parks.setdefault(self.names.parks[pid], []).append(pid)
        self._projects: dict[str, int] = {}
        for pid in sorted(self.names.projects):
            self._projects.setdefault(self.names.projects[pid], pid)

    def _retry(self, ask: Callable[[], Any]) -> Any:
        found = ask()
        if found is None or found == []:
            self.reload()
            found = ask()
        return found

    def region_id(self, name: str) -> int | None:
        return self._retry(lambda: self._regions.get(name))  # type: ignore[no-any-return]

    def park_ids(self, name: str, region_id: int | None) -> list[int]:
        def ask() -> list[int]:
            ids = self._parks.get(name, [])
            if region_id is not None:
                ids = [p for p in ids if self.names.park_region[p] == region_id]
            return ids

        return self._retry(ask)  # type: ignore[no-any-return]

    def project_id(self, name: str) -> int | None:
        return self._retry(lambda: self._projects.get(name))  # type: ignore[no-any-return]

    def park(self, park_id: int) -> tuple[str, int] | None:
        def ask() -> tuple[str, int] | None:
            if park_id not in self.names.parks:
                return None
            return self.names.parks[park_id], self.names.park_region[park_id]

        return self._retry(ask)  # type: ignore[no-any-return]

    def region_name(self, region_id: int) -> str | None:
        return self._retry(lambda: self.names.regions.get(region_id))  # type: ignore[no-any-return]

    def name_of(self, field_type: FieldType, ref: int) -> str | None:
        table = {
            FieldType.REGION: self.names.regions,
            FieldType.PARK: self.names.parks,
            FieldType.PROJECT: self.names.projects,
        }
        return self._retry(lambda: table[field_type].get(ref))  # type: ignore[no-any-return]
