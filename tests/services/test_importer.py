"""Importing ledger files: messy layouts, encodings, units, duplicates, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import Engine, func, inspect, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS
from landbank.services.importing.columns import remember_mapping
from landbank.services.importing.importer import DuplicatePolicy, import_records, iter_import
from landbank.services.importing.report import Progress, save_report_xlsx
from landbank.services.importing.spreadsheet import SpreadsheetError
from landbank.services.records.history import history
from landbank.services.records.saving import create_record
from landbank.store.models import AuditEntry, Factory, LandParcel, Project, Region
from tests.services.messy_ledgers import (
    PARCEL_HEADER,
    PARCEL_ROWS,
    messy_parcels_xlsx,
    write_csv,
    zip_bomb_xlsx,
)

USER = "测试员"


@pytest.fixture
def session(any_engine: Engine) -> Iterator[Session]:
    with Session(any_engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user=USER)
        create_record(
            s, RecordKind.PARK, {"name": "辉县市产业集聚区", "region_id": region.id}, user=USER
        )
        s.commit()
        yield s


def _count(session: Session, table: type) -> int:
    return int(session.execute(select(func.count()).select_from(table)).scalar_one())


def _state(session: Session) -> tuple[int, ...]:
    return tuple(_count(session, t) for t in (LandParcel, Factory, Project, Region, AuditEntry))


def _parcel(session: Session, code: str) -> LandParcel:
    found = session.execute(select(LandParcel).where(LandParcel.code == code)).scalars().one()
    session.refresh(found)
    return found


def test_messy_xlsx_imports_with_title_merged_cells_blank_column_totals_and_notes(
    session: Session, tmp_path: Path
) -> None:
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    report = import_records(session, RecordKind.PARCEL, path, user=USER, create_regions=True)
    assert report.errors == [], report.describe()
    assert report.written
    session.commit()
    assert (report.sheet, report.header_row) == ("收储地块", 3)
    assert (report.created, report.rows) == (3, 3)  # totals row and notes passed over
    assert report.new_regions == ["红旗区"]
    assert "序号" in report.ignored_columns
    first = _parcel(session, "HX-001")
    assert first.area_mu == pytest.approx(30)  # 2 公顷 (unit from the header)
    assert (first.readiness, first.status) == ("净地(可供)", "可供")
    assert first.reserve_date == date(2017, 1, 3)
    assert first.holder == "甲公司"
    assert first.notes == "=1+1"  # text, as typed
    second = _parcel(session, "HX-002")
    assert second.area_mu == pytest.approx(22.5)  # full-width digits
    assert second.readiness == "已收储(毛地)"
    assert second.reserve_date == date(2017, 1, 1)  # "2017年1月"
    assert second.region_id == first.region_id  # "新乡市辉县市" is 辉县市
    third = _parcel(session, "HY-001")
    assert third.area_mu == pytest.approx(45)  # "约 3 公顷" in the cell
    assert (third.readiness, third.status) == ("净地(可供)", "已出让/划拨")
    assert third.reserve_date == date(2017, 1, 3)  # Excel serial 42738
    region = session.get(Region, third.region_id)
    assert region is not None
    assert (region.name, region.kind) == ("红旗区", "区")
    sources = set(session.execute(select(AuditEntry.source)).scalars())
    assert "导入:台账.xlsx" in sources


def test_csv_in_gbk_and_with_bom(session: Session, tmp_path: Path) -> None:
    rows = [
        ["厂房编号", "名称", "县区", "状态", "建筑面积（万平方米）", "闲置面积", "竣工日期"],
        ["F-1", "1号厂房", "辉县市", "闲置", "１.２", "约 3000㎡", "2016.5.1"],
        ["F-2", "2号厂房", "辉县市", "已入驻", "8,000平方米", "0", "2016-06-01"],
    ]
    gbk = write_csv(tmp_path / "厂房.csv", rows, encoding="gbk")
    report = import_records(session, RecordKind.FACTORY, gbk, user=USER)
    assert report.errors == [], report.describe()
    session.commit()
    f1 = session.execute(select(Factory).where(Factory.code == "F-1")).scalars().one()
    assert (f1.floor_area_m2, f1.idle_area_m2, f1.status) == (12000, 3000, "闲置")
    assert f1.completion_date == date(2016, 5, 1)
    projects = [
        ["项目名称", "投资方", "统一社会信用代码", "县区", "总投资(亿元)", "项目阶段", "签约时间"],
        ["电机项目", "甲公司", "91410700MA000001XA", "辉县市", "1.5", "已签约", "2017年1月3日"],
    ]
    bom = write_csv(tmp_path / "项目.csv", projects, encoding="utf-8-sig", delimiter="\t")
    report = import_records(session, RecordKind.PROJECT, bom, user=USER)
    assert report.errors == [], report.describe()
    session.commit()
    project = session.execute(select(Project)).scalars().one()
    assert (project.total_investment_wan, project.stage) == (15000, "签约")
    assert project.signed_date == date(2017, 1, 3)


def test_catalogue_headers_import_cleanly_with_references_by_name(
    session: Session, tmp_path: Path
) -> None:
    """A file whose headers are exactly FieldSpec.header (landbank's own export/template)."""
    specs = [s for s in FIELDS[RecordKind.PARCEL] if not s.read_only]
    values = {
        "code": "T-1",
        "region_id": "辉县市",
        "park_id": "辉县市产业集聚区",
        "area_mu": 120.5,
        "readiness": "三通一平",
        "status": "可供",
        "reserve_date": date(2026, 3, 5),
        "far_min": 1.0,
        "far_max": 2.5,
        "dual_power": None,
    }
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append([s.header for s in specs])
    ws.append([values.get(s.key) for s in specs])
    book.save(tmp_path / "export.xlsx")
    report = import_records(session, RecordKind.PARCEL, tmp_path / "export.xlsx", user=USER)
    assert report.errors == [], report.describe()
    assert report.ignored_columns == []
    assert report.duplicate_columns == []
    session.commit()
    parcel = _parcel(session, "T-1")
    assert parcel.park_id is not None
    assert (parcel.area_mu, parcel.readiness, parcel.far_max) == (120.5, "三通一平", 2.5)


def test_duplicated_header_takes_the_later_column(session: Session, tmp_path: Path) -> None:
    rows = [
        ["地块编号", "土地用途", "县区", "收储面积(亩)", "状态", "土地用途"],
        ["D-1", "工矿仓储用地", "辉县市", "10", "净地", "工业用地"],
    ]
    path = write_csv(tmp_path / "d.csv", rows, encoding="utf-8")
    report = import_records(session, RecordKind.PARCEL, path, user=USER)
    assert report.errors == []
    assert report.duplicate_columns == ["土地用途"]
    session.commit()
    assert _parcel(session, "D-1").planned_use == "工业用地"


def _ledger(tmp_path: Path, area: str = "2", name: str = "a.csv") -> Path:
    rows = [
        ["地块编号", "县区", "面积(公顷)", "状态"],
        ["P-1", "辉县市", area, "净地"],
        ["P-2", "辉县市", "3", "净地"],
    ]
    return write_csv(tmp_path / name, rows, encoding="utf-8")


def test_duplicate_policies(session: Session, tmp_path: Path) -> None:
    first = import_records(session, RecordKind.PARCEL, _ledger(tmp_path), user=USER)
    assert first.created == 2
    session.commit()
    before = _state(session)
    changed = _ledger(tmp_path, area="4", name="b.csv")

    stop = import_records(session, RecordKind.PARCEL, changed, user=USER)
    assert not stop.ok
    assert not stop.written
    assert [e.row for e in stop.errors] == [2, 3]
    assert "重复" in stop.errors[0].reason
    assert (stop.errors[0].column, stop.errors[0].value) == ("地块编号", "P-1")
    session.commit()
    assert _state(session) == before

    skip = import_records(session, RecordKind.PARCEL, changed, user=USER, on_duplicate="skip")
    assert (skip.created, skip.skipped_duplicates, skip.ok) == (0, 2, True)
    session.commit()
    assert _state(session) == before

    update = import_records(session, RecordKind.PARCEL, changed, user=USER, on_duplicate="update")
    assert (update.updated, update.unchanged, update.ok) == (1, 1, True)
    session.commit()
    parcel = _parcel(session, "P-1")
    assert parcel.area_mu == pytest.approx(60)
    assert parcel.version == 2
    entry = session.execute(
        select(AuditEntry).where(AuditEntry.action == "update", AuditEntry.field == "area_mu")
    ).scalars().one()
    assert (entry.old_value, entry.new_value, entry.source) == ("30", "60", "导入:b.csv")


@pytest.mark.parametrize(
    ("kind", "rows"),
    [
        (
            RecordKind.FACTORY,
            [["厂房编号", "名称", "县区", "状态", "建筑面积(㎡)"], ["F-1", "1号", "辉县市", "在建", "5000"]],
        ),
        (
            RecordKind.PROJECT,
            [["项目名称", "统一社会信用代码", "县区", "阶段"], ["甲项目", "91410700MA000001XA", "辉县市", "在谈"]],
        ),
    ],
)
def test_building_codes_and_credit_codes_are_duplicates(
    session: Session, tmp_path: Path, kind: RecordKind, rows: list[list[str]]
) -> None:
    path = write_csv(tmp_path / "k.csv", rows, encoding="gbk")
    assert import_records(session, kind, path, user=USER).created == 1
    session.commit()
    again = import_records(session, kind, path, user=USER)
    assert "重复" in again.errors[0].reason
    assert again.errors[0].column == rows[0][0 if kind is RecordKind.FACTORY else 1]
    skip = import_records(session, kind, path, user=USER, on_duplicate="skip")
    assert skip.skipped_duplicates == 1


@pytest.mark.parametrize("policy", ["stop", "skip", "update"])
def test_the_same_code_twice_in_one_file_is_refused_whatever_the_policy(
    session: Session, tmp_path: Path, policy: DuplicatePolicy
) -> None:
    """Two rows meaning one record: which one the clerk meant is not for the import to guess."""
    rows = [["地块编号", "县区", "收储面积(亩)", "状态"], ["X-1", "辉县市", "1", "净地"], ["X-1", "辉县", "2", "净地"]]
    path = write_csv(tmp_path / "x.csv", rows, encoding="utf-8")
    before = _state(session)
    report = import_records(session, RecordKind.PARCEL, path, user=USER, on_duplicate=policy)
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "地块编号", "X-1")]
    assert "第 2 行" in report.errors[0].reason
    assert not report.written
    assert _state(session) == before


