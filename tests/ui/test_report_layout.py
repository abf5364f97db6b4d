"""Every printed page ready to hand out (issue 11, items 1–3), read back from the PDFs with
``pdftotext -f N -l N``:

- every report's title names the ledger's city, a line under it the 制表单位, 制表人,
  联系电话 and 制表日期, and the report ends with the 落款 (right-aligned); the 推介单 ends
  with the bureau and its phone;
- no table row is split across two pages, in the five documents (the four reports and the
  推介单), for the demo city and for a city of long names — and the check does see a row that
  QTextDocument's own page breaking splits;
- the investor's 招商手册 and 推介单 carry no days waited, scores nor marks; the internal
  ones do.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, QSizeF
from PySide6.QtGui import QPainter, QTextDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlmodel import Session, col

from landbank.cli import main
from landbank.services.demo.city import create_demo_city
from landbank.services.identity import BureauIdentity, ledger_identity
from landbank.services.matching.export import MatchRow, site_rows
from landbank.services.matching.sites import match_project
from landbank.services.quota.catalogue import catalogue
from landbank.services.quota.projects import projects_report
from landbank.services.quota.region_detail import region_detail
from landbank.services.quota.report import city_report
from landbank.settings import Settings
from landbank.store.migrate import open_database
from landbank.store.models import Park, Project, Region
from landbank.ui.app import create_application
from landbank.ui.matching.sheet_audience import ask_sheet_audience
from landbank.ui.matching.sheet_facts import build_sheets, record_facts
from landbank.ui.matching.sheet_painting import write_pdf
from landbank.ui.matching.sheets import BODY_POINTS as SHEET_POINTS
from landbank.ui.matching.sheets import sheet_parts
from landbank.ui.printing import new_printer, page_font
from landbank.ui.reports import (
    Audience,
    Printout,
    catalogue_printout,
    projects_printout,
    quota_printout,
    region_printout,
    write_printout,
)
from landbank.ui.reports.html_parts import (
    Part,
    Table,
    Wrap,
    cell,
    para,
    row,
    segments,
    signature,
    table,
)
from landbank.ui.reports.menu import ReportOptionsDialog
from landbank.ui.reports.report_pdf import BODY_POINTS, paginate, write_report_pdf
from landbank.ui.reports.table_fit import LONGEST_WORD_CHARS, Measure, fit_table
from tests.ui.long_names import LONG_BUREAU, LONG_CITY, create_long_name_city

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

AS_OF = date(2026, 11, 24)
PRINTED = date(2026, 12, 4)
SETTINGS = Settings(user_name="测试员", compiler="张三", phone="0373-1234567")
DOCUMENTS = ("quota", "region", "catalogue", "projects", "sheets")


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo city and the city of long names, as SQLite files."""
    folder = tmp_path_factory.mktemp("ledgers")
    paths = {"demo": folder / "演示.sqlite3", "long": folder / "长名.sqlite3"}
    for which, path in paths.items():
        engine = open_database(f"sqlite:///{path}")
        with Session(engine) as session:
            if which == "demo":
                create_demo_city(session, year=2026, as_of=AS_OF)
            else:
                create_long_name_city(session, year=2026, as_of=AS_OF)
            session.commit()
        engine.dispose()
    return paths


# ---------------------------------------------------------------- reading the PDFs


def page_texts(pdf: Path, pages: int) -> list[str]:
    """Each page's text, one ``pdftotext -f N -l N -layout`` per page."""
    texts = []
    for number in range(1, pages + 1):
        texts.append(
            subprocess.run(
                ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(pdf), "-"],
                check=True,
                capture_output=True,
                text=True,
            ).stdout
        )
    return texts


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True)
    found = re.search(r"^Pages:\s+(\d+)", info.stdout, re.M)
    assert found
    return int(found.group(1))


def _flat(text: str) -> str:
    return "".join(text.split())


