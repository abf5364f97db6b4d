"""Create, change and delete rows of the 标准地 table: checked, audited, guarded by version.

As :mod:`landbank.services.records.saving` does for records: every reason in Chinese before
anything is written (the domain's :func:`~landbank.domain.standards.table.validate_rows`, the
park of another county, the same county/park/industry twice — also the database's unique
index, so two clerks cannot both pass); ``UPDATE … WHERE id = ? AND version = ?`` (another
clerk's save first is a :class:`~landbank.services.records.saving.ConflictError` naming what
they changed); each changed bound an audit entry of kind ``standard`` labelled
“城关县·高新园区·新材料”, create and delete with a snapshot of the row. A county login writes
only its county's rows (the server's row-level security says the same).

Functions flush; the caller commits (or rolls back: nothing half-done).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col

from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.domain.standards.table import StandardRow, validate_rows
from landbank.services.records.saving import ChangeSince, ConflictError, RecordError, WriteRefused
from landbank.services.server.rights import is_refusal, rights_of
from landbank.services.standards.rows import bound_label, columns_of, standard_title
from landbank.store.models import AuditAction, AuditEntry, LandStandard, Park, Region, utc_now

STANDARD_KIND = "standard"  # audit_log.record_kind
INDUSTRY_MAX = 100
NOTES_MAX = 2000


class StandardInvalid(RecordError):
    """A row that cannot be saved; ``problems`` are the Chinese reasons."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class StandardInput:
    """What a clerk (or a file row) gives for one row."""

    region_id: int
    park_id: int | None = None
    industry: str | None = None
    values: Mapping[Indicator, Threshold] = field(default_factory=dict)
    notes: str | None = None

    def cleaned(self) -> StandardInput:
        industry = " ".join((self.industry or "").split()) or None
        notes = (self.notes or "").strip() or None
        values = {i: t for i, t in self.values.items() if not t.is_blank}
        return StandardInput(self.region_id, self.park_id, industry, values, notes)


def _names(session: Session, given: StandardInput) -> tuple[str, str | None, list[str]]:
    problems: list[str] = []
    region = session.get(Region, given.region_id)
    county = region.name if region is not None else f"县区 #{given.region_id}"
    if region is None:
        problems.append(f"县区（编号 {given.region_id}）不存在")
    park_name = None
    if given.park_id is not None:
        park = session.get(Park, given.park_id)
        if park is None:
            problems.append(f"园区（编号 {given.park_id}）不存在")
        else:
            park_name = park.name
            if park.region_id != given.region_id:
                other = session.get(Region, park.region_id)
                problems.append(
                    f"园区“{park.name}”属于{other.name if other else '其他县区'}，不属于{county}"
                )
    return county, park_name, problems


def check_standard(
    session: Session, given: StandardInput, *, standard_id: int | None = None
) -> tuple[list[str], list[str]]:
    """(problems, warnings) of a row about to be saved: problems refuse it; warnings (a value
    looser than the national floor, which then applies) are said and the row is kept."""
    given = given.cleaned()
    county, park, problems = _names(session, given)
    if given.industry is not None and len(given.industry) > INDUSTRY_MAX:
        problems.append(f"产业名称超过 {INDUSTRY_MAX} 个字")
    if given.notes is not None and len(given.notes) > NOTES_MAX:
        problems.append(f"备注超过 {NOTES_MAX} 个字")
    row = StandardRow(county, park, given.industry, given.values)
    hard = validate_rows([row], national={})
    every = validate_rows([row])
    problems += hard
    warnings = [p for p in every if p not in hard]
    other = _same_key(session, given, standard_id)
    if other is not None:
        problems.append(f"已有“{row.title}”的指标行，请修改该行，不要重复添加")
    return problems, warnings


def _same_key(session: Session, given: StandardInput, standard_id: int | None) -> int | None:
    park = col(LandStandard.park_id)
    industry = col(LandStandard.industry)
    stmt = select(col(LandStandard.id)).where(
        col(LandStandard.region_id) == given.region_id,
        park.is_(None) if given.park_id is None else park == given.park_id,
        industry.is_(None) if given.industry is None else industry == given.industry,
    )
    if standard_id is not None:
        stmt = stmt.where(col(LandStandard.id) != standard_id)
    return session.execute(stmt.limit(1)).scalar_one_or_none()


