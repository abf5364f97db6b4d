"""Sites loaded for matching with the 标准地 table (issue 16 item 2), on SQLite and PostgreSQL:
the parcel's own thresholds and planning conditions read with it, the table's rows given to
the matching, a parcel rejected by a row of its county for the project's industry, the site →
projects direction too; and the pledge's lines (item 3)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.domain.standards.checks import CheckStatus, Verdict
from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.matching.sites import load_sites, match_project, match_site, site_table
from landbank.services.records.saving import create_record
from landbank.services.standards.pledge import find_pledge, pledge_of
from landbank.services.standards.saving import StandardInput, create_standard
from landbank.store.engine import session_scope
from tests.services.standards.ledger import make_ledger

TODAY = date(2026, 11, 24)
NET = "净地(可供)"


def _city(engine: Engine) -> dict[str, int]:
    ids = make_ledger(engine)
    with session_scope(engine) as s:
        create_standard(s, StandardInput(ids["获嘉县"], None, None,
                                         {Indicator.INVESTMENT_INTENSITY: Threshold(250.0)}),
                        user="t")  # fmt: skip
        create_standard(s, StandardInput(ids["获嘉县"], ids["高新园区"], "新材料",
                                         {Indicator.INVESTMENT_INTENSITY: Threshold(150.0)}),
                        user="t")  # fmt: skip
        for code, park, extra in (
            ("HJ-1", None, {}),
            ("HJ-2", ids["高新园区"], {"far_min": 1.2, "far_max": 2.0, "green_ratio_pct": 12.0}),
        ):
            record = create_record(s, RecordKind.PARCEL, {
                "code": code, "region_id": ids["获嘉县"], "park_id": park, "area_mu": 30.0,
                "readiness": NET, "status": "可供", "location": "获嘉县城东", **extra,
            }, user="t")  # fmt: skip
            ids[code] = int(record.id or 0)
        record = create_record(s, RecordKind.PROJECT, {
            "name": "碳纤维项目", "region_id": ids["获嘉县"], "stage": "在谈", "industry": "新材料",
            "req_land_mu": 30.0, "total_investment_wan": 5400.0, "investor": "获嘉新材有限公司",
        }, user="t")  # fmt: skip
        ids["project"] = int(record.id or 0)
    return ids


def test_sites_come_with_the_table_and_the_parcels_own_conditions(any_engine: Engine) -> None:
    ids = _city(any_engine)
    with session_scope(any_engine) as s:
        [own] = [x for x in load_sites(s, (RecordKind.PARCEL,)) if x.code == "HJ-2"]
        assert (own.far_min, own.far_max, own.green_ratio_pct) == (1.2, 2.0, 12.0)
        table = site_table(s)
        assert {row.title for row in table.standard_rows} == {"获嘉县·全部产业", "获嘉县·高新园区·新材料"}
        report = match_project(s, ids["project"], TODAY)
    # 5,400 万元 on 30 亩 = 180 万元/亩: under the county's 250 (HJ-1), over the park's 150
    # for 新材料 (HJ-2, the project's industry).
    assert [c.sites[0].code for c in report.result.candidates] == ["HJ-2"]
    assert report.result.rejected == {"未达标准地指标": 1}
    [candidate] = report.result.candidates
    assert candidate.standard_verdict is Verdict.MEETS
    by = {c.indicator: c for c in candidate.checks}
    assert by[Indicator.INVESTMENT_INTENSITY].source == "获嘉县·高新园区·新材料"
    assert by[Indicator.FLOOR_AREA_RATIO].requirement == "1.20–2.00"
    assert by[Indicator.FLOOR_AREA_RATIO].source == "地块"
    assert by[Indicator.GREEN_RATIO].requirement == "≤12.0 %"
    with session_scope(any_engine) as s:
        other = match_site(s, RecordKind.PARCEL, ids["HJ-1"], TODAY)
    assert other.projects == []
    assert other.rejected == {"未达标准地指标": 1}


def test_the_pledge_lines(any_engine: Engine) -> None:
    ids = _city(any_engine)
    with session_scope(any_engine) as s:
        pledge = find_pledge(s, "碳纤维项目", "HJ-1", TODAY)
        passing = pledge_of(s, ids["project"], ids["HJ-2"], TODAY)
    assert (pledge.parcel_code, pledge.location, pledge.area_mu) == ("HJ-1", "获嘉县城东", 30.0)
    assert (pledge.project_name, pledge.investor, pledge.industry) == (
        "碳纤维项目", "获嘉新材有限公司", "新材料"
    )
    assert pledge.verdict is Verdict.REJECTED
    first = pledge.lines[0]
    assert (first.label, first.requirement, first.source, first.status) == (
        "固定资产投资强度", "≥250.00 万元/亩", "获嘉县·全部产业", CheckStatus.FAILED
    )
    assert first.committed == "180.00 万元/亩（总投资 5,400.00 万元 ÷ 30.00 亩）"
    assert pledge.warning().startswith("注意：本项目在该地块的固定资产投资强度未达到标准")
    assert passing.place == "获嘉县·高新园区"
    assert passing.warning() == ""
    committed = [line for line in passing.lines if line.status is CheckStatus.COMMITMENT]
    assert [line.committed for line in committed] == [
        "按设计承诺达到 1.20–2.00", "按设计承诺达到 ≥30.0 %", "按设计承诺达到 ≤12.0 %",
        "按设计承诺达到 ≤7.0 %",
    ]