def printed_lines(listing: Table, points: float = BODY_POINTS) -> list[list[list[str]]]:
    """The lines each cell of each body row of ``listing`` is printed in, as the PDF writer
    fits the table to the A4 page: [row][cell][line]."""
    printer = new_printer()
    width = float(printer.pageLayout().paintRectPixels(printer.resolution()).width())
    fitted = fit_table(listing, Measure(printer, points), width)
    return [
        [
            [html.unescape(re.sub("<[^>]+>", "", piece)) for piece in body.split("<br>")]
            for body in re.findall(r"<td[^>]*>(.*?)</td>", line)
        ]
        for line in fitted.rows
    ]


def _unit(cells: list[list[str]], anchor_cells: int) -> tuple[str, list[str]]:
    """A row (or a whole block) to find in the PDF: its anchor — the first lines of its first
    cells, side by side on the row's first line — and every line of every cell."""
    firsts = [_flat(lines[0]) for lines in cells if lines and _flat(lines[0])]
    tokens = [_flat(line) for lines in cells for line in lines if _flat(line)]
    return "".join(firsts[:anchor_cells]), tokens


def split_rows(
    tables: Sequence[Table], pages: Sequence[str], points: float = BODY_POINTS
) -> list[str]:
    """The rows no single page holds whole: each row's anchor is looked for in the pages'
    lines in document order, and every line of its cells must follow it on the same page
    before the next row's anchor. Returns the anchors of the rows that fail."""
    lines = [(n, _flat(t)) for n, page in enumerate(pages) for t in page.splitlines() if t.strip()]
    units: list[tuple[str, list[str]]] = []
    for listing in tables:
        printed = printed_lines(listing, points)
        if listing.whole:  # a block: all of it together, anchored by its first line
            units.append(_unit([cell for row_ in printed for cell in row_], 1))
        else:
            units += [_unit(row_, 2) for row_ in printed]
    found: list[int | None] = []
    start = 0
    for anchor, _tokens in units:
        at = next((i for i in range(start, len(lines)) if anchor in lines[i][1]), None)
        found.append(at)
        start = at + 1 if at is not None else start
    failed = []
    for n, (anchor, tokens) in enumerate(units):
        at = found[n]
        if at is None:
            failed.append(anchor)
            continue
        end = next((f for f in found[n + 1 :] if f is not None), len(lines))
        region = "".join(text for page, text in lines[at:end] if page == lines[at][0])
        if not all(token in region for token in tokens):
            failed.append(anchor)
    return failed


def tables_of(parts: Sequence[Part]) -> list[Table]:
    return [p for p in parts if isinstance(p, Table)]


# ---------------------------------------------------------------- the five documents


def _identity(session: Session) -> BureauIdentity:
    return ledger_identity(session, SETTINGS)


def _biggest_region(session: Session) -> int:
    report = city_report(session, 2026, as_of=AS_OF)
    ids = [p.region_id for p in report.regions if p.region_id is not None]

    def size(region_id: int) -> int:
        d = region_detail(session, 2026, region_id, as_of=AS_OF, report=report)
        return len(d.parcels) + len(d.factories) + len(d.candidate_parcels)

    return max(ids, key=size)


def report_printout(session: Session, which: str, audience: Audience) -> Printout:
    identity = _identity(session)
    if which == "catalogue":
        found = catalogue(session, as_of=AS_OF)
        return catalogue_printout(found, identity=identity, printed=PRINTED, audience=audience)
    report = city_report(session, 2026, as_of=AS_OF)
    if which == "quota":
        return quota_printout(report, identity=identity, printed=PRINTED)
    if which == "projects":
        projects = projects_report(session, 2026, as_of=AS_OF, report=report)
        return projects_printout(projects, identity=identity, printed=PRINTED)
    region_id = _biggest_region(session)
    detail = region_detail(session, 2026, region_id, as_of=AS_OF, report=report)
    return region_printout(detail, identity=identity, printed=PRINTED)


