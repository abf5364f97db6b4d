"""Reading ledger files: formats, encodings, merged cells, and files refused with a reason."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from landbank.services.importing.spreadsheet import (
    SpreadsheetError,
    decode_text,
    prefetch_workbook,
    read_workbook,
    sniff_delimiter,
)
from tests.conftest import LANDCHINA_SAMPLE as SAMPLE
from tests.conftest import require_sample
from tests.services.messy_ledgers import messy_parcels_xlsx, write_csv, zip_bomb_xlsx

ROWS = [["地块编号", "县区", "收储面积(亩)"], ["A-1", "辉县市", "120"], ["A-2", "红旗区", "1,234.5"]]


def test_xlsx_keeps_excel_row_numbers_and_merged_cells(tmp_path: Path) -> None:
    book = read_workbook(messy_parcels_xlsx(tmp_path / "台账.xlsx"))
    assert [s.name for s in book.sheets] == ["收储地块", "说明"]
    sheet = book.sheet()
    assert sheet.rows[0][0] is None  # column A blank, not dropped
    assert sheet.rows[0][1] == "2017年辉县市收储地块台账"  # row 1 is rows[0]
    assert sheet.rows[2][2] == "宗地编号"
    assert sheet.rows[3][2] == "HX-001"
    assert any(m.first_row == 0 and m.last_col > m.first_col for m in sheet.merged)
    assert book.sheet("说明").rows[0][0] == "本表由县自然资源局提供"
    with pytest.raises(SpreadsheetError, match="没有名为“其他”的工作表"):
        book.sheet("其他")


def test_typed_cells_come_back_typed(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["日期", "面积"])
    ws.append([datetime(2017, 1, 3), 12.5])
    wb.save(tmp_path / "t.xlsx")
    rows = read_workbook(tmp_path / "t.xlsx").sheet().rows
    assert rows[1][0] in (datetime(2017, 1, 3), datetime(2017, 1, 3).date())  # calamine: a date
    assert rows[1][1] == 12.5


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    path = write_csv(tmp_path / f"{encoding}.csv", ROWS, encoding=encoding)
    rows = read_workbook(path).sheet().rows
    assert rows[0] == ["地块编号", "县区", "收储面积(亩)"]  # no BOM left on the first header
    assert rows[2] == ["A-2", "红旗区", "1,234.5"]


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiter_is_sniffed(tmp_path: Path, delimiter: str) -> None:
    path = write_csv(tmp_path / "x.csv", ROWS, encoding="gbk", delimiter=delimiter)
    assert read_workbook(path).sheet().rows[1] == ["A-1", "辉县市", "120"]
    assert sniff_delimiter("a;b;c\n1;2;3\n") == ";"


def test_real_xls_sample_reads_quickly() -> None:
    book = read_workbook(require_sample(SAMPLE))
    sheet = book.sheet()
    assert sheet.name == "info"
    assert len(sheet.rows) == 3678
    assert sheet.width == 28
    assert sheet.rows[0][13] == "土地用途"


def test_empty_and_not_a_spreadsheet_are_refused(tmp_path: Path) -> None:
    (tmp_path / "empty.xlsx").write_bytes(b"")
    with pytest.raises(SpreadsheetError, match="空的"):
        read_workbook(tmp_path / "empty.xlsx")
    (tmp_path / "blank.csv").write_text("\n ,, \n", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="没有任何数据"):
        read_workbook(tmp_path / "blank.csv")
    (tmp_path / "photo.xlsx").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    with pytest.raises(SpreadsheetError, match="已损坏"):
        read_workbook(tmp_path / "photo.xlsx")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 100)
    with pytest.raises(SpreadsheetError, match="不是电子表格"):
        read_workbook(tmp_path / "photo.png")
    with pytest.raises(SpreadsheetError, match="不存在"):
        read_workbook(tmp_path / "missing.xlsx")
    with pytest.raises(SpreadsheetError, match="文件夹"):
        read_workbook(tmp_path)


def test_corrupt_workbooks_are_refused(tmp_path: Path) -> None:
    good = messy_parcels_xlsx(tmp_path / "good.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(good[: len(good) // 2])
    with pytest.raises(SpreadsheetError, match="已损坏"):
        read_workbook(tmp_path / "cut.xlsx")
    (tmp_path / "fake.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600)
    with pytest.raises(SpreadsheetError, match="无法读取"):
        read_workbook(tmp_path / "fake.xls")


def test_a_plain_zip_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "files.xlsx", "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(SpreadsheetError, match="不是 Excel"):
        read_workbook(tmp_path / "files.xlsx")


def test_zip_bomb_is_refused_before_unpacking(tmp_path: Path) -> None:
    bomb = zip_bomb_xlsx(tmp_path / "bomb.xlsx")
    assert bomb.stat().st_size < 5 * 1024 * 1024
    with pytest.raises(SpreadsheetError, match="解压后过大"):
        read_workbook(bomb)


def test_too_many_cells_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import landbank.services.importing.spreadsheet as spreadsheet

    monkeypatch.setattr(spreadsheet, "MAX_CELLS", 10)
    with pytest.raises(SpreadsheetError, match="单元格过多"):
        read_workbook(messy_parcels_xlsx(tmp_path / "x.xlsx"))
    with pytest.raises(SpreadsheetError, match="单元格过多"):
        read_workbook(write_csv(tmp_path / "x.csv", ROWS * 5, encoding="utf-8"))


def test_undecodable_text_is_refused() -> None:
    with pytest.raises(SpreadsheetError, match="编码"):
        decode_text(b"code,name\n\xff\xff\xff", "x.csv")


def test_xlsm_reads_like_xlsx(tmp_path: Path) -> None:
    book = read_workbook(messy_parcels_xlsx(tmp_path / "台账.xlsm"))
    assert book.sheet().rows[3][2] == "HX-001"


def test_a_prefetched_file_reads_as_without_the_prefetch(tmp_path: Path) -> None:
    """The import command starts reading its file in the background (prefetch_workbook); the
    reader then gets the same sheets, or the same refusal, as a plain read."""
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    prefetch_workbook(path)
    assert read_workbook(path).sheet().rows == read_workbook(path).sheet().rows
    bomb = zip_bomb_xlsx(tmp_path / "炸弹.xlsx")
    prefetch_workbook(bomb)  # refused while checked: raised where it is read
    with pytest.raises(SpreadsheetError, match="解压后过大"):
        read_workbook(bomb)


def test_a_file_changed_after_its_prefetch_is_read_again(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "台账.csv", ROWS, encoding="utf-8")
    prefetch_workbook(path)
    write_csv(path, [*ROWS, ["A-3", "获嘉县", "7"]], encoding="utf-8")
    os.utime(path, ns=(1, 1))  # a different mtime even on a coarse clock
    assert [r[0] for r in read_workbook(path).sheet().rows] == ["地块编号", "A-1", "A-2", "A-3"]
    empty = tmp_path / "空.csv"
    empty.write_bytes(b"")
    prefetch_workbook(empty)
    with pytest.raises(SpreadsheetError, match="是空的"):
        read_workbook(empty)
