"""The JSON of ``landbank quota`` (and of the quota line beside ``landbank match``): the
year's figures with the unit in every key (``land_done_mu``, ``factory_target_m2``,
``funds_in_place_wan``); a rate without a denominator is ``null``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from landbank.domain.quota.alerts import Alert, Stock
    from landbank.domain.quota.city_report import CityQuotaReport
    from landbank.domain.quota.progress import IndicatorProgress, MonthlyPoint, RegionProgress
    from landbank.domain.quota.projects import ParkTargetProgress, PipelineStage, ThreeRates
    from landbank.services.quota.region_detail import RegionDetail


def _r(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def _indicator_json(prefix: str, unit: str, item: IndicatorProgress) -> dict[str, Any]:
    return {
        f"{prefix}_target_{unit}": _r(item.target),
        f"{prefix}_done_{unit}": _r(item.done),
        f"{prefix}_expected_{unit}": _r(item.expected),
        f"{prefix}_remaining_{unit}": _r(item.remaining),
        f"{prefix}_pct": _r(item.percent),
        f"{prefix}_status": item.status.value,
        f"{prefix}_light": item.status.light,
    }


def rates_json(rates: ThreeRates) -> dict[str, Any]:
    return {
        "contracts": rates.contracts,
        "performing": len(rates.performing_ids),
        "started": len(rates.started_ids),
        "overdue": len(rates.overdue_ids),
        "terminated": len(rates.terminated_ids),
        "performance_pct": _r(rates.performance_pct),
        "start_pct": _r(rates.start_pct),
        "funds_pct": _r(rates.funds_pct),
        "contract_investment_wan": _r(rates.contract_investment_wan),
        "funds_in_place_wan": _r(rates.funds_in_place_wan),
        "funds_in_place_year_wan": _r(rates.funds_in_place_year_wan),
    }


def _month_json(m: MonthlyPoint) -> dict[str, Any]:
    return {
        "month": m.month,
        "land_mu": _r(m.land_mu),
        "land_cumulative_mu": _r(m.land_cumulative_mu),
        "land_expected_mu": _r(m.land_expected_mu),
        "factory_m2": _r(m.factory_m2),
        "factory_cumulative_m2": _r(m.factory_cumulative_m2),
        "factory_expected_m2": _r(m.factory_expected_m2),
    }


def progress_json(progress: RegionProgress, *, monthly: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": progress.name,
        "kind": progress.kind or None,
        "rank": progress.rank,
        "status": progress.status.value,
        "score_pct": _r(progress.score_pct),
        "target_source": progress.targets.source.value,
        **_indicator_json("land", "mu", progress.land),
        **_indicator_json("factory", "m2", progress.factory),
        "rates": rates_json(progress.rates),
    }
    if monthly:
        data["monthly"] = [_month_json(m) for m in progress.monthly]
    return data


def _park_json(park: ParkTargetProgress, regions: dict[int, str]) -> dict[str, Any]:
    return {
        "park": park.name,
        "region": regions.get(park.region_id),
        "target_500m": park.target_500m,
        "target_100m": park.target_100m,
        "signed_500m": len(park.signed_500m_ids),
        "signed_100m": len(park.signed_100m_ids),
        "landed_500m": len(park.landed_500m_ids),
        "landed_100m": len(park.landed_100m_ids),
        "signed_met": park.signed_met,
        "landed_met": park.landed_met,
    }


def _stage_json(stage: PipelineStage) -> dict[str, Any]:
    return {
        "stage": stage.stage,
        "count": stage.count,
        "total_investment_wan": _r(stage.total_investment_wan),
    }


def _alert_json(alert: Alert, regions: dict[int, str]) -> dict[str, Any]:
    return {
        "kind": alert.kind.value,
        "severity": alert.severity.value,
        "record_kind": alert.record_kind.value,
        "record_id": alert.record_id,
        "region": regions.get(alert.region_id),
        "label": alert.label,
        "since": alert.since.isoformat(),
        "days": alert.days,
        "message": alert.message,
        "amount_wan": _r(alert.amount_wan),
    }


def _alerts_json(alerts: Sequence[Alert], regions: dict[int, str]) -> dict[str, Any]:
    from landbank.domain.quota.alerts import AlertKind, count_alerts

    counts = count_alerts(alerts)
    return {
        "count": len(alerts),
        "by_kind": {kind.value: counts[kind] for kind in AlertKind},
        "items": [_alert_json(a, regions) for a in alerts],
    }


def _stock_json(report_stock: Stock) -> dict[str, Any]:
    return {
        "net_land_parcels": len(report_stock.parcels),
        "net_land_mu": _r(report_stock.land_mu),
        "idle_factories": len(report_stock.factories),
        "idle_factory_m2": _r(report_stock.idle_m2),
    }


def _head_json(report: CityQuotaReport) -> dict[str, Any]:
    return {
        "year": report.year,
        "as_of": report.as_of.isoformat(),
        "pace_pct": _r(report.pace.percent),
        "pace_due": report.pace.due,
        "year_closed": report.pace.closed,
    }


def city_json(report: CityQuotaReport) -> dict[str, Any]:
    regions = dict(report.region_names)
    return {
        **_head_json(report),
        "regions": [progress_json(p) for p in report.regions],
        "total": progress_json(report.total),
        "parks": [_park_json(p, regions) for p in report.parks],
        "pipeline": [_stage_json(s) for s in report.pipeline],
        "stock": _stock_json(report.stock),
        "alerts": _alerts_json(report.alerts, regions),
    }


def region_json(detail: RegionDetail, report: CityQuotaReport) -> dict[str, Any]:
    regions = dict(report.region_names)
    return {
        **_head_json(report),
        **progress_json(detail.progress),
        "ranked_regions": detail.ranked_regions,
        "parcels": [
            {
                "id": r.id,
                "code": r.code,
                "name": r.name,
                "park": r.park or None,
                "area_mu": r.area_mu,
                "readiness": r.readiness,
                "status": r.status,
                "reserve_date": r.reserve_date.isoformat() if r.reserve_date else None,
                "count_year": r.count_year,
                "month": r.month,
            }
            for r in detail.parcels
        ],
        "factories": [
            {
                "id": r.id,
                "code": r.code,
                "name": r.name,
                "park": r.park or None,
                "floor_area_m2": r.floor_area_m2,
                "status": r.status,
                "build_mode": r.build_mode,
                "completion_date": r.completion_date.isoformat() if r.completion_date else None,
                "month": r.month,
            }
            for r in detail.factories
        ],
        "candidate_land_mu": _r(detail.candidate_land_mu),
        "candidate_parcels": [r.code for r in detail.candidate_parcels],
        "candidate_factory_m2": _r(detail.candidate_factory_m2),
        "candidate_factories": [r.code for r in detail.candidate_factories],
        "parks": [_park_json(p, regions) for p in detail.parks],
        "pipeline": [_stage_json(s) for s in detail.pipeline],
        "stock": _stock_json(detail.stock),
        "alerts": _alerts_json(detail.alerts, regions),
    }
