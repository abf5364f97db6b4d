"""The acceptance corpus of ``landbank import``: ledgers as county and township clerks keep
them, each written into a folder with the facts an import of it must produce.

Every builder takes a folder, writes one ledger (openpyxl for .xlsx — merged title rows,
填报单位 rows, two-row headers, 序号 columns, 合计 rows, 填报说明 notes, blank rows; the csv
module for CSV, in GBK as Chinese Windows saves it) and returns a :class:`Ledger`: the path,
how to import it (record kind, the ledger it goes into, extra options) and what must come out
(rows read, records created, the total area / floor area / investment, counties recognised and
created, parks created, defaults reported, refused and doubtful cells).

The expected facts are written down here from the rows the builder writes — never computed
by the code under test. Quantities are given in the field's unit beside the text the cell
holds ("20000平方米" → 30 亩), so a total is the sum of what the clerk meant.

The .xls of 中国土地市场网 cannot be written (openpyxl writes .xlsx only): the corpus uses the
copy in ``tests/data/samples`` (see its README), as it does for the three constructed samples.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
HUOJIA_SAMPLE = SAMPLES / "township_land_ledger_huojia_2025.xlsx"
MUYE_SAMPLE = SAMPLES / "district_factory_ledger_muye.xlsx"
PROJECT_SAMPLE = SAMPLES / "county_project_list.xlsx"
LANDCHINA_SAMPLE = SAMPLES / "landchina_supply_2017-01.xls"

PARCELS, FACTORIES, PROJECTS = "parcels", "factories", "projects"
# The field each kind's total is read back from (``landbank list … --json``).
TOTAL_KEYS = {PARCELS: "area_mu", FACTORIES: "floor_area_m2", PROJECTS: "total_investment_wan"}
CODE_KEYS = {PARCELS: "code", FACTORIES: "code", PROJECTS: "name"}
CITY_LEADS = "市级（待分配）"  # the city-level region of projects naming no county
KN_PER_TONNE = 9.80665  # 1 吨/㎡ in kN/m²

# Ledgers an import goes into.
EMPTY = "empty"  # a new ledger file: its first import creates the counties it names
DEMO = "demo"  # the demo city 新乡市 (tests/cli/conftest.py demo_db)

# The demo ledger's counties and parks (landbank/services/demo/data.py).
DEMO_REGIONS = ("辉县市", "获嘉县", "原阳县", "红旗区", "牧野区")


@dataclass(frozen=True)
class Problem:
    """A cell the import must name: refused (an error) or doubtful (a warning)."""

    sheet: str
    row: int  # as Excel numbers it
    columns: tuple[str, ...]  # the header(s) as the file writes it; any of them will do
    value: str = ""  # text the reported value must contain ("" = not checked)
    reason: str = ""  # text the reason must contain ("" = not checked)


@dataclass(frozen=True)
class Default:
    """A default the import must report: ``rows`` rows took ``value`` for ``field``
    (``value`` None: any value — the rows of every entry of the field are added up)."""

    field: str
    value: str | None
    rows: int


@dataclass(frozen=True)
class Ledger:
    path: Path
    kind: str  # parcels | factories | projects (the CLI's word)
    situation: str  # one line: what the ledger is about
    ledger: str  # EMPTY or DEMO
    rows: int  # data rows read (blank, 合计 and note rows not counted)
    created: int  # records written (a refused file: 0, whatever its report counts)
    total: float  # sum of TOTAL_KEYS[kind] over the records created
    exit_code: int = 0
    options: tuple[str, ...] = ()  # extra options of the import
    before: tuple[Path, ...] = ()  # files of the same kind imported first (plain import)
    sheet: str = ""  # the sheet the rows are on ("" = not checked)
    header_row: int = 0  # as Excel numbers it (0 = not checked)
    codes: tuple[str, ...] = ()  # code (project: name) of each record created, file order
    regions: Mapping[str, int] = field(default_factory=dict)  # county → records created
    # Counties created, exactly (any order); of a refused file, what its report may list as
    # what it would have created — at most these — while the ledger gains none.
    new_regions: tuple[str, ...] = ()
    recognised: Mapping[str, str] = field(default_factory=dict)  # text → county, at least
    new_parks: tuple[tuple[str, str], ...] = ()  # (park, county), exactly these
    # code → parcel (readiness, status) / factory (status,) / project (stage,)
    states: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    values: Mapping[str, Mapping[str, object]] = field(default_factory=dict)  # code → key → value
    notes_contain: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # code → texts
    defaults: tuple[Default, ...] = ()
    idle_total: float | None = None  # factories: sum of idle_area_m2 created
    errors: tuple[Problem, ...] = ()  # at least these
    warnings: tuple[Problem, ...] = ()  # at least these
    sheets: tuple[tuple[str, int], ...] = ()  # (sheet, rows) of a run over several sheets
    skipped_sheets: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def total_key(self) -> str:
        return TOTAL_KEYS[self.kind]

    @property
    def code_key(self) -> str:
        return CODE_KEYS[self.kind]


# ---------------------------------------------------------------- writing sheets

Cells = Sequence[object]
BLANK: Cells = ()  # a blank row between data rows


def _put(ws: Worksheet, row: int, column: int, value: object) -> None:
    cell = ws.cell(row=row, column=column, value=cast(Any, value))
    if isinstance(value, str):
        cell.data_type = "s"  # the text as typed, never a formula
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"  # an Excel date (a serial number shown as a date)


def _banner(ws: Worksheet, row: int, text: str, width: int) -> None:
    _put(ws, row, 1, text)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def write_sheet(
    ws: Worksheet,
    header: Sequence[str],
    rows: Sequence[Cells],
    *,
    title: str | None = None,
    filler: str | None = None,
    sub_header: Sequence[str] | None = None,
    header_merges: Sequence[tuple[int, int, int, int]] = (),
    total: Cells | None = None,
    notes: Sequence[str] = (),
) -> list[int]:
    """A ledger sheet as clerks lay it out: the title merged across the top, the 填报单位 row,
    the header (with ``sub_header`` a second header row; ``header_merges`` (first row offset,
    first column, last row offset, last column) blocks merged in it, offsets from the header's
    first row, columns 1-based), the data rows (``BLANK`` leaves a row empty), the 合计 row, a
    blank row and the notes, each merged across the width.

    Returns the Excel row number of each data row (blank rows left out)."""
    width = len(header)
    r = 1
    if title is not None:
        _banner(ws, r, title, width)
        r += 1
    if filler is not None:
        _banner(ws, r, filler, width)
        r += 1
    top = r
    for c, text in enumerate(header, start=1):
        if text:
            _put(ws, r, c, text)
    r += 1
    if sub_header is not None:
        for c, text in enumerate(sub_header, start=1):
            if text:
                _put(ws, r, c, text)
        r += 1
    for r0, c0, r1, c1 in header_merges:
        ws.merge_cells(start_row=top + r0, start_column=c0, end_row=top + r1, end_column=c1)
    numbers: list[int] = []
    for cells in rows:
        if cells:
            for c, value in enumerate(cells, start=1):
                if value is not None and value != "":
                    _put(ws, r, c, value)
            numbers.append(r)
        r += 1
    if total is not None:
        for c, value in enumerate(total, start=1):
            if value is not None and value != "":
                _put(ws, r, c, value)
        r += 1
    if notes:
        r += 1
        for text in notes:
            _banner(ws, r, text, width)
            r += 1
    return numbers


def _book(sheet: str) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = sheet
    return book, ws


def write_csv(path: Path, rows: Sequence[Cells], *, encoding: str) -> Path:
    """A CSV as Excel on Chinese Windows saves it: CRLF line ends, in ``encoding``."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def excel_serial(day: date) -> int:
    """The number Excel stores for ``day`` (what a date cell holds once its format is lost)."""
    return (day - date(1899, 12, 30)).days


def short_name(county: str) -> str:
    """获嘉县 → 获嘉, 辉县市 → 辉县, 牧野区 → 牧野: the head of generated 地块编号."""
    return county[:-1] if len(county) > 2 and county.endswith(("县", "市", "区")) else county


def _sum(values: Sequence[float]) -> float:
    return round(sum(values), 6)


def _filer(unit: str, day: str) -> str:
    return f"填报单位：{unit}（盖章）                    填报日期：{day}"


# ---------------------------------------------------------------- a. minimal 收储台账


