"""Every subcommand with bad values: exit 2, a Chinese message, never a traceback (issue 13,
“no traceback, ever”).

The subcommands and their options are read from the real parser
(:func:`landbank.cli.app.build_parser`): a new subcommand, or a new option taking a value,
without rows in :data:`MATRIX` fails :func:`test_every_subcommand_and_option_has_bad_values`.
Each row runs in-process through ``main([...])`` (a few also as real ``landbank`` processes) on
a copy of the demo city and must exit 2 with Chinese on stderr (an import's refused rows are
its report on stdout), no “Traceback”, and the ledger as it was. The values: huge, negative,
empty, of the wrong type, impossible dates and dates beyond the horizon
(:mod:`landbank.domain.horizon`), unknown names, unsupported database URLs, files that cannot
be written (a missing folder, a folder in the file's place, ``/proc``).
"""

from __future__ import annotations

import argparse
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from landbank.cli import main
from landbank.cli.app import build_parser

HUGE = "99999999999999999999999"
CJK = re.compile(r"[\u4e00-\u9fff]")

# Placeholders, filled per test: DB the demo city's copy; CSV a good parcels file; NOREGION one
# naming no county; MISSING a folder that does not exist; FOLDER.x a folder named like a file;
# PARCEL a parcel code free to reserve; TMP the test's folder.
# Rows: (subcommand, the option (dest) whose value is bad, the arguments after the subcommand).
# ``--db DB`` is added unless the row gives its own --db (or NODB, for none).
MATRIX: list[tuple[str, str, list[str]]] = [
    # list
    ("list", "what", ["nothing"]),
    ("list", "what", [""]),
    ("list", "region", ["parcels", "--region", "不存在县"]),
    ("list", "region", ["regions", "--region", "辉县市"]),
    ("list", "status", ["parcels", "--status", "乱写"]),
    ("list", "status", ["regions", "--status", "可供"]),
    ("list", "year", ["quotas", "--year", HUGE]),
    ("list", "year", ["quotas", "--year", "-1"]),
    ("list", "year", ["quotas", "--year", "二〇二六年"]),
    ("list", "year", ["quotas", "--year", ""]),
    ("list", "year", ["parcels", "--year", "2026"]),
    ("list", "sort", ["parcels", "--sort", "乱写"]),
    ("list", "limit", ["parcels", "--limit", HUGE]),
    ("list", "limit", ["parcels", "--limit", "-3"]),
    ("list", "limit", ["parcels", "--limit", "1.5"]),
    ("list", "limit", ["parcels", "--limit", ""]),
    ("list", "limit", ["parcels", "--limit", "²"]),
    # show
    ("show", "what", ["nothing", "X"]),
    ("show", "key", ["parcel", "不存在编号"]),
    ("show", "key", ["parcel", ""]),
    ("show", "key", ["parcel", HUGE]),
    ("show", "key", ["project", "²"]),
    ("show", "key", ["factory", "-5"]),
    ("show", "region", ["parcel", "PARCEL", "--region", "不存在县"]),
    ("show", "history", ["parcel", "PARCEL", "--history", "-3"]),
    ("show", "history", ["parcel", "PARCEL", "--history", "0"]),
    ("show", "history", ["parcel", "PARCEL", "--history", HUGE]),
    ("show", "history", ["parcel", "PARCEL", "--history", "abc"]),
    # attach / attachments (a record's files)
    ("attach", "record", ["不存在编号", "TMP/照片.png"]),
    ("attach", "record", ["", "TMP/照片.png"]),
    ("attach", "record", [HUGE, "TMP/照片.png", "--kind", "地块"]),
    ("attach", "file", ["PARCEL", "CSV"]),  # not a photo or document
    ("attach", "file", ["PARCEL", "DB"]),  # a ledger named .sqlite3
    ("attach", "file", ["PARCEL", "MISSING/照片.png"]),
    ("attach", "file", ["PARCEL", "TMP"]),
    ("attach", "file", ["PARCEL", ""]),
    ("attach", "kind", ["PARCEL", "TMP/照片.png", "--kind", "乱写"]),
    ("attach", "kind", ["PARCEL", "TMP/照片.png", "--kind", "行政区"]),
    ("attach", "region", ["PARCEL", "TMP/照片.png", "--region", "不存在县"]),
    ("attach", "category", ["PARCEL", "TMP/照片.png", "--category", "乱写"]),
    ("attach", "note", ["PARCEL", "TMP/照片.png", "--note", "说" * 501]),
    ("attach", "note", ["PARCEL", "TMP/照片.png", "--note", "一\n二"]),
    ("attachments", "record", ["不存在编号"]),
    ("attachments", "record", [""]),
    ("attachments", "kind", ["PARCEL", "--kind", "行政区"]),
    ("attachments", "region", ["PARCEL", "--region", "不存在县"]),
    ("attachments", "save", ["PARCEL", "--save", "1", "-o", "TMP/副本.png"]),  # it has none
    ("attachments", "save", ["PARCEL", "--save", HUGE, "-o", "TMP/副本.png"]),
    ("attachments", "save", ["PARCEL", "--save", "0", "-o", "TMP/副本.png"]),
    ("attachments", "save", ["PARCEL", "--save", "1"]),
    ("attachments", "output", ["PARCEL", "--save", "1", "-o", "MISSING/副本.png"]),
    ("attachments", "output", ["PARCEL", "--save", "1", "-o", "FOLDER.png"]),
    ("attachments", "output", ["PARCEL", "--save", "1", "-o", ""]),
    ("attachments", "output", ["PARCEL", "-o", "TMP/副本.png"]),
    ("attachments", "remove", ["PARCEL", "--remove", "1", "--yes"]),
    ("attachments", "remove", ["PARCEL", "--remove", "-1", "--yes"]),
    ("attachments", "yes", ["PARCEL", "--yes"]),
    # demo
    ("demo", "db", ["NODB"]),
    ("demo", "db", ["--db", "DB"]),  # not empty: demo data go into an empty ledger only
    ("demo", "year", ["--year", "99999999", "--db", "TMP/新.sqlite3"]),
    ("demo", "year", ["--year", "-1", "--db", "TMP/新.sqlite3"]),
    ("demo", "year", ["--year", "2150", "--db", "TMP/新.sqlite3"]),
    ("demo", "year", ["--year", "", "--db", "TMP/新.sqlite3"]),
    ("demo", "seed", ["--seed", HUGE, "--db", "TMP/新.sqlite3"]),
    ("demo", "seed", ["--seed", "-1", "--db", "TMP/新.sqlite3"]),
    # screenshot (refused before Qt starts)
    ("screenshot", "out", ["MISSING/界面.png"]),
    ("screenshot", "out", ["TMP/界面.jpg"]),
    ("screenshot", "out", [""]),
    ("screenshot", "out", ["FOLDER.png"]),
    ("screenshot", "view", ["TMP/界面.png", "--view", "乱写"]),
    ("screenshot", "size", ["TMP/界面.png", "--size", f"{HUGE}x5"]),
    ("screenshot", "size", ["TMP/界面.png", "--size", "abc"]),
    ("screenshot", "size", ["TMP/界面.png", "--size", ""]),
    ("screenshot", "size", ["TMP/界面.png", "--size", "-5x-5"]),
    # import
    ("import", "what", ["nothing", "CSV"]),
    ("import", "file", ["parcels", "MISSING/台账.xlsx"]),
    ("import", "file", ["parcels", ""]),
    ("import", "file", ["parcels", "DB"]),  # not a spreadsheet
    ("import", "file", ["parcels", "TMP"]),  # a folder
    ("import", "sheet", ["parcels", "CSV", "--sheet", "不存在"]),
    ("import", "header_row", ["parcels", "CSV", "--header-row", HUGE]),
    ("import", "header_row", ["parcels", "CSV", "--header-row", "-1"]),
    ("import", "header_row", ["parcels", "CSV", "--header-row", "0"]),
    ("import", "header_row", ["parcels", "CSV", "--header-row", "abc"]),
    ("import", "on_duplicate", ["parcels", "CSV", "--on-duplicate", "乱写"]),
    ("import", "default", ["parcels", "CSV", "--default", "乱写=1"]),
    ("import", "default", ["parcels", "CSV", "--default", "供应状态"]),
    ("import", "default", ["parcels", "CSV", "--default", ""]),
    ("import", "default", ["parcels", "CSV", "--default", "收储日期=2026-02-30"]),
    ("import", "default", ["parcels", "CSV", "--default", f"收储面积={HUGE}万亩"]),
    ("import", "region", ["parcels", "NOREGION", "--region", "不存在县"]),
    ("import", "report", ["parcels", "CSV", "--report", "MISSING/报告.xlsx"]),
    ("import", "report", ["parcels", "CSV", "--report", "TMP/报告.txt"]),
    ("import", "report", ["parcels", "CSV", "--report", "FOLDER.xlsx"]),
    ("import", "report", ["parcels", "CSV", "--report", ""]),
    # export
    ("export", "what", ["nothing", "TMP/导出.xlsx"]),
    ("export", "file", ["parcels", "MISSING/导出.xlsx"]),
    ("export", "file", ["parcels", "TMP/导出.csv"]),
    ("export", "file", ["parcels", "FOLDER.xlsx"]),
    ("export", "file", ["parcels", "/proc/landbank-导出.xlsx"]),
    ("export", "file", ["parcels", ""]),
    ("export", "region", ["parcels", "TMP/导出.xlsx", "--region", "不存在县"]),
    ("export", "status", ["parcels", "TMP/导出.xlsx", "--status", "乱写"]),
    ("export", "sort", ["parcels", "TMP/导出.xlsx", "--sort", "乱写"]),
    # template
    ("template", "what", ["nothing", "TMP/模板.xlsx"]),
    ("template", "file", ["parcels", "MISSING/模板.xlsx"]),
    ("template", "file", ["parcels", "TMP/模板.xls"]),
    ("template", "file", ["parcels", "FOLDER.xlsx"]),
    ("template", "file", ["parcels", "/proc/landbank-模板.xlsx"]),
    # quota
    ("quota", "year", []),
    ("quota", "year", ["--year", HUGE]),
    ("quota", "year", ["--year", "-2026"]),
    ("quota", "year", ["--year", "1999"]),
    ("quota", "year", ["--year", "abc"]),
    ("quota", "region", ["--year", "2026", "--region", "不存在县"]),
    ("quota", "as_of", ["--year", "2026", "--as-of", "9999-12-31"]),
    ("quota", "as_of", ["--year", "2026", "--as-of", "0001-01-01"]),
    ("quota", "as_of", ["--year", "2026", "--as-of", "2026-02-30"]),
    ("quota", "as_of", ["--year", "2026", "--as-of", ""]),
    # quota-defaults
    ("quota-defaults", "county_land", ["--county-land", HUGE]),
    ("quota-defaults", "county_land", ["--county-land", "-5"]),
    ("quota-defaults", "county_land", ["--county-land", "abc"]),
    ("quota-defaults", "county_land", ["--county-land", ""]),
    ("quota-defaults", "county_factory", ["--county-factory", "nan"]),
    ("quota-defaults", "county_factory", ["--county-factory", "12万亩"]),
    ("quota-defaults", "district_land", ["--district-land", "inf"]),
    ("quota-defaults", "district_land", ["--district-land", "1e400"]),
    ("quota-defaults", "district_factory", ["--district-factory", "-1m²"]),
    ("quota-defaults", "reset", ["--reset", "乱写"]),
    ("quota-defaults", "reset", ["--reset", "all", "--county-land", "1500"]),
    # report (refused before Qt starts, but for an unknown county, found once the ledger opens)
    ("report", "which", ["乱写", "-o", "TMP/报表.pdf"]),
    ("report", "year", ["quota", "-o", "TMP/报表.pdf"]),
    ("report", "year", ["quota", "--year", HUGE, "-o", "TMP/报表.pdf"]),
    ("report", "year", ["quota", "--year", "-1", "-o", "TMP/报表.pdf"]),
    ("report", "region", ["region", "--year", "2026", "-o", "TMP/报表.pdf"]),
    ("report", "region", ["region", "--year", "2026", "--region", "不存在县", "-o", "TMP/报表.pdf"]),
    ("report", "as_of", ["quota", "--year", "2026", "--as-of", "9999-12-31", "-o", "TMP/报表.pdf"]),
    ("report", "as_of", ["quota", "--year", "2026", "--as-of", "2026-13-01", "-o", "TMP/报表.pdf"]),
    ("report", "city", ["quota", "--year", "2026", "--city", "新乡\n市", "-o", "TMP/报表.pdf"]),
    ("report", "city", ["quota", "--year", "2026", "--city", "市" * 51, "-o", "TMP/报表.pdf"]),
    ("report", "output", ["quota", "--year", "2026"]),
    ("report", "output", ["quota", "--year", "2026", "-o", "MISSING/报表.pdf"]),
    ("report", "output", ["quota", "--year", "2026", "-o", "TMP/报表.docx"]),
    ("report", "output", ["quota", "--year", "2026", "-o", "FOLDER.pdf"]),
    ("report", "output", ["quota", "--year", "2026", "-o", ""]),
    ("report", "incomplete", ["catalogue", "--incomplete", "乱写", "-o", "TMP/报表.pdf"]),
    ("report", "incomplete", ["quota", "--year", "2026", "--incomplete", "omit", "-o", "TMP/报表.pdf"]),
    ("report", "project", ["pledge", "--site", "PARCEL", "-o", "TMP/承诺书.pdf"]),
    ("report", "project", ["pledge", "--project", "不存在的项目", "--site", "PARCEL", "-o", "TMP/承诺书.pdf"]),
    ("report", "project", ["pledge", "--project", "", "--site", "PARCEL", "-o", "TMP/承诺书.pdf"]),
    ("report", "project", ["quota", "--year", "2026", "--project", "1", "-o", "TMP/报表.pdf"]),
    ("report", "site", ["pledge", "--project", "1", "-o", "TMP/承诺书.pdf"]),
    ("report", "site", ["pledge", "--project", "1", "--site", "不存在", "-o", "TMP/承诺书.pdf"]),
    ("report", "site", ["pledge", "--project", "1", "--site", "X" * 101, "-o", "TMP/承诺书.pdf"]),
    # match
    ("match", "project", []),
    ("match", "project", ["--project", "不存在的项目"]),
    ("match", "project", ["--project", HUGE]),
    ("match", "project", ["--project", "-1"]),
    ("match", "project", ["--project", "²"]),
    ("match", "site", ["--site", "乱写"]),
    ("match", "site", ["--site", ""]),
    ("match", "site", ["--site", f"parcel:{HUGE}"]),
    ("match", "site", ["--site", "PARCEL", "--project", "6"]),
    ("match", "region", ["--site", "PARCEL", "--region", "不存在县"]),
    ("match", "top", ["--project", "6", "--top", "0"]),
    ("match", "top", ["--project", "6", "--top", HUGE]),
    ("match", "top", ["--project", "6", "--top", "abc"]),
    ("match", "today", ["--project", "6", "--today", "9999-12-31"]),
    ("match", "today", ["--project", "6", "--today", "0001-01-01"]),
    ("match", "today", ["--project", "6", "--today", "2026-02-30"]),
    # reserve
    ("reserve", "project", ["--site", "PARCEL"]),
    ("reserve", "project", ["--project", "不存在的项目", "--site", "PARCEL"]),
    ("reserve", "project", ["--project", HUGE, "--site", "PARCEL"]),
    ("reserve", "site", ["--project", "6", "--site", "乱写"]),
    ("reserve", "site", ["--project", "6", "--site", ""]),
    ("reserve", "region", ["--project", "6", "--site", "PARCEL", "--region", "不存在县"]),
    ("reserve", "until", ["--project", "6", "--site", "PARCEL", "--also", "--until", "9999-12-31"]),
    ("reserve", "until", ["--project", "6", "--site", "PARCEL", "--also", "--until", "2020-01-01"]),
    ("reserve", "until", ["--project", "6", "--site", "PARCEL", "--also", "--until", "2026-02-30"]),
    ("reserve", "until", ["--project", "6", "--site", "PARCEL", "--also", "--until", ""]),
    ("reserve", "until", ["--project", "6", "--site", "PARCEL", "--today", "2026-11-24", "--until", "2026-11-01"]),
    ("reserve", "today", ["--project", "6", "--site", "PARCEL", "--also", "--today", "9999-12-31"]),
    ("reserve", "today", ["--project", "6", "--site", "PARCEL", "--also", "--today", "abc"]),
    # release
    ("release", "site", []),
    ("release", "site", ["--site", "乱写"]),
    ("release", "site", ["--site", "PARCEL", "--project", "6"]),
    ("release", "project", ["--project", "不存在的项目"]),
    ("release", "expired", ["--expired", "--site", "PARCEL"]),
    ("release", "region", ["--site", "PARCEL", "--region", "不存在县"]),
    ("release", "today", ["--expired", "--today", "9999-12-31"]),
    ("release", "today", ["--expired", "--today", ""]),
    # settings
    ("settings", "city", ["--city", "新乡\n市"]),
    ("settings", "city", ["--city", "市" * 51]),
    ("settings", "bureau", ["--bureau", "局" * 101]),
    ("settings", "bureau", ["--bureau", "商务\t局"]),
    ("settings", "compiler", ["--compiler", "张" * 51]),
    ("settings", "compiler", ["--compiler", "张\x00三"]),
    ("settings", "phone", ["--phone", "1" * 51]),
    ("settings", "phone", ["--phone", "0373\r\n"]),
    # backup
    ("backup", "output", ["-o", "MISSING/备份.sqlite3"]),
    ("backup", "output", ["-o", "/proc/landbank-备份.sqlite3"]),
    ("backup", "output", ["--list", "-o", "TMP/备份.sqlite3"]),
    ("backup", "list", ["--json"]),
    # restore
    ("restore", "file", ["MISSING/备份.sqlite3", "--yes"]),
    ("restore", "file", ["CSV", "--yes"]),  # not a ledger
    ("restore", "file", ["", "--yes"]),
    ("restore", "file", ["TMP", "--yes"]),
    ("restore", "yes", ["DB"]),  # no --yes and no terminal to ask on
    # outline (红线 in and out)
    ("outline", "outline_command", ["nothing"]),
    ("outline", "outline_command", []),
    ("outline", "outline_command", ["import", "MISSING/红线.txt"]),
    ("outline", "outline_command", ["import", ""]),
    ("outline", "outline_command", ["import", "DB"]),  # not an outline file
    ("outline", "outline_command", ["import", "CSV"]),  # a ledger, not outlines
    ("outline", "outline_command", ["import", "TMP"]),  # a folder
    ("outline", "outline_command", ["import", "CSV", "--kind", "乱写"]),
    ("outline", "outline_command", ["export", "-o", "MISSING/红线.geojson"]),
    ("outline", "outline_command", ["export", "-o", "TMP/红线.xlsx"]),
    ("outline", "outline_command", ["export", "-o", "/proc/landbank-红线.geojson"]),
    ("outline", "outline_command", ["export", "-o", ""]),
    ("outline", "outline_command", ["export", "-o", "TMP/红线.geojson", "--county", "不存在县"]),
    ("outline", "outline_command", ["export", "-o", "TMP/红线.geojson", "--encoding", "big5"]),
    # standards (标准地指标表), and its aliases list standards / import standards
    ("standards", "standards_command", ["nothing"]),
    ("standards", "standards_command", []),
    ("standards", "standards_command", ["list", "--county", "不存在县"]),
    ("standards", "standards_command", ["list", "--county", ""]),
    ("standards", "standards_command", ["list", "--resolve"]),  # no county
    ("standards", "standards_command", ["list", "--park", "辉县市产业集聚区"]),  # no --resolve
    ("standards", "standards_command", ["list", "--resolve", "--county", "辉县", "--park", "不存在园区"]),
    ("standards", "standards_command", ["import", "MISSING/指标.xlsx"]),
    ("standards", "standards_command", ["import", ""]),
    ("standards", "standards_command", ["import", "DB"]),  # not a spreadsheet
    ("standards", "standards_command", ["import", "TMP"]),  # a folder
    ("standards", "standards_command", ["import", "CSV"]),  # a parcels ledger, no 指标 header
    ("standards", "standards_command", ["import", "CSV", "--sheet", "不存在"]),
    ("standards", "standards_command", ["import", "CSV", "--header-row", "0"]),
    ("standards", "standards_command", ["import", "CSV", "--header-row", HUGE]),
    ("standards", "standards_command", ["import", "CSV", "--on-duplicate", "乱写"]),
    ("list", "what", ["standards", "--resolve"]),
    ("import", "what", ["standards", "MISSING/指标.xlsx"]),
    # yields (年度经营数据 of the firms on supplied parcels)
    ("yields", "yields_command", ["nothing"]),
    ("yields", "yields_command", []),
    ("yields", "yields_command", ["list", "--county", "不存在县"]),
    ("yields", "yields_command", ["list", "--county", ""]),
    ("yields", "yields_command", ["list", "--year", HUGE]),
    ("yields", "yields_command", ["list", "--year", "二〇二四"]),
    ("yields", "yields_command", ["list", "--parcel", "不存在编号"]),
    ("yields", "yields_command", ["import", "MISSING/经营数据.xlsx"]),
    ("yields", "yields_command", ["import", ""]),
    ("yields", "yields_command", ["import", "DB"]),  # not a spreadsheet
    ("yields", "yields_command", ["import", "TMP"]),  # a folder
    ("yields", "yields_command", ["import", "CSV"]),  # a parcels ledger, no 年度 header
    ("yields", "yields_command", ["import", "CSV", "--sheet", "不存在"]),
    ("yields", "yields_command", ["import", "CSV", "--region", "不存在县"]),
    ("yields", "yields_command", ["import", "CSV", "--on-duplicate", "乱写"]),
    # efficiency (亩均效益评价) and its scheme
    ("efficiency", "year", ["--year", HUGE]),
    ("efficiency", "year", ["--year", "二〇二五"]),
    ("efficiency", "year", []),  # no year
    ("efficiency", "county", ["--year", "2026", "--county", "不存在县"]),
    ("efficiency", "county", ["--year", "2026", "--county", ""]),
    ("efficiency", "efficiency_command", ["nothing"]),
    ("efficiency", "efficiency_command", ["scheme", "--preset", "南京"]),
    ("efficiency", "efficiency_command", ["scheme", "--preset", "淮安", "--weight", "亩均税收=90"]),
    ("efficiency", "efficiency_command", ["scheme", "--preset", "淮安", "--weight", "乱写=5"]),
    ("efficiency", "efficiency_command", ["scheme", "--preset", "淮安", "--weight", HUGE]),
    ("efficiency", "efficiency_command", ["scheme", "--preset", "淮安", "--multiple", "-1"]),
    ("efficiency", "efficiency_command", ["scheme", "--preset", "淮安", "--multiple", HUGE]),
    ("efficiency", "efficiency_command", ["scheme", "--preset", "黄岩", "--base", "亩均税收=0"]),
    ("efficiency", "efficiency_command", ["scheme", "--county", "不存在县"]),
    # server (the city's PostgreSQL): a SQLite ledger is refused before anything is opened
    ("server", "server_command", ["nothing"]),
    ("server", "server_command", []),
    ("server", "db", ["upgrade", "--yes", "--backup", "MISSING/备份.landbank-pg.zip"]),
    ("server", "db", ["restore", "MISSING/备份.landbank-pg.zip", "--yes"]),
    ("server", "db", ["restore", "CSV", "--yes", "--db", "postgresql://postgres@127.0.0.1:notaport/x"]),
]

