"""What of a 推介's needs each site holds, item by item (:mod:`landbank.domain.completeness`),
read from the store for a few records: the record dialog's list of what is missing, the
招商手册's 资料不全 mark, ``landbank list --json``'s ``missing``.

The table's score and filters are SQL (:mod:`landbank.store.completeness`); these read the
fields the items look at and whether a 照片 is held, and judge them in Python — the same rules
(a test keeps them equal).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import BindParameter, bindparam, select
from sqlmodel import Session

from landbank.domain.completeness import ITEM_KEYS, Completeness, applies_to, completeness
from landbank.domain.enums import RecordKind
from landbank.store.completeness import IDS_PER_QUERY, photo_ids
from landbank.store.models import TABLES


def _table(kind: RecordKind) -> Any:
    return TABLES[kind].__table__  # type: ignore[attr-defined]


def site_completeness(
    session: Session, kind: RecordKind, ids: Iterable[int]
) -> dict[int, Completeness]:
    """id → what the site holds and misses (records still there; nothing for a kind that is
    not a site)."""
    wanted = list(dict.fromkeys(int(i) for i in ids))
    if not applies_to(kind) or not wanted:
        return {}
    table = _table(kind)
    keys = ITEM_KEYS[kind]
    photos = photo_ids(session, kind, wanted)
    found: dict[int, Completeness] = {}
    for start in range(0, len(wanted), IDS_PER_QUERY):
        chunk = wanted[start : start + IDS_PER_QUERY]
        ids_param: BindParameter[list[int]] = bindparam(
            "ids", chunk, expanding=True, literal_execute=True
        )
        columns = [table.c[key] for key in keys]
        if "outline_geojson" in keys:  # whether it is held, not the whole GeoJSON
            at = keys.index("outline_geojson")
            columns[at] = (table.c.outline_geojson != "").label("outline_geojson")
        stmt = select(table.c.id, *columns).where(table.c.id.in_(ids_param))
        for row in session.execute(stmt):
            values = dict(zip(keys, row[1:], strict=True))
            if "outline_geojson" in values:
                values["outline_geojson"] = "held" if values["outline_geojson"] else None
            found[int(row[0])] = completeness(kind, values, has_photo=int(row[0]) in photos)
    return found


@dataclass(frozen=True)
class StoredFacts:
    """What a record dialog cannot edit but the completeness looks at."""

    has_outline: bool
    has_photo: bool


def stored_facts(session: Session, kind: RecordKind, record_id: int | None) -> StoredFacts:
    """Whether the record holds an outline and a 照片 (a new record: neither)."""
    if record_id is None or not applies_to(kind):
        return StoredFacts(False, False)
    has_outline = False
    table = _table(kind)
    if "outline_geojson" in table.c:
        held = session.execute(
            select(table.c.outline_geojson != "").where(table.c.id == record_id)
        ).scalar()
        has_outline = bool(held)
    return StoredFacts(has_outline, record_id in photo_ids(session, kind, [record_id]))


def with_stored(values: dict[str, Any], facts: StoredFacts) -> dict[str, Any]:
    """A dialog's values with what it does not hold (the outline), for :func:`completeness`."""
    return {**values, "outline_geojson": "held" if facts.has_outline else None}
