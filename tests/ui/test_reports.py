"""The printed reports of issue 5 (年度指标 通报 and 明细, 招商手册, 招商项目报告): the PDFs'
text (``pdftotext -layout``) carries the service's figures as formatted, the title, the unit
and “第 N 页 共 M 页” on every page; the 报表 menu of the main window previews them. The
layout of the pages (rows never split, the ledger's identity, the two audiences) is tested in
``test_report_layout.py``."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintPreviewDialog, QPrintPreviewWidget
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot
from sqlmodel import Session

from landbank.cli import main
from landbank.domain.quota.city_report import CityQuotaReport
from landbank.domain.quota.pace import format_pct
from landbank.domain.units import format_quantity
from landbank.services.demo.city import create_demo_city
from landbank.services.identity import BureauIdentity
from landbank.services.quota.catalogue import catalogue
from landbank.services.quota.projects import projects_report
from landbank.services.quota.region_detail import region_detail
from landbank.services.quota.report import city_report
from landbank.store.migrate import open_database
from landbank.ui.app import create_application
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.reports import (
    Audience,
    catalogue_printout,
    projects_printout,
    quota_printout,
    region_printout,
    write_printout,
)
from landbank.ui.reports.catalogue_html import CATALOGUE_UNIT
from landbank.ui.reports.html_parts import UNIT_LINE, Part, block, cell, heading, row, table
from landbank.ui.reports.menu import REPORTS, ReportOptions, ReportOptionsDialog
from landbank.ui.reports.projects_html import park_cells, rate_rows, region_rate_cells
from landbank.ui.reports.report_pdf import write_report_pdf
from tests.ui.conftest import Ledger

AS_OF = date(2026, 11, 24)
PRINTED = date(2026, 12, 4)
IDENTITY = BureauIdentity("新乡市", "新乡市商务局", "张三", "0373-1234567")
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
    pages = write_printout(out, quota_printout(demo_report, identity=IDENTITY, printed=PRINTED))
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
            format_quantity(p.land.target, "亩"),
            format_quantity(p.land.done, "亩"),
            format_pct(p.land.percent),
            format_quantity(p.factory.target, "m²"),
            format_quantity(p.factory.done, "m²"),
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
    write_printout(out, region_printout(detail, identity=IDENTITY, printed=PRINTED))
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
    assert november.split(" ")[2] == format_quantity(m.land_cumulative_mu, "亩")
    for parcel in detail.parcels:
        assert parcel.code in whole
        assert f"{format_quantity(parcel.area_mu, '亩')} 亩" in whole
    for factory in detail.factories:
        assert factory.code in whole
        assert f"{format_quantity(factory.floor_area_m2, 'm²')} m²" in whole


def test_long_tables_repeat_their_header_on_every_page(qtbot: QtBot, tmp_path: Path) -> None:
    create_application(["landbank"])
    rows = [row([cell(f"地块{i:03d}"), cell(f"{i} 亩", right=True)]) for i in range(150)]
    out = tmp_path / "长表.pdf"
    pages = write_report_pdf(out, [table(("编号表头", "面积"), rows)], title="长表")
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
    assert "新乡市 2026 年度" in _pages(out)[0]  # the demo ledger's city
    region = ["report", "region", "--year", "2026", "--region", "辉县市", "--db", str(demo_path)]
    assert main([*region, "-o", str(tmp_path / "r.pdf")]) == 0
    assert main([*argv, "-o", str(tmp_path / "x.txt")]) == 2
    assert main(["report", "region", "--year", "2026", "--db", str(demo_path), "-o", str(out)]) == 2


def test_blocks_are_never_split_across_pages(qtbot: QtBot, tmp_path: Path) -> None:
    create_application(["landbank"])
    parts: list[Part] = []
    for i in range(14):
        parts.append(heading(f"区域{i:02d}"))
        lines = [row([cell(f"条目{i:02d}首行", colspan=2)])]
        lines += [row([cell(f"条目{i:02d}"), cell(f"第{j}行")]) for j in range(8 + i % 4)]
        parts.append(block(lines))
    out = tmp_path / "块.pdf"
    assert write_report_pdf(out, parts, title="块") >= 3
    text = _pages(out)
    for i in range(14):
        (page,) = [t for t in text if f"条目{i:02d}" in t]  # every line of it on one page
        assert f"区域{i:02d}" in page  # and its heading with it
        assert page.index(f"区域{i:02d}") < page.index(f"条目{i:02d}首行")


def test_catalogue_lists_every_site_with_its_units(
    demo_path: Path, qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    engine = open_database(f"sqlite:///{demo_path}")
    try:
        with Session(engine) as session:
            found = catalogue(session, as_of=AS_OF)
    finally:
        engine.dispose()
    assert found.parcels
    assert found.factories
    out = tmp_path / "手册.pdf"  # the internal version: with the days each site has waited
    printout = catalogue_printout(
        found, identity=IDENTITY, printed=PRINTED, audience=Audience.INTERNAL
    )
    pages = write_printout(out, printout)
    text = _pages(out)
    assert len(text) == pages
    _assert_page_numbers(text)
    whole = "\n".join(text)
    assert "新乡市招商手册：净地与闲置标准厂房（内部）" in _squeeze(text[0])
    assert CATALOGUE_UNIT in _squeeze(text[0])
    assert "统计日期：2026-11-24" in text[0]
    total = next(
        _squeeze(line).split() for line in whole.splitlines() if line.strip().startswith("合计")
    )
    assert total == [
        "合计",
        str(len(found.parcels)),
        format_quantity(found.land_mu, "亩"),
        str(len(found.factories)),
        format_quantity(found.idle_m2, "m²"),
    ]
    for p in found.parcels:
        (page,) = [t for t in text if f"【净地】{p.code}" in t]  # each entry on one page …
        assert f"{format_quantity(p.area_mu, '亩')} 亩" in page
        assert p.contact_phone
        assert p.contact_phone in page
        assert f"{p.days_waiting} 天" in page
        if p.min_investment_intensity_wan_per_mu is not None:
            intensity = format_quantity(p.min_investment_intensity_wan_per_mu, "万元/亩")
            assert f"投资强度 ≥ {intensity} 万元/亩" in _squeeze(page)
    for f in found.factories:
        (page,) = [t for t in text if f"【厂房】{f.code}" in t]
        assert f"{format_quantity(f.floor_area_m2, 'm²')} m²" in page
        assert f"{format_quantity(f.idle_area_m2, 'm²')} m²" in page
        if f.rent_yuan_m2_month:
            assert f"{format_quantity(f.rent_yuan_m2_month, '元/m²/月')} 元/m²/月" in page
        if f.power_kva:
            assert f"{format_quantity(f.power_kva, 'kVA')} kVA" in page
        assert f"{f.days_idle} 天" in page
    assert "一、" in whole
    assert "净地 " in whole


def _section(whole: str, start: str, end: str | None) -> list[str]:
    body = whole[whole.index(start) :]
    if end:
        body = body[: body.index(end)]
    return [_squeeze(line).strip() for line in body.splitlines() if line.strip()]


def test_projects_report_shows_pipeline_rates_parks_and_overdue(
    demo_path: Path, demo_report: CityQuotaReport, tmp_path: Path
) -> None:
    engine = open_database(f"sqlite:///{demo_path}")
    try:
        with Session(engine) as session:
            report = projects_report(session, 2026, as_of=AS_OF, report=demo_report)
    finally:
        engine.dispose()
    out = tmp_path / "项目.pdf"
    write_printout(out, projects_printout(report, identity=IDENTITY, printed=PRINTED))
    text = _pages(out)
    _assert_page_numbers(text)
    whole = "\n".join(text)
    assert "新乡市 2026 年度招商项目报告" in _squeeze(whole)
    pipeline = _section(whole, "一、项目储备", "二、")
    for stage in report.pipeline:
        line = next(t for t in pipeline if t.split(" ")[0] == stage.stage)
        assert line.split(" ") == [
            stage.stage,
            str(stage.count),
            format_quantity(stage.total_investment_wan, "万元"),
        ]
    rates = _section(whole, "二、三率", "三、")
    for name, formula, top, bottom, value in rate_rows(report.total.rates):
        expected = f"{name}{formula}{top}{bottom}{value}".replace(" ", "")
        assert expected in [t.replace(" ", "") for t in rates]  # pdftotext's spacing varies
    assert format_pct(report.total.rates.performance_pct) in rates[2]  # the figures as formatted
    regions = _section(whole, "三、各县区三率", "四、")
    for progress in [*report.regions, report.total]:
        line = next(t for t in regions if t.startswith(progress.name + " "))
        assert line.split(" ") == region_rate_cells(progress)
    parks = _section(whole, "四、园区重大项目目标", "五、")
    names = {p.region_id: p.name for p in report.regions}
    for park in report.parks:
        line = next(t for t in parks if t.startswith(park.name + " "))
        marks = ["✓" if park.signed_met else "✗", "✓" if park.landed_met else "✗"]
        assert line.split(" ") == [*park_cells(park, names[park.region_id]), *marks]
    overdue = _section(whole, "五、逾期未开工项目", None)
    assert f"五、逾期未开工项目（{len(report.overdue)} 个）" in overdue[0]
    assert report.overdue
    for project in report.overdue:
        assert project.agreed_start_date is not None
        pattern = rf"{project.agreed_start_date.isoformat()} {project.days_overdue}( |$)"
        assert any(re.search(pattern, line) for line in overdue), project.name


def test_zero_denominators_print_a_dash(
    ctx: AppContext, small_ledger: Ledger, qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    with ctx.session() as session:
        report = projects_report(session, 2026, as_of=AS_OF)
    assert report.total.rates.contracts == 0
    out = tmp_path / "无合同.pdf"
    write_printout(out, projects_printout(report))
    rates = _section("\n".join(_pages(out)), "二、三率", "三、")
    squeezed = [t.replace(" ", "") for t in rates]
    assert "合同履约率履约项目数/新签合同项目数0个0个—" in squeezed
    assert "资金到位率到位资金/合同投资总额0.00万元0.00万元—" in squeezed


def test_cli_writes_the_catalogue_and_projects_reports(
    demo_path: Path, tmp_path: Path, qtbot: QtBot
) -> None:
    db = ["--db", str(demo_path), "--as-of", "2026-11-24"]
    out = tmp_path / "手册.pdf"
    assert main(["report", "catalogue", *db, "--city", "新乡市", "-o", str(out)]) == 0
    assert out.read_bytes().startswith(b"%PDF")
    assert "新乡市招商手册" in _squeeze(_pages(out)[0])
    one = tmp_path / "辉县.pdf"
    assert main(["report", "catalogue", *db, "--region", "辉县市", "-o", str(one)]) == 0
    text = "\n".join(_pages(one))
    assert "新乡市辉县市招商手册" in _squeeze(text)
    assert "原阳县" not in text
    projects = tmp_path / "项目.pdf"
    assert main(["report", "projects", "--year", "2026", *db, "-o", str(projects)]) == 0
    assert "新乡市 2026 年度招商项目报告" in _squeeze(_pages(projects)[0])
    assert main(["report", "projects", "--year", "2026", "--region", "辉县市", *db,
                 "-o", str(projects)]) == 0  # fmt: skip
    assert "新乡市辉县市 2026 年度招商项目报告" in _squeeze(_pages(projects)[0])
    assert main(["report", "projects", *db, "-o", str(projects)]) == 2  # no year


def test_report_menu_previews_and_exports(
    ctx: AppContext,
    small_ledger: Ledger,
    qtbot: QtBot,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    menus = {a.text(): a.menu() for a in window.menuBar().actions()}
    assert "报表(&R)" in menus
    texts = [a.text() for a in window.report_menu.menu.actions()]
    assert texts == [
        "年度指标进度通报…",
        "县区指标明细…",
        "招商手册…",
        "招商项目报告…",
        "",
        "标准地指标承诺书…",
    ]
    assert [a.text() for a in window.menuBar().actions()][-1] == "帮助(&H)"

    asked: list[tuple[int, bool]] = []  # the regions offered, and whether the box shows

    def accept(dialog: ReportOptionsDialog) -> int:
        asked.append((dialog.region_box.count(), dialog.region_box.isVisibleTo(dialog)))
        dialog.year_box.setValue(2026)
        if dialog.region_box.count():
            dialog.region_box.setCurrentIndex(dialog.region_box.count() - 1)
        return QDialog.DialogCode.Accepted.value

    previews: list[tuple[str, int]] = []
    exported: list[Path | None] = []

    def preview(dialog: QPrintPreviewDialog) -> int:
        widget = dialog.findChild(QPrintPreviewWidget)
        assert widget is not None
        widget.updatePreview()  # paints the report as the shown dialog would
        previews.append((dialog.windowTitle(), widget.pageCount()))
        if not exported:  # “导出 PDF…” on the preview's toolbar writes the same pages
            target = tmp_path / "导出.pdf"
            monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
            dialog.export_action.trigger()  # type: ignore[attr-defined]
            exported.append(target if target.exists() else None)
        return 0

    monkeypatch.setattr(ReportOptionsDialog, "exec", accept)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", preview)
    for which, *_ in REPORTS:
        window.report_menu.actions[which].trigger()
    assert len(asked) == len(REPORTS) == len(previews)
    assert all(pages >= 1 for _title, pages in previews)
    titles = [t for t, _pages in previews]
    assert "2026 年度收储工业用地和标准厂房建设指标进度通报" in titles[0]
    assert "青山县 2026 年度收储工业用地和标准厂房建设指标进度明细" in titles[1]
    assert "招商手册" in titles[2]
    assert "招商项目报告" in titles[3]
    assert exported[0] is not None
    text = _pages(exported[0])
    assert len(text) == previews[0][1]
    _assert_page_numbers(text)
    assert "已导出报表" in window.statusBar().currentMessage()
    # The region report asks for a region among the ledger's; the quota report for none.
    assert asked[1] == (2, True)
    assert asked[0][1] is False
    assert asked[2] == (3, True)  # 全市 and the two regions


def test_options_dialog_gives_the_chosen_values(ctx: AppContext, qtbot: QtBot) -> None:
    dialog = ReportOptionsDialog(
        None, which="catalogue", regions={3: "辉县市", 5: "原阳县"}, city="新乡市", today=AS_OF
    )
    qtbot.addWidget(dialog)
    investor = Audience.INVESTOR
    assert dialog.options() == ReportOptions(2026, None, "", "新乡市", AS_OF, investor)
    dialog.region_box.setCurrentIndex(2)
    dialog.city_edit.setText("")
    dialog.audience_buttons[Audience.INTERNAL].setChecked(True)
    assert dialog.options() == ReportOptions(2026, 5, "原阳县", "", AS_OF, Audience.INTERNAL)
