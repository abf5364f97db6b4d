"""SQLModel tables of the ledger.

Every record carries an integer key (joins, paging), a stable UUID (merging ledgers of several
counties later) and a ``version`` incremented on each save (two clerks editing one record: the
second save is refused, see :mod:`landbank.store.records`). Units are canonical and named in the
column: ``area_mu`` (亩), ``floor_area_m2`` (m²), ``*_wan`` (万元). Statuses are stored as the
Chinese words of :mod:`landbank.domain.enums`.

The columns mirror :mod:`landbank.domain.fields`; ``tests/store/test_models.py`` checks both
agree, so a field is never added to one and forgotten in the other.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import DateTime, Index, LargeBinary, Text, UniqueConstraint, func, text
from sqlmodel import Field, SQLModel

from landbank.domain.enums import RecordKind
from landbank.store.efficiency_tables import EfficiencyScheme as EfficiencyScheme  # registered
from landbank.store.land_life_tables import LandYield as LandYield  # registered with the rest
from landbank.store.land_life_tables import ParcelLifeColumns, ProjectDesignColumns
from landbank.store.uuids import new_uuid

# SQLite reuses the largest id after a delete unless the table is AUTOINCREMENT; edits,
# conflicts and history are keyed on (kind, id), so an id must never come back.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}
SUPERVISION_NO_GIVEN = "supervision_no IS NOT NULL AND supervision_no <> ''"
# Columns kept by the system that the field catalogue does not describe: a record's outline
# (红线) as a GeoJSON geometry in longitude/latitude (CGCS2000, which WGS84 agrees with to
# centimetres), written only by the outline import (landbank.services.outlines).
GEOMETRY_COLUMNS = frozenset({"outline_geojson"})


def utc_now() -> datetime:
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """SQLite gives timestamps back naive; they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


class RecordBase(SQLModel):
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    version: int = Field(default=1)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))


class Region(RecordBase, table=True):
    """县/市/区, with its kind; the unit quotas are set for."""

    __tablename__ = "region"
    __table_args__ = (NEVER_REUSE_IDS,)
    name: str = Field(max_length=50, unique=True)
    kind: str = Field(max_length=4)
    city: str | None = Field(default=None, max_length=50)


class Park(RecordBase, table=True):
    """专业园区 / 产业集聚区 within a region."""

    __tablename__ = "park"
    __table_args__ = (
        UniqueConstraint("region_id", "name", name="uq_park_region_name"),
        NEVER_REUSE_IDS,
    )
    name: str = Field(max_length=100)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="RESTRICT")
    # Yearly targets of new projects (篇3: ≥1 of ≥5亿元, ≥3 of ≥1亿元); empty = the defaults.
    target_projects_500m: int | None = None
    target_projects_100m: int | None = None
    notes: str | None = Field(default=None, max_length=2000)
    outline_geojson: str | None = Field(default=None, sa_type=Text)
    outline_area_mu: float | None = None
    outline_source: str | None = Field(default=None, max_length=300)