def reserve_ledger_minimal(folder: Path) -> Ledger:
    """a. A city's 收储台账 with only 编号, 县区, 坐落, 面积, 收储日期, 备注: no 供应状态, no
    整理程度 (→ 可供; 已收储(毛地) with a 收储日期, else 拟收储); 面积 as 66.75, "120亩",
    "约117.35亩", "１２０"; dates as an Excel date, "2025年6月3日", "2025.4", "2025/5/6"."""
    path = folder / "a_2025年度工业用地收储台账.xlsx"
    book, ws = _book("收储台账")
    rows: list[tuple[Cells, float]] = [
        (("HX-2025-01", "辉县市", "孟庄镇南环路北侧", 66.75, date(2025, 5, 16), None), 66.75),
        (("HX-2025-02", "辉县市", "百泉镇工业大道东侧", "120亩", "2025年6月3日", "已完成土地征收"), 120),
        (("HJ-2025-01", "获嘉县", "亢村镇纬三路北侧", "约117.35亩", "2025.4", None), 117.35),
        (("HJ-2025-02", "获嘉县", "照镜镇产业大道南", "１２０", "2025/5/6", None), 120),
        (("HJ-2025-03", "获嘉县", "太山镇经二路东侧", 45.5, None, "计划明年收储"), 45.5),
    ]
    total = _sum([area for _cells, area in rows])
    write_sheet(
        ws,
        ["编号", "县区", "坐落", "面积", "收储日期", "备注"],
        [cells for cells, _area in rows],
        title="2025年度工业用地收储台账",
        filler=_filer("新乡市商务局", "2025年12月1日"),
        total=("合计", None, None, total, None, None),
        notes=["填报说明：面积以亩为单位；收储日期填写县政府收储批复日期，未收储的不填。"],
    )
    book.save(path)
    raw = ("已收储(毛地)", "可供")
    return Ledger(
        path,
        PARCELS,
        "收储台账 with only 编号/县区/坐落/面积/收储日期/备注 (status and readiness defaulted)",
        EMPTY,
        rows=5,
        created=5,
        total=total,
        sheet="收储台账",
        header_row=3,
        codes=("HX-2025-01", "HX-2025-02", "HJ-2025-01", "HJ-2025-02", "HJ-2025-03"),
        regions={"辉县市": 2, "获嘉县": 3},
        new_regions=("辉县市", "获嘉县"),
        states={
            "HX-2025-01": raw,
            "HX-2025-02": raw,
            "HJ-2025-01": raw,
            "HJ-2025-02": raw,
            "HJ-2025-03": ("拟收储", "可供"),
        },
        values={
            "HJ-2025-01": {"area_mu": 117.35, "reserve_date": "2025-04-01"},
            "HJ-2025-02": {"area_mu": 120.0, "reserve_date": "2025-05-06"},
            "HX-2025-02": {"reserve_date": "2025-06-03", "location": "百泉镇工业大道东侧"},
            "HX-2025-01": {"reserve_date": "2025-05-16"},
        },
        defaults=(
            Default("status", "可供", 5),
            Default("readiness", "已收储(毛地)", 4),
            Default("readiness", "拟收储", 1),
        ),
    )


# ---------------------------------------------------------------- b. no 地块编号


# The code the demo ledger already holds in 获嘉县 with the prefix the generated codes use.
SEEDED_HUOJIA_CODE = "获嘉2025-007"


def seed_huojia_code(folder: Path) -> Path:
    """A CSV putting one parcel coded 获嘉2025-007 into 获嘉县 (imported before ledger b)."""
    return write_csv(
        folder / "获嘉县已入库地块.csv",
        [
            ["地块编号", "县区", "坐落", "收储面积(亩)", "整理程度", "供应状态", "收储日期"],
            [SEEDED_HUOJIA_CODE, "获嘉县", "亢村镇经五路西侧", 10, "净地", "可供", "2025-01-15"],
        ],
        encoding="utf-8-sig",
    )


def township_ledger_no_codes(folder: Path) -> Ledger:
    """b. A township ledger with NO 地块编号 column and no 县区 column: the county (获嘉县) is
    in the title. Codes are generated per county short name and year of 收储日期 (the current
    year without one), continuing after 获嘉2025-007 already in the ledger, in file order."""
    seed = seed_huojia_code(folder)
    path = folder / "b_获嘉县2025年度工业用地收储台账.xlsx"
    book, ws = _book("2025年收储台账")
    this_year = date.today().year
    rows: list[tuple[Cells, float, int, tuple[str, str]]] = [
        (
            (1, "亢村镇", "亢村镇纬三路北侧", 55.01, "2025年3月2日", "毛地", "工业用地", None, None),
            55.01,
            2025,
            ("已收储(毛地)", "可供"),
        ),
        (
            (2, "照镜镇", "照镜镇新乡西站物流园北", "约39.59亩", "2025.4", "净地", "工业用地",
             "（在谈）某食品公司", "待组卷报批"),
            39.59,
            2025,
            ("净地(可供)", "可供"),
        ),
        (
            (3, "太山镇", "太山镇经二路东侧", 80, date(2024, 11, 20), "三通一平", "工业用地", None,
             "2024年结转"),
            80,
            2024,
            ("三通一平", "可供"),
        ),
        (
            (4, "太山镇", "太山镇产业大道南", 26.81, None, "毛地", "工业用地", None, "收储时间待定"),
            26.81,
            this_year,
            ("已收储(毛地)", "可供"),
        ),
        (
            (5, "亢村镇", "亢村镇经二路东侧", 104.57, excel_serial(date(2025, 5, 18)), "正在拆迁",
             "工业用地", "河南某新材料有限公司", None),
            104.57,
            2025,
            ("已收储(毛地)", "可供"),
        ),
        (
            (6, "冯庄镇", "冯庄镇G107东侧", 14.88, "2025/8/12", "已供地", "工业用地", None,
             "已完成土地征收"),
            14.88,
            2025,
            ("净地(可供)", "已出让/划拨"),
        ),
    ]
    cells = [r[0] for r in rows]
    total = _sum([r[1] for r in rows])
    write_sheet(
        ws,
        ["序号", "乡镇", "地块位置", "面积（亩）", "收储时间", "土地现状", "规划用途", "意向企业", "备注"],
        [*cells[:3], BLANK, *cells[3:]],
        title="获嘉县2025年度工业用地收储台账",
        filler=_filer("获嘉县商务局", "2025年11月30日"),
        total=("合计", None, None, total, None, None, None, None, None),
        notes=["填报说明：1.面积以亩为单位，保留两位小数；2.土地现状填写毛地、净地等。"],
    )
    book.save(path)
    # Generated: 获嘉{year}-NNN, after the highest code of that prefix (007 for 2025).
    following = {2025: 8}
    codes: list[str] = []
    for _cells, _area, year, _state in rows:
        number = following.get(year, 1)
        following[year] = number + 1
        codes.append(f"{short_name('获嘉县')}{year}-{number:03d}")
    return Ledger(
        path,
        PARCELS,
        "township ledger without 地块编号 or 县区 column: county from the title, codes generated",
        DEMO,
        rows=6,
        created=6,
        total=total,
        before=(seed,),
        sheet="2025年收储台账",
        header_row=3,
        codes=tuple(codes),
        regions={"获嘉县": 6},
        states={code: r[3] for code, r in zip(codes, rows, strict=True)},
        values={codes[1]: {"area_mu": 39.59, "township": "照镜镇"}},
        defaults=(Default("region_id", "获嘉县", 6), Default("code", None, 6)),
    )


# ---------------------------------------------------------------- c. one 状态 column


MIXED_STATUS_WORDS: tuple[tuple[str, bool, tuple[str, str]], ...] = (
    # (word, has 收储日期, (整理程度, 供应状态))
    ("净地", True, ("净地(可供)", "可供")),
    ("毛地", True, ("已收储(毛地)", "可供")),
    ("已供地", True, ("净地(可供)", "已出让/划拨")),
    ("已出让", True, ("净地(可供)", "已出让/划拨")),
    ("正在招拍挂", True, ("净地(可供)", "已挂牌")),
    # 可供应: the land can be supplied, which only 净地 can (净地出让): not a default.
    ("可供应", True, ("净地(可供)", "可供")),
    ("已挂牌", True, ("净地(可供)", "已挂牌")),
    ("已划拨", True, ("净地(可供)", "已出让/划拨")),
    ("三通一平", True, ("三通一平", "可供")),
    ("正在拆迁", True, ("已收储(毛地)", "可供")),
    ("可供应", False, ("净地(可供)", "可供")),
)


def mixed_status_column(folder: Path) -> Ledger:
    """c. One 状态 column mixing the words of both ladders (整理程度 and 供应状态)."""
    path = folder / "c_原阳县工业用地收储及供应台账.xlsx"
    book, ws = _book("收储及供应")
    areas = (30, 45.2, 60, 25.5, 80, 33.3, 50, 12, 100, 66, 20)
    rows: list[Cells] = []
    codes: list[str] = []
    for i, ((word, dated, _state), area) in enumerate(
        zip(MIXED_STATUS_WORDS, areas, strict=True), start=1
    ):
        code = f"YY-2025-{i:02d}"
        codes.append(code)
        day = date(2025, 1 + i % 11, 10 + i) if dated else None
        rows.append((i, code, "原阳县", "原武镇", f"原武镇规划{i}路东侧", area, day, word, None))
    total = _sum(areas)
    write_sheet(
        ws,
        ["序号", "地块编号", "县区", "乡镇", "坐落", "面积(亩)", "收储日期", "状态", "备注"],
        rows,
        title="工业用地收储及供应情况台账（截至2025年11月）",
        filler=_filer("原阳县商务局", "2025年11月30日"),
        total=("合计", None, None, None, None, total, None, None, None),
        notes=["填报说明：状态填写净地、毛地、已供地等。"],
    )
    book.save(path)
    return Ledger(
        path,
        PARCELS,
        "one 状态 column mixing 净地/毛地/已供地/已出让/正在招拍挂/可供应/已挂牌/已划拨/三通一平/正在拆迁",
        EMPTY,
        rows=11,
        created=11,
        total=total,
        sheet="收储及供应",
        header_row=3,
        codes=tuple(codes),
        regions={"原阳县": 11},
        new_regions=("原阳县",),
        states={code: w[2] for code, w in zip(codes, MIXED_STATUS_WORDS, strict=True)},
    )