def test_dry_run_changes_nothing(session: Session, tmp_path: Path) -> None:
    before = _state(session)
    report = import_records(
        session,
        RecordKind.PARCEL,
        messy_parcels_xlsx(tmp_path / "t.xlsx"),
        user=USER,
        dry_run=True,
        create_regions=True,
    )
    assert (report.ok, report.written, report.created) == (True, False, 3)
    assert report.new_regions == ["红旗区"]  # would be created
    session.commit()
    assert _state(session) == before


def test_a_bad_row_writes_nothing_and_is_named(session: Session, tmp_path: Path) -> None:
    rows = [*PARCEL_ROWS, [4, "HX-009", "辉县市", "很多", "净地", "2017/13/45", None, None]]
    path = messy_parcels_xlsx(tmp_path / "bad.xlsx", rows)
    before = _state(session)
    report = import_records(session, RecordKind.PARCEL, path, user=USER, create_regions=True)
    assert not report.ok
    assert not report.written
    assert report.created == 3
    session.commit()
    assert _state(session) == before
    by_column = {e.column: e for e in report.errors}
    area = by_column["面积（公顷）"]
    assert (area.sheet, area.row, area.value) == ("收储地块", 7, "很多")
    assert "数字" in area.reason
    assert by_column["收储日期"].value == "2017/13/45"
    assert "第 7 行" in report.describe()
    out = save_report_xlsx(report, tmp_path / "report.xlsx")
    ws = load_workbook(out).active
    assert ws is not None
    # The original columns, column A (blank in the file) included.
    assert [c.value for c in ws[1]][:6] == ["行号", "错误", "提示", None, "序号", "宗地编号"]
    rows_by_number = {r[0].value: r for r in ws.iter_rows(min_row=2)}
    assert "面积（公顷）" in str(rows_by_number[7][1].value)
    assert rows_by_number[4][1].value in (None, "")
    formula_cell = [c for c in rows_by_number[4] if c.value == "=1+1"]
    assert formula_cell
    assert formula_cell[0].data_type == "s"