class LandParcel(ParcelLifeColumns, RecordBase, table=True):
    """收储地块 (its life after supply: :class:`ParcelLifeColumns`)."""

    __tablename__ = "parcel"
    __table_args__ = (
        UniqueConstraint("region_id", "code", name="uq_parcel_region_code"),
        Index("ix_parcel_region_status_area", "region_id", "status", "area_mu"),
        # 电子监管号 is unique where given (the app says so first; this holds it when two
        # clerks on PostgreSQL save the same number at once). Lookups by number use the plain
        # index: SQLite cannot prove "supervision_no = ?" implies "<> ''", so it would not
        # use this one for them.
        Index(
            "uq_parcel_supervision_no",
            "supervision_no",
            unique=True,
            sqlite_where=text(SUPERVISION_NO_GIVEN),
            postgresql_where=text(SUPERVISION_NO_GIVEN),
        ),
        NEVER_REUSE_IDS,
    )
    code: str = Field(max_length=64, index=True)
    name: str | None = Field(default=None, max_length=200)
    region_id: int = Field(foreign_key="region.id", ondelete="RESTRICT")
    park_id: int | None = Field(
        default=None, foreign_key="park.id", index=True, ondelete="RESTRICT"
    )
    township: str | None = Field(default=None, max_length=100)
    location: str | None = Field(default=None, max_length=200)
    boundaries: str | None = Field(default=None, max_length=500)
    area_mu: float = Field(index=True)
    # The outline's (红线) area computed in a projected CRS, next to the registered area: a
    # difference over 1 % is flagged (红线面积不符). Written by the outline import only.
    outline_area_mu: float | None = None
    outline_source: str | None = Field(default=None, max_length=300)
    outline_geojson: str | None = Field(default=None, sa_type=Text)
    net_area_mu: float | None = None
    readiness: str = Field(max_length=20, index=True)
    status: str = Field(max_length=20, index=True)
    planned_use: str | None = Field(default=None, max_length=50)
    target_industry: str | None = Field(default=None, max_length=100, index=True)
    reserve_doc_no: str | None = Field(default=None, max_length=100)
    reserve_date: date | None = Field(default=None, index=True)
    count_year: int | None = None
    acquisition_method: str | None = Field(default=None, max_length=10)
    land_source: str | None = Field(default=None, max_length=100)
    far_min: float | None = None
    far_max: float | None = None
    building_density_pct: float | None = None
    green_ratio_pct: float | None = None
    height_limit_m: float | None = None
    min_investment_intensity_wan_per_mu: float | None = None
    min_tax_per_mu_wan: float | None = None
    price_wan: float | None = None
    supervision_no: str | None = Field(default=None, max_length=64, index=True)
    holder: str | None = Field(default=None, max_length=200)
    reserved_project_id: int | None = Field(
        default=None, foreign_key="project.id", ondelete="SET NULL"
    )
    reserved_until: date | None = None
    agreed_handover_date: date | None = None
    agreed_start_date: date | None = None
    agreed_completion_date: date | None = None
    actual_handover_date: date | None = None
    actual_start_date: date | None = None
    actual_completion_date: date | None = None
    contact_person: str | None = Field(default=None, max_length=50)
    contact_phone: str | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, max_length=2000)


class Factory(RecordBase, table=True):
    """标准厂房 (one building or unit)."""

    __tablename__ = "factory"
    __table_args__ = (
        UniqueConstraint("region_id", "code", name="uq_factory_region_code"),
        Index("ix_factory_region_status_area", "region_id", "status", "floor_area_m2"),
        NEVER_REUSE_IDS,
    )
    code: str = Field(max_length=64, index=True)
    name: str = Field(max_length=200)
    region_id: int = Field(foreign_key="region.id", ondelete="RESTRICT")
    park_id: int | None = Field(
        default=None, foreign_key="park.id", index=True, ondelete="RESTRICT"
    )
    owner: str | None = Field(default=None, max_length=200)
    build_mode: str | None = Field(default=None, max_length=20)
    status: str = Field(max_length=10, index=True)
    completion_date: date | None = Field(default=None, index=True)
    floors: int | None = None
    floor_area_m2: float = Field(index=True)
    idle_area_m2: float | None = None
    idle_since: date | None = None
    idle_reason: str | None = Field(default=None, max_length=500)
    ceiling_height_m: float | None = None
    floor_load_kn_m2: float | None = None
    column_spacing: str | None = Field(default=None, max_length=50)
    crane_t: float | None = None
    power_kva: float | None = None
    dual_power: bool | None = None
    loading_dock: bool | None = None
    fire_rating: str | None = Field(default=None, max_length=50)
    environment: str | None = Field(default=None, max_length=500)
    rent_yuan_m2_month: float | None = None
    price_wan: float | None = None
    target_industry: str | None = Field(default=None, max_length=100, index=True)
    reserved_project_id: int | None = Field(
        default=None, foreign_key="project.id", ondelete="SET NULL"
    )
    reserved_until: date | None = None
    contact_person: str | None = Field(default=None, max_length=50)
    contact_phone: str | None = Field(default=None, max_length=50)
    notes: str | None = Field(default=None, max_length=2000)
    # Where the building stands (CGCS2000 / WGS84 degrees), typed, pasted or imported.
    longitude: float | None = None
    latitude: float | None = None


