"""Hostile files never take the process down (issue 10, item 10).

python-calamine allocates a sheet's whole bounding box, and a failed allocation is a Rust
abort — exit 134, nothing Python can catch. Each hostile file below is read by the real
``landbank import … --dry-run`` in a child process (an abort must not take pytest with it),
which must exit 2 with the reason in Chinese, stay small (its own peak RSS, printed at exit)
and finish quickly (a hang guard, not a benchmark). Every file is built here, byte by byte.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl import Workbook

from landbank.cli import main
from landbank.services.importing.sheet_extent import check_workbook
from landbank.services.importing.spreadsheet import (
    MAX_CELLS,
    MAX_COLUMNS,
    SpreadsheetError,
    read_workbook,
)

ROOT = Path(__file__).resolve().parents[2]
MAX_RSS_MB = 300
MAX_SECONDS = 15.0  # the child starts Python, SQLAlchemy and Alembic too

# ``python -m landbank`` (the ``landbank`` command), printing its own peak RSS at exit: the
# VmHWM of its own memory (ru_maxrss would carry the parent's: Linux keeps it across fork and
# exec, and a whole pytest run is bigger than the limit).
_CHILD = (
    "import resource, runpy, sys\n"
    "try:\n"
    "    runpy.run_module('landbank', run_name='__main__', alter_sys=True)\n"
    "finally:\n"
    "    try:\n"
    "        lines = open('/proc/self/status').read().splitlines()\n"
    "        rss = int(next(l for l in lines if l.startswith('VmHWM:')).split()[1])\n"
    "    except (OSError, StopIteration):\n"
    "        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "    print(f'child-maxrss-kb={rss}', file=sys.stderr)\n"
)


@dataclass
class Run:
    code: int
    out: str
    err: str
    seconds: float
    rss_mb: float


def run_cli(*args: str) -> Run:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *args],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    seconds = time.perf_counter() - started
    rss = [line for line in done.stderr.splitlines() if line.startswith("child-maxrss-kb=")]
    assert rss, f"the child died without a word (exit {done.returncode}): {done.stderr[-2000:]}"
    return Run(done.returncode, done.stdout, done.stderr, seconds, int(rss[-1].split("=")[1]) / 1024)


def import_dry_run(path: Path, tmp_path: Path) -> Run:
    return run_cli("import", "parcels", str(path), "--db", str(tmp_path / "l.sqlite3"), "--dry-run")


def assert_refused(run: Run, *fragments: str) -> None:
    assert run.code == 2, run.err[-2000:]
    assert "Traceback" not in run.err, run.err[-2000:]
    assert "landbank：" in run.err
    for fragment in fragments:
        assert fragment in run.err, run.err[-2000:]
    assert run.rss_mb < MAX_RSS_MB, f"peak RSS {run.rss_mb:.0f} MB"
    assert run.seconds < MAX_SECONDS, f"{run.seconds:.1f} s"


# ---------------------------------------------------------------- building files

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


def xlsx(path: Path, sheets: list[tuple[str, str]], extra: dict[str, str] | None = None) -> Path:
    """A workbook as Excel lays it out; ``sheets``: (name, what goes inside <worksheet>)."""
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
        f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    content_types = (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
        'package/2006/content-types"><Default Extension="rels" ContentType="application/'
        'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
        'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="'
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        f"{overrides}</Types>"
    )
    root_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_NS}"><Relationship '
        f'Id="rId1" Type="{_REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        "<sheets>"
        + "".join(
            f'<sheet name="{name}" sheetId="{i}" r:id="rId{i}"/>'
            for i, (name, _) in enumerate(sheets, start=1)
        )
        + "</sheets></workbook>"
    )
    book_rels = (
        f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{_PKG_NS}">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", book)
        archive.writestr("xl/_rels/workbook.xml.rels", book_rels)
        for i, (_, body) in enumerate(sheets, start=1):
            archive.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN_NS}">{body}</worksheet>',
            )
        for name, text in (extra or {}).items():
            archive.writestr(name, text)
    return path


def header_and_far_cell(far: str, dimension: str = "A1") -> str:
    """The header of a parcels ledger in row 1, and one stray number at ``far``."""
    row = "".join(ch for ch in far if ch.isdigit())
    return (
        f'<dimension ref="{dimension}"/><sheetData><row r="1">'
        '<c r="A1" t="inlineStr"><is><t>宗地编号</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>县（市、区）</t></is></c></row>'
        f'<row r="{row}"><c r="{far}"><v>1</v></c></row></sheetData>'
    )


_ODS_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)


def ods(path: Path, tables: list[tuple[str, str]]) -> Path:
    """An OpenDocument spreadsheet; ``tables``: (name, its rows as XML)."""
    body = "".join(f'<table:table table:name="{name}">{rows}</table:table>' for name, rows in tables)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
            '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"><manifest:file-entry '
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
        archive.writestr(
            "content.xml",
            _ODS_HEAD + body + "</office:spreadsheet></office:body></office:document-content>",
        )
    return path


def ods_text(value: str, repeat: int = 1) -> str:
    rep = f' table:number-columns-repeated="{repeat}"' if repeat > 1 else ""
    return f'<table:table-cell office:value-type="string"{rep}><text:p>{value}</text:p></table:table-cell>'


def ods_row(cells: str, repeat: int = 1) -> str:
    rep = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{rep}>{cells}</table:table-row>"


def biff(typ: int, data: bytes) -> bytes:
    return struct.pack("<HH", typ, len(data)) + data


def biff_bof(kind: int) -> bytes:
    return biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 6))


def biff_number(row: int, col: int, value: float) -> bytes:
    return biff(0x0203, struct.pack("<HHHd", row, col, 0, value))


def biff_label(row: int, col: int, text: str) -> bytes:
    return biff(0x0204, struct.pack("<HHHHB", row, col, 0, len(text), 1) + text.encode("utf-16-le"))


def biff_dimensions(last_row: int, last_col: int) -> bytes:
    return biff(0x0200, struct.pack("<IIHHH", 0, last_row, 0, last_col, 0))


def workbook_stream(sheets: list[tuple[str, list[bytes]]]) -> bytes:
    """A BIFF8 Workbook stream: globals (BOF, one BoundSheet8 per sheet, EOF), then each sheet."""

    def bound_sheet(pos: int, name: str) -> bytes:
        return biff(0x0085, struct.pack("<IBBBB", pos, 0, 0, len(name), 1) + name.encode("utf-16-le"))

    eof = biff(0x000A, b"")
    globals_size = len(biff_bof(5)) + sum(len(bound_sheet(0, n)) for n, _ in sheets) + len(eof)
    bodies, positions, pos = [], [], globals_size
    for _, records in sheets:
        body = biff_bof(0x10) + b"".join(records) + eof
        positions.append(pos)
        bodies.append(body)
        pos += len(body)
    head = biff_bof(5) + b"".join(bound_sheet(p, n) for p, (n, _) in zip(positions, sheets, strict=True))
    return head + eof + b"".join(bodies)


def ole2(stream: bytes, *, loop_directory: bool = False) -> bytes:
    """A minimal compound file (version 3, 512-byte sectors) holding one "Workbook" stream:
    sector 0 the FAT, sector 1 the directory, then the stream (at least 4096 bytes, so it
    lives in ordinary sectors)."""
    end, free, fat_sector, none = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream = stream.ljust(4096, b"\0")
    count = -(-len(stream) // 512)
    fat = [fat_sector, 1 if loop_directory else end]
    fat += [2 + i + 1 for i in range(count - 1)] + [end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\0\0" if name else b""
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)
            + struct.pack("<III", none, none, child)
            + b"\0" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, none, 2, len(stream))
    directory += entry("", 0, none, 0, 0) * 2
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    return header + struct.pack("<128I", *fat) + directory + stream.ljust(count * 512, b"\0")


# ---------------------------------------------------------------- .xlsx


def test_a1_and_xfd1048576_is_refused_not_aborted(tmp_path: Path) -> None:
    # calamine would ask for 1,048,576 × 16,384 cells (512 GiB) and abort the process.
    path = xlsx(tmp_path / "远处.xlsx", [("台账", header_and_far_cell("XFD1048576"))])
    assert path.stat().st_size < 5_000
    assert_refused(
        import_dry_run(path, tmp_path), "远处.xlsx", "“台账”", "A1:XFD1048576", "范围过大", "拒绝读取"
    )


def test_a1_and_cv1048576_is_refused_before_calamine_allocates(tmp_path: Path) -> None:
    # 100 columns × 1,048,576 rows: 3.3 GB in calamine before the old check ran.
    path = xlsx(tmp_path / "cv.xlsx", [("台账", header_and_far_cell("CV1048576"))])
    assert_refused(import_dry_run(path, tmp_path), "A1:CV1048576", "单元格过多")


def test_a_lying_dimension_is_not_believed(tmp_path: Path) -> None:
    small_claim = xlsx(
        tmp_path / "small.xlsx", [("台账", header_and_far_cell("CV1048576", dimension="A1:B2"))]
    )
    assert_refused(import_dry_run(small_claim, tmp_path), "A1:CV1048576")
    # A huge claim over two cells: the cells decide, the file reads.
    big_claim = xlsx(
        tmp_path / "big.xlsx", [("台账", header_and_far_cell("C2", dimension="A1:XFD1048576"))]
    )
    sheet = read_workbook(big_claim).sheet()
    assert sheet.rows == [["宗地编号", "县（市、区）", None], [None, None, 1.0]]


def test_a_huge_merged_range_is_refused(tmp_path: Path) -> None:
    body = (
        '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>宗地编号</t></is></c></row>'
        '</sheetData><mergeCells count="1"><mergeCell ref="A2:Z1000000"/></mergeCells>'
    )
    path = xlsx(tmp_path / "merged.xlsx", [("台账", body)])
    assert_refused(import_dry_run(path, tmp_path), "A1:Z1000000", "单元格过多")


def test_cells_without_references_are_counted_as_calamine_counts_them(tmp_path: Path) -> None:
    # No r attributes: calamine places each <c> after the previous one, rows by <row r>.
    far_row = '<row r="1048576">' + "<c><v>1</v></c>" * 200 + "</row>"
    body = f'<sheetData><row><c t="inlineStr"><is><t>宗地编号</t></is></c></row>{far_row}</sheetData>'
    path = xlsx(tmp_path / "positional.xlsx", [("台账", body)])
    assert_refused(import_dry_run(path, tmp_path), "A1:GR1048576")


def test_shared_strings_that_claim_billions_are_refused(tmp_path: Path) -> None:
    # calamine reserves uniqueCount strings (24 bytes each) before reading one: 96 GB here.
    strings = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN_NS}" count="1" '
        'uniqueCount="4000000000"><si><t>宗地编号</t></si></sst>'
    )
    body = '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
    path = xlsx(tmp_path / "sst.xlsx", [("台账", body)], {"xl/sharedStrings.xml": strings})
    assert_refused(import_dry_run(path, tmp_path), "文字条目过多")


def test_xlsb_is_refused_with_advice(tmp_path: Path) -> None:
    path = tmp_path / "台账.xlsb"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    assert_refused(import_dry_run(path, tmp_path), ".xlsb", ".xlsx")


# ---------------------------------------------------------------- .ods


def test_ods_with_huge_repeats_is_refused(tmp_path: Path) -> None:
    wide = ods(tmp_path / "wide.ods", [("台账", ods_row(ods_text("1", 16384), 1_000_000))])
    assert wide.stat().st_size < 5_000
    assert_refused(import_dry_run(wide, tmp_path), "“台账”", "A1:XFD1000000", "16,384 列")
    # Within the column limit, still 100 million cells (calamine would take some 5 GB).
    tall = ods(tmp_path / "tall.ods", [("台账", ods_row(ods_text("1", 1000), 100_000))])
    assert_refused(import_dry_run(tall, tmp_path), "A1:ALL100000", "单元格过多")


def test_ods_trailing_empty_repeats_are_normal(tmp_path: Path) -> None:
    """LibreOffice ends every row with ~1000 repeated empty cells and the sheet with a million
    repeated empty rows: calamine lays none of them out, and neither is counted."""
    empty_tail = '<table:table-cell table:number-columns-repeated="1022"/>'
    rows = (
        ods_row(ods_text("宗地编号") + ods_text("县区") + empty_tail)
        + ods_row(ods_text("A-1") + ods_text("辉县市") + empty_tail)
        + ods_row('<table:table-cell table:number-columns-repeated="1024"/>', 1_048_574)
    )
    path = ods(tmp_path / "lo.ods", [("台账", rows)])
    assert [(e.rows, e.cols) for e in check_workbook(path, max_cells=10, max_columns=10)] == [(2, 2)]
    assert read_workbook(path).sheet().rows == [["宗地编号", "县区"], ["A-1", "辉县市"]]


# ---------------------------------------------------------------- .xls


def test_xls_cell_at_column_65535_is_refused(tmp_path: Path) -> None:
    # A BIFF8 column is 16 bits to calamine: 65,536 × 65,536 cells, an abort.
    stream = workbook_stream([("台账", [biff_label(0, 0, "宗地编号"), biff_number(65535, 65535, 1)])])
    path = tmp_path / "far.xls"
    path.write_bytes(ole2(stream))
    assert_refused(import_dry_run(path, tmp_path), "“台账”", "65,536 列")


def test_xls_lying_dimensions_record_is_refused(tmp_path: Path) -> None:
    # calamine reserves the DIMENSIONS area up front: 2^32 rows × 65,535 columns.
    records = [biff_dimensions(0xFFFFFFFF, 0xFFFF), biff_label(0, 0, "宗地编号")]
    path = tmp_path / "dims.xls"
    path.write_bytes(ole2(workbook_stream([("台账", records)])))
    assert_refused(import_dry_run(path, tmp_path), "声明的范围过大")


def test_xls_looping_sector_chain_is_refused(tmp_path: Path) -> None:
    # A directory chain pointing at itself: calamine follows it until memory runs out.
    stream = workbook_stream([("台账", [biff_label(0, 0, "宗地编号")])])
    path = tmp_path / "loop.xls"
    path.write_bytes(ole2(stream, loop_directory=True))
    assert_refused(import_dry_run(path, tmp_path), "循环")


def test_xls_built_here_reads_like_any_xls(tmp_path: Path) -> None:
    records = [biff_label(0, 0, "宗地编号"), biff_label(0, 1, "县区"), biff_number(1, 1, 3.5)]
    path = tmp_path / "ok.xls"
    path.write_bytes(ole2(workbook_stream([("台账", records), ("说明", [biff_number(0, 0, 1)])])))
    book = read_workbook(path)
    assert [s.name for s in book.sheets] == ["台账", "说明"]
    assert book.sheet("台账").rows == [["宗地编号", "县区"], [None, 3.5]]


# ---------------------------------------------------------------- .csv


def test_csv_with_a_million_columns_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(["宗地编号"] * 1_000_000) + "\n" + ",".join("1" * 1_000_000) + "\n")
    assert_refused(import_dry_run(path, tmp_path), "第 1 行", "1,000,000 列")
    started = time.perf_counter()
    with pytest.raises(SpreadsheetError, match="列"):
        read_workbook(path)
    assert time.perf_counter() - started < 2.0


def test_csv_rows_wider_than_the_limit_and_huge_fields_are_refused(tmp_path: Path) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_text(",".join(["x"] * (MAX_COLUMNS + 1)) + "\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match=f"{MAX_COLUMNS + 1:,} 列"):
        read_workbook(wide)
    field = tmp_path / "field.csv"
    field.write_text('宗地编号,县区\n"' + ("很长的备注\n" * 40_000) + '",辉县市\n', encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="内容过长"):
        read_workbook(field)
    one_line = tmp_path / "line.csv"
    one_line.write_text("宗地编号,县区\n" + "x" * 20_000_000 + ",辉县市\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="第 2 行过长"):
        read_workbook(one_line)


# ---------------------------------------------------------------- what must keep working


def legit_ledger(path: Path) -> Path:
    """Two sheets as a county bureau keeps them: a merged title, the header, typed data."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.title = "收储地块"
    ws.append(["2017年辉县市收储地块台账"])
    ws.merge_cells("A1:F1")
    ws.append(["宗地编号", "县（市、区）", "面积（公顷）", "土地状态", "收储日期", "备注"])
    for i in range(1, 201):
        ws.append([f"HX-{i:03d}", "辉县市", i / 4, "净地", f"2017/1/{i % 28 + 1}", None])
    ws["H5"] = "旁注"  # a note beside the table
    notes = book.create_sheet("说明")
    notes.append(["本表由县自然资源局提供"])
    notes.append([None, 42])
    book.save(path)
    return path