def test_validation_errors_name_the_column_of_the_file(session: Session, tmp_path: Path) -> None:
    rows = [["宗地编号", "县区", "面积(亩)", "状态", "容积率下限", "容积率上限"], ["V-1", "", "10", "净地", "2", "1"]]
    path = write_csv(tmp_path / "v.csv", rows, encoding="utf-8")
    report = import_records(session, RecordKind.PARCEL, path, user=USER)
    reasons = {e.column: e.reason for e in report.errors}
    assert reasons["县区"] == "必填"
    assert "容积率上限" in reasons["容积率上限"]


def test_unreadable_files_are_refused_with_a_message(session: Session, tmp_path: Path) -> None:
    before = _state(session)
    (tmp_path / "empty.xlsx").write_bytes(b"")
    (tmp_path / "notes.txt").write_text("随便写的一段话\n没有表头", encoding="utf-8")
    (tmp_path / "image.xlsx").write_bytes(b"GIF89a" + b"\0" * 64)
    for path, reason in [
        (zip_bomb_xlsx(tmp_path / "bomb.xlsx"), "解压后过大"),
        (tmp_path / "empty.xlsx", "空的"),
        (tmp_path / "notes.txt", "找不到地块台账的表头"),
        (tmp_path / "image.xlsx", "已损坏"),
    ]:
        with pytest.raises(SpreadsheetError, match=reason):
            import_records(session, RecordKind.PARCEL, path, user=USER)
    assert _state(session) == before


