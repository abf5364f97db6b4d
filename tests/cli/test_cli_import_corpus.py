"""Acceptance corpus of ``landbank import`` (issue 10): every ledger a township sends imports
as it is.

Each ledger of :mod:`tests.services.ledger_corpus` is imported through the CLI in-process,
into an empty ledger or a copy of the demo city (新乡市) as the case needs, and checked with
``--json``: the exit code, the counts, the defaults reported, the counties recognised and
created, the parks created, the refused and doubtful cells (sheet, row, column) — and what was
written, read back with ``landbank list … --json --limit 0`` (totals of 收储面积 / 建筑面积 /
总投资, codes, counties, states).

The ledger test collects every mismatch of one ledger and reports them together, so a failure
reads as the list of what the import did differently.
"""

from __future__ import annotations

import json
import unicodedata
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from landbank.cli import main
from tests.services.ledger_corpus import (
    CITY_LEADS,
    CORPUS,
    DEMO,
    DEMO_REGIONS,
    LANDCHINA_INDUSTRIAL,
    LANDCHINA_ROWS,
    LANDCHINA_XINXIANG,
    Builder,
    Ledger,
    Problem,
    county_names_mixed,
    county_project_list,
    errors_everywhere,
    factories_in_new_parks,
    landchina_national,
    reserve_ledger_minimal,
    township_workbook,
)

SINGULAR = {"parcels": "parcel", "factories": "factory", "projects": "project"}


# ---------------------------------------------------------------- running the CLI


def run_json(capsys: pytest.CaptureFixture[str], argv: Sequence[str]) -> tuple[int, dict[str, Any]]:
    """Run ``landbank … --json``; the exit code and the report."""
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    out = captured.out.strip()
    assert out.startswith("{"), (
        f"landbank {' '.join(argv)}: no JSON report (exit {code}); "
        f"stderr: {captured.err.strip()[-600:]!r}"
    )
    return code, json.loads(out)


def listing(capsys: pytest.CaptureFixture[str], db: str, what: str) -> list[dict[str, Any]]:
    """Every record of ``what`` (parcels, factories, projects, regions, parks)."""
    code, data = run_json(capsys, ["list", what, "--db", db, "--limit", "0"])
    assert code == 0, data
    records: list[dict[str, Any]] = data["records"]
    return records


