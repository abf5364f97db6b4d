"""Export to .xlsx: layout (序号 first, a 合计 row last), formats, print setup, names, filters,
the title naming the city and the filter, and no formula ever."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, field_map
from landbank.services.exporting import ledger as export
from landbank.services.exporting.ledger import ExportCancelled, export_records
from landbank.services.exporting.sheet_layout import (
    AMOUNT_FORMAT,
    WHOLE_FORMAT,
    column_width,
    number_format,
)
from landbank.services.exporting.titles import default_title
from landbank.services.identity import save_ledger_identity
from landbank.services.records.saving import create_record
from landbank.store.queries import Names, RecordFilter, SortOrder, Summary, summarise
from tests.services.export_ledger import DANGEROUS, build_ledger


@pytest.fixture
def ledger(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        ids = build_ledger(session)
        session.commit()
    return ids


def _sheet(path: Path) -> Worksheet:
    ws = load_workbook(path).worksheets[0]
    assert isinstance(ws, Worksheet)
    return ws


def _records(ws: Worksheet) -> list[dict[str, object]]:
    """The data rows by header, without their 序号 (checked to run 1…n) and the 合计 row."""
    headers = [c.value for c in ws[2]]
    assert headers[0] == "序号"
    rows = [
        dict(zip(headers, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=3)
    ]
    if rows:
        assert rows[-1]["序号"] == "合计"
        rows.pop()
    assert [row.pop("序号") for row in rows] == list(range(1, len(rows) + 1))
    return rows


def _totals(ws: Worksheet) -> dict[str, object]:
    """The 合计 row by header (empty cells left out)."""
    headers = [c.value for c in ws[2]]
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计"
    return {str(h): v for h, v in zip(headers[1:], last[1:], strict=True) if v is not None}


def test_layout_headers_title_freeze_filter_widths(
    engine: Engine, ledger: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "地块.xlsx"
    with Session(engine) as session:
        result = export_records(session, RecordKind.PARCEL, path)
    assert result.count == 10
    assert result.path == path
    ws = _sheet(path)
    title = ws["A1"].value
    assert isinstance(title, str)
    assert title.startswith("新乡市 收储地块台账")  # every county of the ledger is in 新乡市
    assert f"导出于 {date.today().isoformat()}" in title
    assert "共 10 条" in title
    assert ws["A1"].font.b
    headers = [c.value for c in ws[2]]
    assert headers == ["序号"] + [spec.header for spec in FIELDS[RecordKind.PARCEL]]
    assert result.headers == tuple(headers)
    assert "收储面积(亩)" in headers
    assert "价格(万元)" in headers
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    last = ws.cell(2, len(headers)).column_letter
    assert ws.auto_filter.ref == f"A2:{last}12"  # the records, not the 合计 row below them
    assert ws.max_row == 13
    assert ws["A13"].value == "合计"
    streamed = load_workbook(path, read_only=True).worksheets[0]
    assert streamed.calculate_dimension() == f"A1:{last}13"  # the used range is declared
    # widths: at least the header's, CJK counting double, bounded
    assert ws.column_dimensions["A"].width == column_width(["序号"]) == 6
    width = ws.column_dimensions["B"].width
    assert width >= column_width(["地块编号"]) == 10
    notes = ws.column_dimensions[ws.cell(2, headers.index("备注") + 1).column_letter].width
    assert notes <= 40


def test_print_setup_a4_landscape_titles_fit_to_width(
    engine: Engine, ledger: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "x.xlsx"
    with Session(engine) as session:
        export_records(session, RecordKind.PARCEL, path)
    ws = _sheet(path)
    assert ws.page_setup.orientation == "landscape"
    assert str(ws.page_setup.paperSize) == "9"
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.page_setup.fitToWidth == 1
    assert ws.page_setup.fitToHeight == 0
    assert ws.print_title_rows == "$1:$2"
    assert "&P" in (ws.oddFooter.center.text or "")


def test_values_formats_names_dates_booleans(
    engine: Engine, ledger: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "x.xlsx"
    with Session(engine) as session:
        export_records(session, RecordKind.PARCEL, path)
    ws = _sheet(path)
    rows = {r["地块编号"]: r for r in _records(ws)}
    first = rows["HX-001"]
    assert first["县区"] == "辉县市"
    assert first["园区"] == "辉县市产业集聚区"
    assert first["收储面积(亩)"] == 120.5
    assert first["收储日期"] == datetime(2026, 3, 5)
    assert first["计入年度"] == 2026
    assert first["容积率下限"] == 1.2
    assert first["联系电话"] == "03733012345"  # text keeps its leading zero
    assert first["备注"] == "第一行\n第二行 <b>&amp;</b>"
    assert rows["HX-002"]["收储面积(亩)"] == 1280.125  # every digit kept
    assert rows["HQ-001"]["收储日期"] is None
    headers = [c.value for c in ws[2]]
    row3 = {h: c for h, c in zip(headers, ws[3], strict=True)}
    assert row3["收储面积(亩)"].number_format == AMOUNT_FORMAT
    assert row3["价格(万元)"].number_format == AMOUNT_FORMAT
    assert row3["收储日期"].number_format == "yyyy-mm-dd"
    assert row3["收储日期"].is_date
    assert row3["计入年度"].number_format == "0"

    factories = tmp_path / "f.xlsx"
    with Session(engine) as session:
        export_records(session, RecordKind.FACTORY, factories)
    frows = {r["厂房编号"]: r for r in _records(_sheet(factories))}
    assert frows["F-1"]["双路供电"] == "是"
    assert frows["F-2"]["双路供电"] == "否"
    assert frows["F-2"]["建筑面积(m²)"] == 8000.5
    assert frows["F-1"]["层数(层)"] == 3

    projects = tmp_path / "p.xlsx"
    with Session(engine) as session:
        export_records(session, RecordKind.PROJECT, projects)
    prow = _records(_sheet(projects))[0]
    assert prow["承办县区"] == "红旗区"
    assert prow["意向园区"] == "红旗区高新园"
    assert prow["总投资(万元)"] == 52000
    assert prow["预计就业(人)"] == 350


def test_text_is_never_a_formula(engine: Engine, ledger: dict[str, int], tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with Session(engine) as session:
        export_records(session, RecordKind.PARCEL, path)
    ws = _sheet(path)
    seen = set()
    for row in ws.iter_rows(min_row=1):
        for cell in row:
            assert cell.data_type != "f", (cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value in DANGEROUS:
                assert cell.data_type == "s"
                assert cell.quotePrefix  # Excel keeps it text when the cell is edited
                seen.add(cell.value)
    assert seen == set(DANGEROUS)
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                xml = z.read(name)
                assert b"<f>" not in xml
                assert b"<f " not in xml


def test_filter_sort_and_columns_respected(
    engine: Engine, ledger: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "x.xlsx"
    flt = RecordFilter(region_ids=(ledger["辉县市"],), statuses=("可供",), search="HX")
    with Session(engine) as session:
        result = export_records(
            session,
            RecordKind.PARCEL,
            path,
            flt=flt,
            sort=SortOrder("area_mu", descending=True),
            columns=["area_mu", "code", "status"],
        )
    assert result.count == 1
    ws = _sheet(path)
    assert [c.value for c in ws[2]] == ["序号", "收储面积(亩)", "地块编号", "供应状态"]
    assert [c.value for c in ws[3]] == [1, 120.5, "HX-001", "可供"]
    assert [c.value for c in ws[4]] == ["合计", 120.5, None, None]
    title = ws["A1"].value
    assert isinstance(title, str)
    assert title.startswith("新乡市 收储地块台账（辉县市，供应状态：可供，搜索“HX”，共 1 条；")

    with Session(engine) as session:
        export_records(
            session,
            RecordKind.PARCEL,
            path,
            flt=RecordFilter(statuses=("可供", "已挂牌")),
            sort=SortOrder("area_mu", descending=True),
            columns=["code", "area_mu"],
            title="自定义标题",
        )
    ws = _sheet(path)
    assert ws["A1"].value == "自定义标题"
    areas = [row["收储面积(亩)"] for row in _records(ws)]
    assert areas == sorted(areas, reverse=True)  # type: ignore[type-var]
    assert len(areas) == 9


def test_paging_progress_and_cancel(engine: Engine, ledger: dict[str, int], tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "x.xlsx"
    calls: list[tuple[int, int]] = []
    with Session(engine) as session:
        result = export_records(
            session,
            RecordKind.PARCEL,
            path,
            page_size=3,
            progress=lambda done, total: calls.append((done, total)) is None,
        )
    assert result.count == 10
    assert calls == [(3, 10), (6, 10), (9, 10), (10, 10)]
    codes = [r["地块编号"] for r in _records(_sheet(path))]
    assert len(codes) == len(set(codes)) == 10

    path.write_bytes(b"old file")
    with Session(engine) as session, pytest.raises(ExportCancelled):
        export_records(
            session, RecordKind.PARCEL, path, page_size=3, progress=lambda done, total: done < 6
        )
    assert path.read_bytes() == b"old file"  # the old file is untouched, no partial file left
    assert sorted(p.name for p in folder.iterdir()) == ["x.xlsx"]


def test_empty_ledger_and_unknown_column(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "empty.xlsx"
    with Session(engine) as session:
        result = export_records(session, RecordKind.PROJECT, path)
        assert result.count == 0
        with pytest.raises(KeyError):
            export_records(session, RecordKind.PROJECT, path, columns=["nope"])
    ws = _sheet(path)
    assert "共 0 条" in str(ws["A1"].value)
    assert ws["A2"].value == "序号"
    assert ws["B2"].value == field_map(RecordKind.PROJECT)["name"].header
    assert ws.max_row == 2  # no records, no 合计


def test_unwritable_path_raises_oserror(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as session, pytest.raises(FileNotFoundError):
        export_records(session, RecordKind.PARCEL, tmp_path / "no" / "such" / "x.xlsx")


def test_works_on_any_database(any_engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "x.xlsx"
    with Session(any_engine) as session:
        ids = build_ledger(session)
        session.commit()
        result = export_records(
            session,
            RecordKind.PARCEL,
            path,
            flt=RecordFilter(region_ids=(ids["红旗区"],)),
            sort=SortOrder("park_id"),
            page_size=1,
        )
    assert result.count == 2
    rows = _records(_sheet(path))
    assert [r["园区"] for r in rows] == [None, "红旗区高新园"]
    assert {r["县区"] for r in rows} == {"红旗区"}


def test_control_characters_are_dropped_not_fatal(engine: Engine, tmp_path: Path) -> None:
    with Session(engine) as session:
        region = create_record(
            session, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="测"
        )
        create_record(
            session,
            RecordKind.PARCEL,
            {
                "code": "X-1",
                "region_id": region.id,
                "area_mu": 1.0,
                "readiness": "拟收储",
                "status": "可供",
                "notes": "第一行\x0b第二行\x07",
            },
            user="测",
        )
        session.commit()
        result = export_records(
            session, RecordKind.PARCEL, tmp_path / "x.xlsx", columns=["code", "notes"]
        )
        with pytest.raises(KeyError):
            export_records(session, RecordKind.PARCEL, tmp_path / "y.xlsx", columns=[])
    assert result.title.startswith("辉县市 收储地块台账")  # the only county: the ledger's own
    assert _records(_sheet(tmp_path / "x.xlsx")) == [{"地块编号": "X-1", "备注": "第一行第二行"}]


def test_default_title_describes_the_filter() -> None:
    names = Names({1: "辉县市", 2: "红旗区"}, {5: "高新园"}, {}, {5: 2})
    flt = RecordFilter(
        search="电池", region_ids=(1, 2), park_ids=(5,), industry="新能源", area_min=10, year=None
    )
    title = default_title(
        RecordKind.FACTORY, names, flt, 1234, today=date(2026, 11, 24), city="新乡市"
    )
    assert title == (
        "新乡市 标准厂房台账（辉县市、红旗区，园区：高新园，产业：新能源，搜索“电池”，"
        "建筑面积 ≥10 m²，共 1,234 条；导出于 2026-11-24）"
    )
    one = RecordFilter(region_ids=(1,), statuses=("可供",), area_min=10, area_max=50)
    assert default_title(
        RecordKind.PARCEL, names, one, 12, date(2026, 11, 24), city="新乡市", action="打印"
    ) == (
        "新乡市 收储地块台账（辉县市，供应状态：可供，收储面积 10–50 亩，共 12 条；打印于 2026-11-24）"
    )
    # No city known: 全市, or the county of a county's own ledger (not named twice).
    assert default_title(RecordKind.PARCEL, names, RecordFilter(), 3, date(2026, 1, 2)) == (
        "全市 收储地块台账（共 3 条；导出于 2026-01-02）"
    )
    own = Names({1: "辉县市"}, {}, {}, {})
    assert (
        default_title(
            RecordKind.PROJECT, own, RecordFilter(region_ids=(1,), area_max=5), 0, date(2026, 1, 2)
        )
        == "辉县市 招商项目台账（辉县市，需用地 ≤5 亩，共 0 条；导出于 2026-01-02）"
    )
    assert (
        default_title(RecordKind.PROJECT, own, RecordFilter(region_ids=(1,)), 0, date(2026, 1, 2))
        == "辉县市 招商项目台账（共 0 条；导出于 2026-01-02）"
    )


def test_ranges_follow_the_rows_written_when_the_count_was_stale(
    engine: Engine, ledger: dict[str, int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records added or deleted between the count and the last page (no snapshot isolation):
    the autofilter and the used range still cover exactly the rows written."""
    monkeypatch.setattr(export, "summarise", lambda *_a: Summary(25, {}))
    path = tmp_path / "x.xlsx"
    with Session(engine) as session:
        result = export_records(session, RecordKind.PARCEL, path, columns=["code", "area_mu"])
    assert result.count == 10
    with zipfile.ZipFile(path) as z:
        assert z.namelist()[0] == "[Content_Types].xml"
        assert b"$C$12<" in z.read("xl/workbook.xml")
    ws = _sheet(path)
    assert ws.auto_filter.ref == "A2:C12"
    assert ws["A13"].value == "合计"