def write_refusal(session: Session, region_id: int, county: str) -> str | None:
    """Why this login may not change the rows of ``county`` (a viewer; a county login and
    another county), else None. On SQLite everything is allowed."""
    bind = session.get_bind()
    rights = rights_of(bind if isinstance(bind, Engine) else bind.engine)
    refused = rights.can_write_any()
    if refused is None and rights.scope == "county" and rights.region_id != region_id:
        refused = rights.other_county(county)
    return refused


def _check_rights(session: Session, region_id: int, county: str) -> None:
    refused = write_refusal(session, region_id, county)
    if refused is not None:
        raise WriteRefused(f"未能保存标准地指标：{refused}（本次操作未执行）。")


def _shown(value: object) -> str | None:
    """A value as the audit keeps it: every digit a clerk can type, no binary noise."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return f"{value:.15g}"
    return str(value)


_PLACE = ("region_id", "park_id", "industry")  # named by the title, not snapshotted as ids


def _snapshot(title: str, columns: Mapping[str, object]) -> str:
    shown: dict[str, str | None] = {"指标行": title}
    for name, value in columns.items():
        if value not in (None, ""):
            shown[bound_label(name)] = _shown(value)
    return json.dumps(shown, ensure_ascii=False)


def _audit(
    session: Session,
    row: LandStandard,
    action: str,
    title: str,
    *,
    user: str,
    source: str,
    version: int,
    column: str | None = None,
    old: str | None = None,
    new: str | None = None,
) -> None:
    assert row.id is not None
    session.add(
        AuditEntry(
            user=user[:100],
            action=action,
            record_kind=STANDARD_KIND,
            record_id=row.id,
            record_uuid=row.uuid,
            record_label=title[:200],
            field=column,
            old_value=old,
            new_value=new,
            source=source[:300],
            record_version=version,
        )
    )


def _data(given: StandardInput) -> dict[str, object]:
    return {
        "region_id": given.region_id,
        "park_id": given.park_id,
        "industry": given.industry,
        **columns_of(given.values),
        "notes": given.notes,
    }


def _title(session: Session, given: StandardInput) -> str:
    county, park, _problems = _names(session, given)
    return standard_title(county, park, given.industry)


def create_standard(
    session: Session, given: StandardInput, *, user: str, source: str = "界面"
) -> LandStandard:
    """Insert a row (audited). Raises :class:`StandardInvalid`, :class:`WriteRefused`."""
    given = given.cleaned()
    problems, _warnings = check_standard(session, given)
    if problems:
        raise StandardInvalid(problems)
    title = _title(session, given)
    _check_rights(session, given.region_id, title.split("·")[0])
    data = _data(given)
    row = LandStandard.model_validate({k: v for k, v in data.items() if v is not None})
    session.add(row)
    _flush(session, title)
    _audit(session, row, AuditAction.CREATE, title, user=user, source=source, version=1,
           new=_snapshot(title, {k: v for k, v in data.items() if k not in _PLACE}))
    session.flush()
    return row


def _flush(session: Session, title: str) -> None:
    try:
        session.flush()
    except IntegrityError as exc:  # another clerk added the same key first
        raise StandardInvalid([f"已有“{title}”的指标行（可能刚由其他用户添加）"]) from exc
    except DBAPIError as exc:
        if is_refusal(exc):
            raise WriteRefused(f"未能保存标准地指标“{title}”：服务器拒绝（无此县区的权限）。") from exc
        raise


def _changes_since(session: Session, standard_id: int, version: int) -> list[ChangeSince]:
    stmt = (
        select(AuditEntry)
        .where(
            col(AuditEntry.record_kind) == STANDARD_KIND,
            col(AuditEntry.record_id) == standard_id,
            col(AuditEntry.record_version) > version,
        )
        .order_by(col(AuditEntry.id))
    )
    return [
        ChangeSince(e.user, e.at, bound_label(e.field or "记录"), e.old_value, e.new_value)
        for e in session.execute(stmt).scalars()
    ]


def _current(session: Session, standard_id: int, version: int, title: str) -> LandStandard:
    row = session.get(LandStandard, standard_id, populate_existing=True)
    if row is None:
        raise ConflictError(title, [], deleted=True)
    if row.version != version:
        raise ConflictError(title, _changes_since(session, standard_id, version))
    return row


def _guarded(session: Session, stmt: Any, standard_id: int, version: int, title: str) -> None:
    try:
        touched = session.execute(stmt).rowcount  # type: ignore[attr-defined]
    except IntegrityError as exc:
        raise StandardInvalid([f"已有“{title}”的指标行（可能刚由其他用户添加）"]) from exc
    except DBAPIError as exc:
        if is_refusal(exc):
            raise WriteRefused(f"未能保存标准地指标“{title}”：服务器拒绝（无此县区的权限）。") from exc
        raise
    if touched == 1:
        return
    _current(session, standard_id, version, title)  # gone or changed: a conflict
    raise WriteRefused(f"未能保存标准地指标“{title}”：服务器拒绝（无此县区的权限）。")


def update_standard(
    session: Session,
    standard_id: int,
    given: StandardInput,
    *,
    expected_version: int,
    user: str,
    source: str = "界面",
) -> LandStandard:
    """Save a row as ``given`` (every bound: a blank one is cleared) if it is still at
    ``expected_version``; each changed column an audit entry. Raises
    :class:`StandardInvalid`, :class:`ConflictError`, :class:`WriteRefused`."""
    given = given.cleaned()
    row = _current(session, standard_id, expected_version, f"标准地指标 #{standard_id}")
    old_input = StandardInput(row.region_id, row.park_id, row.industry, {}, row.notes)
    old_title = _title(session, old_input)
    _check_rights(session, row.region_id, old_title.split("·")[0])
    problems, _warnings = check_standard(session, given, standard_id=standard_id)
    if problems:
        raise StandardInvalid(problems)
    title = _title(session, given)
    _check_rights(session, given.region_id, title.split("·")[0])
    old = {k: getattr(row, k) for k in _data(given)}
    changed = {k: v for k, v in _data(given).items() if old[k] != v}
    if not changed:
        return row
    version = expected_version + 1
    stmt = (
        update(LandStandard)
        .where(col(LandStandard.id) == standard_id, col(LandStandard.version) == expected_version)
        .values(**changed, version=version, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    _guarded(session, stmt, standard_id, expected_version, old_title)
    for column, value in changed.items():
        old_shown, new_shown = _shown(old[column]), _shown(value)
        if column == "park_id":
            old_shown = _park_name(session, old[column])
            new_shown = _park_name(session, value)
        if column == "region_id":
            old_shown, new_shown = old_title.split("·")[0], title.split("·")[0]
        _audit(session, row, AuditAction.UPDATE, title, user=user, source=source,
               version=version, column=column, old=old_shown, new=new_shown)
    session.flush()
    refreshed = session.get(LandStandard, standard_id, populate_existing=True)
    assert refreshed is not None
    return refreshed


def _park_name(session: Session, park_id: object) -> str | None:
    if park_id is None:
        return None
    park = session.get(Park, park_id)
    return park.name if park is not None else f"#{park_id}"


def delete_standard(
    session: Session, standard_id: int, *, expected_version: int, user: str, source: str = "界面"
) -> None:
    """Delete a row (the audit keeps its snapshot), if still at ``expected_version``."""
    row = _current(session, standard_id, expected_version, f"标准地指标 #{standard_id}")
    given = StandardInput(row.region_id, row.park_id, row.industry, {}, row.notes)
    title = _title(session, given)
    _check_rights(session, row.region_id, title.split("·")[0])
    snapshot = _snapshot(title, {k: getattr(row, k) for k in _data(given) if k not in _PLACE})
    stmt = (
        delete(LandStandard)
        .where(col(LandStandard.id) == standard_id, col(LandStandard.version) == expected_version)
        .execution_options(synchronize_session=False)
    )
    _guarded(session, stmt, standard_id, expected_version, title)
    _audit(session, row, AuditAction.DELETE, title, user=user, source=source,
           version=expected_version + 1, old=snapshot)
    session.expunge(row)
    session.flush()