def test_sheet_and_header_row_can_be_chosen(session: Session, tmp_path: Path) -> None:
    path = messy_parcels_xlsx(tmp_path / "t.xlsx")
    report = import_records(
        session,
        RecordKind.PARCEL,
        path,
        user=USER,
        sheet="收储地块",
        header_row=3,
        dry_run=True,
        create_regions=True,
    )
    assert report.ok
    assert report.created == 3
    with pytest.raises(SpreadsheetError, match="没有名为"):
        import_records(session, RecordKind.PARCEL, path, user=USER, sheet="不存在")
    # A sheet named that holds no ledger: refused like a row, the sheet named.
    notes = import_records(session, RecordKind.PARCEL, path, user=USER, sheet="说明")
    assert [(e.sheet, e.row) for e in notes.errors] == [("说明", 1)]
    assert "找不到" in notes.errors[0].reason
    assert not notes.written
    with pytest.raises(SpreadsheetError, match="超出"):
        import_records(session, RecordKind.PARCEL, path, user=USER, header_row=999)


def test_a_remembered_mapping_is_used(session: Session, tmp_path: Path) -> None:
    rows = [["号", "地方", "大小", "情况"], ["M-1", "辉县市", "5", "净地"]]
    path = write_csv(tmp_path / "m.csv", rows, encoding="utf-8")
    with pytest.raises(SpreadsheetError):
        import_records(session, RecordKind.PARCEL, path, user=USER, header_row=1)
    remember_mapping(RecordKind.PARCEL, rows[0], ["code", "region_id", "area_mu", "status"])
    report = import_records(session, RecordKind.PARCEL, path, user=USER, header_row=1)
    assert report.ok
    assert report.created == 1


def test_merged_region_cells_apply_to_every_row_they_cover(session: Session, tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["地块编号", "县区", "收储面积(亩)", "状态"])
    ws.append(["G-1", "辉县市", 1, "净地"])
    ws.append(["G-2", None, 2, "净地"])
    ws.merge_cells("B2:B3")
    book.save(tmp_path / "g.xlsx")
    report = import_records(session, RecordKind.PARCEL, tmp_path / "g.xlsx", user=USER)
    assert report.errors == [], report.describe()
    assert report.created == 2


def test_progress_is_yielded_and_cancel_rolls_back(session: Session, tmp_path: Path) -> None:
    path = messy_parcels_xlsx(tmp_path / "t.xlsx")
    steps = iter_import(session, RecordKind.PARCEL, path, user=USER)
    seen = list(_drain(steps))
    assert all(isinstance(p, Progress) for p in seen)
    assert seen[-1].done == seen[-1].total == 3
    session.rollback()
    before = _state(session)
    report = import_records(session, RecordKind.PARCEL, path, user=USER, progress=lambda p: p.total == 0)  # cancel at the first row
    assert report.cancelled
    assert not report.written
    assert not report.ok
    assert "取消" in report.describe()
    session.commit()
    assert _state(session) == before
    closed = iter_import(session, RecordKind.PARCEL, path, user=USER)
    next(closed)
    next(closed)
    closed.close()  # the GUI's cancel: the savepoint is rolled back
    session.commit()
    assert _state(session) == before


def _drain(steps: Iterator[Progress]) -> Iterator[Progress]:
    yield from steps