@pytest.mark.parametrize(
    ("kind", "flt_of"),
    [
        (RecordKind.PARCEL, lambda ids: RecordFilter()),
        (
            RecordKind.PARCEL,
            lambda ids: RecordFilter(region_ids=(ids["辉县市"],), statuses=("可供",)),
        ),
        (RecordKind.PARCEL, lambda ids: RecordFilter(search="HQ")),
        (RecordKind.FACTORY, lambda ids: RecordFilter()),
        (RecordKind.PROJECT, lambda ids: RecordFilter(statuses=("签约",))),
    ],
)
def test_index_column_and_totals_row_are_the_sql_sums(
    engine: Engine, ledger: dict[str, int], tmp_path: Path, kind: RecordKind, flt_of: object
) -> None:
    assert callable(flt_of)
    flt = flt_of(ledger)
    path = tmp_path / "x.xlsx"
    with Session(engine) as session:
        result = export_records(session, kind, path, flt=flt)
        expected = summarise(session, kind, flt)
    ws = _sheet(path)
    rows = _records(ws)  # 序号 runs 1…n, the 合计 row is last
    assert len(rows) == result.count == expected.count > 0
    totals = _totals(ws)
    specs = field_map(kind)
    summed = {specs[key].header: value for key, value in expected.sums.items()}
    assert totals == summed  # every quantity column, as the status bar sums it
    for header, value in summed.items():  # and the rows above add up to them
        assert value == pytest.approx(sum(float(r[header] or 0) for r in rows))  # type: ignore[arg-type]
    total_row = ws[ws.max_row]
    assert all(c.font.b for c in total_row)
    assert total_row[0].data_type == "s"
    assert all(c.data_type != "f" for c in total_row)  # numbers, not formulas
    headers = [c.value for c in ws[2]]
    for key in expected.sums:
        cell = total_row[headers.index(specs[key].header)]
        assert cell.number_format == number_format(specs[key])


