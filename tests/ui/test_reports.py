"""The printed 年度指标 reports (issue 5): the PDFs' text (``pdftotext -layout``) carries the
service's figures as formatted, the title, the unit and “第 N 页 共 M 页” on every page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import Session

from landbank.cli import main
from landbank.domain.quota_progress import CityQuotaReport, format_pct
from landbank.domain.units import format_number
from landbank.services.demo import create_demo_city
from landbank.services.quota_report import city_report, region_detail
from landbank.store.migrate import open_database
from landbank.ui.app import create_application
from landbank.ui.reports import write_quota_pdf, write_region_pdf
from landbank.ui.reports.report_html import UNIT_LINE
from landbank.ui.reports.report_pdf import write_report_pdf

AS_OF = date(2026, 11, 24)
pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def demo_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "演示.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    with Session(engine) as session:
        create_demo_city(session, year=2026, as_of=AS_OF)
        session.commit()
    engine.dispose()
    return path


@pytest.fixture
def demo_report(demo_path: Path, qtbot: QtBot) -> CityQuotaReport:
    create_application(["landbank"])  # the CJK font
    engine = open_database(f"sqlite:///{demo_path}")
    try:
        with Session(engine) as session:
            return city_report(session, 2026, as_of=AS_OF)
    finally:
        engine.dispose()


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.rstrip("\f\n").split("\f")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _assert_page_numbers(pages: list[str]) -> None:
    total = len(pages)
    for number, page in enumerate(pages, 1):
        assert re.search(rf"第\s*{number}\s*页\s*共\s*{total}\s*页", page), page[-200:]


def test_quota_report_carries_every_region_figure(
    demo_report: CityQuotaReport, tmp_path: Path
) -> None:
    out = tmp_path / "通报.pdf"
    pages = write_quota_pdf(out, demo_report, city="新乡市")
    text = _pages(out)
    assert len(text) == pages
    _assert_page_numbers(text)
    whole = "\n".join(text)
    assert "新乡市 2026 年度收储工业用地和标准厂房建设指标进度通报" in _squeeze(whole)
    assert UNIT_LINE in whole
    assert "统计日期：2026-11-24" in whole
    assert demo_report.pace.describe() in whole
    lines = whole.splitlines()
    for p in [*demo_report.regions, demo_report.total]:
        row = next(_squeeze(line).strip() for line in lines if line.strip().startswith(p.name))
        expected = [
            p.name,
            format_number(p.land.target) or "0",
            format_number(p.land.done) or "0",
            format_pct(p.land.percent),
            format_number(p.factory.target, 0) or "0",
            format_number(p.factory.done, 0) or "0",
            format_pct(p.factory.percent),
            p.status.value,
        ]
        if p.rank is not None and p is not demo_report.total:
            expected.append(str(p.rank))
        assert row.split(" ") == expected
    assert f"预警：共 {len(demo_report.alerts)} 条" in whole
    assert "各县区指标完成率" not in whole  # the chart is an image, not text …
    images = subprocess.run(
        ["pdfimages", "-list", str(out)], check=True, capture_output=True, text=True
    ).stdout
    assert len(images.strip().splitlines()) >= 3  # … and it is there (header lines + 1)


def test_region_report_lists_months_and_records(
    demo_path: Path, demo_report: CityQuotaReport, tmp_path: Path
) -> None:
    region = demo_report.regions[-1]
    assert region.region_id is not None
    engine = open_database(f"sqlite:///{demo_path}")
    try:
        with Session(engine) as session:
            detail = region_detail(session, 2026, region.region_id, as_of=AS_OF, report=demo_report)
    finally:
        engine.dispose()
    out = tmp_path / "明细.pdf"
    write_region_pdf(out, detail)
    text = _pages(out)
    _assert_page_numbers(text)
    whole = "\n".join(text)
    assert f"{region.name} 2026 年度收储工业用地和标准厂房建设指标进度明细" in _squeeze(whole)
    assert UNIT_LINE in whole
    assert f"完成率 {format_pct(region.land.percent)}" in whole
    november = next(
        _squeeze(line).strip() for line in whole.splitlines() if line.strip().startswith("11月")
    )
    m = region.monthly[10]
    assert november.split(" ")[2] == format_number(m.land_cumulative_mu)
    for parcel in detail.parcels:
        assert parcel.code in whole
        assert f"{format_number(parcel.area_mu)} 亩" in whole
    for factory in detail.factories:
        assert factory.code in whole
        assert f"{format_number(factory.floor_area_m2, 0)} m²" in whole


def test_long_tables_repeat_their_header_on_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    create_application(["landbank"])
    rows = "".join(f"<tr><td>地块{i:03d}</td><td>{i} 亩</td></tr>" for i in range(150))
    html = f"<table border=1><thead><tr><th>编号表头</th><th>面积</th></tr></thead>{rows}</table>"
    out = tmp_path / "长表.pdf"
    pages = write_report_pdf(out, html, title="长表")
    assert pages >= 2
    text = _pages(out)
    _assert_page_numbers(text)
    assert all("编号表头" in page for page in text)
    assert "地块149" in text[-1]


def test_cli_writes_the_quota_report(demo_path: Path, tmp_path: Path, qtbot: QtBot) -> None:
    out = tmp_path / "x.pdf"
    argv = ["report", "quota", "--year", "2026", "--as-of", "2026-11-24", "--db", str(demo_path)]
    assert main([*argv, "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "全市 2026 年度" in _pages(out)[0]
    region = ["report", "region", "--year", "2026", "--region", "辉县市", "--db", str(demo_path)]
    assert main([*region, "-o", str(tmp_path / "r.pdf")]) == 0
    assert main([*argv, "-o", str(tmp_path / "x.txt")]) == 2
    assert main(["report", "region", "--year", "2026", "--db", str(demo_path), "-o", str(out)]) == 2