class Project(ProjectDesignColumns, RecordBase, table=True):
    """招商项目."""

    __tablename__ = "project"
    __table_args__ = (NEVER_REUSE_IDS,)
    name: str = Field(max_length=200, index=True)
    investor: str | None = Field(default=None, max_length=200)
    credit_code: str | None = Field(default=None, max_length=18, unique=True)
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="RESTRICT")
    park_id: int | None = Field(
        default=None, foreign_key="park.id", index=True, ondelete="RESTRICT"
    )
    source: str | None = Field(default=None, max_length=100)
    industry: str | None = Field(default=None, max_length=100, index=True)
    industry_class: str | None = Field(default=None, max_length=4)
    total_investment_wan: float | None = Field(default=None, index=True)
    stage: str = Field(max_length=10, index=True)
    signed_date: date | None = None
    contract_investment_wan: float | None = None
    funds_in_place_wan: float | None = None
    funds_in_place_year_wan: float | None = None
    agreed_start_date: date | None = None
    actual_start_date: date | None = None
    agreed_completion_date: date | None = None
    actual_completion_date: date | None = None
    req_land_mu: float | None = None
    req_land_max_mu: float | None = None
    req_factory_m2: float | None = None
    req_ceiling_height_m: float | None = None
    req_floor_load_kn_m2: float | None = None
    req_power_kva: float | None = None
    energy_tce: float | None = None
    preferred_region_id: int | None = Field(
        default=None, foreign_key="region.id", ondelete="SET NULL"
    )
    preferred_park_id: int | None = Field(default=None, foreign_key="park.id", ondelete="SET NULL")
    needed_by: date | None = None
    rent_or_buy: str | None = Field(default=None, max_length=4)
    expected_output_wan: float | None = None
    expected_tax_wan: float | None = None
    expected_jobs: int | None = None
    responsible_unit: str | None = Field(default=None, max_length=100)
    responsible_leader: str | None = Field(default=None, max_length=50)
    problems: str | None = Field(default=None, max_length=4000)
    notes: str | None = Field(default=None, max_length=2000)


class AnnualQuota(RecordBase, table=True):
    """年度目标: land to reserve and factory space to complete, per region and year."""

    __tablename__ = "quota"
    __table_args__ = (
        UniqueConstraint("region_id", "year", name="uq_quota_region_year"),
        NEVER_REUSE_IDS,
    )
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="RESTRICT")
    year: int = Field(index=True)
    land_target_mu: float
    factory_target_m2: float
    notes: str | None = Field(default=None, max_length=2000)


class QuotaDefault(SQLModel, table=True):
    """The city's own default targets for a kind of region (county or district), used for a
    year with no quota set; without a row the policy defaults of
    :mod:`landbank.domain.quota.targets` apply."""

    __tablename__ = "quota_default"
    region_kind: str = Field(primary_key=True, max_length=4)
    land_target_mu: float
    factory_target_m2: float
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))
    updated_by: str | None = Field(default=None, max_length=100)


class LedgerInfo(SQLModel, table=True):
    """Who keeps the ledger: its city and the bureau, printed in every report title and
    落款. One row (id 1); a new ledger asks for them once."""

    __tablename__ = "ledger_info"
    id: int = Field(default=1, primary_key=True)
    city: str = Field(default="", max_length=50)
    bureau: str = Field(default="", max_length=100)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))
    updated_by: str | None = Field(default=None, max_length=100)