def match_rows(session: Session, count: int = 8) -> list[MatchRow]:
    """The two best sites of the first projects that have any."""
    rows: list[MatchRow] = []
    for project_id in session.execute(select(col(Project.id)).order_by(col(Project.id))):
        result = match_project(session, project_id[0], AS_OF, top=2)
        rows += site_rows(result.result, result.project_name)
        if len(rows) >= count:
            break
    assert rows
    return rows[:count]


def write_sheets(session: Session, out: Path, audience: Audience) -> tuple[list[Table], int]:
    rows = match_rows(session)
    regions = {i: n for i, n in session.execute(select(col(Region.id), col(Region.name)))}
    parks = {i: n for i, n in session.execute(select(col(Park.id), col(Park.name)))}
    sheets = build_sheets(
        session, rows, today=AS_OF, audience=audience, region_names=regions,
        park_names=parks, settings=SETTINGS,
    )  # fmt: skip
    write_pdf(out, sheets, footer="项目选址推介", title="推介")
    identity, extra = _identity(session), record_facts(session, rows)
    tables = [
        t
        for r in rows
        for t in tables_of(
            sheet_parts(
                r,
                today=AS_OF,
                audience=audience,
                identity=identity,
                extra_facts=extra,
                region_names=regions,
                park_names=parks,
            )
        )
    ]
    return tables, len(sheets)


def write_document(
    ledger: Path, which: str, out: Path, audience: Audience = Audience.INTERNAL
) -> tuple[list[Table], list[str]]:
    """One of the five documents as a PDF: its tables and its pages' text."""
    engine = open_database(f"sqlite:///{ledger}")
    try:
        with Session(engine) as session:
            if which == "sheets":
                tables, pages = write_sheets(session, out, audience)
            else:
                printout = report_printout(session, which, audience)
                pages = write_printout(out, printout)
                tables = tables_of(printout.parts)
    finally:
        engine.dispose()
    assert pdf_pages(out) == pages
    return tables, page_texts(out, pages)


# ---------------------------------------------------------------- item 2: rows never split


