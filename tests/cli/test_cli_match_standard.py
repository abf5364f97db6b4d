"""``landbank match --json`` carries each parcel's 标准地 checks (issue 16 item 2): a row of the
table rejects a parcel by its figure on the area supplied, a figure the project lacks is △."""

from __future__ import annotations

import json
from typing import Any

import pytest

from landbank.cli import main
from landbank.domain.standards.indicators import Indicator, Threshold
from landbank.services.standards.saving import StandardInput, create_standard
from landbank.store.engine import session_scope
from landbank.store.migrate import open_database

TODAY = ["--today", "2026-11-24"]
# Indicators of the project side and the record's fields they are computed from.
NEEDS = {
    Indicator.OUTPUT_PER_MU: ("expected_output_wan",),
    Indicator.VALUE_ADDED_PER_ENERGY: ("expected_value_added_wan", "energy_tce"),
    Indicator.RD_SHARE: ("rd_expense_wan", "expected_revenue_wan"),
    Indicator.LABOUR_PRODUCTIVITY: ("expected_value_added_wan", "expected_jobs"),
}


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    capsys.readouterr()
    assert main(argv) == 0, capsys.readouterr().err
    return json.loads(capsys.readouterr().out)


def _add_row(db: str, region_id: int, industry: str | None, values: dict[Indicator, Threshold]) -> None:
    engine = open_database(f"sqlite:///{db}")
    try:
        with session_scope(engine) as s:
            create_standard(s, StandardInput(region_id, None, industry, values), user="测试")
    finally:
        engine.dispose()


def test_match_json_carries_the_standard_checks_and_rejects_by_them(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", demo_db]
    projects = _json(capsys, [*db, "list", "projects", "--limit", "0", "--json",
                              "--status", "线索,在谈,签约,拟开工"])  # fmt: skip
    parcels = {p["code"]: p for p in _json(capsys, [*db, "list", "parcels", "--limit", "0",
                                                     "--json"])["records"]}  # fmt: skip
    found = None
    for project in projects["records"]:
        if not (project["req_land_mu"] and project["total_investment_wan"]):
            continue
        data = _json(capsys, [*db, "match", "--project", str(project["id"]), "--json", *TODAY])
        land = [c for c in data["candidates"] if c["sites"][0]["kind"] == "parcel"]
        if land:
            found = (project, land[0])
            break
    assert found is not None, "the demo city has no land project with a parcel"
    project, first = found
    code = first["sites"][0]["code"]
    standard = first["standard"]
    assert standard["verdict"] in ("符合", "需补充")
    by = {c["indicator"]: c for c in standard["checks"]}
    coverage = by["building_coverage_pct"]
    assert (coverage["status"], coverage["mark"], coverage["source"]) == ("承诺", "○", "国家标准")
    assert coverage["requirement"] == "≥30.0 %"
    [criterion] = [c for c in first["criteria"] if c["key"] == "standard"]
    assert criterion["label"] == "标准地指标"
    assert criterion["hard"] is True

    # A county row asking twice the project's 投资强度 on that parcel rejects it, by its reason.
    area = parcels[code]["area_mu"]
    offered = project["total_investment_wan"] / area
    regions = _json(capsys, [*db, "list", "regions", "--json"])["records"]
    [region_id] = [r["id"] for r in regions if r["name"] == first["sites"][0]["region"]]
    _add_row(demo_db, region_id, None, {Indicator.INVESTMENT_INTENSITY: Threshold(offered * 2)})
    again = _json(capsys, [*db, "match", "--project", str(project["id"]), "--json", "--top", "100",
                           *TODAY])  # fmt: skip
    assert code not in {s["code"] for c in again["candidates"] for s in c["sites"]}
    assert again["rejected"]["未达标准地指标"] >= 1
    for candidate in again["candidates"]:  # none offered breaks it
        if candidate["standard"] is not None:
            assert candidate["standard"]["verdict"] != "不符"
    site = _json(capsys, [*db, "match", "--site", code, "--json", "--top", "100", *TODAY])
    assert project["id"] not in {p["project"]["id"] for p in site["projects"]}
    assert site["rejected"]["未达标准地指标"] >= 1
    capsys.readouterr()
    assert main([*db, "match", "--project", str(project["id"]), *TODAY]) == 0
    assert "未达标准地指标" in capsys.readouterr().out


def test_a_figure_the_project_lacks_is_needs_supplement(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", demo_db]
    projects = _json(capsys, [*db, "list", "projects", "--limit", "0", "--json",
                              "--status", "线索,在谈,签约,拟开工"])  # fmt: skip
    for project in projects["records"]:
        if not (project["req_land_mu"] and project["industry"]):
            continue
        data = _json(capsys, [*db, "match", "--project", str(project["id"]), "--json", *TODAY])
        land = [c for c in data["candidates"] if c["standard"] is not None]
        lacking = [i for i, keys in NEEDS.items() if any(project.get(k) is None for k in keys)]
        if land and lacking:
            break
    else:
        raise AssertionError("no land project lacking a figure")
    indicator = lacking[0]
    region = land[0]["sites"][0]["region"]
    regions = _json(capsys, [*db, "list", "regions", "--json"])["records"]
    [region_id] = [r["id"] for r in regions if r["name"] == region]
    # A row of the project's industry (the parcel's target industry does not choose it).
    _add_row(demo_db, region_id, project["industry"], {indicator: Threshold(1.0)})
    again = _json(capsys, [*db, "match", "--project", str(project["id"]), "--json", "--top", "100",
                           *TODAY])  # fmt: skip
    there = [c for c in again["candidates"] if c["sites"][0]["region"] == region
             and c["standard"] is not None]  # fmt: skip
    assert there
    for candidate in there:
        assert candidate["standard"]["verdict"] == "需补充"
        assert candidate["label"] != "优先推荐"
        check = next(c for c in candidate["standard"]["checks"] if c["indicator"] == indicator.key)
        assert (check["status"], check["mark"], check["figure"]) == ("需补充", "△", None)
        assert check["source"] == f"{region}·{project['industry']}"
        [criterion] = [c for c in candidate["criteria"] if c["key"] == "standard"]
        assert criterion["mark"] == "△"
        assert criterion["reason"].startswith(f"需补充：{indicator.label} 需≥")