def test_report_json_has_english_keys(session: Session, tmp_path: Path) -> None:
    rows = [PARCEL_HEADER, [1, "J-1", "辉县市", "abc", "净地", None, None, None]]
    path = write_csv(tmp_path / "j.csv", rows, encoding="utf-8")
    data = import_records(session, RecordKind.PARCEL, path, user=USER).to_json()
    assert data["counts"]["errors"] == 1
    assert set(data["errors"][0]) == {"sheet", "row", "column", "value", "reason"}
    assert data["errors"][0]["row"] == 2


def test_preview_shows_what_the_import_would_read(tmp_path: Path) -> None:
    from landbank.services.importing.preview import preview_import

    path = messy_parcels_xlsx(tmp_path / "t.xlsx")
    preview = preview_import(RecordKind.PARCEL, path)
    assert preview.sheet_names == ["收储地块", "说明"]
    assert (preview.sheet, preview.header_row, preview.remembered) == ("收储地块", 3, False)
    assert [r.number for r in preview.rows] == [4, 5, 6]
    assert preview.columns.by_key()["area_mu"].unit == "公顷"
    remember_mapping(RecordKind.PARCEL, preview.headers, preview.columns.keys())
    assert preview_import(RecordKind.PARCEL, path).remembered
    with pytest.raises(ValueError, match="cannot import"):
        preview_import(RecordKind.QUOTA, path)


def test_a_header_over_two_rows_is_joined(session: Session, tmp_path: Path) -> None:
    """容积率 over 下限/上限 and 约定时间 over 交地/开工/竣工, the single columns merged down."""
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["辉县市收储地块台账"])
    ws.merge_cells("A1:I1")
    ws.append(["地块编号", "县区", "面积(亩)", "状态", "容积率", None, "约定时间", None, None])
    ws.append([None, None, None, None, "下限", "上限", "交地", "开工", "竣工"])
    for column in "ABCD":
        ws.merge_cells(f"{column}2:{column}3")
    ws.merge_cells("E2:F2")
    ws.merge_cells("G2:I2")
    ws.append(["W-1", "辉县市", 10, "已出让", 1.0, 2.5, "2017/1/3", "2017/6/1", "2018/6/1"])
    book.save(tmp_path / "two.xlsx")
    report = import_records(session, RecordKind.PARCEL, tmp_path / "two.xlsx", user=USER)
    assert report.errors == [], report.describe()
    assert report.header_row == 2
    assert report.created == 1
    session.commit()
    parcel = _parcel(session, "W-1")
    assert (parcel.far_min, parcel.far_max) == (1.0, 2.5)
    assert parcel.agreed_start_date == date(2017, 6, 1)
    assert parcel.agreed_completion_date == date(2018, 6, 1)


def test_cancel_before_reading_returns_a_cancelled_report(session: Session, tmp_path: Path) -> None:
    path = messy_parcels_xlsx(tmp_path / "t.xlsx")
    report = import_records(session, RecordKind.PARCEL, path, user=USER, progress=lambda _p: False)
    assert report.cancelled
    assert not report.written


