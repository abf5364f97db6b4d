"""The completeness of a site (:mod:`landbank.domain.completeness`) as SQL expressions, for the
record tables' 资料完整度 column, its sort and the 资料不全 / 红线面积不符 filters.

Built from the domain's table of items (:data:`landbank.domain.completeness.ITEMS`), one
``CASE WHEN … THEN 1 ELSE 0 END`` per item, so the store and the domain judge alike (a test
over many random records compares them, on SQLite and PostgreSQL):

- text: ``trim(col) <> ''`` (trim takes spaces, as ``str.strip(" ")`` does);
- a number: ``col > 0`` (NULL is not above zero);
- 红线: ``outline_geojson <> ''`` (NULL fails); 红线面积核对: 红线面积 known and
  ``abs(outline_area_mu - area_mu) <= 0.01 * area_mu``;
- 照片: ``EXISTS`` an attachment of the record (index ``ix_attachment_record``) of category 照片.

The score is ``(present * 200 + n) / (2 * n)`` in integers: the domain's rounding half up.

Cost: these expressions are evaluated for every row a query reads. The table's page does not
compute them in its sorted query (SQLite evaluates the select list before sorting: every row
of the table): :func:`landbank.store.queries.fetch_page` asks :func:`photo_ids` for the page's
records afterwards and judges the rows with the domain's rules. :func:`completeness_of_ids` is the
SQL's score of given records (the agreement test compares it with the domain's).
Sorting by the score or filtering by it reads the whole (filtered) table once
(``docs/completeness.md`` has the figures).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    or_,
    select,
)
from sqlalchemy.sql.expression import Select
from sqlmodel import Session

from landbank.domain.completeness import (
    ITEMS,
    OUTLINE_TOLERANCE,
    PHOTO_CATEGORY,
    Item,
    Rule,
)
from landbank.domain.enums import RecordKind
from landbank.store.models import TABLES, Attachment

_A = Attachment.__table__.c  # type: ignore[attr-defined]
IDS_PER_QUERY = 500


def _table(kind: RecordKind) -> Any:
    return TABLES[kind].__table__  # type: ignore[attr-defined]


def has_photo_sql(kind: RecordKind, id_column: Any | None = None) -> ColumnElement[bool]:
    """``EXISTS`` a 照片 attachment of the record (``id_column``: the table's id)."""
    ref = _table(kind).c.id if id_column is None else id_column
    return exists(
        select(literal(1))
        .where(_A.record_kind == kind.value, _A.record_id == ref, _A.category == PHOTO_CATEGORY)
        .correlate_except(Attachment.__table__)  # type: ignore[attr-defined]
    )


def outline_mismatch_sql(kind: RecordKind) -> ColumnElement[bool]:
    """红线面积不符: 红线面积 known and more than 1 % away from 收储面积 (parcels; parks have
    no 收储面积)."""
    c = _table(kind).c
    return and_(
        c.outline_area_mu.is_not(None),
        c.area_mu.is_not(None),
        func.abs(c.outline_area_mu - c.area_mu) > OUTLINE_TOLERANCE * c.area_mu,
    )


def _item_sql(kind: RecordKind, item: Item) -> ColumnElement[bool]:
    c = _table(kind).c
    if item.rule is Rule.TEXT:
        texts = [func.trim(c[key]) != "" for key in item.keys]
        return texts[0] if len(texts) == 1 else _any(texts)
    if item.rule is Rule.ANY_NUMBER:
        numbers = [c[key] > 0 for key in item.keys]
        return numbers[0] if len(numbers) == 1 else _any(numbers)
    if item.rule is Rule.ALL_NUMBERS:
        return and_(*(c[key] > 0 for key in item.keys))
    if item.rule is Rule.OUTLINE:
        return c[item.keys[0]] != ""  # type: ignore[no-any-return]
    if item.rule is Rule.OUTLINE_CHECK:
        area, outline = (c[key] for key in item.keys)
        return and_(
            outline.is_not(None),
            area.is_not(None),
            func.abs(outline - area) <= OUTLINE_TOLERANCE * area,
        )
    return has_photo_sql(kind)


def _any(clauses: list[ColumnElement[bool]]) -> ColumnElement[bool]:
    # CASE counts an item when its clause is true; NULL (a missing value) counts as false.
    return or_(*clauses)


def present_sql(kind: RecordKind) -> ColumnElement[int]:
    """How many of the kind's items the record holds (0 … n)."""
    terms = [case((_item_sql(kind, item), 1), else_=0) for item in ITEMS[kind]]
    total: Any = terms[0]
    for term in terms[1:]:
        total = total + term
    return total  # type: ignore[no-any-return]


def completeness_sql(kind: RecordKind) -> ColumnElement[int]:
    """The score in whole percent, rounded half up as :func:`domain.completeness.score_pct`."""
    n = len(ITEMS[kind])
    return (present_sql(kind) * 200 + n) // (2 * n)


def incomplete_sql(kind: RecordKind) -> ColumnElement[bool]:
    """资料不全: some item missing (the score below 100 %)."""
    return present_sql(kind) < len(ITEMS[kind])


def completeness_of_ids(session: Session, kind: RecordKind, ids: Iterable[int]) -> dict[int, int]:
    """id → score of these records (those still there), :data:`IDS_PER_QUERY` at a time."""
    wanted = [int(i) for i in ids]
    table = _table(kind)
    scores: dict[int, int] = {}
    for start in range(0, len(wanted), IDS_PER_QUERY):
        chunk = wanted[start : start + IDS_PER_QUERY]
        ids_param: BindParameter[list[int]] = bindparam(
            "ids", chunk, expanding=True, literal_execute=True
        )
        stmt: Select[Any] = select(table.c.id, completeness_sql(kind)).where(
            table.c.id.in_(ids_param)
        )
        scores.update({int(i): int(pct) for i, pct in session.execute(stmt)})
    return scores


def photo_ids(session: Session, kind: RecordKind, ids: Iterable[int]) -> set[int]:
    """Which of these records hold a 照片 attachment."""
    wanted = [int(i) for i in ids]
    found: set[int] = set()
    for start in range(0, len(wanted), IDS_PER_QUERY):
        chunk = wanted[start : start + IDS_PER_QUERY]
        ids_param: BindParameter[list[int]] = bindparam(
            "ids", chunk, expanding=True, literal_execute=True
        )
        stmt = (
            select(_A.record_id)
            .where(
                _A.record_kind == kind.value,
                _A.category == PHOTO_CATEGORY,
                _A.record_id.in_(ids_param),
            )
            .distinct()
        )
        found.update(int(i) for i in session.execute(stmt).scalars())
    return found
