"""Pasting rows from Excel/WPS: headers, units, full-width digits, all or nothing."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.records.paste import RowError, match_header, paste_rows, split_rows
from landbank.services.records.saving import create_record
from landbank.store.models import AuditEntry, Factory, LandParcel, Project

USER = "测试员"


@pytest.fixture
def session(any_engine: Engine) -> Iterator[Session]:
    with Session(any_engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user=USER)
        create_record(s, RecordKind.REGION, {"name": "红旗区", "kind": "区"}, user=USER)
        create_record(
            s, RecordKind.PARK, {"name": "辉县市产业集聚区", "region_id": region.id}, user=USER
        )
        s.commit()
        yield s


def _parcels(session: Session) -> int:
    return session.execute(select(func.count()).select_from(LandParcel)).scalar_one()


def test_header_row_decides_the_columns(session: Session) -> None:
    text = (
        "地块编号\t县区\t园区\t收储面积(亩)\t整理程度\t供应状态\t收储日期\r\n"
        "HX2026-001\t辉县市\t辉县市产业集聚区\t120\t净地(可供)\t可供\t2026/3/5\r\n"
        "HX2026-002\t辉县市\t\t35.5\t三通一平\t可供\t2026年04月01日\r\n"
    )
    result = paste_rows(session, RecordKind.PARCEL, text, columns=["code"], user=USER)
    assert result.errors == []
    assert result.header
    assert len(result.created) == 2
    session.commit()
    first = session.get(LandParcel, result.created[0])
    assert first is not None
    assert first.code == "HX2026-001"
    assert first.area_mu == 120
    assert first.park_id is not None
    assert str(first.reserve_date) == "2026-03-05"
    second = session.get(LandParcel, result.created[1])
    assert second is not None
    assert second.park_id is None
    assert second.readiness == "三通一平"
    sources = session.execute(select(AuditEntry.source).where(AuditEntry.record_kind == "parcel"))
    assert set(sources.scalars()) == {"粘贴"}


def test_without_header_the_table_columns_apply(session: Session) -> None:
    text = "HQ-01\t红旗区\t80\t净地(可供)\t已挂牌\nHQ-02\t红旗区\t15\t拟收储\t可供\n\n\n"
    result = paste_rows(
        session,
        RecordKind.PARCEL,
        text,
        columns=["code", "region_id", "area_mu", "readiness", "status"],
        user=USER,
    )
    assert result.errors == []
    assert not result.header
    assert len(result.created) == 2
    assert _parcels(session) == 2


def test_units_in_header_and_cells_and_full_width_digits(session: Session) -> None:
    text = (
        "序号\t地块编号\t县区\t收储面积（公顷）\t整理程度\t供应状态\t备注\r\n"
        "1\tA-1\t辉县市\t１.５\t净地(可供)\t可供\t\r\n"
        '2\tA-2\t辉县市\t120亩\t净地(可供)\t可供\t"第一行\n第二行\t含制表符"\r\n'
        "3\tA-3\t辉县市\t２公顷\t净地(可供)\t可供\t\r\n"
    )
    result = paste_rows(session, RecordKind.PARCEL, text, columns=[], user=USER)
    assert result.errors == []
    assert result.ignored_columns == ["序号"]
    parcels = [session.get(LandParcel, i) for i in result.created]
    assert [p.area_mu for p in parcels if p] == pytest.approx([22.5, 120, 30])
    assert parcels[1] is not None
    assert parcels[1].notes == "第一行\n第二行\t含制表符"

    factories = paste_rows(
        session,
        RecordKind.FACTORY,
        "厂房编号\t名称/栋号\t县区\t状态\t建筑面积(万平方米)\n"
        "CF-1\t1#厂房\t辉县市\t在建\t1.2\n"
        "CF-2\t2#厂房\t辉县市\t在建\t８０００㎡\n",
        columns=[],
        user=USER,
    )
    assert factories.errors == []
    areas = [session.get(Factory, i).floor_area_m2 for i in factories.created]  # type: ignore[union-attr]
    assert areas == pytest.approx([12000, 8000])


def test_a_bad_row_reports_where_and_why_and_writes_nothing(session: Session) -> None:
    before = _parcels(session)
    audit_before = session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    text = (
        "地块编号\t县区\t收储面积(亩)\t整理程度\t供应状态\n"
        "B-1\t辉县市\t50\t净地(可供)\t可供\n"
        "B-2\t辉县市\tabc\t净地(可供)\t可供\n"
        "B-3\t新乡县\t40\t拟收储\t已挂牌\n"
        "B-1\t辉县市\t60\t净地(可供)\t可供\n"
    )
    result = paste_rows(session, RecordKind.PARCEL, text, columns=[], user=USER)
    assert result.created == []
    assert RowError(3, "收储面积(亩)", "abc", "不是有效的数字") in result.errors
    assert result.errors[0].describe() == "第 3 行「收储面积(亩)」“abc”：不是有效的数字"
    by_row = {(e.row, e.column) for e in result.errors}
    # Unknown region, and a status the readiness does not allow: one error per field.
    assert (4, "县区") in by_row
    assert (4, "供应状态") in by_row
    # The same code twice in one paste: the second is refused.
    assert (5, "地块编号") in by_row
    assert "粘贴未执行" in result.describe()
    assert _parcels(session) == before
    assert session.execute(select(func.count()).select_from(AuditEntry)).scalar_one() == (
        audit_before
    )
    # The session is still usable, and a later good paste is committed alone.
    good = paste_rows(
        session,
        RecordKind.PARCEL,
        "C-1\t辉县市\t50\t净地(可供)\t可供",
        columns=["code", "region_id", "area_mu", "readiness", "status"],
        user=USER,
    )
    assert good.ok
    session.commit()
    codes = session.execute(select(LandParcel.code)).scalars().all()
    assert codes == ["C-1"]


def test_extra_cells_missing_required_fields_and_bad_header_units(session: Session) -> None:
    result = paste_rows(
        session,
        RecordKind.PARCEL,
        "D-1\t辉县市\t50\t净地(可供)\t可供\t多余\n",
        columns=["code", "region_id", "area_mu", "readiness"],
        user=USER,
    )
    assert {(e.column, e.reason) for e in result.errors} >= {
        ("第 5 列", "多出的列（表格只有 4 列）"),
    }
    result = paste_rows(
        session,
        RecordKind.PARCEL,
        "D-1\t辉县市\t50\n",
        columns=["code", "region_id", "area_mu"],
        user=USER,
    )
    assert {(e.column, e.reason) for e in result.errors} == {
        ("整理程度", "必填"),
        ("供应状态", "必填"),
    }
    result = paste_rows(
        session,
        RecordKind.PARCEL,
        "地块编号\t收储面积(万元)\nD-1\t50\n",
        columns=[],
        user=USER,
    )
    assert result.errors[0].row == 1
    assert "单位" in result.errors[0].reason
    assert _parcels(session) == 0


def test_header_matching_and_splitting() -> None:
    spec, unit = match_header(RecordKind.PARCEL, "收储面积（公顷）") or (None, None)
    assert spec is not None
    assert spec.key == "area_mu"
    assert unit == "公顷"
    assert match_header(RecordKind.PARCEL, " 收储面积(亩) ") is not None
    assert match_header(RecordKind.PARCEL, "area_mu") is not None
    assert match_header(RecordKind.PARCEL, "*地块编号") is not None
    assert match_header(RecordKind.PARCEL, "序号") is None
    assert match_header(RecordKind.FACTORY, "建筑面积(㎡)") is not None
    assert split_rows('a\t"b\r\nc"\r\nd\te\r\n') == [["a", "b\r\nc"], ["d", "e"]]
    assert split_rows("") == []


def test_the_caller_can_still_roll_a_good_paste_back(session: Session) -> None:
    # On SQLite the paste's SAVEPOINT must sit inside a real transaction, or releasing it
    # would commit on its own.
    result = paste_rows(
        session,
        RecordKind.PARCEL,
        "E-1\t辉县市\t50\t净地(可供)\t可供\n",
        columns=["code", "region_id", "area_mu", "readiness", "status"],
        user=USER,
    )
    assert result.ok
    assert _parcels(session) == 1
    session.rollback()
    assert _parcels(session) == 0


def test_ledger_style_headers_and_read_only_columns(session: Session) -> None:
    text = (
        "宗地编号\t县（市、区）\t面积(公顷)\t整理情况\t状态\t意向项目\n"
        "F-1\t辉县市\t2\t净地(可供)\t可供\t某项目\n"
    )
    result = paste_rows(session, RecordKind.PARCEL, text, columns=[], user=USER)
    assert result.errors == []
    assert result.ignored_columns == ["意向项目"]
    parcel = session.get(LandParcel, result.created[0])
    assert parcel is not None
    assert parcel.area_mu == pytest.approx(30)
    assert parcel.reserved_project_id is None

    projects = paste_rows(
        session,
        RecordKind.PROJECT,
        "项目名称\t投资主体\t县（市、区）\t计划总投资（亿元）\t项目阶段\n"
        "年产 5 万吨新能源电池正极材料项目\t河南某某新能源科技有限公司\t辉县市\t5.2\t在谈\n",
        columns=[],
        user=USER,
    )
    assert projects.errors == []
    project = session.get(Project, projects.created[0])
    assert project is not None
    assert project.total_investment_wan == pytest.approx(52000)
    assert project.investor == "河南某某新能源科技有限公司"


def test_project_ledger_headers_and_ignored_columns_named_on_error(session: Session) -> None:
    ok = paste_rows(
        session, RecordKind.PROJECT, "项目名称\t县区\t阶段\t总投资(亿元)\n锂电池正极材料项目\t辉县市\t签约\t5\n",
        columns=[], user="t",
    )
    assert ok.errors == []
    project = session.get(Project, ok.created[0])
    assert project is not None
    assert project.total_investment_wan == 50000.0
    failed = paste_rows(
        session, RecordKind.PROJECT, "项目名称\t承接地\t阶段\n食品项目\t辉县市\t签约\n",
        columns=[], user="t",
    )
    assert [e.column for e in failed.errors] == ["承办县区"]
    assert failed.describe().endswith("（未识别、已忽略的列：承接地）")