def database_for(ledger: Ledger, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    if ledger.ledger == DEMO:
        return str(request.getfixturevalue("demo_db"))
    return str(tmp_path / "x.sqlite3")  # created by the first import


def import_ledger(
    capsys: pytest.CaptureFixture[str], ledger: Ledger, db: str, *extra: str
) -> tuple[int, dict[str, Any]]:
    return run_json(
        capsys,
        ["import", ledger.kind, str(ledger.path), "--db", db, *ledger.options, *extra],
    )


def import_before(capsys: pytest.CaptureFixture[str], ledger: Ledger, db: str) -> None:
    """The files a ledger needs in the ledger first (a code the generated ones continue)."""
    for path in ledger.before:
        code, report = run_json(capsys, ["import", ledger.kind, str(path), "--db", db])
        assert code == 0, f"preparing {path.name}: {errors_of(report)}"


def errors_of(report: dict[str, Any], limit: int = 8) -> str:
    if report.get("ok") is False:  # the file was not read at all
        return f"not imported: {report.get('error')}"
    errors = report.get("errors") or []
    shown = "; ".join(
        f"{e.get('sheet')}!{e.get('row')}「{e.get('column')}」“{e.get('value')}”: {e.get('reason')}"
        for e in errors[:limit]
    )
    more = f" … and {len(errors) - limit} more" if len(errors) > limit else ""
    return f"{len(errors)} errors: {shown}{more}" if errors else "no errors"


def normal(text: object) -> str:
    """Headers compared as the import reads them: NFKC (（亩） = (亩)), no spaces."""
    return "".join(unicodedata.normalize("NFKC", str(text or "")).split())


def matches(problem: Problem, reported: dict[str, Any]) -> bool:
    return (
        (not problem.sheet or reported.get("sheet") == problem.sheet)
        and reported.get("row") == problem.row
        and normal(reported.get("column")) in {normal(c) for c in problem.columns}
        and normal(problem.value) in normal(reported.get("value"))
        and problem.reason in str(reported.get("reason") or "")
    )


def same(got: object, expected: object) -> bool:
    if isinstance(expected, float | int) and not isinstance(expected, bool):
        return isinstance(got, float | int) and got == pytest.approx(expected, rel=1e-9, abs=1e-6)
    return got == expected


class Mismatches:
    """Every difference between what a ledger's import did and what it must do."""

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self.found: list[str] = []

    def check(self, what: str, got: object, expected: object) -> None:
        if not same(got, expected):
            self.found.append(f"{what}: got {got!r}, expected {expected!r}")

    def fail(self, text: str) -> None:
        self.found.append(text)

    def assert_none(self) -> None:
        assert not self.found, (
            f"{self.ledger.name} ({self.ledger.situation}):\n  " + "\n  ".join(self.found)
        )


def check_problems(
    m: Mismatches, what: str, expected: Sequence[Problem], reported: Sequence[dict[str, Any]]
) -> None:
    for problem in expected:
        if not any(matches(problem, r) for r in reported):
            near = [r for r in reported if r.get("row") == problem.row]
            m.fail(
                f"{what}: nothing reported for row {problem.row} 「{'/'.join(problem.columns)}」"
                f"“{problem.value}” ({problem.reason or 'any reason'}); on that row: {near}"
            )
        for r in reported:
            if set(r) != {"sheet", "row", "column", "value", "reason"}:
                m.fail(f"{what}: keys {sorted(r)} (expected sheet, row, column, value, reason)")
                break


def check_report(m: Mismatches, ledger: Ledger, code: int, report: dict[str, Any]) -> None:
    m.check("exit code", code, ledger.exit_code)
    if code != ledger.exit_code:
        m.fail(f"report: {errors_of(report)}")
    m.check("kind", report.get("kind"), SINGULAR[ledger.kind])
    m.check("written", report.get("written"), ledger.exit_code == 0)
    counts = report.get("counts") or {}
    if ledger.rows:
        m.check("counts.rows", counts.get("rows"), ledger.rows)
    if ledger.exit_code == 0:  # (a refused run may count what it would have created)
        m.check("counts.created", counts.get("created"), ledger.created)
    if ledger.sheet:
        m.check("sheet", report.get("sheet"), ledger.sheet)
    if ledger.header_row:
        m.check("header_row", report.get("header_row"), ledger.header_row)
    reported = sorted(report.get("new_regions") or [])
    if ledger.exit_code == 0:
        m.check("new_regions", reported, sorted(ledger.new_regions))
    elif not set(reported) <= set(ledger.new_regions):  # what it would have created, at most
        m.fail(f"new_regions: got {reported}, expected at most {sorted(ledger.new_regions)}")
    recognised = {r.get("text"): r.get("region") for r in report.get("recognised_regions") or []}
    for text, county in ledger.recognised.items():
        m.check(f"recognised_regions[{text}]", recognised.get(text), county)
    parks = sorted((p.get("name"), p.get("region")) for p in report.get("new_parks") or [])
    m.check("new_parks", parks, sorted(ledger.new_parks))
    defaults = report.get("defaults") or []
    for expected in ledger.defaults:
        took = sum(
            d.get("rows") or 0
            for d in defaults
            if d.get("field") == expected.field
            and (expected.value is None or d.get("value") == expected.value)
        )
        m.check(f"defaults[{expected.field}={expected.value or '…'}].rows", took, expected.rows)
    check_problems(m, "errors", ledger.errors, report.get("errors") or [])
    check_problems(m, "warnings", ledger.warnings, report.get("warnings") or [])
    if ledger.sheets:
        sheets = [(s.get("name"), s.get("rows")) for s in report.get("sheets") or []]
        m.check("sheets", sheets, list(ledger.sheets))
    if ledger.skipped_sheets:
        skipped = sorted(s.get("name") for s in report.get("skipped_sheets") or [])
        m.check("skipped_sheets", skipped, sorted(ledger.skipped_sheets))


def check_records(m: Mismatches, ledger: Ledger, new: list[dict[str, Any]]) -> None:
    m.check("records written", len(new), ledger.created)
    total = round(sum(r.get(ledger.total_key) or 0 for r in new), 6)
    m.check(f"sum of {ledger.total_key}", total, ledger.total)
    by_code = {r.get(ledger.code_key): r for r in new}
    if ledger.codes:
        m.check("codes", sorted(map(str, by_code)), sorted(ledger.codes))
    if ledger.regions:
        m.check("records per county", dict(Counter(r.get("region") for r in new)), ledger.regions)
    ladders = {
        "parcels": ("readiness", "status"),
        "factories": ("status",),
        "projects": ("stage",),
    }[ledger.kind]
    for code, state in ledger.states.items():
        record = by_code.get(code)
        if record is not None:
            m.check(f"{code} {'/'.join(ladders)}", tuple(record.get(k) for k in ladders), state)
    for code, values in ledger.values.items():
        record = by_code.get(code)
        if record is None:
            m.fail(f"{code}: not written")
            continue
        for key, value in values.items():
            m.check(f"{code}.{key}", record.get(key), value)
    for code, texts in ledger.notes_contain.items():
        notes = str((by_code.get(code) or {}).get("notes") or "")
        for text in texts:
            if text not in notes:
                m.fail(f"{code}.notes {notes!r} does not keep “{text}”")
    if ledger.idle_total is not None:
        idle = round(sum(r.get("idle_area_m2") or 0 for r in new), 6)
        m.check("sum of idle_area_m2", idle, ledger.idle_total)


# ---------------------------------------------------------------- every ledger


@pytest.mark.parametrize("build", CORPUS, ids=lambda b: b.__name__)
def test_ledger_imports_as_the_clerk_sent_it(
    build: Builder,
    tmp_path: Path,
    request: pytest.FixtureRequest,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ledger = build(tmp_path)
    db = database_for(ledger, tmp_path, request)
    import_before(capsys, ledger, db)
    existed = ledger.ledger == DEMO or bool(ledger.before)
    before = {r["id"] for r in listing(capsys, db, ledger.kind)} if existed else set()
    regions_before = {r["name"] for r in listing(capsys, db, "regions")} if existed else set()

    code, report = import_ledger(capsys, ledger, db)

    m = Mismatches(ledger)
    check_report(m, ledger, code, report)
    after = listing(capsys, db, ledger.kind)
    new = [r for r in after if r["id"] not in before]
    regions_after = {r["name"] for r in listing(capsys, db, "regions")}
    if ledger.exit_code == 0:
        check_records(m, ledger, new)
        m.check(
            "counties added to the ledger",
            sorted(regions_after - regions_before),
            sorted(ledger.new_regions),
        )
    else:  # refused: nothing written, not even a county
        m.check("records written", len(new), 0)
        m.check("counties added to the ledger", sorted(regions_after - regions_before), [])
    m.assert_none()


# ---------------------------------------------------------------- situations in detail


def test_clerk_defaults_take_precedence(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--default 整理程度=三通一平 --default status=可供`` (label or key): every row takes
    them, and the report says so."""
    ledger = reserve_ledger_minimal(tmp_path)
    db = str(tmp_path / "x.sqlite3")
    code, report = import_ledger(
        capsys, ledger, db, "--default", "整理程度=三通一平", "--default", "status=可供"
    )
    assert code == 0, errors_of(report)
    defaults = {(d["field"], d["value"]): d["rows"] for d in report["defaults"]}
    assert defaults.get(("readiness", "三通一平")) == 5, report["defaults"]
    assert defaults.get(("status", "可供")) == 5, report["defaults"]
    assert {d["field"] for d in report["defaults"]} >= {"readiness", "status"}
    assert all(set(d) >= {"field", "label", "value", "rows", "reason"} for d in report["defaults"])
    records = listing(capsys, db, "parcels")
    assert {(r["readiness"], r["status"]) for r in records} == {("三通一平", "可供")}


def test_dry_run_lists_the_new_parks_and_creates_nothing(
    tmp_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = factories_in_new_parks(tmp_path)
    parks_before = listing(capsys, demo_db, "parks")
    factories_before = listing(capsys, demo_db, "factories")
    code, report = import_ledger(capsys, ledger, demo_db, "--dry-run")
    assert code == 0, errors_of(report)
    assert (report["dry_run"], report["written"]) == (True, False)
    assert report["counts"]["created"] == 5
    parks = sorted((p["name"], p["region"]) for p in report["new_parks"])
    assert parks == sorted(ledger.new_parks)
    assert listing(capsys, demo_db, "parks") == parks_before
    assert listing(capsys, demo_db, "factories") == factories_before


def test_county_not_yet_in_the_ledger_needs_create_regions(
    tmp_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """In the demo ledger (not its first import) 长垣 is a county the ledger does not hold:
    its row is refused, naming it, and nothing is written — unless --create-regions."""
    ledger = county_names_mixed(tmp_path)
    parcels_before = len(listing(capsys, demo_db, "parcels"))
    code, report = import_ledger(capsys, ledger, demo_db)
    assert code == 2, errors_of(report)
    assert not report["written"]
    row = 7  # the 4th data row: 长垣
    assert any(
        e["row"] == row and normal(e["column"]) == "县区" and "长垣" in e["value"]
        for e in report["errors"]
    ), errors_of(report)
    assert {e["row"] for e in report["errors"]} == {row}, errors_of(report)
    assert len(listing(capsys, demo_db, "parcels")) == parcels_before
    assert {r["name"] for r in listing(capsys, demo_db, "regions")} == set(DEMO_REGIONS)

    code, report = import_ledger(capsys, ledger, demo_db, "--create-regions")
    assert code == 0, errors_of(report)
    assert report["new_regions"] == ["长垣市"]
    assert report["counts"]["created"] == 8
    assert {r["name"] for r in listing(capsys, demo_db, "regions")} == {*DEMO_REGIONS, "长垣市"}


def test_project_list_goes_to_the_county_named_by_region(
    tmp_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same list with ``--region 原阳`` (a short name): every project in 原阳县, no
    city-level region created."""
    ledger = county_project_list(tmp_path)
    code, report = import_ledger(capsys, ledger, demo_db, "--region", "原阳")
    assert code == 0, errors_of(report)
    assert report["counts"]["created"] == 6
    assert report["new_regions"] == []
    names = set(ledger.codes)
    mine = [r for r in listing(capsys, demo_db, "projects") if r["name"] in names]
    assert {r["region"] for r in mine} == {"原阳县"}
    total = sum(r["total_investment_wan"] for r in mine)
    assert total == pytest.approx(ledger.total)
    assert CITY_LEADS not in {r["name"] for r in listing(capsys, demo_db, "regions")}


def test_chosen_township_sheets_in_one_run(
    tmp_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = township_workbook(tmp_path)
    code, report = run_json(
        capsys,
        ["import", "parcels", str(ledger.path), "--db", demo_db, "--sheet", "孟庄镇,百泉镇"],
    )
    assert code == 0, errors_of(report)
    assert [(s["name"], s["rows"]) for s in report["sheets"]] == [("孟庄镇", 3), ("百泉镇", 2)]
    assert all(s["header_row"] == 3 for s in report["sheets"])
    assert (report["counts"]["rows"], report["counts"]["created"]) == (5, 5)
    codes = {r["code"] for r in listing(capsys, demo_db, "parcels")}
    assert {"MZ-2025-01", "BQ-2025-02"} <= codes
    assert "CC-2025-01" not in codes


def test_refused_file_keeps_every_error_in_the_report_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``--report`` saves the refused rows with their reasons (all of them, one run)."""
    ledger = errors_everywhere(tmp_path)
    report_path = tmp_path / "导入报告.xlsx"
    code, report = import_ledger(
        capsys, ledger, str(tmp_path / "x.sqlite3"), "--report", str(report_path)
    )
    assert code == 2, errors_of(report)
    assert report_path.exists()
    book = CalamineWorkbook.from_path(str(report_path))
    texts = {
        str(cell)
        for name in book.sheet_names
        for row in book.get_sheet_by_name(name).to_python()
        for cell in row
    }
    joined = "\n".join(texts)
    for header in ("收储日期", "容积率上限", "绿地率", "地块编号", "供应状态"):
        assert header in joined, f"{header} not named in the saved report"
    assert "CW-001" in joined


def test_national_file_skips_what_lies_outside_the_city(
    tmp_path: Path, demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """中国土地市场网 (real data) into 新乡市: of the 773 industrial rows, the 770 of other
    cities are counted and skipped, none of their counties created."""
    ledger = landchina_national(tmp_path)
    code, report = import_ledger(capsys, ledger, demo_db)
    assert code == 0, errors_of(report)
    assert report["profile"], "not recognised as a 中国土地市场网 file"
    counts = report["counts"]
    taken = len(LANDCHINA_XINXIANG)
    assert counts["created"] == taken
    # Other uses and other cities: whichever is counted first, together they are the rest.
    assert counts["skipped_outside_city"] + counts["skipped_other_uses"] == LANDCHINA_ROWS - taken
    assert counts["skipped_outside_city"] >= LANDCHINA_INDUSTRIAL - taken
    regions = {r["name"] for r in listing(capsys, demo_db, "regions")}
    assert regions - set(DEMO_REGIONS) <= {"延津县", "新乡市本级"}


def test_a_sheet_without_a_header_is_a_refused_sheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """No recognisable header (the 说明 sheet, notes only): refused like a row — an error
    naming the sheet, exit 2, nothing written — not a file that cannot be read."""
    ledger = township_workbook(tmp_path)
    db = str(tmp_path / "x.sqlite3")
    code, report = run_json(
        capsys, ["import", "parcels", str(ledger.path), "--db", db, "--sheet", "说明"]
    )
    assert code == 2
    assert report.get("written") is False, errors_of(report)
    errors = report.get("errors") or []
    assert any(e["sheet"] == "说明" and e["reason"] for e in errors), errors_of(report)
    assert all(set(e) == {"sheet", "row", "column", "value", "reason"} for e in errors)
    assert listing(capsys, db, "parcels") == []


def test_an_unknown_status_word_is_one_error_listing_its_ladder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = errors_everywhere(tmp_path)
    code, report = import_ledger(capsys, ledger, str(tmp_path / "x.sqlite3"))
    assert code == 2
    row = next(p.row for p in ledger.errors if p.value == "待研究")
    on_row = [e for e in report["errors"] if e["row"] == row]
    assert len(on_row) == 1, on_row
    assert normal(on_row[0]["column"]) == "供应状态"
    for word in ("可供", "意向锁定", "已挂牌", "已出让/划拨"):  # the 供应状态 ladder
        assert word in on_row[0]["reason"], on_row[0]["reason"]
