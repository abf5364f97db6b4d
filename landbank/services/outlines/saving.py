"""An outline written to a parcel or park as every record edit is: guarded by the version the
import read (``UPDATE … WHERE id = ? AND version = ?``, version + 1), audited field by field
with the source ``导入红线:<file>`` — 红线 as a readable summary (“12 点，117.30 亩”), 红线面积
and 红线来源 as the history shows other fields. A factory's point goes through
:func:`~landbank.services.records.saving.update_record` (经度/纬度 are catalogue fields).

The outline itself (``outline_geojson``) is no catalogue field (``store.models.
GEOMETRY_COLUMNS``), so :func:`update_record` cannot write it; the guard and the audit here
follow it step by step. Functions flush; the caller commits.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.domain.outlines.area import outline_summary
from landbank.services.records.audit_log import add_audit_entry
from landbank.services.records.labels import display_value, load_record_label
from landbank.services.records.saving import (
    ConflictError,
    WriteRefused,
    changes_since,
    get_record,
    record_values,
    update_record,
)
from landbank.services.server.rights import is_refusal, refusal_reason
from landbank.store.models import TABLES, AuditAction, utc_now

OUTLINE_FIELD = "outline"  # the audit entry of the outline itself
DECIMALS = 9  # degrees: 0.1 mm


def geometry_text(geometry: Any) -> str:
    """A shapely geometry as GeoJSON geometry text, coordinates to 9 decimals."""
    from shapely.geometry import mapping  # type: ignore[import-untyped]

    def rounded(value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            if value and isinstance(value[0], float | int):
                return [round(float(v), DECIMALS) for v in value]
            return [rounded(v) for v in value]
        return value

    shape = mapping(geometry)
    return json.dumps(
        {"type": shape["type"], "coordinates": rounded(shape["coordinates"])}, separators=(",", ":")
    )


def vertex_count(text: str | None) -> int | None:
    """The distinct vertices of a stored outline (closing points not counted); None for none."""
    if not text:
        return None
    try:
        shape = json.loads(text)
    except ValueError:
        return None
    coordinates = shape.get("coordinates") if isinstance(shape, dict) else None
    polygons = coordinates if shape.get("type") == "MultiPolygon" else [coordinates]
    count = 0
    for polygon in polygons or []:
        for ring in polygon or []:
            count += max(len(ring) - 1, 0)
    return count


def save_outline(
    session: Session,
    kind: RecordKind,
    record_id: int,
    *,
    expected_version: int,
    geojson: str,
    area_mu: float,
    source_text: str,
    user: str,
    source: str,
) -> None:
    """Write an outline to a parcel or park still at ``expected_version``; raises
    :class:`ConflictError` (another clerk saved or deleted it first) or :class:`WriteRefused`."""
    table = TABLES[kind]
    record = get_record(session, kind, record_id)
    label = load_record_label(session, kind, record_values(kind, record))
    if record.version != expected_version:
        raise ConflictError(label, changes_since(session, kind, record_id, expected_version))
    old: dict[str, Any] = {
        "outline_geojson": getattr(record, "outline_geojson", None),
        "outline_area_mu": getattr(record, "outline_area_mu", None),
        "outline_source": getattr(record, "outline_source", None),
    }
    new: dict[str, Any] = {
        "outline_geojson": geojson,
        "outline_area_mu": round(area_mu, 4),
        "outline_source": source_text[:300],
    }
    if old == new:
        return
    version = expected_version + 1
    stmt = (
        update(table)
        .where(col(table.id) == record_id, col(table.version) == expected_version)
        .values(**new, version=version, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    try:
        touched = session.execute(stmt).rowcount  # type: ignore[attr-defined]
    except DBAPIError as exc:
        if is_refusal(exc):
            raise _refused(session, kind, label, getattr(record, "region_id", None)) from exc
        raise
    if touched != 1:
        row = session.execute(
            select(col(table.version)).where(col(table.id) == record_id)
        ).one_or_none()
        if row is None:
            raise ConflictError(label, [], deleted=True)
        if row[0] != expected_version:
            raise ConflictError(label, changes_since(session, kind, record_id, expected_version))
        raise _refused(session, kind, label, getattr(record, "region_id", None))
    specs = field_map(kind)
    entries: list[tuple[str, str | None, str | None]] = [
        (
            OUTLINE_FIELD,
            outline_summary(vertex_count(old["outline_geojson"]), old["outline_area_mu"]),
            outline_summary(vertex_count(geojson), new["outline_area_mu"]),
        )
    ]
    for key in ("outline_area_mu", "outline_source"):
        if old[key] != new[key]:
            entries.append(
                (key, display_value(specs[key], old[key]), display_value(specs[key], new[key]))
            )
    for key, old_text, new_text in entries:
        add_audit_entry(
            session, kind, record, AuditAction.UPDATE, user=user, source=source, label=label,
            field=key, old=old_text, new=new_text, version=version,
        )  # fmt: skip
    session.flush()
    session.expire(record)


def save_point(
    session: Session,
    record_id: int,
    point: tuple[float, float],
    *,
    expected_version: int,
    user: str,
    source: str,
) -> None:
    """Write a factory's 经度/纬度 (validated and audited by ``update_record``)."""
    longitude, latitude = (round(v, 7) for v in point)
    update_record(
        session,
        RecordKind.FACTORY,
        record_id,
        {"longitude": longitude, "latitude": latitude},
        expected_version=expected_version,
        user=user,
        source=source,
    )


def _refused(session: Session, kind: RecordKind, label: str, region_id: Any) -> WriteRefused:
    reason = refusal_reason(session.get_bind(), kind, region_id)
    return WriteRefused(f"未能保存{kind.label}“{label}”的红线：{reason}（本次操作未执行）。")
