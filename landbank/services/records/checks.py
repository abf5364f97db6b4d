"""Whether values can be saved, beyond the field rules of :mod:`landbank.domain.validation`:
region, park and project names turned into ids, references that exist and agree (a park in
its county), no duplicate of a unique key — and :func:`check_record`, all the reasons at once,
which the dialogs call as the clerk types."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, REFERENCE_TYPES, FieldType, field_map
from landbank.domain.validation import RecordErrors, validate_record
from landbank.services.records.lookups import NameLookup
from landbank.store.models import TABLES


def resolve_references(
    session: Session,
    kind: RecordKind,
    values: Mapping[str, Any],
    lookup: NameLookup | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """Turn region/park/project names into ids; returns (values, errors by field)."""
    lookup = lookup or NameLookup(session)
    resolved = dict(values)
    errors: dict[str, str] = {}
    for key, spec in field_map(kind).items():
        value = resolved.get(key)
        if not isinstance(value, str) or spec.type not in REFERENCE_TYPES:
            continue
        name = value.strip()
        found: int | None
        if spec.type is FieldType.REGION:
            found = lookup.region_id(name)
            if found is None:
                errors[key] = f"没有名为“{name}”的县区（请先在“行政区与园区”中添加）"
        elif spec.type is FieldType.PARK:
            region_key = "preferred_region_id" if key == "preferred_park_id" else "region_id"
            region_id = resolved.get(region_key)
            found_ids = lookup.park_ids(name, region_id if isinstance(region_id, int) else None)
            found = found_ids[0] if len(found_ids) == 1 else None
            if not found_ids:
                errors[key] = f"没有名为“{name}”的园区"
            elif len(found_ids) > 1:
                errors[key] = f"园区“{name}”不止一个，请先填写县区"
        else:
            found = lookup.project_id(name)
            if found is None:
                errors[key] = f"没有名为“{name}”的项目"
        resolved[key] = found
    return resolved, errors


def reference_errors(
    session: Session,
    kind: RecordKind,
    values: Mapping[str, Any],
    lookup: NameLookup | None = None,
) -> dict[str, str]:
    lookup = lookup or NameLookup(session)
    errors: dict[str, str] = {}
    for park_key, region_key in (
        ("park_id", "region_id"),
        ("preferred_park_id", "preferred_region_id"),
    ):
        park_id = values.get(park_key)
        if park_id is None or park_key not in field_map(kind):
            continue
        park = lookup.park(park_id)
        if park is None:
            errors[park_key] = "园区不存在"
        elif values.get(region_key) is not None and park[1] != values.get(region_key):
            region = lookup.region_name(park[1])
            errors[park_key] = f"园区“{park[0]}”属于{region or '其他县区'}，与所选县区不符"
    for spec in FIELDS[kind]:
        value = values.get(spec.key)
        if (
            spec.type is FieldType.REGION
            and value is not None
            and lookup.region_name(value) is None
        ):
            errors[spec.key] = "县区不存在"
    return errors


# Per kind: (the field that carries the message, the columns unique together). A check is
# skipped while its field is empty (电子监管号 and 信用代码 are optional).
UNIQUE_KEYS: dict[RecordKind, tuple[tuple[str, tuple[str, ...]], ...]] = {
    RecordKind.REGION: (("name", ("name",)),),
    RecordKind.PARK: (("name", ("name", "region_id")),),
    RecordKind.PARCEL: (("code", ("code", "region_id")), ("supervision_no", ("supervision_no",))),
    RecordKind.FACTORY: (("code", ("code", "region_id")),),
    RecordKind.PROJECT: (("credit_code", ("credit_code",)),),
    RecordKind.QUOTA: (("year", ("region_id", "year")),),
}


def uniqueness_errors(
    session: Session, kind: RecordKind, values: Mapping[str, Any], record_id: int | None
) -> dict[str, str]:
    table = TABLES[kind].__table__  # type: ignore[attr-defined]
    errors: dict[str, str] = {}
    for key, columns in UNIQUE_KEYS[kind]:
        if values.get(key) in (None, ""):
            continue
        stmt = select(table.c.id).where(*(table.c[c] == values.get(c) for c in columns))
        if record_id is not None:
            stmt = stmt.where(table.c.id != record_id)
        if session.execute(stmt.limit(1)).first() is None:
            continue
        if kind is RecordKind.QUOTA:
            errors[key] = "该县区本年度的指标已存在"
        else:
            scope = "本县区" if "region_id" in columns else ""
            label = field_map(kind)[key].label
            errors[key] = f"{scope}已有{label}为“{values.get(key)}”的{kind.label}"
    return errors


def check_record(
    session: Session,
    kind: RecordKind,
    values: Mapping[str, Any],
    *,
    old: Mapping[str, Any] | None = None,
    record_id: int | None = None,
    ladder_skips: bool = False,
) -> RecordErrors:
    """All reasons ``values`` cannot be saved: fields, cross-field rules, ladders, references,
    duplicates. The dialogs call this as the clerk types."""
    errors = dict(validate_record(kind, values, old=old, ladder_skips=ladder_skips).by_field)
    for extra in (
        reference_errors(session, kind, values),
        uniqueness_errors(session, kind, values, record_id),
    ):
        for key, reason in extra.items():
            errors.setdefault(key, reason)
    return RecordErrors(errors)