# Unsupported or impossible databases, for every subcommand.
BAD_DATABASES = [
    "mysql://clerk@10.0.0.5/ledger",
    "oracle://clerk:secret@10.0.0.5/ledger",
    "postgresql+psycopg2://clerk@10.0.0.5/ledger",
    "postgresql://clerk@10.0.0.5:notaport/ledger",
    "",
    "MISSING/台账.sqlite3",
    "FOLDER.sqlite3",
]

# Options whose every value is valid (a search text); a row for them could only pass.
FREE = {("list", "search"), ("export", "search")}

# The valid arguments a database row adds to each subcommand.
VALID = {
    "list": ["parcels"],
    "show": ["parcel", "PARCEL"],
    "attach": ["PARCEL", "TMP/照片.png"],
    "attachments": ["PARCEL"],
    "demo": [],
    "screenshot": ["TMP/界面.png"],
    "import": ["parcels", "CSV"],
    "export": ["parcels", "TMP/导出.xlsx"],
    "template": ["parcels", "TMP/模板.xlsx"],
    "quota": ["--year", "2026"],
    "quota-defaults": ["--county-land", "1500"],
    "report": ["quota", "--year", "2026", "-o", "TMP/报表.pdf"],
    "match": ["--project", "6"],
    "reserve": ["--project", "6", "--site", "PARCEL", "--also"],
    "release": ["--site", "PARCEL"],
    "settings": ["--city", "新乡市"],
    "backup": [],
    "restore": ["DB", "--yes"],
    "outline": ["export", "-o", "TMP/红线.geojson"],
    "standards": ["list"],
    "yields": ["list"],
    "efficiency": ["--year", "2026"],
    "server": ["upgrade", "--yes"],
}