# ---------------------------------------------------------------- d. units


def land_in_mixed_units(folder: Path) -> Ledger:
    """d. 面积(公顷) in the header; cells "20000平方米", "1.5公顷", "30亩", "13,340㎡" and bare
    numbers (公顷, from the header) — all into 亩."""
    path = folder / "d_红旗区收储地块统计表.xlsx"
    book, ws = _book("Sheet1")
    areas: list[tuple[object, float]] = [
        (2, 30.0),
        ("20000平方米", 30.0),
        ("1.5公顷", 22.5),
        ("30亩", 30.0),
        (0.8, 12.0),
        ("13,340㎡", 20.01),
    ]
    rows: list[Cells] = []
    codes: list[str] = []
    for i, (cell, _mu) in enumerate(areas, start=1):
        code = f"HQ2025-{i:02d}"
        codes.append(code)
        rows.append((i, code, "红旗区", f"洪门镇创业大道{i}号地块", cell, "净地", "可供", f"2025.{i}"))
    write_sheet(
        ws,
        ["序号", "地块编号", "县区", "坐落", "面积(公顷)", "整理程度", "供应状态", "收储日期"],
        rows,
        title="红旗区2025年收储地块统计表",
        filler="单位：公顷",
        notes=["注：面积以公顷为单位，个别地块按原批文单位填写。"],
    )
    book.save(path)
    return Ledger(
        path,
        PARCELS,
        "面积(公顷) header with 平方米/公顷/亩/㎡ cells",
        EMPTY,
        rows=6,
        created=6,
        total=_sum([mu for _cell, mu in areas]),
        sheet="Sheet1",
        header_row=3,
        codes=tuple(codes),
        regions={"红旗区": 6},
        new_regions=("红旗区",),
        values={code: {"area_mu": mu} for code, (_cell, mu) in zip(codes, areas, strict=True)},
    )


def factories_in_wan_m2(folder: Path) -> Ledger:
    """d. A factory ledger with 建筑面积(万平方米); cells "3600平方米", "0.5万㎡", "2400㎡"."""
    path = folder / "d_红旗区标准化厂房建设情况表.xlsx"
    book, ws = _book("厂房")
    areas: list[tuple[object, float, str]] = [
        (0.48, 4800.0, "已入驻"),
        (1.2, 12000.0, "部分入驻"),
        ("3600平方米", 3600.0, "已建成"),
        ("0.5万㎡", 5000.0, "已入驻"),
        ("2400㎡", 2400.0, "已建成"),
    ]
    rows: list[Cells] = []
    codes: list[str] = []
    for i, (cell, _m2, status) in enumerate(areas, start=1):
        code = f"HQ-CF-{i:02d}"
        codes.append(code)
        rows.append((i, code, f"{i}#标准化厂房", "红旗区", cell, status, date(2024, i, 28)))
    write_sheet(
        ws,
        ["序号", "厂房编号", "厂房名称", "县区", "建筑面积(万平方米)", "状态", "竣工日期"],
        rows,
        title="红旗区标准化厂房建设情况表",
        filler=_filer("红旗区商务局", "2025年11月20日"),
        total=("合计", None, None, None, 2.78, None, None),
        notes=["填报说明：建筑面积以万平方米为单位。"],
    )
    book.save(path)
    return Ledger(
        path,
        FACTORIES,
        "factory ledger with 建筑面积(万平方米) and 平方米/万㎡/㎡ cells",
        EMPTY,
        rows=5,
        created=5,
        total=_sum([m2 for _c, m2, _s in areas]),
        sheet="厂房",
        header_row=3,
        codes=tuple(codes),
        regions={"红旗区": 5},
        new_regions=("红旗区",),
        states={code: (a[2],) for code, a in zip(codes, areas, strict=True)},
        values={code: {"floor_area_m2": a[1]} for code, a in zip(codes, areas, strict=True)},
    )


# ---------------------------------------------------------------- e. county names


COUNTY_NAME_ROWS: tuple[tuple[str, str], ...] = (
    # (县区 cell, the county it means); "" → the title's 辉县市
    ("辉县", "辉县市"),
    ("原阳", "原阳县"),
    ("获嘉", "获嘉县"),
    ("长垣", "长垣市"),
    ("辉县市", "辉县市"),
    ("原阳县", "原阳县"),
    ("", "辉县市"),
    ("", "辉县市"),
)


def county_names_mixed(folder: Path) -> Ledger:
    """e. Counties by short names (辉县, 原阳, 获嘉, 长垣) and full names mixed; the county of
    the title ("辉县市百泉镇工业用地收储台账") for the rows naming none. Into an empty
    ledger (its first import creates the four counties); in the demo ledger 长垣市 is not
    there yet (a row error unless --create-regions)."""
    path = folder / "e_辉县市百泉镇工业用地收储台账.xlsx"
    book, ws = _book("百泉镇")
    rows: list[Cells] = []
    codes: list[str] = []
    areas = (35.5, 42, 18.6, 60, 27.25, 51, 33, 24.4)
    for i, ((cell, _county), area) in enumerate(zip(COUNTY_NAME_ROWS, areas, strict=True), 1):
        code = f"BQ-2025-{i:02d}"
        codes.append(code)
        rows.append((i, code, cell or None, f"百泉镇经{i}路东侧", area, f"2025年{i}月8日", "毛地"))
    write_sheet(
        ws,
        ["序号", "地块编号", "县区", "坐落", "面积（亩）", "收储时间", "土地现状"],
        rows,
        title="辉县市百泉镇工业用地收储台账",
        filler=_filer("百泉镇人民政府", "2025年10月9日"),
        total=("合计", None, None, None, _sum(areas), None, None),
    )
    book.save(path)
    regions: dict[str, int] = {}
    for _cell, county in COUNTY_NAME_ROWS:
        regions[county] = regions.get(county, 0) + 1
    return Ledger(
        path,
        PARCELS,
        "counties by short and full names; the title's county for rows naming none",
        EMPTY,
        rows=8,
        created=8,
        total=_sum(areas),
        sheet="百泉镇",
        header_row=3,
        codes=tuple(codes),
        regions=regions,
        new_regions=("辉县市", "原阳县", "获嘉县", "长垣市"),
        recognised={"辉县": "辉县市", "原阳": "原阳县", "获嘉": "获嘉县", "长垣": "长垣市"},
        states={code: ("已收储(毛地)", "可供") for code in codes},
        defaults=(Default("region_id", "辉县市", 2),),
    )


# ---------------------------------------------------------------- f. new parks


def factories_in_new_parks(folder: Path) -> Ledger:
    """f. Factories in parks the ledger does not know yet (高新区 in two counties,
    新兴产业园) beside a registered one (原阳县食品产业园): the new ones are created under the
    row's county."""
    path = folder / "f_原阳县标准化厂房台账.xlsx"
    book, ws = _book("标准厂房")
    owner = "原阳县城乡发展投资有限公司"
    rows: list[tuple[Cells, float, str]] = [
        ((1, "YY-GX-01", "高新区1号厂房", "原阳县", "高新区", owner, 2, 6000, "已入驻",
          date(2024, 6, 30)), 6000, "已入驻"),
        ((2, "YY-GX-02", "高新区2号厂房", "原阳", "高新区", owner, 1, 4800, "已建成",
          "2024年12月"), 4800, "已建成"),
        ((3, "YY-XX-01", "新兴产业园A栋", "原阳县", "新兴产业园", "某置业有限公司", 3, 9600,
          "部分入驻", "2025.3"), 9600, "部分入驻"),
        ((4, "YY-SP-01", "食品产业园3号厂房", "原阳县", "原阳县食品产业园", owner, 1, 5000,
          "已入驻", "2023/10/8"), 5000, "已入驻"),
        ((5, "HX-GX-01", "辉县高新区1号厂房", "辉县市", "高新区", "辉县市城市建设投资有限公司", 2,
          7200, "在建", "在建"), 7200, "在建"),
    ]
    header = ["序号", "厂房编号", "厂房名称", "县区", "所在园区", "建设单位", "层数", "建筑面积(㎡)",
              "状态", "竣工时间"]
    write_sheet(
        ws,
        header,
        [r[0] for r in rows],
        title="原阳县标准化厂房台账（2025年）",
        filler=_filer("原阳县商务局", "2025年11月25日"),
        total=("合计", None, None, None, None, None, None, _sum([r[1] for r in rows]), None, None),
    )
    book.save(path)
    codes = tuple(str(r[0][1]) for r in rows)
    return Ledger(
        path,
        FACTORIES,
        "factories in parks not registered yet (高新区, 新兴产业园): parks created",
        DEMO,
        rows=5,
        created=5,
        total=_sum([r[1] for r in rows]),
        sheet="标准厂房",
        header_row=3,
        codes=codes,
        regions={"原阳县": 4, "辉县市": 1},
        recognised={"原阳": "原阳县"},
        new_parks=(("高新区", "原阳县"), ("新兴产业园", "原阳县"), ("高新区", "辉县市")),
        states={code: (r[2],) for code, r in zip(codes, rows, strict=True)},
        values={
            "YY-GX-01": {"park": "高新区", "region": "原阳县"},
            "HX-GX-01": {"park": "高新区", "region": "辉县市"},
            "YY-XX-01": {"park": "新兴产业园"},
            "YY-SP-01": {"park": "原阳县食品产业园"},
        },
    )