def test_a_legit_two_sheet_ledger_reads_with_identical_cells(tmp_path: Path) -> None:
    from python_calamine import CalamineWorkbook

    path = legit_ledger(tmp_path / "台账.xlsx")
    extents = check_workbook(path, max_cells=MAX_CELLS, max_columns=MAX_COLUMNS)
    assert [(e.name, e.rows, e.cols) for e in extents] == [("收储地块", 202, 8), ("说明", 2, 2)]
    book = read_workbook(path)
    direct = CalamineWorkbook.from_path(str(path))  # calamine alone, as before the check
    for sheet, name in zip(book.sheets, direct.sheet_names, strict=True):
        raw = direct.get_sheet_by_name(name)
        expected = [[None if c == "" else c for c in row] for row in raw.to_python(skip_empty_area=False)]
        assert (sheet.name, sheet.rows) == (name, expected)
        assert [(m.first_row, m.first_col, m.last_row, m.last_col) for m in sheet.merged] == [
            (a, b, c, d) for (a, b), (c, d) in raw.merged_cell_ranges or []
        ]
    run = import_dry_run(path, tmp_path)
    assert run.code == 0, run.out + run.err
    assert "试导入" in run.out
    assert run.rss_mb < MAX_RSS_MB


# ---------------------------------------------------------------- --db in a missing folder


def test_import_into_a_missing_folder_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = legit_ledger(tmp_path / "台账.xlsx")
    missing = tmp_path / "no" / "such" / "dir"
    before = sorted(p.name for p in tmp_path.iterdir())
    db = str(missing / "l.sqlite3")
    assert main(["import", "parcels", str(path), "--db", db]) == 2
    err = capsys.readouterr().err
    assert "文件夹不存在" in err
    assert str(missing) in err
    assert not (tmp_path / "no").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    run = run_cli("import", "parcels", str(path), "--db", db, "--dry-run")
    assert run.code == 2
    assert str(missing) in run.err
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("name", ["没有这个文件.xlsx", "空文件.xlsx", "文件夹.xlsx"])
def test_a_file_that_cannot_be_read_creates_no_ledger(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    """A mistyped file name must not leave a new, empty ledger at --db behind."""
    if name == "空文件.xlsx":
        (tmp_path / name).write_bytes(b"")
    elif name == "文件夹.xlsx":
        (tmp_path / name).mkdir()
    db = tmp_path / "新台账.sqlite3"
    assert main(["import", "parcels", str(tmp_path / name), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert any(reason in err for reason in ("文件不存在", "是空的", "是文件夹")), err
    assert not db.exists()
