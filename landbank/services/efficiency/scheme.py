"""A county's 亩均效益评价 scheme (issue 16 item 6): read it (the county's row, else the city's
default, else the 黄岩 preset) and set it, checked, with the rights of a county table and an
audit entry.

Stored in ``efficiency_scheme`` (:mod:`landbank.store.efficiency_tables`): the preset it started
from, the weights by indicator (sum 100), the multiple of the county's previous-year average
that makes a base value, fixed base values for indicators the county sets itself, and an
optional cap of figure ÷ base. Every refusal names the indicator and the reason in Chinese; a
refused change writes nothing. Functions flush; the caller commits.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.land_life.efficiency import HUANGYAN, PRESETS, Measure, Scheme
from landbank.services.records.saving import RecordError, WriteRefused
from landbank.services.server.rights import rights_of
from landbank.store.models import AuditAction, AuditEntry, EfficiencyScheme, Region, utc_now

AUDIT_KIND = "efficiency"  # audit_log.record_kind (10 characters at most)
CITY = "全市默认"
PRESET_ALIASES = {"淮安": "淮安2024", "淮安2024": "淮安2024", "黄岩": "黄岩"}
MAX_MULTIPLE = 10.0
WEIGHT_TOTAL = 100.0


class SchemeInvalid(RecordError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class CountyScheme:
    """The scheme a county is rated by, and where it comes from (“获嘉县”, “全市默认”,
    “预设（黄岩）”)."""

    scheme: Scheme
    source: str
    fixed_bases: Mapping[Measure, float] = field(default_factory=dict)
    region_id: int | None = None  # the row's county (None: the city's or the preset)
    stored: bool = False

    @property
    def preset(self) -> str:
        return self.scheme.name

    def describe(self) -> str:
        """ "黄岩：亩均税收 30、亩均增加值 20 …；基准值 = 上年县均值 × 1（来自 全市默认）"."""
        weights = "、".join(f"{m.value} {w:g}" for m, w in self.scheme.weights.items())
        fixed = "；".join(
            f"{m.value}基准 {v:g} {m.unit}" for m, v in self.fixed_bases.items()
        )
        text = f"{self.preset}：{weights}；基准值 = 上年县均值 × {self.scheme.base_multiple:g}"
        if fixed:
            text += f"（固定：{fixed}）"
        return f"{text}（来自 {self.source}）"


def preset_name(text: str) -> str:
    """黄岩 → 黄岩, 淮安 → 淮安2024; an unknown name is a :class:`SchemeInvalid`."""
    name = PRESET_ALIASES.get(text.strip())
    if name is None:
        raise SchemeInvalid([f"评价方法“{text}”未知：可选 黄岩、淮安（2024）"])
    return name


def measure_of(text: str) -> Measure:
    try:
        return Measure(text.strip())
    except ValueError:
        names = "、".join(m.value for m in Measure)
        raise SchemeInvalid([f"指标“{text}”未知：可选 {names}"]) from None


def _loads(text: str | None) -> dict[Measure, float]:
    data: Any = json.loads(text or "{}")
    return {Measure(k): float(v) for k, v in data.items() if k in set(Measure)}


def _dumps(values: Mapping[Measure, float]) -> str:
    return json.dumps({m.value: v for m, v in values.items()}, ensure_ascii=False)


def _row(session: Session, region_id: int | None) -> EfficiencyScheme | None:
    stmt = select(EfficiencyScheme).where(col(EfficiencyScheme.scope_key) == (region_id or 0))
    return session.execute(stmt).scalars().first()


def _from_row(row: EfficiencyScheme, source: str) -> CountyScheme:
    scheme = Scheme(row.preset, _loads(row.weights_json), row.base_multiple, row.max_ratio)
    return CountyScheme(scheme, source, _loads(row.bases_json), row.region_id, True)


def scheme_for(session: Session, region_id: int | None) -> CountyScheme:
    """The scheme ``region_id`` is rated by (None: the city's default)."""
    if region_id is not None:
        own = _row(session, region_id)
        if own is not None:
            region = session.get(Region, region_id)
            return _from_row(own, region.name if region else str(region_id))
    city = _row(session, None)
    if city is not None:
        return _from_row(city, CITY)
    return CountyScheme(HUANGYAN, f"预设（{HUANGYAN.name}）")


def check_scheme(
    weights: Mapping[Measure, float],
    base_multiple: float,
    fixed_bases: Mapping[Measure, float],
    max_ratio: float | None,
) -> list[str]:
    """Every reason the scheme cannot be used, in Chinese (empty: fine)."""
    problems = [f"{m.value}权重不能为负数（{w:g}）" for m, w in weights.items() if w < 0]
    total = sum(weights.values())
    if abs(total - WEIGHT_TOTAL) > 0.01:
        shown = "、".join(f"{m.value} {w:g}" for m, w in weights.items())
        problems.append(f"各指标权重合计应为 100，现为 {total:g}（{shown}）")
    if not 0 < base_multiple <= MAX_MULTIPLE:
        problems.append(f"基准值倍数应大于 0、不超过 {MAX_MULTIPLE:g}，现为 {base_multiple:g}")
    problems += [
        f"{m.value}基准值应大于 0（{v:g} {m.unit}）" for m, v in fixed_bases.items() if v <= 0
    ]
    problems += [
        f"{m.value}不在评价指标中，不能设基准值" for m in fixed_bases if m not in weights
    ]
    if max_ratio is not None and max_ratio <= 0:
        problems.append(f"单项封顶倍数应大于 0，现为 {max_ratio:g}")
    return problems


def _refusal(session: Session, region_id: int | None, county: str) -> str | None:
    bind = session.get_bind()
    rights = rights_of(bind if isinstance(bind, Engine) else bind.engine)
    refused = rights.can_write_any()
    if region_id is None:
        if refused is None and rights.scope == "county":
            return f"{rights.account()}不能修改全市默认的亩均效益评价方法：由市级账号维护"
        return refused
    if refused is None and rights.scope == "county" and rights.region_id != region_id:
        refused = rights.other_county(county)
    return refused


def set_scheme(
    session: Session,
    region_id: int | None,
    preset: str,
    *,
    user: str,
    weights: Mapping[Measure, float] | None = None,
    base_multiple: float | None = None,
    fixed_bases: Mapping[Measure, float] | None = None,
    max_ratio: float | None = None,
    source: str = "界面",
) -> CountyScheme:
    """Set the scheme of ``region_id`` (None: the city's default): the preset's weights and
    multiple, changed by ``weights`` (indicators given replace the preset's; a weight of 0
    drops one) and ``base_multiple``. Raises :class:`SchemeInvalid`, :class:`WriteRefused`."""
    name = preset_name(preset)
    base = PRESETS[name]
    chosen = dict(base.weights)
    for m, w in (weights or {}).items():
        chosen[m] = w
    chosen = {m: w for m, w in chosen.items() if w != 0}
    multiple = base.base_multiple if base_multiple is None else base_multiple
    fixed = dict(fixed_bases or {})
    problems = check_scheme(chosen, multiple, fixed, max_ratio)
    if problems:
        raise SchemeInvalid(problems)
    county = CITY
    if region_id is not None:
        region = session.get(Region, region_id)
        if region is None:
            raise SchemeInvalid([f"县区（编号 {region_id}）不存在"])
        county = region.name
    refused = _refusal(session, region_id, county)
    if refused is not None:
        raise WriteRefused(f"未能保存亩均效益评价方法：{refused}（本次操作未执行）。")
    row = _row(session, region_id)
    new = CountyScheme(Scheme(name, chosen, multiple, max_ratio), county, fixed, region_id, True)
    old_text = None if row is None else _from_row(row, county).describe()
    if row is None:
        row = EfficiencyScheme(region_id=region_id, scope_key=region_id or 0, preset=name,
                               weights_json="{}")  # fmt: skip
    else:
        row.version += 1
    row.preset, row.weights_json = name, _dumps(chosen)
    row.base_multiple, row.bases_json, row.max_ratio = multiple, _dumps(fixed), max_ratio
    row.updated_at, row.updated_by = utc_now(), user[:100]
    session.add(row)
    session.flush()
    assert row.id is not None
    session.add(
        AuditEntry(
            user=user[:100],
            action=AuditAction.CREATE if old_text is None else AuditAction.UPDATE,
            record_kind=AUDIT_KIND, record_id=row.id, record_uuid=row.uuid,
            record_label=f"亩均效益评价方法·{county}"[:200], field="评价方法",
            old_value=old_text, new_value=new.describe(), source=source[:300],
            record_version=row.version,
        )
    )  # fmt: skip
    session.flush()
    return new
