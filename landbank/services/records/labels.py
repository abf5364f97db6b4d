"""How a record is named in messages and the history, and how a value is shown there:
references by name, dates ISO, booleans 是/否, floats with every digit a clerk can type."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType
from landbank.store.models import Park, Project, Region
from landbank.store.queries import load_names


def record_label(
    kind: RecordKind, values: Mapping[str, Any], names: Mapping[int, str] | None = None
) -> str:
    """A short name for messages and the history: 地块编号, 厂房编号 名称, 项目名称 …"""
    match kind:
        case RecordKind.PARCEL:
            return str(values.get("code") or "")
        case RecordKind.FACTORY:
            return f"{values.get('code') or ''} {values.get('name') or ''}".strip()
        case RecordKind.QUOTA:
            region = (names or {}).get(values.get("region_id") or -1, "")
            return f"{region} {values.get('year') or ''}年".strip()
        case _:
            return str(values.get("name") or "")


def display_value(spec: FieldSpec, value: Any, session: Session | None = None) -> str | None:
    """A value as the history shows it: references by name, dates ISO, booleans 是/否."""
    if value is None or value == "":
        return None
    if spec.type in (FieldType.REGION, FieldType.PARK, FieldType.PROJECT) and session is not None:
        table: Any = {FieldType.REGION: Region, FieldType.PARK: Park, FieldType.PROJECT: Project}[
            spec.type
        ]
        name = session.execute(select(table.name).where(table.id == value)).scalar_one_or_none()
        return str(name) if name is not None else f"#{value}"
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return f"{value:.15g}"  # every digit a clerk can type; no binary noise (0.1 + 0.2)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def load_record_label(session: Session, kind: RecordKind, values: Mapping[str, Any]) -> str:
    """:func:`record_label` with the region names read from ``session`` (a quota's label)."""
    names = load_names(session).regions if kind is RecordKind.QUOTA else None
    return record_label(kind, values, names)
