"""The facts of a site and the needs of a project as the clerk reads them: (label, text)
pairs, each quantity with its unit in the one format of that unit — for the dialog's left
side, a candidate's reasons and the printed sheets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QCoreApplication

from landbank.domain.enums import FactoryStatus, RecordKind
from landbank.domain.site_facts import Requirements, Site
from landbank.domain.units import format_quantity

_CTX = "MatchDialog"


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def _num(value: float, unit: str) -> str:
    """A quantity in the one format of its unit (亩 and 万元 two decimals, m² whole)."""
    return format_quantity(value, unit)


def area_text(value: float | None, unit: str) -> str:
    """“120.50 亩”, “12,000 m²”; empty for no value."""
    if value is None:
        return ""
    return f"{_num(value, unit)} {unit}"


def place_text(region: str, park: str) -> str:
    return f"{region}·{park}" if region and park else region or park


def site_facts(site: Site) -> list[tuple[str, str]]:
    """The key facts of a site, each with its unit, as (label, text)."""
    facts: list[tuple[str, str]] = [
        (_tr("类型"), QCoreApplication.translate("kinds", site.kind.label)),
        (_tr("县区/园区"), place_text(site.region_name, site.park_name)),
    ]
    if site.kind is RecordKind.PARCEL:
        facts.append((_tr("面积"), area_text(site.area, "亩")))
        if site.readiness:
            facts.append((_tr("整理程度"), site.readiness))
        facts.append((_tr("供应状态"), site.status))
    else:
        facts.append((_tr("可供面积"), area_text(site.area, "m²")))
        facts.append((_tr("状态"), site.status))
        if site.status == FactoryStatus.UNDER_CONSTRUCTION.value and site.ready_date:
            facts.append((_tr("预计竣工"), site.ready_date.isoformat()))
    facts.append((_tr("目标产业"), site.target_industry or _tr("未限定")))
    if site.kind is RecordKind.FACTORY:
        for label, value, unit in (
            (_tr("层高"), site.ceiling_height_m, "m"),
            (_tr("楼面承重"), site.floor_load_kn_m2, "kN/m²"),
            (_tr("电力容量"), site.power_kva, "kVA"),
        ):
            text = f"{_num(value, unit)} {unit}" if value is not None else _tr("未登记")
            facts.append((label, text))
        if site.rent_yuan_m2_month is not None:
            facts.append((_tr("租金"), f"{_num(site.rent_yuan_m2_month, '元/m²/月')} 元/m²/月"))
        if site.price_wan is not None:
            facts.append((_tr("售价"), f"{_num(site.price_wan, '万元')} 万元"))
    else:
        if site.price_wan is not None:
            per_mu = (
                f"（{_num(site.price_wan / site.area, '万元/亩')} 万元/亩）"
                if site.area > 0
                else ""
            )
            facts.append((_tr("地价"), f"{_num(site.price_wan, '万元')} 万元{per_mu}"))
        thresholds = []
        if site.min_intensity_wan_per_mu:
            thresholds.append(
                _tr("投资强度 ≥ {v} 万元/亩").format(
                    v=_num(site.min_intensity_wan_per_mu, "万元/亩")
                )
            )
        if site.min_tax_per_mu_wan:
            thresholds.append(
                _tr("亩均税收 ≥ {v} 万元/亩").format(v=_num(site.min_tax_per_mu_wan, "万元/亩"))
            )
        if thresholds:
            facts.append((_tr("准入门槛"), "；".join(thresholds)))
    if site.reserved_project_id is not None:
        until = _tr("，至 {d}").format(d=site.reserved_until) if site.reserved_until else ""
        name = site.reserved_project_name or f"#{site.reserved_project_id}"
        facts.append((_tr("意向锁定"), _tr("项目“{p}”{u}").format(p=name, u=until)))
    return facts


def requirement_facts(
    req: Requirements, region_names: Mapping[int, str], park_names: Mapping[int, str]
) -> list[tuple[str, str]]:
    """What a project needs, each with its unit, as (label, text); empty needs left out."""
    facts: list[tuple[str, str]] = []
    if req.land_mu:
        top = f"–{_num(req.land_max_mu, '亩')}" if req.land_max_mu else ""
        facts.append((_tr("需用地"), f"{_num(req.land_mu, '亩')}{top} 亩"))
    if req.factory_m2:
        facts.append((_tr("需厂房"), area_text(req.factory_m2, "m²")))
    for label, value, unit in (
        (_tr("需层高"), req.ceiling_height_m, "m"),
        (_tr("需承重"), req.floor_load_kn_m2, "kN/m²"),
        (_tr("需电力"), req.power_kva, "kVA"),
        (_tr("投资强度"), req.investment_intensity_wan_per_mu, "万元/亩"),
        (_tr("亩均税收"), req.tax_per_mu_wan, "万元/亩"),
    ):
        if value:
            facts.append((label, f"{_num(value, unit)} {unit}"))
    if req.industry:
        industry = req.industry
        if req.industry_class:
            industry += _tr("（{c}类）").format(c=req.industry_class)
        facts.append((_tr("产业"), industry))
    region = region_names.get(req.preferred_region_id or -1, "")
    park = park_names.get(req.preferred_park_id or -1, "")
    if region or park:
        facts.append((_tr("意向县区/园区"), place_text(region, park)))
    home = region_names.get(req.home_region_id or -1, "")
    if home:
        facts.append((_tr("承办县区"), home))
    if req.needed_by:
        facts.append((_tr("需用日期"), req.needed_by.isoformat()))
    if req.rent_or_buy:
        facts.append((_tr("租赁/购买"), req.rent_or_buy))
    return facts


def facts_line(facts: Sequence[tuple[str, str]]) -> str:
    return "；".join(f"{label} {text}" for label, text in facts)
