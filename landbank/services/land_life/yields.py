"""The yearly figures (年度经营数据) of the firm on a parcel: add, change, delete and list rows of
``land_yield``, one per parcel and year (issue 16 items 4 and 6).

Checked before anything is written, every reason in Chinese naming the figure: the year (from
1990 to the current year: a year not begun has nothing to report), no negative figure but the
税收 (a refund year may be negative), 从业人数 a whole number; the same parcel and year twice is
refused (also the database's unique key, so two clerks cannot both add it). Changes and deletes
are guarded by the row's version (``UPDATE … WHERE id = ? AND version = ?``): a row another clerk
changed or deleted first is a :class:`~landbank.services.records.saving.ConflictError`. Rights
are the parcel's: a viewer writes nothing, a county login only its county's parcels (the
server's row-level security says the same). Each change is an audit entry **on the parcel**,
field 年度经营数据, e.g. “2025年：税收 120.00 万元，产值 3,400.00 万元”, so the parcel's history
shows it. Functions flush; the caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import Engine, delete, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import ConflictError, RecordError, WriteRefused
from landbank.services.server.rights import is_refusal, rights_of
from landbank.store.models import AuditAction, AuditEntry, LandParcel, LandYield, Region, utc_now

AUDIT_FIELD = "年度经营数据"
FIRST_YEAR = 1990
MAX_WAN = 100_000_000.0  # 1 万亿元
MAX_EMPLOYEES = 1_000_000
NOTES_MAX = 500


class YieldInvalid(RecordError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class YieldInput:
    """One year's figures as a clerk or a file row gives them (None: not reported)."""

    year: int
    tax_wan: float | None = None
    revenue_wan: float | None = None
    output_wan: float | None = None
    value_added_wan: float | None = None
    energy_tce: float | None = None
    emission_t: float | None = None
    employees: int | None = None
    rd_expense_wan: float | None = None
    notes: str | None = None

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# Figure → (label, unit), in the order the audit and the panel show them.
FIGURES: dict[str, tuple[str, str]] = {
    "tax_wan": ("税收", "万元"),
    "revenue_wan": ("销售收入", "万元"),
    "output_wan": ("产值", "万元"),
    "value_added_wan": ("增加值", "万元"),
    "energy_tce": ("能耗", "吨标煤"),
    "emission_t": ("排放", "吨"),
    "employees": ("从业人数", "人"),
    "rd_expense_wan": ("研发经费", "万元"),
}


def figure_text(key: str, value: float | int) -> str:
    label, unit = FIGURES[key]
    if key == "employees":
        amount = f"{value:,.0f}"
    else:  # two decimals, every digit when there are more (the audit keeps them)
        amount = f"{value:,.2f}" if round(value, 2) == value else f"{value:,.12g}"
    return f"{label} {amount} {unit}"


def describe_year(values: YieldInput | LandYield) -> str:
    """“2025年：税收 120.00 万元，产值 3,400.00 万元” (the figures reported)."""
    shown = [
        figure_text(key, getattr(values, key))
        for key in FIGURES
        if getattr(values, key) is not None
    ]
    return f"{values.year}年：" + ("，".join(shown) if shown else "未填报数据")


def check_yield(given: YieldInput, today: date | None = None) -> list[str]:
    """Why ``given`` cannot be saved (empty: it can)."""
    today = today or date.today()
    problems = []
    if not FIRST_YEAR <= given.year <= today.year:
        problems.append(f"年度 {given.year} 不在 {FIRST_YEAR}–{today.year} 年之间")
    for key, (label, unit) in FIGURES.items():
        value = getattr(given, key)
        if value is None:
            continue
        if key == "employees" and (not isinstance(value, int) or isinstance(value, bool)):
            problems.append(f"{label}应为整数")
        elif value < 0 and key != "tax_wan":
            problems.append(f"{label}不能为负数（{value:g} {unit}）")
        elif key == "employees" and value > MAX_EMPLOYEES:
            problems.append(f"{label} {value:,} 人超过 {MAX_EMPLOYEES:,} 人，请核对")
        elif abs(value) > MAX_WAN:
            problems.append(f"{label} {value:,.2f} {unit}过大，请核对单位")
    if given.notes is not None and len(given.notes) > NOTES_MAX:
        problems.append(f"备注超过 {NOTES_MAX} 个字")
    return problems


