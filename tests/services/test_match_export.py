"""Matching results as rows and as an Excel workbook: units in the headers, one mark and one
reason per criterion, text never a formula, both directions, combinations."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from landbank.domain.enums import RecordKind
from landbank.domain.matching import match_projects, match_sites
from landbank.domain.site_facts import Requirements, Site
from landbank.services.matching.export import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    counts_text,
    criterion_keys,
    project_rows,
    site_rows,
    write_match_workbook,
)
from landbank.services.matching.sites import SiteMatchReport

TODAY = date(2026, 5, 4)


def _parcel(i: int, code: str, area: float, **kw: object) -> Site:
    return Site(RecordKind.PARCEL, i, code, f"{code} 地块", 1, None, area, "可供",
                region_name="青山县", readiness="净地(可供)", **kw)  # type: ignore[arg-type]  # fmt: skip


def _building(i: int, code: str, area: float) -> Site:
    return Site(RecordKind.FACTORY, i, code, f"{code} 栋", 1, 7, area, "闲置",
                region_name="青山县", park_name="青山经开区")  # fmt: skip


def test_rows_and_workbook_of_a_project_round_trip(tmp_path: Path) -> None:
    req = Requirements(project_id=5, project_name="锂电池项目", land_mu=100.0, factory_m2=9000.0,
                       industry="新能源", home_region_id=1)  # fmt: skip
    sites = [
        _parcel(1, "QS-1", 100.0, target_industry="新能源"),
        _parcel(2, '=HYPERLINK("x")', 120.0),
        _building(3, "F-1", 5000.0),
        _building(4, "F-2", 4500.0),
    ]
    result = match_sites(req, sites, TODAY)
    rows = site_rows(result)
    assert [r.rank for r in rows] == list(range(1, len(rows) + 1))
    combo = next(r for r in rows if r.is_combination)
    assert combo.subject == "青山经开区组合：F-1＋F-2"
    assert combo.codes == ("F-1", "F-2")
    assert combo.area == 9500.0
    assert combo.unit == "m²"
    assert combo.park == "青山经开区"
    assert all(r.project_name == "锂电池项目" and r.requirements == req for r in rows)

    path = write_match_workbook(
        tmp_path / "结果.xlsx", rows, title="项目选址匹配结果 — 锂电池项目", summary="共比对 4 个"
    )
    ws = load_workbook(path).active
    assert ws is not None
    assert ws.cell(1, 1).value == "项目选址匹配结果 — 锂电池项目"
    assert ws.cell(2, 1).value == "共比对 4 个"
    headers = [c.value for c in ws[HEADER_ROW]]
    assert headers[:8] == [
        "排名",
        "地块/厂房",
        "县区",
        "园区",
        "面积(亩)",
        "面积(m²)",
        "得分",
        "结论",
    ]
    keys = criterion_keys(rows)
    assert len(headers) == 8 + 2 * len(keys)
    data = list(ws.iter_rows(min_row=FIRST_DATA_ROW, values_only=True))
    assert len(data) == len(rows)
    for line, row in zip(data, rows, strict=True):
        assert line[0] == row.rank
        assert line[1] == row.subject
        assert line[6] == row.score
        assert line[4 if row.unit == "亩" else 5] == row.area
        assert line[5 if row.unit == "亩" else 4] is None
        for c in row.criteria:
            column = headers.index(c.label)
            assert (line[column], line[column + 1]) == (c.mark, c.reason)
    # A code typed like a formula stays text.
    formula_row = next(r for r, row in enumerate(rows) if row.subject.startswith("="))
    cell = ws.cell(FIRST_DATA_ROW + formula_row, 2)
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")
    assert ws.freeze_panes == f"C{FIRST_DATA_ROW}"
    assert (
        ws.auto_filter.ref
        == f"A{HEADER_ROW}:{ws.cell(HEADER_ROW, len(headers)).column_letter}{HEADER_ROW + len(rows)}"
    )
    assert not list(tmp_path.glob("*.part"))


def test_rows_of_a_site_give_each_project_its_need() -> None:
    site = _parcel(1, "QS-1", 100.0, target_industry="新能源")
    projects = [
        Requirements(project_id=1, project_name="甲项目", land_mu=95.0, home_region_id=1),
        Requirements(project_id=2, project_name="乙项目", land_mu=300.0, home_region_id=2),
        Requirements(project_id=3, project_name="丙项目", factory_m2=5000.0),
    ]
    ranked, rejected = match_projects(site, projects, TODAY)
    report = SiteMatchReport(site, ranked, rejected, considered=2)
    rows = project_rows(report, {1: "青山县", 2: "滨江区"})
    assert [(r.subject, r.region, r.area, r.unit) for r in rows] == [
        ("甲项目", "青山县", 95.0, "亩")
    ]
    assert rows[0].sites == (site,)
    assert rows[0].project_id == 1
    assert rejected == {"面积不足": 1}


def test_counts_text_lists_the_reasons_most_first() -> None:
    assert counts_text(103, 13, {"尚未达到净地": 3, "面积不足": 12}, "地块/厂房") == (
        "共比对 103 个地块/厂房，符合硬性条件 13 个；未入选：面积不足 12 个、尚未达到净地 3 个"
    )
    assert counts_text(5, 5, {}, "在谈项目") == "共比对 5 个在谈项目，符合硬性条件 5 个"
