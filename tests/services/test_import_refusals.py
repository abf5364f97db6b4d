"""What an import still refuses, each case on its own (a check deleted fails its test): a
default never hides one, the row, the column, the value and the reason are named, and
nothing is written."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.importing.importer import import_records
from landbank.services.records.saving import create_record
from landbank.store.models import Factory, LandParcel, Park, Project, Region
from tests.services.messy_ledgers import write_csv

USER = "测试员"
PARCEL = ["地块编号", "县区", "坐落", "收储面积(亩)", "状态", "收储日期"]


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as s:
        create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user=USER)
        s.commit()
        yield s


def _counts(session: Session) -> tuple[int, ...]:
    return tuple(
        int(session.execute(select(func.count()).select_from(t)).scalar_one())
        for t in (LandParcel, Factory, Project, Region, Park)
    )


def _refused(
    session: Session,
    tmp_path: Path,
    rows: Sequence[Sequence[object]],
    kind: RecordKind = RecordKind.PARCEL,
    **options: object,
) -> list[tuple[int, str, str, str]]:
    path = write_csv(tmp_path / "台账.csv", rows, encoding="gbk")
    before = _counts(session)
    report = import_records(session, kind, path, user=USER, **options)  # type: ignore[arg-type]
    session.commit()
    assert not report.written
    assert _counts(session) == before
    return [(e.row, e.column, e.value, e.reason) for e in report.errors]


def _one(found: list[tuple[int, str, str, str]]) -> tuple[int, str, str, str]:
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("-5", "不能小于 0"),  # negative
        ("很多", "数字"),  # not a number
        ("100-120亩", "范围"),  # a range is not one number
        ("12万元", "不适用"),  # a unit of another kind
    ],
)
def test_a_quantity_that_is_no_area(session: Session, tmp_path: Path, cell: str, reason: str) -> None:
    row, column, value, why = _one(
        _refused(session, tmp_path, [PARCEL, ["A-1", "辉县市", "孟庄镇", cell, "净地", "2025-05-06"]])
    )
    assert (row, column, value) == (2, "收储面积(亩)", cell)
    assert reason in why


@pytest.mark.parametrize(
    ("header", "cell", "maximum"),
    [("容积率上限", "25", "20"), ("绿地率", "120", "100"), ("建筑密度", "101", "100")],
)
def test_a_value_over_its_fields_maximum(
    session: Session, tmp_path: Path, header: str, cell: str, maximum: str
) -> None:
    rows = [[*PARCEL, header], ["A-1", "辉县市", "孟庄镇", "10", "净地", "2025-05-06", cell]]
    row, column, value, why = _one(_refused(session, tmp_path, rows))
    assert (row, column, value) == (2, header, cell)
    assert f"不能大于 {maximum}" in why


@pytest.mark.parametrize("cell", ["2025-02-30", "2025年13月", "2025年底"])
def test_an_impossible_or_vague_date(session: Session, tmp_path: Path, cell: str) -> None:
    row, column, value, _why = _one(
        _refused(session, tmp_path, [PARCEL, ["A-1", "辉县市", "孟庄镇", "10", "净地", cell]])
    )
    assert (row, column, value) == (2, "收储日期", cell)


def test_the_same_code_twice_in_one_file(session: Session, tmp_path: Path) -> None:
    rows = [PARCEL, ["A-1", "辉县市", "孟庄镇", "10", "净地", ""], ["A-1", "辉县", "百泉镇", "12", "毛地", ""]]
    row, column, value, why = _one(_refused(session, tmp_path, rows, on_duplicate="update"))
    assert (row, column, value) == (3, "地块编号", "A-1")
    assert "第 2 行" in why


@pytest.mark.parametrize(
    ("extra", "cells", "column"),
    [
        (["容积率下限", "容积率上限"], ["2", "1"], "容积率上限"),  # upper below lower
        (["净用地面积(亩)"], ["12"], "净用地面积(亩)"),  # net area above the area
    ],
)
def test_a_contradiction_between_columns(
    session: Session, tmp_path: Path, extra: list[str], cells: list[str], column: str
) -> None:
    rows = [[*PARCEL, *extra], ["A-1", "辉县市", "孟庄镇", "10", "净地", "", *cells]]
    assert _one(_refused(session, tmp_path, rows))[1] == column


def test_idle_area_above_the_floor_area(session: Session, tmp_path: Path) -> None:
    rows = [["厂房编号", "县区", "状态", "建筑面积(㎡)", "闲置面积(㎡)"], ["F-1", "辉县市", "闲置", "1000", "1200"]]
    row, column, _value, why = _one(_refused(session, tmp_path, rows, RecordKind.FACTORY))
    assert (row, column) == (2, "闲置面积(㎡)")
    assert "建筑面积" in why


def test_an_unknown_status_word_names_its_own_ladder(session: Session, tmp_path: Path) -> None:
    rows = [[*PARCEL[:4], "整理程度", "供应状态"], ["A-1", "辉县市", "孟庄镇", "10", "净地", "待研究"]]
    _row, column, value, why = _one(_refused(session, tmp_path, rows))
    assert (column, value) == ("供应状态", "待研究")
    assert "已挂牌" in why
    assert "三通一平" not in why  # the other ladder's words are not offered


def test_a_county_that_is_no_county(session: Session, tmp_path: Path) -> None:
    row, column, value, why = _one(
        _refused(session, tmp_path, [PARCEL, ["A-1", "辉悬市", "孟庄镇", "10", "净地", ""]])
    )
    assert (row, column, value) == (2, "县区", "辉悬市")
    assert "辉县市" in why


def test_a_county_not_in_the_ledger_unless_asked(session: Session, tmp_path: Path) -> None:
    rows = [PARCEL, ["A-1", "原阳", "城关镇", "10", "净地", ""]]
    _row, _column, value, why = _one(_refused(session, tmp_path, rows))
    assert value == "原阳"
    assert "原阳县" in why
    path = write_csv(tmp_path / "ok.csv", rows, encoding="utf-8")
    report = import_records(session, RecordKind.PARCEL, path, user=USER, create_regions=True)
    assert report.errors == []
    assert report.new_regions == ["原阳县"]
    assert report.recognised_regions == {"原阳": "原阳县"}


def test_a_default_never_hides_a_refused_cell(session: Session, tmp_path: Path) -> None:
    """A cell that does not parse stays an error even where a default exists for its field."""
    rows = [[*PARCEL[:4], "供应状态"], ["A-1", "辉县市", "孟庄镇", "10", "飞天"]]
    found = _refused(session, tmp_path, rows, defaults={"供应状态": "可供"})
    assert [(c, v) for _r, c, v, _w in found] == [("供应状态", "飞天")]


def test_every_problem_of_the_file_in_one_run(session: Session, tmp_path: Path) -> None:
    """A date error on one row, a missing area and a negative 容积率 on another: one report."""
    rows = [
        [*PARCEL, "容积率下限"],
        ["A-1", "辉县市", "孟庄镇", "10", "净地", "2025/13/45", ""],
        ["A-2", "辉县市", "孟庄镇", "", "净地", "2025-01-01", "-1"],
        ["A-3", "辉县市", "孟庄镇", "很多", "净地", "2025-02-30", "1"],
    ]
    found = {(r, c) for r, c, _v, _w in _refused(session, tmp_path, rows)}
    assert found == {
        (2, "收储日期"),
        (3, "收储面积(亩)"),
        (3, "容积率下限"),
        (4, "收储面积(亩)"),
        (4, "收储日期"),
    }