def _parcel(session: Session, parcel_id: int) -> LandParcel:
    parcel = session.get(LandParcel, parcel_id)
    if parcel is None:
        raise YieldInvalid([f"地块（编号 {parcel_id}）不存在"])
    return parcel


def parcel_title(session: Session, parcel: LandParcel) -> str:
    region = session.get(Region, parcel.region_id)
    return f"{region.name if region else ''}{parcel.code}"


def write_refusal(session: Session, parcel: LandParcel) -> str | None:
    """Why this login may not change the figures of ``parcel`` (else None)."""
    bind = session.get_bind()
    rights = rights_of(bind if isinstance(bind, Engine) else bind.engine)
    region = session.get(Region, parcel.region_id)
    names = {parcel.region_id: region.name} if region is not None else None
    return rights.can_write(RecordKind.PARCEL, {"region_id": parcel.region_id}, names)


def _check_rights(session: Session, parcel: LandParcel) -> None:
    refused = write_refusal(session, parcel)
    if refused is not None:
        title = parcel_title(session, parcel)
        raise WriteRefused(f"未能保存地块“{title}”的年度经营数据：{refused}（本次操作未执行）。")


def _audit(
    session: Session, parcel: LandParcel, *, user: str, source: str, old: str | None,
    new: str | None,
) -> None:
    assert parcel.id is not None
    session.add(
        AuditEntry(
            user=user[:100], action=AuditAction.UPDATE, record_kind=RecordKind.PARCEL.value,
            record_id=parcel.id, record_uuid=parcel.uuid, record_label=parcel.code[:200],
            field=AUDIT_FIELD, old_value=old, new_value=new, source=source[:300],
            record_version=parcel.version,
        )
    )  # fmt: skip


def _refused(session: Session, parcel: LandParcel, exc: DBAPIError) -> WriteRefused | None:
    if not is_refusal(exc):
        return None
    title = parcel_title(session, parcel)
    return WriteRefused(f"未能保存地块“{title}”的年度经营数据：服务器拒绝（无此县区的权限）。")


def _same_year(session: Session, parcel_id: int, year: int, other: int | None) -> int | None:
    stmt = select(col(LandYield.id)).where(
        col(LandYield.parcel_id) == parcel_id, col(LandYield.year) == year
    )
    if other is not None:
        stmt = stmt.where(col(LandYield.id) != other)
    return session.execute(stmt.limit(1)).scalar_one_or_none()


def _cleaned(given: YieldInput) -> YieldInput:
    notes = (given.notes or "").strip() or None
    return replace(given, notes=notes)


def add_yield(
    session: Session, parcel_id: int, given: YieldInput, *, user: str, source: str = "界面"
) -> LandYield:
    """Add the figures of one year to a parcel. Raises :class:`YieldInvalid`,
    :class:`WriteRefused`."""
    given = _cleaned(given)
    parcel = _parcel(session, parcel_id)
    problems = check_yield(given)
    if _same_year(session, parcel_id, given.year, None) is not None:
        problems.append(f"地块“{parcel.code}”已有 {given.year} 年的经营数据，请修改该行")
    if problems:
        raise YieldInvalid(problems)
    _check_rights(session, parcel)
    row = LandYield(parcel_id=parcel_id, region_id=parcel.region_id, **given.values())
    session.add(row)
    try:
        session.flush()
    except IntegrityError as exc:
        raise YieldInvalid(
            [f"地块“{parcel.code}”已有 {given.year} 年的经营数据（可能刚由其他用户添加）"]
        ) from exc
    except DBAPIError as exc:
        refused = _refused(session, parcel, exc)
        if refused is not None:
            raise refused from exc
        raise
    _audit(session, parcel, user=user, source=source, old=None, new=describe_year(given))
    session.flush()
    return row


def _current(session: Session, yield_id: int, version: int) -> tuple[LandYield, LandParcel]:
    row = session.get(LandYield, yield_id, populate_existing=True)
    if row is None:
        raise ConflictError(f"年度经营数据 #{yield_id}", [], deleted=True)
    parcel = _parcel(session, row.parcel_id)
    if row.version != version:
        raise ConflictError(f"{parcel.code} {row.year}年经营数据", [])
    return row, parcel