# ---------------------------------------------------------------- g. 栋号 only / 编号 only


def factories_by_building_number(folder: Path) -> Ledger:
    """g. A factory ledger with only 栋号 (no 厂房编号): the code is 园区 + 栋号 when the row
    names a park, else the 栋号; the county (牧野区) is in the title."""
    path = folder / "g_牧野区标准厂房统计表.xlsx"
    book, ws = _book("厂房")
    park = "牧野区化工园区"
    rows: list[tuple[Cells, float, str, str]] = [
        ((1, "1#", park, 4800, "已入驻", date(2024, 12, 28)), 4800, "已入驻", f"{park}1#"),
        ((2, "2#", park, 3600, "部分入驻", "2025年6月"), 3600, "部分入驻", f"{park}2#"),
        ((3, "A栋", None, 2400, "已建成", "2023.5"), 2400, "已建成", "A栋"),
        ((4, "5#", park, 6000, "在建", "在建"), 6000, "在建", f"{park}5#"),
    ]
    write_sheet(
        ws,
        ["序号", "栋号", "所在园区", "建筑面积(㎡)", "使用情况", "竣工时间"],
        [r[0] for r in rows],
        title="牧野区标准厂房统计表",
        filler=_filer("牧野区商务局", "2025年11月18日"),
        total=("合计", None, None, _sum([r[1] for r in rows]), None, None),
        notes=["填报说明：无园区的厂房不填“所在园区”。"],
    )
    book.save(path)
    codes = tuple(r[3] for r in rows)
    return Ledger(
        path,
        FACTORIES,
        "factory ledger with only 栋号: codes 园区+栋号 (or the 栋号 without a park)",
        DEMO,
        rows=4,
        created=4,
        total=_sum([r[1] for r in rows]),
        sheet="厂房",
        header_row=3,
        codes=codes,
        regions={"牧野区": 4},
        states={code: (r[2],) for code, r in zip(codes, rows, strict=True)},
        values={
            f"{park}1#": {"name": "1#", "park": park},
            "A栋": {"name": "A栋", "park": None},
        },
        defaults=(Default("region_id", "牧野区", 4), Default("code", None, 4)),
    )


def factories_by_code_only(folder: Path) -> Ledger:
    """g. A factory ledger with only 厂房编号 (no 名称/栋号) and no status column: the name is
    the code; 在建 when 竣工时间 says 在建 or lies ahead, else 已建成."""
    path = folder / "g_红旗区标准化厂房台账.xlsx"
    book, ws = _book("Sheet1")
    dev = "红旗区经济技术开发区"
    battery = "红旗区洪门新能源电池产业园"
    rows: list[tuple[Cells, float, str]] = [
        ((1, "HQ-BZ-01", "红旗区", dev, 8000, date(2023, 9, 1)), 8000, "已建成"),
        ((2, "HQ-BZ-02", "红旗区", dev, 6400, "在建"), 6400, "在建"),
        ((3, "HQ-BZ-03", "红旗区", battery, 12000, f"{date.today().year + 2}年6月"), 12000, "在建"),
        ((4, "HQ-BZ-04", "红旗区", battery, 5000, "2024.12"), 5000, "已建成"),
    ]
    write_sheet(
        ws,
        ["序号", "厂房编号", "县区", "园区", "建筑面积(㎡)", "竣工时间"],
        [r[0] for r in rows],
        title="红旗区标准化厂房台账",
        filler=_filer("红旗区商务局", "2025年11月18日"),
    )
    book.save(path)
    codes = tuple(str(r[0][1]) for r in rows)
    return Ledger(
        path,
        FACTORIES,
        "factory ledger with only 厂房编号, no 名称/栋号, no status (在建/已建成 from 竣工时间)",
        DEMO,
        rows=4,
        created=4,
        total=_sum([r[1] for r in rows]),
        sheet="Sheet1",
        header_row=3,
        codes=codes,
        regions={"红旗区": 4},
        states={code: (r[2],) for code, r in zip(codes, rows, strict=True)},
        values={code: {"name": code} for code in codes},
        defaults=(
            Default("status", "在建", 2),
            Default("status", "已建成", 2),
            Default("name", None, 4),
        ),
    )


# ---------------------------------------------------------------- h. idle without 闲置面积


def idle_factories_without_idle_area(folder: Path) -> Ledger:
    """h. Buildings listed 闲置 (or 空置) with their floor area and no 闲置面积 column: each
    is idle over its whole floor area; the occupied ones have no idle area."""
    path = folder / "h_辉县市标准化厂房使用情况表.xlsx"
    book, ws = _book("使用情况")
    cluster, mengzhuang = "辉县市产业集聚区", "辉县市孟庄产业园"
    rows: list[tuple[Cells, float, str, float | None]] = [
        ((1, "HX-BZ-01", "1#厂房", "辉县市", cluster, 1, 4800, "闲置", None, None),
         4800, "闲置", 4800),
        ((2, "HX-BZ-02", "2#厂房", "辉县市", cluster, 2, 7200, "闲置", None, "招商中"),
         7200, "闲置", 7200),
        ((3, "HX-BZ-03", "3#厂房", "辉县市", cluster, 3, 9600, "已入驻", "某机械制造有限公司", None),
         9600, "已入驻", None),
        ((4, "HX-BZ-04", "4#厂房", "辉县市", cluster, 2, 6000, "部分入驻", "某电子科技有限公司",
          None), 6000, "部分入驻", None),
        ((5, "HX-BZ-05", "5#厂房", "辉县市", mengzhuang, 1, "3600㎡", "空置", None, None),
         3600, "闲置", 3600),
    ]
    write_sheet(
        ws,
        ["序号", "厂房编号", "名称/栋号", "县区", "所在园区", "层数", "建筑面积(㎡)", "使用状态",
         "入驻企业", "备注"],
        [r[0] for r in rows],
        title="辉县市标准化厂房使用情况表",
        filler=_filer("辉县市商务局", "2025年11月26日"),
        total=("合计", None, None, None, None, None, _sum([r[1] for r in rows]), None, None, None),
    )
    book.save(path)
    codes = tuple(str(r[0][1]) for r in rows)
    return Ledger(
        path,
        FACTORIES,
        "buildings listed 闲置 with floor area and no 闲置面积 (idle = floor area)",
        DEMO,
        rows=5,
        created=5,
        total=_sum([r[1] for r in rows]),
        sheet="使用情况",
        header_row=3,
        codes=codes,
        regions={"辉县市": 5},
        states={code: (r[2],) for code, r in zip(codes, rows, strict=True)},
        values={code: {"idle_area_m2": r[3]} for code, r in zip(codes, rows, strict=True)},
        idle_total=_sum([r[3] or 0 for r in rows]),
        defaults=(Default("idle_area_m2", None, 3),),
    )


# ---------------------------------------------------------------- i. a county's project list


PROJECT_PROGRESS: tuple[tuple[str, str, float, float | None, float | None, str], ...] = (
    # (项目名称, 项目进展, 总投资（亿元）, 用地需求（亩）, 层高要求(米), 阶段)
    ("年产6万吨锂电正极材料项目", "已签约，正在办理供地手续", 11.6, 120, 8, "签约"),
    ("年产8万吨精密铸件扩建项目", "多轮洽谈", 2.5, 30, None, "在谈"),
    ("高端智能农机整机制造基地项目", "已开工建设，主体封顶", 5.8, 80, 9, "开工"),
    ("年产3万吨烘焙食品项目", "项目终止（企业战略调整）", 1.2, None, None, "终止"),
    ("年产20万吨装配式建材项目", "已竣工投产", 6, 50, 7.5, "竣工投产"),
    ("原阳县医用敷料产业园项目", "", 0.8, None, 6, "线索"),
)


