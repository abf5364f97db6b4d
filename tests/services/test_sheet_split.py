"""A large worksheet read in parts at once gives exactly the cells of the sheet read whole
(issue 10, item 11: the import's read on two cores). The threshold is lowered so that the
workbooks here, small enough for a test, are cut too."""

from __future__ import annotations

import tempfile
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from landbank.services.importing import calamine_read, sheet_split, spreadsheet
from landbank.services.importing.sheet_cut import cut_sheet_xml
from landbank.services.importing.sheet_extent import check_workbook
from landbank.services.importing.spreadsheet import MAX_CELLS, MAX_COLUMNS
from tests.services.test_hostile_files import xlsx

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"


@pytest.fixture
def cut_small(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[int]:
    """Every sheet is cut (no size threshold), the copies in the test's own temporary folder;
    the list of the parts of each cut read."""
    cuts: list[int] = []
    real = sheet_split.parse_parts

    def counted(copies: Any, open_sheet: Any) -> Any:
        cuts.append(len(copies))
        return real(copies, open_sheet)

    monkeypatch.setattr(sheet_split, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(sheet_split, "parse_parts", counted)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return cuts


def whole_and_in_parts(path: Path) -> tuple[spreadsheet.Workbook, spreadsheet.Workbook]:
    whole = calamine_read.read_calamine(path)  # no plain parts named: every sheet read whole
    in_parts = spreadsheet._checked_reader(path)()
    return whole, in_parts


def township_ledger(path: Path) -> Path:
    """A ledger as townships keep them: a merged title, a two-row header, shared strings,
    dates, numbers, blanks, a stretch of empty rows, rows whose first column is empty, a
    stray note far to the right at the bottom, and a second sheet."""
    book = Workbook()
    sheet = book.active
    sheet.title = "百泉镇"
    sheet.append(["辉县市百泉镇工业用地收储台账"])
    sheet.merge_cells("A1:H1")
    sheet.append(["编号", "坐落", "面积", None, "收储日期", "状态", "容积率", "备注"])
    sheet.append([None, None, "亩", "公顷", None, None, None, None])
    sheet.merge_cells("C2:D2")
    for i in range(1, 700):
        if 300 <= i < 340:
            sheet.append([])  # empty rows: where a cut may fall
            continue
        sheet.append(
            [
                None if i > 500 else f"BQ-{i:04d}",  # the last rows name no code
                f"百泉镇{i % 17}号路东",
                round(10 + i * 0.37, 2),
                None,
                datetime(2023, 1, 1) if i % 3 else date(2024, 5, i % 28 + 1),
                ["净地", "毛地", "已供地"][i % 3],
                i % 2 == 0,
                None if i % 4 else "已完成征拆，待三通一平",
            ]
        )
    sheet.cell(row=720, column=12, value="制表：张伟")
    summary = book.create_sheet("汇总")
    summary.append(["合计", 123.4])
    book.save(path)
    return path


@pytest.mark.parametrize("parts", [2, 3, 4])
def test_a_ledger_read_in_parts_has_the_cells_of_the_ledger_read_whole(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch, parts: int
) -> None:
    monkeypatch.setattr(sheet_split, "split_parts", lambda: parts)
    path = township_ledger(tmp_path / "百泉镇台账.xlsx")
    whole, in_parts = whole_and_in_parts(path)
    assert cut_small == [parts]  # (the summary's one row cannot be cut: it is read whole)
    assert [s.name for s in in_parts.sheets] == ["百泉镇", "汇总"]
    for mine, theirs in zip(in_parts.sheets, whole.sheets, strict=True):
        assert mine.rows == theirs.rows
        assert mine.merged == theirs.merged
    rows = in_parts.sheets[0].rows
    assert len(rows) == 720
    assert all(len(row) == 12 for row in rows)
    assert rows[719][11] == "制表：张伟"
    assert rows[3][:3] == ["BQ-0001", "百泉镇1号路东", 10.37]
    assert rows[600][0] is None
    assert rows[600][1] == "百泉镇3号路东"


def test_a_sheet_of_one_row_is_read_whole(tmp_path: Path, cut_small: list[int]) -> None:
    book = Workbook()
    book.active.append(["合计", 1])
    book.save(tmp_path / "one.xlsx")
    whole, in_parts = whole_and_in_parts(tmp_path / "one.xlsx")
    assert cut_small == []
    assert in_parts.sheets[0].rows == whole.sheets[0].rows == [["合计", 1]]


@pytest.mark.parametrize("name", sorted(p.name for p in SAMPLES.glob("*.xlsx")))
def test_the_sample_ledgers_read_in_parts_as_whole(name: str, cut_small: list[int]) -> None:
    whole, in_parts = whole_and_in_parts(SAMPLES / name)
    assert cut_small, "the sample was not cut"
    assert [(s.name, s.rows, s.merged) for s in in_parts.sheets] == [
        (s.name, s.rows, s.merged) for s in whole.sheets
    ]


def test_a_failed_read_in_parts_falls_back_to_the_whole_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any) -> Any:
        raise ValueError("a part calamine rejects")

    monkeypatch.setattr(sheet_split, "SPLIT_MIN_BYTES", 0)
    monkeypatch.setattr(sheet_split, "parse_parts", broken)
    path = township_ledger(tmp_path / "台账.xlsx")
    whole, in_parts = whole_and_in_parts(path)
    assert in_parts.sheets[0].rows == whole.sheets[0].rows


def test_only_a_sheet_in_the_plain_form_is_named_for_a_read_in_parts(tmp_path: Path) -> None:
    plain = '<sheetData><row r="1"><c r="A1" t="n"><v>1</v></c></row></sheetData>'
    prefixed = (
        '<x:sheetData xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<x:row r="1"><x:c r="A1" t="n"><x:v>1</x:v></x:c></x:row></x:sheetData>'
    )
    unnumbered = "<sheetData><row><c><v>1</v></c><c><v>2</v></c></row></sheetData>"
    path = xlsx(tmp_path / "forms.xlsx", [("甲", plain), ("乙", prefixed), ("丙", unnumbered)])
    extents = check_workbook(path, max_cells=MAX_CELLS, max_columns=MAX_COLUMNS)
    assert [e.plain_part for e in extents] == ["xl/worksheets/sheet1.xml", "", ""]


def _sheet(rows: str, before: str = "", after: str = "") -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="urn:x">'
        f"{before}<sheetData>{rows}</sheetData>{after}</worksheet>"
    ).encode()