def _guarded(session: Session, stmt: Any, parcel: LandParcel, row: LandYield) -> None:
    try:
        touched = session.execute(stmt).rowcount  # type: ignore[attr-defined]
    except IntegrityError as exc:
        raise YieldInvalid([f"地块“{parcel.code}”已有该年度的经营数据"]) from exc
    except DBAPIError as exc:
        refused = _refused(session, parcel, exc)
        if refused is not None:
            raise refused from exc
        raise
    if touched != 1:
        assert row.id is not None
        _current(session, row.id, row.version)  # gone or changed meanwhile: a conflict
        raise WriteRefused(f"未能保存地块“{parcel.code}”的年度经营数据：服务器拒绝（无此县区的权限）。")


def update_yield(
    session: Session,
    yield_id: int,
    given: YieldInput,
    *,
    expected_version: int,
    user: str,
    source: str = "界面",
) -> LandYield:
    """Replace a row's figures (a blank one is cleared) if still at ``expected_version``."""
    given = _cleaned(given)
    row, parcel = _current(session, yield_id, expected_version)
    problems = check_yield(given)
    if _same_year(session, row.parcel_id, given.year, yield_id) is not None:
        problems.append(f"地块“{parcel.code}”已有 {given.year} 年的经营数据")
    if problems:
        raise YieldInvalid(problems)
    _check_rights(session, parcel)
    old_text = describe_year(row)
    changed = {k: v for k, v in given.values().items() if getattr(row, k) != v}
    if not changed:
        return row
    stmt = (
        update(LandYield)
        .where(col(LandYield.id) == yield_id, col(LandYield.version) == expected_version)
        .values(**changed, version=expected_version + 1, updated_at=utc_now())
        .execution_options(synchronize_session=False)
    )
    _guarded(session, stmt, parcel, row)
    new_text = describe_year(given)
    if new_text != old_text:
        _audit(session, parcel, user=user, source=source, old=old_text, new=new_text)
    if "notes" in changed:
        _audit(session, parcel, user=user, source=source, old=f"{row.year}年备注：{row.notes or ''}",
               new=f"{given.year}年备注：{given.notes or ''}")
    session.flush()
    fresh = session.get(LandYield, yield_id, populate_existing=True)
    assert fresh is not None
    return fresh


def delete_yield(
    session: Session, yield_id: int, *, expected_version: int, user: str, source: str = "界面"
) -> None:
    """Delete a row (the parcel's audit keeps its figures) if still at ``expected_version``."""
    row, parcel = _current(session, yield_id, expected_version)
    _check_rights(session, parcel)
    old_text = describe_year(row)
    stmt = (
        delete(LandYield)
        .where(col(LandYield.id) == yield_id, col(LandYield.version) == expected_version)
        .execution_options(synchronize_session=False)
    )
    _guarded(session, stmt, parcel, row)
    _audit(session, parcel, user=user, source=source, old=old_text, new=None)
    session.expunge(row)
    session.flush()


@dataclass(frozen=True)
class YieldRow:
    """A row as lists show it."""

    id: int
    version: int
    parcel_id: int
    parcel_code: str
    county: str
    values: YieldInput

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "version": self.version, "parcel_id": self.parcel_id,
                "parcel_code": self.parcel_code, "county": self.county,
                **self.values.values()}  # fmt: skip


def list_yields(
    session: Session,
    *,
    parcel_id: int | None = None,
    region_ids: Sequence[int] | None = None,
    year: int | None = None,
) -> list[YieldRow]:
    """Rows by county, parcel code and year."""
    y, p, r = LandYield, LandParcel, Region
    stmt = (
        select(y, col(p.code), col(r.name))
        .join(p, col(p.id) == col(y.parcel_id))
        .join(r, col(r.id) == col(y.region_id))
        .order_by(col(r.name), col(p.code), col(y.year))
    )
    if parcel_id is not None:
        stmt = stmt.where(col(y.parcel_id) == parcel_id)
    if region_ids is not None:
        stmt = stmt.where(col(y.region_id).in_(list(region_ids)))
    if year is not None:
        stmt = stmt.where(col(y.year) == year)
    result = []
    for row, code, county in session.execute(stmt):
        assert row.id is not None
        values = YieldInput(**{f.name: getattr(row, f.name) for f in fields(YieldInput)})
        result.append(YieldRow(row.id, row.version, row.parcel_id, code, county, values))
    return result