def county_project_list(folder: Path) -> Ledger:
    """i. A county's project list with no 承办县区 column (→ 市级（待分配） without --region),
    总投资（亿元）, 项目进展 as free text (线索 when empty), 层高要求(米)."""
    path = folder / "i_重点招商项目推进情况表.xlsx"
    book, ws = _book("重点项目")
    investors = ("浙江某实业有限公司", "江苏某科技有限公司", "河南某农机装备有限公司",
                 "广东某食品有限公司", "山东某建材集团有限公司", "某医疗器械有限公司")
    rows: list[Cells] = []
    for i, (name, progress, yi, land, height, _stage) in enumerate(PROJECT_PROGRESS, start=1):
        rows.append((i, name, investors[i - 1], yi, land, height, progress or None,
                     "王副县长", "县商务局"))
    write_sheet(
        ws,
        ["序号", "项目名称", "投资方", "总投资（亿元）", "用地需求（亩）", "层高要求(米)", "项目进展",
         "责任领导", "责任单位"],
        rows,
        title="重点招商项目推进情况表（2025年11月）",
        filler="填报单位：（盖章）                    金额单位：亿元",
        total=("合计", None, None, _sum([p[2] for p in PROJECT_PROGRESS]), None, None, None, None,
               None),
        notes=["填报说明：项目进展请如实填写，终止项目注明原因。"],
    )
    book.save(path)
    names = tuple(p[0] for p in PROJECT_PROGRESS)
    return Ledger(
        path,
        PROJECTS,
        "county project list without 承办县区: 市级（待分配）, 亿元, 项目进展 free text, 层高要求",
        DEMO,
        rows=6,
        created=6,
        total=_sum([p[2] * 10000 for p in PROJECT_PROGRESS]),
        sheet="重点项目",
        header_row=3,
        codes=names,
        regions={CITY_LEADS: 6},
        new_regions=(CITY_LEADS,),
        states={p[0]: (p[5],) for p in PROJECT_PROGRESS},
        values={
            p[0]: {"total_investment_wan": p[2] * 10000, "req_land_mu": p[3],
                   "req_ceiling_height_m": p[4]}
            for p in PROJECT_PROGRESS
        },
        defaults=(Default("stage", "线索", 1),),
    )


# ---------------------------------------------------------------- j. one sheet per township


TOWNSHIP_SHEETS: tuple[tuple[str, str, tuple[float, ...]], ...] = (
    ("孟庄镇", "MZ", (66.75, 28.77, 104.57)),
    ("百泉镇", "BQ", (35.5, 42.0)),
    ("常村镇", "CC", (18.6, 60.0, 27.25, 51.0)),
)


def township_workbook(folder: Path) -> Ledger:
    """j. A county's workbook: a 说明 sheet, one sheet per township (three, one layout) and a
    汇总 sheet of another layout. ``--sheet all`` imports the three township sheets in one
    run and lists 说明 and 汇总 as skipped."""
    path = folder / "j_辉县市各乡镇收储台账汇总.xlsx"
    book, notes = _book("说明")
    notes.append(["本台账由各乡镇填报，县商务局汇总。"])
    notes.append(["面积单位：亩；收储日期以县政府批复为准。"])
    codes: list[str] = []
    summary: list[Cells] = []
    for township, prefix, areas in TOWNSHIP_SHEETS:
        ws = book.create_sheet(township)
        rows: list[Cells] = []
        for i, area in enumerate(areas, start=1):
            code = f"{prefix}-2025-{i:02d}"
            codes.append(code)
            rows.append((i, code, f"{township}纬{i}路北侧", area, f"2025年{i + 2}月{i + 9}日",
                         "毛地" if i % 2 else "净地", None))
        write_sheet(
            ws,
            ["序号", "地块编号", "坐落", "面积（亩）", "收储日期", "土地现状", "备注"],
            rows,
            title=f"辉县市{township}2025年工业用地收储台账",
            filler=_filer(f"{township}人民政府", "2025年11月28日"),
            total=("合计", None, None, _sum(areas), None, None, None),
        )
        summary.append((township, len(areas), _sum(areas), None))
    ws = book.create_sheet("汇总")
    write_sheet(
        ws,
        ["乡镇", "地块数（宗）", "面积合计（亩）", "其中已供（亩）"],
        summary,
        title="辉县市2025年工业用地收储情况汇总表",
        total=("合计", len(codes), _sum([a for t in TOWNSHIP_SHEETS for a in t[2]]), None),
    )
    book.save(path)
    total = _sum([a for t in TOWNSHIP_SHEETS for a in t[2]])
    return Ledger(
        path,
        PARCELS,
        "one sheet per township (3, one layout) + 说明 and 汇总 sheets: --sheet all",
        DEMO,
        rows=len(codes),
        created=len(codes),
        total=total,
        options=("--sheet", "all"),
        codes=tuple(codes),
        regions={"辉县市": len(codes)},
        sheets=tuple((t[0], len(t[2])) for t in TOWNSHIP_SHEETS),
        skipped_sheets=("说明", "汇总"),
    )


# ---------------------------------------------------------------- k. GBK CSV


def gbk_csv_with_title(folder: Path) -> Ledger:
    """k. A CSV saved by Chinese Windows (GBK, CRLF) with a title row naming the county, a
    合计 row and a note; "约23.71亩", "１２０", three date spellings."""
    path = folder / "k_原阳县收储台账.csv"
    rows: list[tuple[Cells, float, tuple[str, str]]] = [
        ((1, "YY2025-01", "师寨镇", "师寨镇黄河大道南侧", "约23.71亩", "2025年5月16日", "净地", ""),
         23.71, ("净地(可供)", "可供")),
        ((2, "YY2025-02", "师寨镇", "师寨镇荣鑫街西侧", 56.4, "2025.4", "毛地", "待组卷报批"),
         56.4, ("已收储(毛地)", "可供")),
        ((3, "YY2025-03", "太平镇", "太平镇开元路南侧", "１２０", "2025/5/6", "三通一平", ""),
         120.0, ("三通一平", "可供")),
        ((4, "YY2025-04", "太平镇", "太平镇纬二路北侧", 88, "2025-07-01", "已出让", ""),
         88.0, ("净地(可供)", "已出让/划拨")),
    ]
    total = _sum([r[1] for r in rows])
    lines: list[Cells] = [
        ["原阳县2025年工业用地收储台账", "", "", "", "", "", "", ""],
        ["序号", "地块编号", "乡镇", "坐落", "面积（亩）", "收储时间", "土地现状", "备注"],
        *[r[0] for r in rows],
        ["合计", "", "", "", total, "", "", ""],
        ["填报说明：面积以亩为单位。", "", "", "", "", "", "", ""],
    ]
    write_csv(path, lines, encoding="gbk")
    codes = tuple(str(r[0][1]) for r in rows)
    return Ledger(
        path,
        PARCELS,
        "GBK CSV (Chinese Windows) with a title row naming the county",
        EMPTY,
        rows=4,
        created=4,
        total=total,
        header_row=2,
        codes=codes,
        regions={"原阳县": 4},
        new_regions=("原阳县",),
        states={code: r[2] for code, r in zip(codes, rows, strict=True)},
        values={"YY2025-03": {"area_mu": 120.0, "township": "太平镇"}},
        defaults=(Default("region_id", "原阳县", 4),),
    )


# ---------------------------------------------------------------- l. 中国土地市场网


# The rows of 新乡市 among the 773 工业用地 of the January 2017 file: (行政区, 公顷).
LANDCHINA_XINXIANG = (("延津县", 9.555633), ("原阳县", 1.786130), ("新乡市本级", 0.808080))
LANDCHINA_ROWS = 3677
LANDCHINA_INDUSTRIAL = 773


def landchina_national(folder: Path) -> Ledger:
    """l. The national 中国土地市场网 .xls (real, copied sample) into the demo ledger of 新乡市
    (with --create-regions): the rows outside the city are skipped and counted, the three
    industrial rows of 新乡市 imported, no county outside 新乡市 created."""
    del folder  # the .xls cannot be written: the copied sample is read where it is
    return Ledger(
        LANDCHINA_SAMPLE,
        PARCELS,
        "中国土地市场网 national .xls into the 新乡市 ledger: outside rows skipped",
        DEMO,
        rows=0,  # not checked (the counts of the file are checked by the test)
        created=len(LANDCHINA_XINXIANG),
        total=_sum([ha * 15 for _county, ha in LANDCHINA_XINXIANG]),
        options=("--create-regions",),
        regions={county: 1 for county, _ha in LANDCHINA_XINXIANG},
        # 新乡市's own: the county the demo lacks and the city's own level (新乡市本级).
        new_regions=("延津县", "新乡市本级"),
    )


# ---------------------------------------------------------------- m. errors of every kind


ERRORS_SHEET = "收储台账"