ROWS = "".join(f'<row r="{i}"><c r="A{i}" t="n"><v>{i}</v></c></row>' for i in range(1, 9))


def test_the_cut_falls_between_rows_and_keeps_head_and_tail() -> None:
    xml = _sheet(ROWS, before='<dimension ref="A1:A8"/>', after='<mergeCells count="0"/>')
    pieces = cut_sheet_xml(xml, 3)
    assert pieces is not None
    assert len(pieces) == 3
    head, tail = xml[: xml.index(b"<row")], xml[xml.index(b"</sheetData>") :]
    bodies = []
    for piece in pieces:
        assert piece.startswith(head)
        assert piece.endswith(tail)
        body = piece[len(head) : len(piece) - len(tail)]
        assert body.startswith(b"<row ")
        assert body.endswith(b"</row>")
        bodies.append(body)
    assert b"".join(bodies) == xml[len(head) : len(xml) - len(tail)]


@pytest.mark.parametrize(
    "xml",
    [
        _sheet(ROWS.replace("<v>4</v>", '<v>4</v><!-- <row r="9"> -->')),
        _sheet(ROWS.replace("<v>4</v>", "<is><t><![CDATA[<row>]]></t></is>")),
        _sheet(ROWS.replace("<v>4</v>", '<?pi <row r="9"> ?><v>4</v>')),
        _sheet(ROWS) + _sheet(ROWS),  # sheetData twice
        _sheet(" " + ROWS),  # not a row right after <sheetData>
        _sheet(ROWS).replace(b"<sheetData>", b"<sheetData/>").replace(b"</sheetData>", b""),
        _sheet('<row r="1"><c r="A1"><v>1</v></c></row>'),  # one row: nothing to cut
        b"\xff\xfe<\x00w\x00",  # UTF-16
    ],
    ids=["comment", "cdata", "instruction", "twice", "space", "empty", "one-row", "utf16"],
)
def test_a_sheet_the_cut_could_break_is_not_cut(xml: bytes) -> None:
    assert cut_sheet_xml(xml, 2) is None


def test_a_question_mark_in_a_cell_does_not_stop_the_cut() -> None:
    xml = _sheet(
        ROWS.replace("<v>4</v>", "<is><t>待定?</t></is>").replace(
            't="n"><is>', 't="inlineStr"><is>'
        )
    )
    assert cut_sheet_xml(xml, 2) is not None


def test_rows_missing_between_two_parts_are_empty_rows(
    tmp_path: Path, cut_small: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sheet_split, "split_parts", lambda: 2)
    numbers = [*range(1, 6), *range(10, 13)]  # rows 6-9 are not in the file: the cut is there
    rows = "".join(
        f'<row r="{i}"><c r="B{i}" t="n"><v>{i}</v></c><c r="C{i}" t="inlineStr"><is><t>第{i}行</t></is></c></row>'
        for i in numbers
    )
    path = xlsx(tmp_path / "gap.xlsx", [("台账", f"<sheetData>{rows}</sheetData>")])
    whole, in_parts = whole_and_in_parts(path)
    assert cut_small == [2]
    assert in_parts.sheets[0].rows == whole.sheets[0].rows
    assert len(whole.sheets[0].rows) == 12
    assert whole.sheets[0].rows[6] == [None, None, None]


@pytest.mark.parametrize("chunks", [(1,), (3,), (7, 16), (17,), (5, 1, 1000)])
def test_a_sheet_fed_in_chunks_is_cut_as_when_fed_whole(chunks: tuple[int, ...]) -> None:
    """The zip gives a sheet in pieces: markers split between two pieces are still seen."""
    xml = _sheet(ROWS, before='<dimension ref="A1:A8"/>', after='<mergeCells count="0"/>')
    assert cut_sheet_xml(xml, 3, chunks) == cut_sheet_xml(xml, 3)
    for broken in (
        _sheet(ROWS.replace("<v>4</v>", "<v>4</v><!-- x -->")),
        _sheet(ROWS.replace("<v>4</v>", "<?pi x?><v>4</v>")),
        _sheet(ROWS) + _sheet(ROWS),
    ):
        assert cut_sheet_xml(broken, 3, chunks) is None


def test_the_copies_are_removed_after_the_read_and_after_a_refusal(
    tmp_path: Path, cut_small: list[int]
) -> None:
    def leftovers() -> list[str]:
        return [p.name for p in tmp_path.iterdir() if p.name.startswith("landbank-read-")]

    whole_and_in_parts(township_ledger(tmp_path / "台账.xlsx"))
    assert cut_small
    assert leftovers() == []
    far = '<sheetData><row r="1"><c r="A1" t="n"><v>1</v></c></row><row r="1048576">'
    far += '<c r="XFD1048576" t="n"><v>2</v></c></row></sheetData>'
    with pytest.raises(spreadsheet.SpreadsheetError, match="范围过大"):
        spreadsheet._checked_reader(xlsx(tmp_path / "远处.xlsx", [("台账", far)]))
    assert leftovers() == []
