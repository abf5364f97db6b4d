"""A small ledger for the 标准地 tests (获嘉县 with 高新园区, 辉县市 with 产业集聚区) and a messy
indicator file written here: a merged title row, short county names, 容积率 as “1.0-2.0”,
全角 digits, “≥”/“不低于” in cells, a note row under the table."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.engine import session_scope

HEADERS = [
    "序号", "县区", "园区", "产业", "固定资产投资强度（万元/亩）", "容积率", "亩均税收(万元/亩)",
    "亩均产出（万元/亩）", "建筑系数(%)", "绿地率（%）", "行政办公及生活服务设施用地比例(%)",
]


def make_ledger(engine: Engine) -> dict[str, int]:
    ids: dict[str, int] = {}
    with session_scope(engine) as s:
        for name in ("获嘉县", "辉县市"):
            region = create_record(s, RecordKind.REGION, {"name": name, "kind": "县"}, user="t")
            assert region.id is not None
            ids[name] = region.id
        for name, county in (("高新园区", "获嘉县"), ("产业集聚区", "辉县市")):
            park = create_record(s, RecordKind.PARK, {"name": name, "region_id": ids[county]}, user="t")
            assert park.id is not None
            ids[name] = park.id
    return ids


def write_book(path: Path, rows: list[list[object]], *, title: str = "新乡市工业用地标准地指标表") -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "指标"
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADERS))
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    sheet.append(["注：空白表示未设定，按国家标准执行。"])
    book.save(path)
    return path


GOOD_ROWS: list[list[object]] = [
    [1, "获嘉", None, None, 250, "1.0-2.0", "≥15", None, None, None, None],
    [2, "获嘉县", "高新园区", "新材料", "３００", "1.2～2.5", "不低于20", 400, 35, 15, "5%"],
    [3, "辉县", "", "全部产业", 200, None, 12, None, None, None, None],
]