def errors_everywhere(folder: Path) -> Ledger:
    """m. Errors of every kind at once, all reported in one run, nothing written: dates that
    are no dates, a blank 编号 with a negative area, 容积率 25 (max 20), 绿地率 120 %, 2025-02-30,
    the same 地块编号 twice, 容积率上限 < 下限, an unknown 供应状态 word, a non-numeric area."""
    path = folder / "m_辉县市2025年度工业用地收储台账（有误）.xlsx"
    book, ws = _book(ERRORS_SHEET)
    header = ["序号", "地块编号", "县区", "坐落", "面积(亩)", "收储日期", "整理程度", "供应状态",
              "容积率下限", "容积率上限", "绿地率(%)", "备注"]

    def row(n: int, code: str | None, over: Mapping[str, object] | None = None) -> Cells:
        cells: dict[str, object] = {
            "序号": n,
            "地块编号": code,
            "县区": "辉县市",
            "坐落": f"孟庄镇经{n}路东侧",
            "面积(亩)": 20 + n,
            "收储日期": date(2025, 5, n),
            "整理程度": "净地",
            "供应状态": "可供",
            "容积率下限": 1.0,
            "容积率上限": 2.0,
            "绿地率(%)": 15,
            "备注": None,
        }
        cells.update(over or {})
        return tuple(cells[h] for h in header)

    data = [
        row(1, "CW-001"),
        row(2, "CW-002", {"收储日期": "五月中旬"}),
        row(3, None, {"面积(亩)": -12.5}),  # blank 编号 and a negative area
        row(4, "CW-004", {"容积率上限": 25}),
        row(5, "CW-005", {"绿地率(%)": 120}),
        row(6, "CW-006", {"收储日期": "2025-02-30"}),
        row(7, "CW-001"),  # the code of the first row again
        row(8, "CW-008", {"容积率下限": 2.5, "容积率上限": 1.2}),
        row(9, "CW-009", {"供应状态": "待研究"}),
        row(10, "CW-010", {"面积(亩)": "很多"}),
        row(11, "CW-011", {"收储日期": "今年五月"}),
        row(12, "CW-012"),
    ]
    numbers = write_sheet(
        ws,
        header,
        data,
        title="辉县市2025年度工业用地收储台账",
        filler=_filer("辉县市商务局", "2025年12月2日"),
        total=("合计", None, None, None, 300, None, None, None, None, None, None, None),
        notes=["填报说明：容积率、绿地率按规划条件填写。"],
    )
    book.save(path)
    r = dict(enumerate(numbers, start=1))  # 序号 → Excel row
    s = ERRORS_SHEET
    far = ("容积率上限", "容积率下限")
    return Ledger(
        path,
        PARCELS,
        "errors of every kind at once (dates, negative, >max, impossible date, duplicate code, "
        "上限<下限, unknown status, not a number): all in one run",
        EMPTY,
        rows=12,
        created=0,
        total=0.0,
        exit_code=2,
        sheet=s,
        header_row=3,
        new_regions=("辉县市",),  # (the ledger's first import: would be created, is not)
        errors=(
            Problem(s, r[2], ("收储日期",), "五月中旬"),
            Problem(s, r[3], ("面积(亩)",), "-12.5"),
            Problem(s, r[4], ("容积率上限",), "25"),
            Problem(s, r[5], ("绿地率(%)",), "120"),
            Problem(s, r[6], ("收储日期",), "2025-02-30"),
            Problem(s, r[7], ("地块编号",), "CW-001"),
            Problem(s, r[8], far),
            Problem(s, r[9], ("供应状态",), "待研究", reason="可供"),
            Problem(s, r[10], ("面积(亩)",), "很多"),
            Problem(s, r[11], ("收储日期",), "今年五月"),
        ),
    )


# ---------------------------------------------------------------- n. a county typo


def county_typo(folder: Path) -> Ledger:
    """n. 辉悬市 for 辉县市: the row is refused naming the nearest county, nothing created."""
    path = folder / "n_工业用地收储台账（县区错字）.xlsx"
    book, ws = _book("台账")
    rows: list[Cells] = [
        (1, "TY-01", "辉县市", "孟庄镇南环路北侧", 40, "2025年4月2日", "毛地"),
        (2, "TY-02", "辉悬市", "孟庄镇北环路南侧", 25, "2025年4月9日", "毛地"),
        (3, "TY-03", "获嘉县", "亢村镇纬三路北侧", 31.5, "2025年5月6日", "净地"),
    ]
    numbers = write_sheet(
        ws,
        ["序号", "地块编号", "县区", "坐落", "面积（亩）", "收储日期", "土地现状"],
        rows,
        title="2025年工业用地收储台账",
        filler=_filer("新乡市商务局", "2025年11月30日"),
    )
    book.save(path)
    return Ledger(
        path,
        PARCELS,
        "county typo 辉悬市: row error naming 辉县市, nothing created",
        DEMO,
        rows=3,
        created=0,
        total=0.0,
        exit_code=2,
        sheet="台账",
        header_row=3,
        errors=(Problem("台账", numbers[1], ("县区",), "辉悬市", reason="辉县市"),),
    )


# ---------------------------------------------------------------- o. implausible values


def implausible_areas(folder: Path) -> Ledger:
    """o. 面积 0 亩 and 99,999 亩: possible, but doubtful — warnings, still imported."""
    path = folder / "o_获嘉县收储地块（面积存疑）.xlsx"
    book, ws = _book("地块")
    rows: list[tuple[Cells, float]] = [
        ((1, "PL-01", "获嘉县", "照镜镇经一路东侧", 0, "2025年3月1日", "毛地"), 0.0),
        ((2, "PL-02", "获嘉县", "照镜镇经二路东侧", "99,999", "2025年3月8日", "毛地"), 99999.0),
        ((3, "PL-03", "获嘉县", "照镜镇经三路东侧", 35, "2025年3月15日", "净地"), 35.0),
    ]
    numbers = write_sheet(
        ws,
        ["序号", "地块编号", "县区", "坐落", "面积（亩）", "收储日期", "土地现状"],
        [r[0] for r in rows],
        title="获嘉县2025年收储地块",
        filler=_filer("获嘉县商务局", "2025年11月30日"),
    )
    book.save(path)
    return Ledger(
        path,
        PARCELS,
        "面积 0 亩 and 99,999 亩: warnings, still imported",
        EMPTY,
        rows=3,
        created=3,
        total=_sum([r[1] for r in rows]),
        sheet="地块",
        header_row=3,
        codes=("PL-01", "PL-02", "PL-03"),
        regions={"获嘉县": 3},
        new_regions=("获嘉县",),
        values={"PL-01": {"area_mu": 0.0}, "PL-02": {"area_mu": 99999.0}},
        warnings=(
            Problem("地块", numbers[0], ("面积（亩）", "面积(亩)")),
            Problem("地块", numbers[1], ("面积（亩）", "面积(亩)"), "99"),
        ),
    )


# ---------------------------------------------------------------- p. two-row header


def two_row_header_factories(folder: Path) -> Ledger:
    """p. A district's factory table like the 牧野区 sample: two-row header (建筑面积(㎡) over
    总面积 / 其中闲置), 栋号 only, 使用情况 words, 层高 "6/4.5" (→ 6 m), 承重 in 吨/㎡ with
    "0.8（二层）" (→ ×9.80665 kN/m², the text kept in 备注), a park not registered yet."""
    path = folder / "p_红旗区标准化厂房建设及使用情况统计表.xlsx"
    book, ws = _book("标准厂房")
    dev, new_park = "红旗区经济技术开发区", "洪门智能制造园"
    header = ["序号", "栋号", "所在园区", "建设主体", "竣工时间", "层数", "建筑面积(㎡)", "",
              "层高(m)", "承重(吨/㎡)", "使用情况", "入驻企业", "备注"]
    sub = ["", "", "", "", "", "", "总面积", "其中闲置", "", "", "", "", ""]
    merges = [(0, c, 1, c) for c in (1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13)] + [(0, 7, 0, 8)]
    # (cells, floor, idle, height m, load kN/m², status, remarks kept in 备注)
    rows: list[tuple[Cells, float, float | None, float, float, str, tuple[str, ...]]] = [
        ((1, "1#", dev, "区国投公司", date(2024, 10, 30), 3, 7200, 2400, 7.5, 3, "部分入驻",
          "某电子科技有限公司", None), 7200, 2400, 7.5, 3 * KN_PER_TONNE, "部分入驻", ()),
        ((2, "2#", dev, "区国投公司", "2025年6月", 2, 4800, None, "6/4.5", "0.8（二层）", "闲置",
          None, None), 4800, 4800, 6.0, 0.8 * KN_PER_TONNE, "闲置", ("6/4.5", "0.8（二层）")),
        ((3, "3#", new_park, "某置业有限公司", "在建", 1, 6000, None, 9, 1.5, "在建", None, None),
         6000, None, 9.0, 1.5 * KN_PER_TONNE, "在建", ()),
        ((4, "4#", new_park, "某置业有限公司", date(2025, 3, 1), 2, 5400, 5400, "6/4.5", 2, "闲置",
          None, "招商中"), 5400, 5400, 6.0, 2 * KN_PER_TONNE, "闲置", ("6/4.5",)),
        ((5, "5#", dev, "区国投公司", "2024.8", 1, 3600, None, 8, "0.8（二层）", "已入驻",
          "某食品有限公司", None), 3600, None, 8.0, 0.8 * KN_PER_TONNE, "已入驻", ("0.8（二层）",)),
    ]
    floor = _sum([r[1] for r in rows])
    idle = _sum([r[2] or 0 for r in rows])
    write_sheet(
        ws,
        header,
        [r[0] for r in rows],
        title="红旗区标准化厂房建设及使用情况统计表（2025年11月）",
        sub_header=sub,
        header_merges=merges,
        total=("合计", None, None, None, None, None, floor, 7800, None, None, None, None, None),
        notes=["填报说明：1.承重单位为吨/平方米；2.两层厂房层高填写“一层/二层”。"],
    )
    book.save(path)
    codes = tuple(f"{r[0][2]}{r[0][1]}" for r in rows)
    return Ledger(
        path,
        FACTORIES,
        "two-row header like the 牧野区 sample: 使用情况, 层高 6/4.5, 承重 0.8（二层） 吨/㎡",
        DEMO,
        rows=5,
        created=5,
        total=floor,
        sheet="标准厂房",
        codes=codes,
        regions={"红旗区": 5},
        new_parks=((new_park, "红旗区"),),
        states={code: (r[5],) for code, r in zip(codes, rows, strict=True)},
        values={
            code: {"idle_area_m2": r[2], "ceiling_height_m": r[3], "floor_load_kn_m2": r[4],
                   "name": r[0][1]}
            for code, r in zip(codes, rows, strict=True)
        },
        notes_contain={code: r[6] for code, r in zip(codes, rows, strict=True) if r[6]},
        idle_total=idle,
        defaults=(Default("region_id", "红旗区", 5),),
    )


