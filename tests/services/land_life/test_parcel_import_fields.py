"""A township's ledger carrying the after-supply columns (issue 16 item 4): the headers real
ledgers use map to the new fields, units in the header convert (已开发面积 in 公顷), and the
cross-field checks refuse what cannot be (developed more than the parcel, production before
the start) naming the column."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.importing.importer import import_records
from landbank.services.records.saving import create_record
from landbank.store.models import LandParcel

USER = "测试员"
HEADER = [
    "序号", "宗地编号", "县区", "面积（亩）", "供应状态", "整理程度", "成交价（万元）",
    "批复时间", "约定开工时间", "实际开工时间", "投产时间", "已开发面积（公顷）",
    "合同投资额(万元)", "累计完成投资（万元）", "停工时间", "是否政府原因",
    "已建计容建筑面积(m²)", "投资强度（承诺）", "承诺亩均税收(万元/亩)",
]


def _ledger(path: Path, rows: list[list[object]]) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "供后监管"
    sheet.append(["冯庄镇2025年工业用地供后监管台账"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER))
    sheet.append(["填报单位：冯庄镇人民政府", None, None, None, None, "单位：亩、万元"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    sheet.append(["合计", None, None, 90])
    sheet.append(["注：已开发面积按公顷填报"])
    book.save(path)
    return path


ROWS: list[list[object]] = [
    [1, "FZ-001", "获嘉", "60", "已开工", "净地(可供)", "1200", "2022年3月1日",
     "2023-05-01", "2023.6.1", "2025-01-10", "2", "6,000", "5500", None, "否",
     "48000", "300", "15"],
    [2, "FZ-002", "获嘉县", "30", "已开工", "净地(可供)", "600", "2022-03-01",
     "2023-05-01", "2023-07-01", None, "0.5", "3000", "400", "2024年2月1日", "是",
     None, "250", None],
]


@pytest.fixture
def session(any_engine: Engine) -> Iterator[Session]:
    with Session(any_engine) as s:
        create_record(s, RecordKind.REGION, {"name": "获嘉县", "kind": "县"}, user=USER)
        s.commit()
        yield s


def _parcel(session: Session, code: str) -> LandParcel:
    stmt = select(LandParcel).where(col(LandParcel.code) == code)
    found: LandParcel = session.execute(stmt).scalars().one()
    session.refresh(found)
    return found


def test_township_ledger_with_after_supply_columns(session: Session, tmp_path: Path) -> None:
    path = _ledger(tmp_path / "冯庄镇供后监管.xlsx", ROWS)
    report = import_records(session, RecordKind.PARCEL, path, user=USER)
    assert report.errors == [], report.describe()
    assert report.created == 2
    assert report.ignored_columns == ["序号"]
    session.commit()
    first = _parcel(session, "FZ-001")
    assert first.approval_date == date(2022, 3, 1)
    assert first.production_start_date == date(2025, 1, 10)
    assert first.developed_area_mu == pytest.approx(30)  # 2 公顷
    assert first.contract_investment_wan == pytest.approx(6000)
    assert first.investment_made_wan == pytest.approx(5500)
    assert first.stopped_since is None
    assert first.government_cause is False
    assert first.built_floor_area_m2 == pytest.approx(48000)
    assert first.committed_intensity_wan_per_mu == pytest.approx(300)
    assert first.committed_tax_per_mu_wan == pytest.approx(15)
    second = _parcel(session, "FZ-002")
    assert second.developed_area_mu == pytest.approx(7.5)
    assert second.stopped_since == date(2024, 2, 1)
    assert second.government_cause is True


def test_impossible_figures_are_refused_naming_the_column(
    session: Session, tmp_path: Path
) -> None:
    bad = [list(ROWS[0]), list(ROWS[1])]
    bad[0][11] = "5"  # 75 亩 developed on a 60-亩 parcel
    bad[1][10] = "2023-01-01"  # production before the start (2023-07-01)
    bad[1][14] = "2023-06-30"  # stopped before it started
    path = _ledger(tmp_path / "错.xlsx", bad)
    report = import_records(session, RecordKind.PARCEL, path, user=USER)
    assert not report.written
    text = report.describe()
    assert "已开发面积不能大于收储面积" in text
    assert "投产日期早于实际开工日期" in text
    assert "停工日期早于实际开工日期" in text
    assert "已开发面积" in text
    assert "投产时间" in text
    session.rollback()
    assert session.execute(select(LandParcel)).first() is None


def test_a_project_ledger_gives_the_figures_the_standard_checks_read(
    session: Session, tmp_path: Path
) -> None:
    from landbank.domain.standards.checks import project_figures
    from landbank.services.records.saving import record_values
    from landbank.store.models import Project

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["项目名称", "县区", "项目阶段", "总投资(亿元)", "预计年增加值(万元)", "排放量",
                  "研发投入", "预计年营业收入(亿元)", "计容建筑面积(万平方米)", "基底面积",
                  "绿地面积", "行政办公及生活服务设施用地"])  # fmt: skip
    sheet.append(["电机项目", "获嘉", "签约", "1.5", "3200", "120", "260", "2.4", "3.6",
                  "9000", "1500", "800"])  # fmt: skip
    book.save(tmp_path / "项目.xlsx")
    report = import_records(session, RecordKind.PROJECT, tmp_path / "项目.xlsx", user=USER)
    assert report.errors == [], report.describe()
    session.commit()
    project = session.execute(select(Project)).scalars().one()
    figures = project_figures(record_values(RecordKind.PROJECT, project))
    assert figures.value_added_wan == pytest.approx(3200)
    assert figures.emission_t == pytest.approx(120)
    assert figures.rd_expense_wan == pytest.approx(260)
    assert figures.revenue_wan == pytest.approx(24000)  # 2.4 亿元
    assert figures.floor_area_m2 == pytest.approx(36000)  # 3.6 万平方米
    assert (figures.footprint_m2, figures.green_area_m2, figures.admin_land_m2) == (
        9000, 1500, 800
    )