ROWS = [(c, d, a) for c, d, a in MATRIX] + [
    (command, "db", [*VALID[command], "--db", bad]) for command in VALID for bad in BAD_DATABASES
]


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _options(parser: argparse.ArgumentParser) -> set[str]:
    """The dests of what a subcommand takes with a value (flags like --json aside)."""
    return {
        action.dest
        for action in parser._actions
        if action.dest != "help" and not (action.option_strings and action.nargs == 0)
    } | {"db"}


def test_every_subcommand_and_option_has_bad_values() -> None:
    commands = _subcommands()
    assert set(VALID) == set(commands)  # a new subcommand needs its rows
    covered = {(c, d) for c, d, _ in ROWS}
    missing = {(c, d) for c, p in commands.items() for d in _options(p)} - covered - FREE
    assert not missing, f"options without bad values in MATRIX: {sorted(missing)}"
    for command, dest, _ in MATRIX:
        assert dest in _options(commands[command]) | {"yes", "expired", "list"}, (command, dest)


@pytest.fixture
def places(demo_db: str, tmp_path: Path) -> dict[str, str]:
    csv = tmp_path / "新地块.csv"
    csv.write_text("地块编号,县区,收储面积（亩）,供应状态,整理程度\n新-001,辉县市,12.5,可供,净地\n", "utf-8")
    no_region = tmp_path / "无县区.csv"
    no_region.write_text("地块编号,收储面积（亩）,供应状态,整理程度\n新-002,12.5,可供,净地\n", "utf-8")
    (tmp_path / "照片.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(32))  # a PNG by its bytes
    for suffix in ("png", "xlsx", "pdf", "sqlite3"):
        (tmp_path / f"folder.{suffix}").mkdir()
    with sqlite3.connect(demo_db) as connection:
        parcel = connection.execute(
            "SELECT code FROM parcel WHERE status = '可供' AND reserved_project_id IS NULL ORDER BY id"
        ).fetchone()[0]
    connection.close()
    return {
        "DB": demo_db, "CSV": str(csv), "NOREGION": str(no_region), "PARCEL": parcel,
        "MISSING": str(tmp_path / "没有这个文件夹"), "TMP": str(tmp_path),
        "FOLDER": str(tmp_path / "folder"),
    }  # fmt: skip


def _filled(command: str, args: list[str], places: dict[str, str]) -> list[str]:
    def fill(arg: str) -> str:
        for key in sorted(places, key=len, reverse=True):
            if arg == key or arg.startswith((key + "/", key + ".")):
                return places[key] + arg[len(key) :]
        return arg

    argv = [command, *(fill(a) for a in args if a != "NODB")]
    if "--db" not in args and "NODB" not in args:
        argv += ["--db", places["DB"]]
    return argv


def _ledger_state(db: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(db)
    try:
        return list(
            connection.execute(
                "SELECT (SELECT count(*) FROM audit_log), (SELECT total(version) FROM parcel),"
                " (SELECT count(*) FROM parcel), (SELECT count(*) FROM quota_default),"
                " (SELECT group_concat(city) FROM ledger_info)"
            )
        )
    finally:
        connection.close()


@pytest.mark.parametrize(
    ("command", "dest", "args"), ROWS, ids=[f"{c}-{d}-{i}" for i, (c, d, _) in enumerate(ROWS)]
)
def test_a_bad_value_is_refused_with_a_chinese_message(
    command: str,
    dest: str,
    args: list[str],
    places: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    argv = _filled(command, args, places)
    before = _ledger_state(places["DB"])
    capsys.readouterr()
    code = main(argv)
    captured = capsys.readouterr()
    said = captured.err or (captured.out if command == "import" else "")  # its report
    assert code == 2, (argv, captured.err[-1000:], captured.out[-500:])
    assert CJK.search(said), (argv, said)
    assert "Traceback" not in captured.err + captured.out
    assert _ledger_state(places["DB"]) == before
    assert not (Path(places["MISSING"])).exists()  # no folder made for a file


@pytest.mark.parametrize(
    "args",
    [
        ["list", "parcels", "--limit", HUGE],
        ["list", "parcels", "--db", "mysql://clerk@10.0.0.5/ledger"],
        ["show", "parcel", "PARCEL", "--history", "-3"],
        ["reserve", "--project", "6", "--site", "PARCEL", "--also", "--until", "9999-12-31"],
        ["quota-defaults", "--county-land", "-5"],
        ["export", "parcels", "/proc/landbank-导出.xlsx"],
    ],
)
def test_the_landbank_command_refuses_bad_values_without_a_traceback(
    args: list[str], places: dict[str, str]
) -> None:
    argv = _filled(args[0], args[1:], places)
    before = _ledger_state(places["DB"])
    run = subprocess.run(
        [sys.executable, "-m", "landbank", *argv], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 2, run.stderr[-2000:]
    assert CJK.search(run.stderr)
    assert "Traceback" not in run.stderr
    assert _ledger_state(places["DB"]) == before


def test_days_beyond_the_horizon_are_refused_and_days_within_it_accepted(
    places: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from landbank.domain.horizon import EARLIEST_DAY, latest_day

    last = latest_day(date.today())
    reserve = ["reserve", "--project", "6", "--site", "PARCEL", "--also", "--until"]
    for day, code in ((last, 0), (date(last.year + 1, 1, 1), 2)):
        capsys.readouterr()
        assert main(_filled(reserve[0], [*reserve[1:], day.isoformat()], places)) == code
    assert "超出合理范围" in capsys.readouterr().err
    quota = ["quota", "--year", "2026", "--as-of"]
    assert main(_filled(quota[0], [*quota[1:], EARLIEST_DAY.isoformat()], places)) == 0
    assert main(_filled(quota[0], [*quota[1:], "1989-12-31"], places)) == 2
    assert "1990-01-01" in capsys.readouterr().err