# ---------------------------------------------------------------- the copied samples


HUOJIA_ROWS: tuple[tuple[str, float, str], ...] = (
    # (乡镇, 面积 亩, 土地现状) of the 23 rows of the sample, in order
    ("太山镇", 66.75, "三通一平"), ("太山镇", 16.76, "净地"), ("亢村镇", 104.57, "净地"),
    ("亢村镇", 28.77, "正在拆迁"), ("冯庄镇", 117.35, "三通一平"), ("冯庄镇", 79.64, "正在拆迁"),
    ("亢村镇", 55.01, "已供地"), ("亢村镇", 14.88, "正在拆迁"), ("照镜镇", 26.81, "净地"),
    ("照镜镇", 39.59, "三通一平"), ("太山镇", 112.51, "毛地"), ("亢村镇", 111.43, "已供地"),
    ("冯庄镇", 39.78, "已供地"), ("太山镇", 59.63, "毛地"), ("冯庄镇", 174.82, "毛地"),
    ("太山镇", 168.16, "已供地"), ("亢村镇", 119.43, "已供地"), ("太山镇", 25.24, "已供地"),
    ("亢村镇", 84.22, "毛地"), ("亢村镇", 23.71, "净地"), ("太山镇", 90.75, "已供地"),
    ("亢村镇", 47.57, "毛地"), ("太山镇", 143.87, "已供地"),
)
STATUS_WORDS: dict[str, tuple[str, str]] = {w: s for w, _d, s in MIXED_STATUS_WORDS if _d}


def huojia_sample(folder: Path) -> Ledger:
    """The constructed township ledger of 获嘉县 (copied sample): no codes, county in the
    title, 土地现状 mixing both ladders; into an empty ledger."""
    del folder
    codes = tuple(f"获嘉2025-{i:03d}" for i in range(1, len(HUOJIA_ROWS) + 1))
    return Ledger(
        HUOJIA_SAMPLE,
        PARCELS,
        "sample: 获嘉县 township ledger (no codes, county in the title, 土地现状)",
        EMPTY,
        rows=23,
        created=23,
        total=1751.25,
        sheet="2025年收储台账",
        header_row=3,
        codes=codes,
        regions={"获嘉县": 23},
        new_regions=("获嘉县",),
        states={code: STATUS_WORDS[r[2]] for code, r in zip(codes, HUOJIA_ROWS, strict=True)},
        values={
            code: {"area_mu": r[1], "township": r[0]}
            for code, r in zip(codes, HUOJIA_ROWS, strict=True)
        },
        defaults=(Default("region_id", "获嘉县", 23), Default("code", None, 23)),
    )


MUYE_ROWS: tuple[tuple[str, str, float, float | None, str, float], ...] = (
    # (栋号, 园区, 建筑面积, 闲置面积 (闲置 without one: the floor area), 使用情况, 层高 m)
    ("1#", "新兴产业园", 4800, 1920, "部分入驻", 7.5),
    ("2#", "牧野区化工园区", 4800, 4800, "闲置", 6),
    ("3#", "牧野高新区孵化园", 2400, None, "已入驻", 8),
    ("4#", "新兴产业园", 6000, None, "在建", 9),
    ("5#", "新兴产业园", 6000, None, "在建", 6),
    ("6#", "牧野高新区孵化园", 4800, 1920, "部分入驻", 7.5),
    ("7#", "牧野区化工园区", 3600, 3600, "闲置", 9),
    ("8#", "牧野区化工园区", 4800, 4800, "闲置", 6),
    ("9#", "牧野区化工园区", 8000, None, "已入驻", 6),
    ("10#", "牧野区化工园区", 8000, None, "已入驻", 6),
    ("11#", "牧野高新区孵化园", 4800, None, "已入驻", 8),
    ("12#", "牧野区化工园区", 8000, 8000, "闲置", 7.5),
    ("13#", "新兴产业园", 8000, 8000, "闲置", 8),
    ("14#", "新兴产业园", 8000, None, "已入驻", 7.5),
    ("15#", "牧野高新区孵化园", 3600, 3600, "闲置", 9),
    ("16#", "牧野高新区孵化园", 6000, 2400, "部分入驻", 7.5),
    ("17#", "新兴产业园", 8000, 8000, "闲置", 8),
    ("18#", "新兴产业园", 3600, 1440, "部分入驻", 6),
)


def muye_sample(folder: Path) -> Ledger:
    """The constructed 牧野区 factory table (copied sample) into the demo ledger: the county
    from the title, codes 园区 + 栋号, two parks created."""
    del folder
    codes = tuple(f"{r[1]}{r[0]}" for r in MUYE_ROWS)
    return Ledger(
        MUYE_SAMPLE,
        FACTORIES,
        "sample: 牧野区 factory table (two-row header, 栋号, new parks, 6/4.5, 吨/㎡)",
        DEMO,
        rows=18,
        created=18,
        total=_sum([r[2] for r in MUYE_ROWS]),
        sheet="标准厂房",
        codes=codes,
        regions={"牧野区": 18},
        new_parks=(("新兴产业园", "牧野区"), ("牧野高新区孵化园", "牧野区")),
        states={code: (r[4],) for code, r in zip(codes, MUYE_ROWS, strict=True)},
        values={
            code: {"idle_area_m2": r[3], "ceiling_height_m": r[5], "name": r[0]}
            for code, r in zip(codes, MUYE_ROWS, strict=True)
        },
        notes_contain={"牧野区化工园区2#": ("6/4.5", "0.8")},
        idle_total=_sum([r[3] or 0 for r in MUYE_ROWS]),
    )


PROJECT_SAMPLE_ROWS: tuple[tuple[str, float, str | None], ...] = (
    # (项目名称, 总投资 亿元, 阶段 — None: 项目进展 “客商考察”, a word the contract leaves open)
    ("年产13万吨精密铸件项目", 2.5, "终止"),
    ("年产5万吨锂电材料项目", 11.6, "开工"),
    ("年产34万吨新型建材项目", 11.3, "签约"),
    ("年产4万吨锂电材料项目", 11.6, "签约"),
    ("年产37万吨休闲食品项目", 11.7, "终止"),
    ("年产2万吨锂电材料项目", 5.8, "开工"),
    ("年产13万吨新型建材项目", 10.9, "终止"),
    ("年产47万吨新型建材项目", 9.7, None),
    ("年产15万吨精密铸件项目", 11.1, "终止"),
    ("年产21万吨锂电材料项目", 6.0, "竣工投产"),
    ("年产45万吨精密铸件项目", 8.3, "签约"),
    ("年产10万吨休闲食品项目", 5.8, "在谈"),
    ("年产45万吨锂电材料项目", 8.7, None),
    ("年产47万吨精密铸件项目", 8.8, "在谈"),
)