def test_a_cancel_after_rows_were_written_leaves_the_ledger_as_it_was(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks already inserted (through the driver, inside the import's savepoint) go too."""
    import landbank.services.importing.importer as importer

    monkeypatch.setattr(importer, "CHUNK", 2)
    rows = [["地块编号", "县区", "收储面积(亩)", "状态"]]
    rows += [[f"C-{i}", "辉县市" if i % 2 else "新县区", str(i + 1), "净地"] for i in range(7)]
    path = write_csv(tmp_path / "c.csv", rows, encoding="utf-8")
    before = _state(session)
    seen: list[Progress] = []

    def cancel_at_the_third_chunk(step: Progress) -> bool:
        seen.append(step)
        return not (step.total and step.done >= 4)

    report = import_records(
        session,
        RecordKind.PARCEL,
        path,
        user=USER,
        progress=cancel_at_the_third_chunk,
        create_regions=True,
    )
    assert report.cancelled
    assert not report.written
    assert report.created == 4  # two chunks were in the database when the clerk cancelled
    assert [(p.done, p.total) for p in seen] == [(0, 0), (0, 7), (2, 7), (4, 7)]
    session.commit()
    assert _state(session) == before
    full = import_records(session, RecordKind.PARCEL, path, user=USER, create_regions=True)
    assert (full.created, full.written, full.new_regions) == (7, True, ["新县区"])
    session.commit()
    assert _count(session, LandParcel) == 7
    # Every parcel's history has its creation from the file; the new region's too.
    parcels = session.execute(select(LandParcel.id)).scalars().all()
    created = [history(session, RecordKind.PARCEL, i)[0] for i in parcels]
    assert {(e.action, e.source) for e in created} == {("create", "导入:c.csv")}
    [region] = session.execute(select(Region.id).where(Region.name == "新县区")).scalars()
    assert [e.action for e in history(session, RecordKind.REGION, region)] == ["create"]


def test_a_true_cell_is_not_the_number_1(session: Session, tmp_path: Path) -> None:
    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["地块编号", "县区", "收储面积(亩)", "状态", "备注"])
    ws.append(["B-1", "辉县市", 1.0, "净地", True])
    ws.append(["B-2", "辉县市", True, "净地", 1])
    ws.append(["B-3", "辉县市", 1, "净地", 1.0])
    book.save(tmp_path / "b.xlsx")
    report = import_records(session, RecordKind.PARCEL, tmp_path / "b.xlsx", user=USER)
    assert [(e.row, e.column) for e in report.errors] == [(3, "收储面积(亩)")]
    assert "数字" in report.errors[0].reason
    assert report.created == 2  # 1.0 and 1 are numbers; 备注 True/1/1.0 are texts


def test_columns_set_to_not_imported_are_listed_in_the_report_and_its_file(
    session: Session, tmp_path: Path
) -> None:
    from landbank.services.importing.preview import preview_import

    path = messy_parcels_xlsx(tmp_path / "t.xlsx")
    keys = preview_import(RecordKind.PARCEL, path).columns.keys()
    holder = keys.index("holder")
    keys[holder] = None  # 受让人 → （不导入）
    report = import_records(
        session,
        RecordKind.PARCEL,
        path,
        user=USER,
        mapping=keys,
        dry_run=True,
        create_regions=True,
    )
    assert report.ok, report.describe()
    assert report.ignored_columns == ["序号", "受让人"]
    assert "未导入的列：序号、受让人" in report.describe()
    assert report.to_json()["ignored_columns"] == ["序号", "受让人"]
    out = save_report_xlsx(report, tmp_path / "report.xlsx")
    book = load_workbook(out)
    ws = book["导入报告"]
    header = {c.value: c for c in ws[1]}
    assert header["受让人"].fill.fgColor.rgb.endswith("D9D9D9")  # greyed: not imported
    assert header["序号"].fill.fgColor.rgb.endswith("D9D9D9")
    assert not header["宗地编号"].fill.fgColor.rgb.endswith("D9D9D9")
    notes = [r[0] for r in book["说明"].iter_rows(values_only=True)]
    assert "未导入的列：序号、受让人" in notes
    assert notes[-2:] == ["序号", "受让人"]


def test_a_large_import_builds_the_indexes_it_deferred_and_a_cancelled_one_keeps_them(
    session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(SQLite defers secondary indexes for an import larger than the table; PostgreSQL keeps
    them: both end with the indexes they had.) The cycle collector is as it was afterwards."""
    import gc

    import landbank.services.importing.importer as importer
    import landbank.store.bulk as bulk

    monkeypatch.setattr(importer, "CHUNK", 2)
    monkeypatch.setattr(bulk, "DEFER_INDEXES_MIN_ROWS", 3)

    def indexes() -> list[tuple[str | None, list[str | None]]]:
        found = inspect(session.connection()).get_indexes("parcel")
        return sorted((i["name"], list(i["column_names"])) for i in found)

    rows = [["地块编号", "县区", "收储面积(亩)", "状态"]]
    rows += [[f"X-{i}", "辉县市", str(i + 1), "净地"] for i in range(7)]
    path = write_csv(tmp_path / "x.csv", rows, encoding="utf-8")
    before = indexes()
    assert len(before) >= 8
    collecting = gc.isenabled()
    report = import_records(session, RecordKind.PARCEL, path, user=USER, progress=lambda step: not step.done >= 4)
    assert report.cancelled
    session.commit()
    assert indexes() == before
    report = import_records(session, RecordKind.PARCEL, path, user=USER)
    assert (report.created, report.written) == (7, True)
    session.commit()
    assert indexes() == before
    assert gc.isenabled() == collecting
    assert _count(session, LandParcel) == 7
