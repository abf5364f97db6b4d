"""Round trip with the importer: export everything, import into an empty ledger, export again
— the same data (the export's 序号 column and 合计 row passed over by the import); and a
filled-in template imports cleanly."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.exporting.ledger import export_records
from landbank.services.exporting.template import write_template
from landbank.services.importing.importer import import_records
from landbank.services.records.saving import create_record
from landbank.store.migrate import open_database
from landbank.store.queries import fetch_page, load_names
from tests.services.export_ledger import build_ledger

KINDS = (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT)


def _empty_ledger_with_parks(path: Path) -> Engine:
    """Regions are created by an import; parks must exist."""
    engine = open_database(f"sqlite:///{path}")
    with Session(engine) as s:
        hx = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="测试员")
        hq = create_record(s, RecordKind.REGION, {"name": "红旗区", "kind": "区"}, user="测试员")
        create_record(
            s, RecordKind.PARK, {"name": "辉县市产业集聚区", "region_id": hx.id}, user="测试员"
        )
        create_record(
            s, RecordKind.PARK, {"name": "红旗区高新园", "region_id": hq.id}, user="测试员"
        )
        s.commit()
    return engine


def _data(path: Path) -> list[list[object]]:
    ws = load_workbook(path).worksheets[0]
    assert isinstance(ws, Worksheet)
    return [[c.value for c in row] for row in ws.iter_rows(min_row=2)]  # headers and data


@pytest.mark.parametrize("kind", KINDS)
def test_export_import_export_gives_the_same_data(
    engine: Engine, tmp_path: Path, kind: RecordKind
) -> None:
    with Session(engine) as session:
        build_ledger(session)
        session.commit()
        exported = export_records(session, kind, tmp_path / "1.xlsx")
    other = _empty_ledger_with_parks(tmp_path / "other.sqlite3")
    try:
        with Session(other) as session:
            report = import_records(session, kind, tmp_path / "1.xlsx", user="测试员")
            assert not report.errors, report.errors
            assert report.created == exported.count  # not one more for the 合计 row
            session.commit()
            export_records(session, kind, tmp_path / "2.xlsx")
    finally:
        other.dispose()
    first, second = _data(tmp_path / "1.xlsx"), _data(tmp_path / "2.xlsx")
    assert len(first) > 2
    assert first[0][0] == "序号"
    assert [row[0] for row in first[1:]] == [*range(1, exported.count + 1), "合计"]
    assert first == second


def test_filled_template_imports_cleanly(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as session:
        build_ledger(session)
        session.commit()
        write_template(session, RecordKind.PARCEL, tmp_path / "模板.xlsx")
    wb = load_workbook(tmp_path / "模板.xlsx")
    ws = wb.worksheets[0]
    assert isinstance(ws, Worksheet)
    column = {c.value: c.column for c in ws[2]}
    for row, (code, area) in enumerate((("NEW-001", 88.5), ("NEW-002", 12)), start=3):
        ws.cell(row, column["地块编号"], code)
        ws.cell(row, column["县区"], "红旗区")
        ws.cell(row, column["园区"], "红旗区高新园")
        ws.cell(row, column["收储面积(亩)"], area)
        ws.cell(row, column["整理程度"], "三通一平")
        ws.cell(row, column["供应状态"], "可供")
        ws.cell(row, column["收储日期"], datetime(2026, 5, 1))
        ws.cell(row, column["容积率下限"], 1.5)
        ws.cell(row, column["备注"], "模板填写")
    wb.save(tmp_path / "填好.xlsx")
    with Session(engine) as session:
        report = import_records(session, RecordKind.PARCEL, tmp_path / "填好.xlsx", user="测试员")
        assert not report.errors, report.errors
        assert report.created == 2
        session.commit()
        names = load_names(session)
        rows = {
            r["code"]: r
            for r in fetch_page(session, RecordKind.PARCEL, limit=100)
            if r["code"].startswith("NEW")
        }
    assert rows["NEW-001"]["area_mu"] == 88.5
    assert names.parks[rows["NEW-001"]["park_id"]] == "红旗区高新园"
    assert rows["NEW-002"]["reserve_date"] == date(2026, 5, 1)
    assert rows["NEW-002"]["readiness"] == "三通一平"