def project_sample(folder: Path) -> Ledger:
    """The constructed county project list (copied sample) into the demo ledger: no county
    column and no --region → 市级（待分配）; 亿元 → 万元; 项目进展 sentences → 阶段."""
    del folder
    names = tuple(r[0] for r in PROJECT_SAMPLE_ROWS)
    return Ledger(
        PROJECT_SAMPLE,
        PROJECTS,
        "sample: county key-project list (亿元, 项目进展 sentences, no county column)",
        DEMO,
        rows=14,
        created=14,
        total=_sum([r[1] * 10000 for r in PROJECT_SAMPLE_ROWS]),
        sheet="重点招商项目",
        header_row=1,
        codes=names,
        regions={CITY_LEADS: 14},
        new_regions=(CITY_LEADS,),
        states={r[0]: (r[2],) for r in PROJECT_SAMPLE_ROWS if r[2] is not None},
        values={r[0]: {"total_investment_wan": r[1] * 10000} for r in PROJECT_SAMPLE_ROWS},
    )


# ---------------------------------------------------------------- the corpus

Builder = Callable[[Path], Ledger]

CORPUS: tuple[Builder, ...] = (
    reserve_ledger_minimal,
    township_ledger_no_codes,
    mixed_status_column,
    land_in_mixed_units,
    factories_in_wan_m2,
    county_names_mixed,
    factories_in_new_parks,
    factories_by_building_number,
    factories_by_code_only,
    idle_factories_without_idle_area,
    county_project_list,
    township_workbook,
    gbk_csv_with_title,
    landchina_national,
    errors_everywhere,
    county_typo,
    implausible_areas,
    two_row_header_factories,
    huojia_sample,
    muye_sample,
    project_sample,
)


# ---------------------------------------------------------------- versions of one ledger
#
# A township sends its ledger again a month later: one parcel's area changed, one status
# changed (毛地 → 净地), one new row, one row dropped, the rest identical. The same for a
# district's factory ledger (one floor area, one status, one new, one dropped).

TOWNSHIP_V1: tuple[tuple[str, str, float, date, str], ...] = (
    # (地块编号, 坐落, 面积 亩, 收储日期, 土地现状)
    ("MZ2025-01", "孟庄镇南环路北侧", 66.75, date(2025, 5, 16), "毛地"),
    ("MZ2025-02", "孟庄镇纬三路北侧", 104.57, date(2025, 5, 18), "毛地"),
    ("MZ2025-03", "孟庄镇工业大道东侧", 28.77, date(2025, 2, 4), "三通一平"),
    ("MZ2025-04", "孟庄镇经二路东侧", 55.01, date(2025, 8, 1), "已供地"),
    ("MZ2025-05", "孟庄镇产业大道南", 39.59, date(2025, 4, 1), "净地"),
    ("MZ2025-06", "孟庄镇新乡西站物流园北", 117.35, date(2025, 6, 1), "正在拆迁"),
)
TOWNSHIP_V2: tuple[tuple[str, str, float, date, str], ...] = (
    ("MZ2025-01", "孟庄镇南环路北侧", 70, date(2025, 5, 16), "毛地"),  # 66.75 → 70 亩
    ("MZ2025-02", "孟庄镇纬三路北侧", 104.57, date(2025, 5, 18), "净地"),  # 毛地 → 净地
    ("MZ2025-03", "孟庄镇工业大道东侧", 28.77, date(2025, 2, 4), "三通一平"),
    ("MZ2025-04", "孟庄镇经二路东侧", 55.01, date(2025, 8, 1), "已供地"),
    # MZ2025-05 no longer listed
    ("MZ2025-06", "孟庄镇新乡西站物流园北", 117.35, date(2025, 6, 1), "正在拆迁"),
    ("MZ2025-07", "孟庄镇G107东侧", 45.2, date(2025, 10, 18), "毛地"),  # new
)
TOWNSHIP_FILES = {1: "孟庄镇2025年收储台账（11月）.xlsx", 2: "孟庄镇2025年收储台账（12月）.xlsx"}
TOWNSHIP_SHEET = "收储台账"


def township_ledger_version(folder: Path, version: int) -> Path:
    """Version 1 or 2 of 孟庄镇's ledger (辉县市 in the title, 乡镇 on every row)."""
    rows = TOWNSHIP_V1 if version == 1 else TOWNSHIP_V2
    path = folder / TOWNSHIP_FILES[version]
    book, ws = _book(TOWNSHIP_SHEET)
    write_sheet(
        ws,
        ["序号", "地块编号", "乡镇", "坐落", "面积（亩）", "收储日期", "土地现状", "备注"],
        [(i, code, "孟庄镇", place, area, day, word, None)
         for i, (code, place, area, day, word) in enumerate(rows, start=1)],
        title="辉县市孟庄镇2025年工业用地收储台账",
        filler=_filer("孟庄镇人民政府", "2025年11月28日" if version == 1 else "2025年12月29日"),
        total=("合计", None, None, None, _sum([r[2] for r in rows]), None, None, None),
        notes=["填报说明：面积以亩为单位；土地现状填写毛地、净地、三通一平、已供地等。"],
    )
    book.save(path)
    return path


def neighbour_township_ledger(folder: Path) -> Path:
    """Two parcels of another township of 辉县市 (百泉镇): never "missing" from 孟庄镇's file."""
    path = folder / "百泉镇2025年收储台账.xlsx"
    book, ws = _book(TOWNSHIP_SHEET)
    write_sheet(
        ws,
        ["序号", "地块编号", "乡镇", "坐落", "面积（亩）", "收储日期", "土地现状", "备注"],
        [(1, "BQ2025-01", "百泉镇", "百泉镇经一路东侧", 35.5, date(2025, 3, 10), "毛地", None),
         (2, "BQ2025-02", "百泉镇", "百泉镇经二路东侧", 42, date(2025, 4, 11), "净地", None)],
        title="辉县市百泉镇2025年工业用地收储台账",
        filler=_filer("百泉镇人民政府", "2025年11月28日"),
    )
    book.save(path)
    return path


FACTORY_PARK = "红旗区经济技术开发区"
FACTORY_V1: tuple[tuple[str, str, int, float, float | None, str, object], ...] = (
    # (厂房编号, 名称/栋号, 层数, 建筑面积, 闲置面积, 状态, 竣工时间)
    ("HQ-CF-01", "1#厂房", 2, 7200, None, "已入驻", date(2024, 6, 30)),
    ("HQ-CF-02", "2#厂房", 1, 4800, 4800, "闲置", date(2024, 6, 30)),
    ("HQ-CF-03", "3#厂房", 3, 9600, None, "在建", "在建"),
    ("HQ-CF-04", "4#厂房", 2, 6000, None, "已建成", date(2025, 3, 1)),
    ("HQ-CF-05", "5#厂房", 1, 3600, None, "已入驻", date(2023, 5, 1)),
)
FACTORY_V2: tuple[tuple[str, str, int, float, float | None, str, object], ...] = (
    ("HQ-CF-01", "1#厂房", 2, 7500, None, "已入驻", date(2024, 6, 30)),  # 7200 → 7500 ㎡
    ("HQ-CF-02", "2#厂房", 1, 4800, 4800, "闲置", date(2024, 6, 30)),
    ("HQ-CF-03", "3#厂房", 3, 9600, None, "在建", "在建"),
    ("HQ-CF-04", "4#厂房", 2, 6000, None, "已入驻", date(2025, 3, 1)),  # 已建成 → 已入驻
    # HQ-CF-05 no longer listed
    ("HQ-CF-06", "6#厂房", 2, 5400, None, "在建", "在建"),  # new
)
FACTORY_FILES = {1: "红旗区标准化厂房台账（11月）.xlsx", 2: "红旗区标准化厂房台账（12月）.xlsx"}
FACTORY_SHEET = "标准厂房"


def factory_ledger_version(folder: Path, version: int) -> Path:
    """Version 1 or 2 of 红旗区's factory ledger (county in the title, a park on every row)."""
    rows = FACTORY_V1 if version == 1 else FACTORY_V2
    path = folder / FACTORY_FILES[version]
    book, ws = _book(FACTORY_SHEET)
    write_sheet(
        ws,
        ["序号", "厂房编号", "名称/栋号", "所在园区", "层数", "建筑面积(㎡)", "闲置面积(㎡)", "状态",
         "竣工时间"],
        [(i, code, name, FACTORY_PARK, floors, area, idle, status, done)
         for i, (code, name, floors, area, idle, status, done) in enumerate(rows, start=1)],
        title="红旗区标准化厂房台账",
        filler=_filer("红旗区商务局", "2025年11月28日" if version == 1 else "2025年12月29日"),
        total=("合计", None, None, None, None, _sum([r[3] for r in rows]), None, None, None),
    )
    book.save(path)
    return path


def neighbour_park_factories(folder: Path) -> Path:
    """A factory of another park of 红旗区: never "missing" from the 经开区 file."""
    path = folder / "洪门新能源电池产业园厂房.xlsx"
    book, ws = _book(FACTORY_SHEET)
    write_sheet(
        ws,
        ["序号", "厂房编号", "名称/栋号", "所在园区", "层数", "建筑面积(㎡)", "状态", "竣工时间"],
        [(1, "HQ-DC-01", "电池园1#", "红旗区洪门新能源电池产业园", 1, 8000, "已入驻",
          date(2024, 9, 1))],
        title="红旗区标准化厂房台账",
    )
    book.save(path)
    return path
