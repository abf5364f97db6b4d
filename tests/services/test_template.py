"""The blank ledger: catalogue headers, drop-down lists from the database and the enums,
input rules, a hidden sheet of choices, required columns marked."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import Engine
from sqlmodel import Session

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RecordKind,
)
from landbank.domain.fields import FIELDS
from landbank.services.exporting.template import DEFAULT_INDUSTRIES, OPTIONS_SHEET, write_template
from landbank.services.records.saving import create_record
from tests.services.export_ledger import DANGEROUS, build_ledger


@pytest.fixture
def ledger(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        ids = build_ledger(session)
        session.commit()
    return ids


def _template(engine: Engine, kind: RecordKind, path: Path) -> tuple[Worksheet, Worksheet]:
    with Session(engine) as session:
        assert write_template(session, kind, path) == path
    wb = load_workbook(path)
    ws, options = wb.worksheets[0], wb[OPTIONS_SHEET]
    assert isinstance(ws, Worksheet)
    assert isinstance(options, Worksheet)
    assert wb.active is ws
    return ws, options


def _rules(ws: Worksheet) -> dict[str, DataValidation]:
    headers = {c.column_letter: c.value for c in ws[2]}
    rules = {}
    for rule in ws.data_validations.dataValidation:
        letter = str(rule.sqref).split(":")[0].rstrip("0123456789")
        assert str(rule.sqref) == f"{letter}3:{letter}10000"  # data right under the header
        rules[str(headers[letter])] = rule
    return rules


def _list(options: Worksheet, formula: str) -> list[str]:
    assert formula.startswith(f"'{OPTIONS_SHEET}'!")
    cells = options[formula.split("!")[1].replace("$", "")]
    return [str(row[0].value) for row in cells if row[0].value is not None]  # type: ignore[index]


@pytest.mark.parametrize("kind", [RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT])
def test_headers_are_the_catalogue(
    engine: Engine, ledger: dict[str, int], tmp_path: Path, kind: RecordKind
) -> None:
    ws, options = _template(engine, kind, tmp_path / "t.xlsx")
    assert [c.value for c in ws[2]] == [spec.header for spec in FIELDS[kind]]
    assert ws.max_row == 2  # empty: data starts at row 3
    assert ws.freeze_panes == "A3"
    assert "填写" in str(ws["A1"].value)
    assert options.sheet_state == "hidden"
    for spec, cell in zip(FIELDS[kind], ws[2], strict=True):
        assert cell.font.b
        assert cell.comment is not None
        assert ("必填" in cell.comment.text) is spec.required
        if spec.required:
            assert cell.font.color.rgb.endswith("C00000")
    assert all((ws.column_dimensions[c.column_letter].width or 0) >= 6 for c in ws[2])


def test_parcel_lists_and_rules(engine: Engine, ledger: dict[str, int], tmp_path: Path) -> None:
    ws, options = _template(engine, RecordKind.PARCEL, tmp_path / "t.xlsx")
    rules = _rules(ws)
    assert rules["县区"].type == "list"
    assert _list(options, rules["县区"].formula1) == ["红旗区", "辉县市"]
    assert rules["县区"].errorStyle == "stop"
    assert _list(options, rules["园区"].formula1) == ["红旗区高新园", "辉县市产业集聚区"]
    assert _list(options, rules["供应状态"].formula1) == [s.value for s in ParcelStatus]
    assert _list(options, rules["整理程度"].formula1) == [r.value for r in ParcelReadiness]
    assert _list(options, rules["收储方式"].formula1) == ["征收", "收回", "收购"]
    industries = _list(options, rules["目标产业"].formula1)
    assert {"新能源", "装备制造", "电子信息"} <= set(industries)
    assert set(DEFAULT_INDUSTRIES) <= set(industries)
    assert set(DANGEROUS) <= set(industries)  # values in use, kept as text
    assert rules["目标产业"].errorStyle == "warning"  # a suggestion: other industries allowed
    area = rules["收储面积(亩)"]
    assert (area.type, area.operator, area.formula1) == ("decimal", "between", "0")
    far = rules["容积率上限"]
    assert (far.type, far.formula1, far.formula2) == ("decimal", "0", "20")
    assert rules["计入年度"].type == "whole"
    assert rules["收储日期"].type == "date"
    assert rules["地块编号"].type == "textLength"
    assert rules["地块编号"].formula1 == "64"
    assert all(rule.showErrorMessage for rule in rules.values())
    for row in options.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    # formats: dates as dates, areas as numbers, codes as text (leading zeros kept)
    letters = {c.value: c.column_letter for c in ws[2]}
    assert ws.column_dimensions[letters["收储日期"]].number_format == "yyyy-mm-dd"
    assert ws.column_dimensions[letters["收储面积(亩)"]].number_format == "#,##0.00"
    assert ws.column_dimensions[letters["地块编号"]].number_format == "@"


def test_factory_and_project_lists(engine: Engine, ledger: dict[str, int], tmp_path: Path) -> None:
    ws, options = _template(engine, RecordKind.FACTORY, tmp_path / "f.xlsx")
    rules = _rules(ws)
    assert _list(options, rules["状态"].formula1) == [s.value for s in FactoryStatus]
    assert _list(options, rules["双路供电"].formula1) == ["是", "否"]
    assert rules["层数(层)"].type == "whole"
    ws, options = _template(engine, RecordKind.PROJECT, tmp_path / "p.xlsx")
    rules = _rules(ws)
    assert _list(options, rules["阶段"].formula1) == [s.value for s in ProjectStage]
    assert _list(options, rules["意向县区"].formula1) == ["红旗区", "辉县市"]
    assert rules["总投资(万元)"].formula1 == "0"


def test_empty_database_has_no_region_rule(engine: Engine, tmp_path: Path) -> None:
    ws, options = _template(engine, RecordKind.PARCEL, tmp_path / "t.xlsx")
    rules = _rules(ws)
    assert "县区" not in rules  # an empty list would refuse every value
    assert _list(options, rules["目标产业"].formula1) == list(DEFAULT_INDUSTRIES)


# Park, county and project names Excel would read as formulas, as a ledger may hold them.
HOSTILE_NAMES = (
    '=HYPERLINK("http://evil.example/","点我")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "@SUM(1,2)",
    "＝1+1",
    "－2+3",
)


def test_option_lists_never_hold_a_formula(engine: Engine, tmp_path: Path) -> None:
    """The hidden 选项 sheet behind the drop-downs: a park, county or project whose name starts
    with = + - @ is text there, quote-prefixed as in an export (editing it keeps it text)."""
    with Session(engine) as session:
        region = create_record(
            session, RecordKind.REGION, {"name": "=1+1", "kind": "县"}, user="测试员"
        )
        plain = create_record(
            session, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="测试员"
        )
        for i, name in enumerate(HOSTILE_NAMES):
            create_record(
                session,
                RecordKind.PARK,
                {"name": name, "region_id": plain.id if i % 2 else region.id},
                user="测试员",
            )
            create_record(
                session,
                RecordKind.PROJECT,
                {"name": name, "region_id": plain.id, "stage": "线索"},
                user="测试员",
            )
        session.commit()
    hostile = {*HOSTILE_NAMES, "=1+1"}
    for kind in (RecordKind.PARCEL, RecordKind.FACTORY, RecordKind.PROJECT):
        ws, options = _template(engine, kind, tmp_path / f"{kind.value}.xlsx")
        guarded = set()
        for row in options.iter_rows(min_row=2):
            for cell in row:
                if cell.value is None:
                    continue
                assert cell.data_type == "s", (kind, cell.coordinate, cell.value)
                assert cell.quotePrefix is (cell.value in hostile), (kind, cell.value)
                if cell.quotePrefix:
                    guarded.add(cell.value)
        assert "=1+1" in guarded  # the county
        if kind is not RecordKind.PROJECT:
            rules = _rules(ws)
            assert _list(options, rules["县区"].formula1) == ["=1+1", "辉县市"]
            assert set(_list(options, rules["园区"].formula1)) == set(HOSTILE_NAMES)
            assert guarded == hostile


def test_a_template_that_fails_midway_leaves_no_file(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Written beside the target and renamed when complete: a failure while writing (a full
    disk, a kill) leaves neither a half template under the clerk's name nor a temporary file,
    and an earlier template of that name stays as it was."""
    folder = tmp_path / "模板"
    folder.mkdir()
    target = folder / "地块台账模板.xlsx"
    target.write_bytes(b"earlier")

    def half_then_fail(self: Workbook, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", half_then_fail)
    with Session(engine) as session, pytest.raises(OSError, match="No space left"):
        write_template(session, RecordKind.PARCEL, target)
    assert target.read_bytes() == b"earlier"
    assert sorted(p.name for p in folder.iterdir()) == [target.name]


def test_a_template_is_an_ordinary_document(engine: Engine, tmp_path: Path) -> None:
    """Written through a temporary file (mkstemp's are private, 0600), it gets a document's
    usual permissions, as an export does."""
    import os

    target = tmp_path / "厂房台账模板.xlsx"
    with Session(engine) as session:
        write_template(session, RecordKind.FACTORY, target)
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