@pytest.mark.parametrize("city", ["demo", "long"])
@pytest.mark.parametrize("which", DOCUMENTS)
def test_no_table_row_is_split_across_pages(
    ledgers: dict[str, Path], city: str, which: str, qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    tables, pages = write_document(ledgers[city], which, tmp_path / f"{which}.pdf")
    assert sum(len(t.rows) for t in tables) >= 5
    if which in ("region", "catalogue", "projects"):
        assert len(pages) >= 2  # there are page breaks to get wrong
    points = SHEET_POINTS if which == "sheets" else BODY_POINTS
    assert split_rows(tables, pages, points) == []


def _qt_paginated_pdf(path: Path, html: str) -> int:
    """``html`` broken into pages by QTextDocument itself, as landbank printed before."""
    printer = new_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    width, height = float(page.width()), float(page.height())
    doc = QTextDocument()
    doc.documentLayout().setPaintDevice(printer)
    doc.setDefaultFont(page_font(BODY_POINTS))
    doc.setDocumentMargin(0)
    doc.setHtml(html)
    doc.setPageSize(QSizeF(width, height))
    painter = QPainter(printer)
    for index in range(doc.pageCount()):
        if index:
            printer.newPage()
        painter.save()
        painter.translate(0, -index * height)
        doc.drawContents(painter, QRectF(0, index * height, width, height))
        painter.restore()
    painter.end()
    return doc.pageCount()


def test_the_row_check_sees_the_rows_qtextdocument_splits(qtbot: QtBot, tmp_path: Path) -> None:
    create_application(["landbank"])
    rows = [
        row(
            [
                cell(f"HX2026-{i:03d}", wrap=Wrap.NONE),
                cell("峪河镇兴业路与黄河大道交叉口西北角地块\n第二行\n" + "第三行" * (i % 3 + 1)),
                cell(f"{i}.50 亩", right=True),
            ]
        )
        for i in range(90)
    ]
    listing = table(("编号", "名称", "面积"), rows, widths=(20, 20, 60))
    printer = new_printer()
    width = float(printer.pageLayout().paintRectPixels(printer.resolution()).width())
    html = fit_table(listing, Measure(printer, BODY_POINTS), width).html()
    qt_pdf = tmp_path / "qt.pdf"
    qt_pages = page_texts(qt_pdf, _qt_paginated_pdf(qt_pdf, html))
    assert len(qt_pages) >= 3
    assert split_rows([listing], qt_pages)  # QTextDocument splits rows …
    ours = tmp_path / "landbank.pdf"
    pages = page_texts(ours, write_report_pdf(ours, [listing], title="长表"))
    assert split_rows([listing], pages) == []  # … landbank does not
    assert all("编号" in page for page in pages)  # the header row on every page


def test_the_signature_never_stands_alone_on_a_page(qtbot: QtBot) -> None:
    """Whatever the length of the report, the 落款 shares its page with the report's last row
    (or last paragraph): a table a row too long takes its last row over to the next page."""
    create_application(["landbank"])
    printer = new_printer()
    page = printer.pageLayout().paintRectPixels(printer.resolution())
    width, height = float(page.width()), float(page.height()) * 0.9
    identity = BureauIdentity(city="新乡市", bureau="新乡市商务局")
    closing = signature(identity, PRINTED)
    moved = 0
    pages_seen: dict[str, set[int]] = {"table": set(), "paragraphs": set()}
    for count in range(20, 50):
        rows = [row([cell(f"HX2026-{i:03d}"), cell(f"第 {i} 行")]) for i in range(count)]
        for kind, parts in (
            ("table", [table(("编号", "名称"), rows), closing]),
            ("paragraphs", [*(para(f"第 {i} 段。") for i in range(count)), closing]),
        ):
            pages = paginate(parts, printer, width, height)
            pages_seen[kind].add(len(pages))
            last = pages[-1]
            assert "新乡市商务局" in last
            before = last.split("新乡市商务局")[0]
            assert "<td" in before or "第 " in before, (kind, count, len(pages))
            if len(pages) > 1 and "<td" in before and before.count("<tr") == 2:
                moved += 1  # the header row and one row, taken over with the 落款
    assert all({1, 2} <= seen for seen in pages_seen.values()), pages_seen
    assert moved  # the range does cross a page boundary where the 落款 would fall alone


@pytest.mark.parametrize("city", ["demo", "long"])
def test_names_break_only_at_sensible_points(
    ledgers: dict[str, Path], city: str, qtbot: QtBot, tmp_path: Path
) -> None:
    """In the region's listings a name (parcel, park) breaks only between the pieces
    :func:`segments` cuts it into, a figure never leaves its unit, and each printed line of a
    cell is one line of the PDF; the demo's park names are not broken at all."""
    create_application(["landbank"])
    tables, pages = write_document(ledgers[city], "region", tmp_path / "明细.pdf")
    pdf_lines = {_flat(line) for page in pages for line in page.splitlines()}
    whole = "\n".join(_flat(line) for line in pdf_lines)
    checked = 0
    for listing in tables:
        for cells, printed in zip(
            [r.cells for r in listing.rows], printed_lines(listing), strict=True
        ):
            for c, lines in zip(cells, printed, strict=True):
                if not c.text:
                    continue
                if c.wrap is Wrap.NONE:
                    assert lines == [c.text]  # “132.42 亩”, “2026-01-04” whole
                pieces = segments(c.text, c.wrap)
                cuts = {sum(len(p) for p in pieces[:i]) for i in range(len(pieces) + 1)}
                position = 0
                for printed_line in lines:
                    found = c.text.index(printed_line, position)
                    long_word = any(
                        len(p) > LONGEST_WORD_CHARS and found < sum(len(q) for q in pieces[: i + 1])
                        for i, p in enumerate(pieces)
                    )
                    assert found in cuts or long_word, (c.text, lines)
                    position = found + len(printed_line)
                    assert _flat(printed_line) in whole, printed_line
                    checked += 1
                if city == "demo" and c.text.endswith("园"):
                    assert lines == [c.text]  # “辉县市装备制造产业园” on one line
    assert checked > 50


# ---------------------------------------------------------------- item 1: identity


TITLES = {
    "quota": "{place} 2026 年度收储工业用地和标准厂房建设指标进度通报",
    "region": "{place}{region} 2026 年度收储工业用地和标准厂房建设指标进度明细",
    "catalogue": "{place}招商手册：净地与闲置标准厂房",
    "projects": "{place} 2026 年度招商项目报告",
}


@pytest.mark.parametrize("which", list(TITLES))
def test_every_report_names_the_city_the_bureau_and_ends_with_the_signature(
    ledgers: dict[str, Path], which: str, qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    _tables, pages = write_document(
        ledgers["demo"], which, tmp_path / "r.pdf", audience=Audience.INVESTOR
    )
    first = " ".join(pages[0].split())
    engine = open_database(f"sqlite:///{ledgers['demo']}")
    with Session(engine) as session:
        region = session.get(Region, _biggest_region(session))
        assert region is not None
    engine.dispose()
    expected = TITLES[which].format(place="新乡市", region=region.name)
    assert _flat(expected) in _flat(pages[0])  # the title names the city
    assert "制表单位：新乡市商务局" in first
    assert "制表人：张三" in first
    assert "联系电话：0373-1234567" in first
    assert "制表日期：2026-12-04" in first
    signature = "新乡市商务局　2026年12月4日"
    last = pages[-1].splitlines()
    (line,) = [t for t in last if _flat(signature) in _flat(t)]
    assert len(line) - len(line.lstrip()) > 40  # right-aligned: far from the left margin
    assert all(_flat(signature) not in _flat(p) for p in pages[:-1])


def test_a_ledger_that_does_not_know_its_city_prints_the_whole_city(
    qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    engine = open_database(f"sqlite:///{tmp_path / '空.sqlite3'}")
    with Session(engine) as session:
        identity = ledger_identity(session, Settings(user_name="李四"))
        report = city_report(session, 2026, as_of=AS_OF)
    engine.dispose()
    assert identity.city == ""
    out = tmp_path / "通报.pdf"
    pages = page_texts(
        out, write_printout(out, quota_printout(report, identity=identity, printed=PRINTED))
    )
    flat = _flat(pages[0])
    assert "全市2026年度收储工业用地" in flat
    assert "制表人：李四" in flat
    assert "2026年12月4日" in _flat(pages[-1])


def test_the_long_city_heads_every_title(
    ledgers: dict[str, Path], qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    for which in TITLES:
        _tables, pages = write_document(ledgers["long"], which, tmp_path / f"{which}.pdf")
        assert _flat(LONG_CITY) in _flat(pages[0][:400]), which
        assert _flat(f"{LONG_BUREAU}　2026年12月4日") in _flat(pages[-1])


# ---------------------------------------------------------------- item 3: two audiences


INTERNAL_WORDS = ("已等待", "已闲置", "天（自", "意向锁定", "得分", "✗", "✓", "△")


def test_the_investors_catalogue_shows_no_internal_figures(
    ledgers: dict[str, Path], qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    _t, investor = write_document(
        ledgers["demo"], "catalogue", tmp_path / "对外.pdf", audience=Audience.INVESTOR
    )
    _t, internal = write_document(
        ledgers["demo"], "catalogue", tmp_path / "内部.pdf", audience=Audience.INTERNAL
    )
    outside, inside = _flat("".join(investor)), _flat("".join(internal))
    for word in INTERNAL_WORDS:
        assert _flat(word) not in outside, word
    assert re.search(r"\d+天", outside) is None  # no day counts at all
    assert "已等待" in inside
    assert "已闲置" in inside
    assert re.search(r"已等待\d+天（自\d{4}-\d\d-\d\d）", inside)
    assert "招商手册：净地与闲置标准厂房（内部）" in inside
    for page in investor:  # the facts, conditions and contacts are there
        for word in ("县区·园区", "联系人", "电话"):
            if "【" in page:
                assert word in page
    assert "0373-1234567" in outside  # and whom to call at the bureau


def test_the_investors_sheet_shows_no_score_nor_marks(
    ledgers: dict[str, Path], qtbot: QtBot, tmp_path: Path
) -> None:
    create_application(["landbank"])
    _t, investor = write_document(
        ledgers["demo"], "sheets", tmp_path / "对外.pdf", audience=Audience.INVESTOR
    )
    _t, internal = write_document(
        ledgers["demo"], "sheets", tmp_path / "内部.pdf", audience=Audience.INTERNAL
    )
    for page in investor:
        flat = _flat(page)
        for word in ("匹配得分", "逐项匹配", "排名", "✗", "✓", "△", "优先推荐", "可以考虑", "勉强"):
            assert word not in flat, word
        assert "场地概况" in flat
        assert "联系单位：新乡市商务局" in flat
        assert "联系电话：0373-1234567" in flat
    for page in internal:
        flat = _flat(page)
        assert "匹配得分" in flat
        assert "逐项匹配" in flat
        assert re.search("[✓✗△]", flat)
        assert "联系单位：新乡市商务局" in flat


def test_cli_prints_the_investors_catalogue_unless_internal(
    ledgers: dict[str, Path], qtbot: QtBot, tmp_path: Path
) -> None:
    db = ["--db", str(ledgers["demo"]), "--as-of", "2026-11-24"]
    out = tmp_path / "手册.pdf"
    assert main(["report", "catalogue", *db, "-o", str(out)]) == 0
    outside = _flat("".join(page_texts(out, pdf_pages(out))))
    assert "已等待" not in outside
    assert main(["report", "catalogue", *db, "--internal", "-o", str(out)]) == 0
    inside = _flat("".join(page_texts(out, pdf_pages(out))))
    assert "已等待" in inside
    assert "新乡市招商手册：净地与闲置标准厂房（内部）" in inside
    assert main(["report", "quota", "--year", "2026", *db, "--city", "卫辉市", "-o", str(out)]) == 0
    assert "卫辉市2026年度" in _flat(page_texts(out, 1)[0])


def test_the_report_dialog_says_whom_it_prints_for(qtbot: QtBot) -> None:
    catalogue_dialog = ReportOptionsDialog(
        None, which="catalogue", regions={1: "辉县市"}, city="新乡市", today=AS_OF
    )
    qtbot.addWidget(catalogue_dialog)
    buttons = catalogue_dialog.audience_buttons
    assert [b.text() for b in buttons.values()] == ["对外（投资者）", "内部"]
    assert buttons[Audience.INVESTOR].isChecked()
    assert catalogue_dialog.options().audience is Audience.INVESTOR
    assert "对外" in catalogue_dialog.audience_note.text()
    buttons[Audience.INTERNAL].setChecked(True)
    assert catalogue_dialog.options().audience is Audience.INTERNAL
    assert "已等待" in catalogue_dialog.audience_note.text()
    quota_dialog = ReportOptionsDialog(None, which="quota", regions={}, city="", today=AS_OF)
    qtbot.addWidget(quota_dialog)
    assert quota_dialog.audience_buttons == {}
    assert "内部" in quota_dialog.audience_note.text()
    assert quota_dialog.options().audience is Audience.INTERNAL


def test_the_sheet_audience_is_asked(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[list[str]] = []

    def choose_internal(dialog: QDialog) -> int:
        from PySide6.QtWidgets import QRadioButton

        buttons = dialog.findChildren(QRadioButton)
        shown.append([b.objectName() for b in buttons if b.isChecked()])
        next(b for b in buttons if b.objectName() == "audience_internal").setChecked(True)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(QDialog, "exec", choose_internal)
    assert ask_sheet_audience(None) is Audience.INTERNAL
    assert shown == [["audience_investor"]]  # the investor's sheet unless the clerk says
    monkeypatch.setattr(QDialog, "exec", lambda dialog: QDialog.DialogCode.Rejected.value)
    assert ask_sheet_audience(None) is None