class AuditEntry(SQLModel, table=True):
    """One changed field of one record (or a whole record created/deleted): who, when, what."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_record", "record_kind", "record_id"),
        Index(
            "ix_audit_block",
            "record_kind",
            "last_record_id",
            sqlite_where=text("last_record_id IS NOT NULL"),
            postgresql_where=text("last_record_id IS NOT NULL"),
        ),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))
    user: str = Field(max_length=100)
    action: str = Field(max_length=10)  # create / update / delete
    record_kind: str = Field(max_length=10)
    record_id: int
    # Records created together (a file import) share one entry: it stands for the ids
    # record_id … last_record_id (record_uuid and record_label then are the first record's
    # and the block's). None on the entries of one record.
    last_record_id: int | None = None
    record_uuid: str = Field(max_length=36)
    record_label: str = Field(max_length=200)
    # The record's version after this change: a conflicting save lists the entries newer
    # than the version the clerk started editing from.
    record_version: int = Field(default=1)
    field: str | None = Field(default=None, max_length=64)
    old_value: str | None = None
    new_value: str | None = None
    source: str = Field(default="界面", max_length=300)


class Attachment(SQLModel, table=True):
    """A file held by a record: a photo (JPEG/PNG), a 红线图, 规划条件 or 环评 document (PDF …).

    Kept in the database itself, so a backup, a copy of the ledger and the city's server carry
    it. ``region_id`` is the county of the record it belongs to (the server's row-level
    security decides by it); ``record_uuid`` names the record across ledgers."""

    __tablename__ = "attachment"
    __table_args__ = (Index("ix_attachment_record", "record_kind", "record_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    uuid: str = Field(default_factory=new_uuid, max_length=36, unique=True)
    record_kind: str = Field(max_length=10)
    record_id: int
    record_uuid: str = Field(max_length=36)
    region_id: int | None = Field(default=None, foreign_key="region.id", ondelete="RESTRICT")
    category: str = Field(max_length=10)  # 照片 / 红线图 / 规划条件 / 环评 / 其他
    file_name: str = Field(max_length=255)
    media_type: str = Field(max_length=100)
    size_bytes: int
    sha256: str = Field(max_length=64)
    data: bytes = Field(sa_type=LargeBinary)
    notes: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utc_now, sa_type=DateTime(timezone=True))
    created_by: str = Field(max_length=100)


class LandStandard(RecordBase, table=True):
    """One row of the 标准地 indicator table (issue 16): a county's thresholds, optionally for
    one park and/or one industry (NULL: all parks, all industries). One column a bound; NULL:
    not set (the national floors of :mod:`landbank.domain.standards.indicators` still bind).
    One row per (county, park or none, industry or none): the unique index below compares a
    missing park as 0 and a missing industry as '' (NULLs would never clash), on SQLite and
    PostgreSQL alike."""

    __tablename__ = "land_standard"
    __table_args__ = (
        Index(
            "uq_land_standard_key",
            "region_id",
            func.coalesce(text("park_id"), 0),
            func.coalesce(text("industry"), ""),
            unique=True,
        ),
        NEVER_REUSE_IDS,
    )
    region_id: int = Field(foreign_key="region.id", index=True, ondelete="RESTRICT")
    park_id: int | None = Field(default=None, foreign_key="park.id", ondelete="RESTRICT")
    industry: str | None = Field(default=None, max_length=100)
    investment_intensity_min_wan_per_mu: float | None = None
    far_min: float | None = None
    far_max: float | None = None
    tax_per_mu_min_wan: float | None = None
    output_per_mu_min_wan: float | None = None
    value_added_per_tce_min_wan: float | None = None
    value_added_per_emission_min_wan: float | None = None
    rd_share_min_pct: float | None = None
    labour_productivity_min_wan: float | None = None
    building_coverage_min_pct: float | None = None
    green_ratio_max_pct: float | None = None
    admin_share_max_pct: float | None = None
    notes: str | None = Field(default=None, max_length=2000)


TABLES: dict[RecordKind, type[RecordBase]] = {
    RecordKind.REGION: Region,
    RecordKind.PARK: Park,
    RecordKind.PARCEL: LandParcel,
    RecordKind.FACTORY: Factory,
    RecordKind.PROJECT: Project,
    RecordKind.QUOTA: AnnualQuota,
}


class AuditAction:
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
