"""What a county clerk's import may write on a city server (issue 14): only its own county's
records. Each row's county, as the import resolved it (the row's 县区, the sheet's county, a
short name recognised), is checked before anything is written; a row of another county — new,
or updating a record of another county — is a row error naming the county, so the import is
refused with every such row listed and the database stays as it was. A viewer's import is
refused before the file is read (:func:`import_refused`). On SQLite (scope ``local``) and for
city clerks everything is allowed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.server.rights import COUNTY, COUNTY_KINDS, Rights, rights_of

# Reports a problem of the file: (row, column header, value, reason).
Problem = Callable[[int, str, str, str], None]


def session_rights(session: Session) -> Rights:
    """The rights of the login ``session`` writes as."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    return rights_of(engine)


def import_refused(session: Session) -> str | None:
    """Why this login may not import at all (a viewer), else ``None``."""
    refused = session_rights(session).can_write_any()
    return refused.replace("修改台账", "导入台账") if refused else None


class CountyGuard:
    """Refuses the rows of an import that name a county the login may not write."""

    def __init__(
        self,
        session: Session,
        kind: RecordKind,
        regions: Mapping[str, int],
        problem: Problem,
        header: Callable[[str], str],
    ) -> None:
        rights = session_rights(session)
        self.active = rights.scope == COUNTY and kind in COUNTY_KINDS
        self.own = rights.region_id
        self.regions = regions  # the ledger's counties by name (kept up to date by the import)
        self.problem = problem
        self.header = header
        self.reason = f"{rights.account()}只能导入{rights.region_name or '本县区'}的记录"

    def others(self, region_ids: Sequence[Any]) -> set[int]:
        """Positions of ``region_ids`` naming another county (for a chunk's checked rows)."""
        if not self.active:
            return set()
        return {i for i, r in enumerate(region_ids) if isinstance(r, int) and r != self.own}

    def refused(self, row: int, region_id: Any) -> bool:
        """Whether the record of row ``row`` in county ``region_id`` is another county's
        (reported as the row's error)."""
        if not self.active or not isinstance(region_id, int) or region_id == self.own:
            return False
        name = next((n for n, i in self.regions.items() if i == region_id), f"县区 #{region_id}")
        self.problem(row, self.header("region_id"), name, self.reason)
        return True


def new_counties_refused(session: Session) -> str | None:
    """Why this login may not add counties to the ledger (a county clerk: the list of counties
    is the city's), else ``None``; a county the ledger lacks is then a row error saying so."""
    if session_rights(session).can_write_city() is None:
        return None
    return "县区名单由市级账号维护，如需新增请联系市级管理员"
