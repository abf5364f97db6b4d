"""The reasons in Chinese behind every mark (“面积偏小 12%”, “已为项目…意向锁定”,
“固定资产投资强度 需≥250.00 万元/亩，本项目在该地块为 …”), and the criteria of one candidate
built from an evaluation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, RecordKind
from landbank.domain.matching.constraints import HARD_LABELS, _Evaluation
from landbank.domain.matching.results import (
    INDUSTRY_CAP_REASON,
    INDUSTRY_MISMATCH,
    Candidate,
    CriterionResult,
    label_for,
)
from landbank.domain.matching.scores import SOFT_LABELS, WEIGHTS, building_cost_measure
from landbank.domain.matching.standard import INCOMPLETE_CAP_REASON, site_checks, standard_reason
from landbank.domain.matching.table import SiteTable
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.standards.checks import IndicatorCheck, Verdict, verdict
from landbank.domain.units import format_quantity


def _num(value: float, unit: str) -> str:
    """A quantity in the one format of its unit (亩 and 万元 two decimals, m² whole)."""
    return format_quantity(value, unit)


def _percent(fraction: float) -> str:
    return f"{abs(fraction) * 100:.0f}%"


def _hard_reason(key: str, req: Requirements, site: Site, failed: bool, today: date) -> str:
    if key == "catalogue":
        return "产业属于禁止类" if failed else f"{req.industry_class}类产业"
    if key == "status":
        return _status_reason(req, site, failed, today)
    if key == "readiness":
        if not failed and site.readiness == ParcelReadiness.NET_LAND.value:
            return "已达净地"
        if failed:
            return f"地块尚未达到净地（现为“{site.readiness}”）"
        return f"现为“{site.readiness}”，需在 {req.needed_by} 前达到净地"
    if key == "size":
        need = req.land_mu if site.kind is RecordKind.PARCEL else req.factory_m2
        assert need
        if failed:
            u = site.unit
            return f"{_num(site.area, u)} {u}，不足需求 {_num(need, u)} {u} 的 90%"
        return f"{_num(site.area, site.unit)} {site.unit}，为需求的 {site.area / need * 100:.0f}%"
    if key == "tenure":
        return "项目只租赁，地块须出让" if failed else f"项目{req.rent_or_buy}"
    wanted, offered, label, unit = {
        "ceiling": (req.ceiling_height_m, site.ceiling_height_m, "层高", "m"),
        "load": (req.floor_load_kn_m2, site.floor_load_kn_m2, "承重", "kN/m²"),
        "power": (req.power_kva, site.power_kva, "电力", "kVA"),
    }[key]
    if offered is None:
        return f"{label}未登记（要求 {_num(wanted or 0, unit)} {unit}）"
    sign = "<" if failed else "≥"
    return f"{label} {_num(offered, unit)} {unit} {sign} 要求 {_num(wanted or 0, unit)} {unit}"


def _status_reason(req: Requirements, site: Site, failed: bool, today: date) -> str:
    holder = site.reserved_project_name or "（未登记项目）"
    until = f"（至 {site.reserved_until}）" if site.reserved_until else ""
    if site.reserved_project_id is not None and site.reserved_project_id == req.project_id:
        return f"已为本项目意向锁定{until}"
    if failed:
        if site.kind is RecordKind.FACTORY and site.area <= 0:
            return f"{site.status}，无空余面积"
        if site.reserved_project_id is not None or site.status == ParcelStatus.RESERVED.value:
            return f"已为项目“{holder}”意向锁定{until}"
        return f"{site.status}，不再可供"
    if site.reserved_until is not None and site.reserved_until < today:
        return f"原为项目“{holder}”锁定，已于 {site.reserved_until} 过期"
    return "可供" if site.status == ParcelStatus.AVAILABLE.value else f"{site.status}，可供"


def _soft_reason(key: str, req: Requirements, site: Site, score: float) -> str:
    if key == "area":
        return _area_reason(req, site)
    if key == "industry":
        if not site.target_industry:
            return f"未限定入驻产业（项目：{req.industry}）"
        if score >= 1.0:
            return f"产业相符：{site.target_industry}"
        if score >= 0.8:
            return f"产业相近：{site.target_industry} / 项目 {req.industry}"
        return f"目标产业“{site.target_industry}”，项目为“{req.industry}”"
    if key == "location":
        place = f"{site.region_name}{site.park_name and '·' + site.park_name}"
        if site.park_id is not None and site.park_id == req.preferred_park_id:
            return f"位于意向园区 {place}"
        if site.region_id == req.preferred_region_id:
            return f"位于意向县区 {place}"
        if site.region_id == req.home_region_id:
            return f"位于承办县区 {place}"
        if req.preferred_park_id is None and req.preferred_region_id is None:
            return f"位于 {place}（非承办县区）"
        return f"位于 {place}（非意向地）"
    if key == "timing":
        if site.kind is RecordKind.PARCEL:
            if score >= 1.0:
                return "净地，可即供地"
            return f"现为“{site.readiness}”，尚需整理"
        if site.status != FactoryStatus.UNDER_CONSTRUCTION.value:
            return f"{site.status}，可即入驻"
        if site.ready_date is None:
            return "在建，竣工日期未定"
        if req.needed_by is not None and site.ready_date > req.needed_by:
            return f"在建，预计 {site.ready_date} 竣工，晚于需用日期 {req.needed_by}"
        return f"在建，预计 {site.ready_date} 竣工"
    if key == "cost":
        measure = building_cost_measure(
            req.rent_or_buy, site.rent_yuan_m2_month is not None, site.price_wan is not None
        )
        if site.kind is RecordKind.PARCEL and site.price_wan is not None and site.area > 0:
            text = f"地价 {_num(site.price_wan / site.area, '万元/亩')} 万元/亩"
        elif site.kind is RecordKind.FACTORY and measure == "rent":
            text = f"租金 {_num(site.rent_yuan_m2_month or 0, '元/m²/月')} 元/m²/月"
        elif site.kind is RecordKind.FACTORY and measure == "price":
            text = f"售价 {_num(site.price_wan or 0, '万元')} 万元"
        else:
            text = "价格未登记"
        return text + ("，候选中较低" if score >= 0.85 else "，候选中较高" if score < 0.65 else "")
    raise AssertionError(key)


def _area_reason(req: Requirements, site: Site, area: float | None = None) -> str:
    area = site.area if area is None else area
    need = req.land_mu if site.kind is RecordKind.PARCEL else req.factory_m2
    assert need
    unit = site.unit
    top = req.land_max_mu if site.kind is RecordKind.PARCEL and req.land_max_mu else None
    span = f"{_num(need, unit)}{'–' + _num(top, unit) if top else ''}"
    head = f"{_num(area, unit)} {unit}，需 {span} {unit}"
    if area < need:
        return f"{head}：面积偏小 {_percent(1 - area / need)}"
    upper = top if top else need
    if area <= upper * (1.0 if top else 1.1):
        return f"{head}：面积合适"
    return f"{head}：面积偏大 {_percent(area / upper - 1)}"


def _criteria(
    req: Requirements,
    site: Site,
    ev: _Evaluation,
    i: int,
    today: date,
    checks: Sequence[IndicatorCheck] = (),
) -> list[CriterionResult]:
    result = []
    for key, label in HARD_LABELS.items():
        if key == "standard":
            if checks:
                mark, reason = standard_reason(checks)
                failed = verdict(checks) is Verdict.REJECTED
                result.append(CriterionResult(key, label, True, not failed, None, 0.0, reason, mark))
            continue
        if not ev.hard_known[key][i]:
            if key in ("ceiling", "load", "power") and site.kind is RecordKind.FACTORY:
                wanted = {
                    "ceiling": req.ceiling_height_m,
                    "load": req.floor_load_kn_m2,
                    "power": req.power_kva,
                }[key]
                if wanted:
                    reason = _hard_reason(key, req, site, False, today)
                    result.append(CriterionResult(key, label, True, None, None, 0.0, reason))
            continue
        failed = bool(ev.hard_fail[key][i])
        reason = _hard_reason(key, req, site, failed, today)
        result.append(CriterionResult(key, label, True, not failed, None, 0.0, reason))
    soft = ev.soft_at(i)
    for key, label in SOFT_LABELS.items():
        value = soft[key]
        if value != value:  # NaN: not assessed
            continue
        reason = _soft_reason(key, req, site, value)
        result.append(CriterionResult(key, label, False, True, value, WEIGHTS[key], reason))
    return result


def _labelled(
    sites: tuple[Site, ...],
    score: float,
    criteria: Sequence[CriterionResult],
    checks: Sequence[IndicatorCheck] = (),
) -> Candidate:
    """The candidate with its label: at best 可以考虑 for a site of another industry or a
    parcel whose 标准地 needs a figure (△), the 产业 or 标准地 reason then saying why."""
    industry = next((c for c in criteria if c.key == "industry"), None)
    mismatch = industry is not None and (industry.score or 0.0) < INDUSTRY_MISMATCH
    incomplete = bool(checks) and verdict(checks) is Verdict.INCOMPLETE
    label = label_for(score, industry_mismatch=mismatch, incomplete=incomplete)
    if label is not label_for(score):
        cap = next(c for c in criteria if c.key == ("industry" if mismatch else "standard"))
        text = INDUSTRY_CAP_REASON if mismatch else INCOMPLETE_CAP_REASON
        capped = replace(cap, reason=f"{cap.reason}；{text}")
        criteria = [capped if c is cap else c for c in criteria]
    return Candidate(sites, score, label, tuple(criteria), tuple(checks))


def _candidate(req: Requirements, t: SiteTable, ev: _Evaluation, i: int, today: date) -> Candidate:
    score = round(float(ev.score(np.array([i]))[0]), 1)  # one site: one lookup
    site = t.sites[i]
    checks = site_checks(req, site, t.standard_rows, t.standard_cache)
    return _labelled((site,), score, _criteria(req, site, ev, i, today, checks), checks)