def test_totals_only_under_exported_quantity_columns(
    engine: Engine, ledger: dict[str, int], tmp_path: Path
) -> None:
    path = tmp_path / "x.xlsx"
    with Session(engine) as session:
        export_records(
            session, RecordKind.PARCEL, path, columns=["code", "price_wan", "net_area_mu"]
        )
    ws = _sheet(path)
    # 价格 is not summed, 收储面积 is not exported: the 净用地面积 total alone.
    assert _totals(ws) == {"净用地面积(亩)": pytest.approx(120.0 + 1279.625 + 55.75 + 299.5)}


def test_number_formats_follow_the_unit(
    engine: Engine, ledger: dict[str, int], tmp_path: Path
) -> None:
    """亩 and 万元 with two decimals, m² whole, as format_quantity shows them."""
    with Session(engine) as session:
        export_records(
            session,
            RecordKind.PARCEL,
            tmp_path / "p.xlsx",
            columns=["code", "area_mu", "price_wan"],
        )
        export_records(
            session, RecordKind.FACTORY, tmp_path / "f.xlsx", columns=["code", "floor_area_m2"]
        )
    parcels = _sheet(tmp_path / "p.xlsx")
    assert [c.number_format for c in parcels[3]] == [
        "General",
        "General",
        AMOUNT_FORMAT,
        AMOUNT_FORMAT,
    ]
    ws = _sheet(tmp_path / "f.xlsx")
    assert [c.number_format for c in ws[3]] == ["General", "General", WHOLE_FORMAT]
    assert ws["C3"].value == 12000.0
    assert ws["C4"].value == 8000.5  # the format rounds what is shown, never the value
    assert [ws["C5"].value, ws["C5"].number_format] == [20000.5, WHOLE_FORMAT]


def test_title_names_the_ledgers_city_and_the_filter(
    engine: Engine, ledger: dict[str, int], tmp_path: Path
) -> None:
    with Session(engine) as session:
        save_ledger_identity(session, city="卫辉市", bureau="", user="测试员")
        session.commit()
        result = export_records(
            session,
            RecordKind.PARCEL,
            tmp_path / "x.xlsx",
            flt=RecordFilter(region_ids=(ledger["辉县市"],), statuses=("可供",)),
        )
    assert result.title == (
        f"卫辉市 收储地块台账（辉县市，供应状态：可供，共 7 条；导出于 {date.today().isoformat()}）"
    )
    assert _sheet(tmp_path / "x.xlsx")["A1"].value == result.title
