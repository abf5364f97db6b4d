"""``landbank export`` and ``landbank template`` through argparse (landbank.cli.exporting), until
the main parser adds them: files written, filters applied, Chinese errors with exit code 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session

from landbank.cli import main
from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS
from landbank.store.migrate import open_database
from tests.services.export_ledger import build_ledger


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    with Session(engine) as session:
        build_ledger(session)
        session.commit()
    engine.dispose()
    return str(path)


def _run(argv: list[str]) -> int:
    """The ``landbank`` command, as a user runs it."""
    return main(argv)


def test_export_all_then_filtered(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "地块.xlsx"
    assert _run(["export", "parcels", str(out), "--db", db]) == 0
    assert f"已导出 10 条地块到 {out}" in capsys.readouterr().out
    ws = load_workbook(out).worksheets[0]
    assert [c.value for c in ws[2]] == ["序号"] + [s.header for s in FIELDS[RecordKind.PARCEL]]
    assert ws.max_row == 13  # 10 records and their 合计
    assert [ws["A3"].value, ws["A12"].value, ws["A13"].value] == [1, 10, "合计"]

    assert (
        _run(
            [
                "--db",
                db,
                "export",
                "parcels",
                str(out),
                "--region",
                "红旗区",
                "--status",
                "可供,已挂牌",
            ]
        )
        == 0
    )
    ws = load_workbook(out).worksheets[0]
    assert sorted(str(r[1].value) for r in ws.iter_rows(min_row=3, max_row=4)) == [
        "HQ-001",
        "HQ-002",
    ]
    area = [c.value for c in ws[2]].index("收储面积(亩)")
    assert [ws[5][0].value, ws[5][area].value] == ["合计", 56.25 + 300.0]
    assert str(ws["A1"].value).startswith(
        "新乡市 收储地块台账（红旗区，供应状态：可供、已挂牌，共 2 条"
    )

    assert _run(["export", "parcels", str(out), "--search", "HX-002", "--visible", "--db", db]) == 0
    ws = load_workbook(out).worksheets[0]
    visible = [s.header for s in FIELDS[RecordKind.PARCEL] if s.visible]
    assert [c.value for c in ws[2]] == ["序号", *visible]
    assert ws.max_row == 4

    assert _run(["export", "parcels", str(out), "--sort", "area_mu", "--desc", "--db", db]) == 0
    ws = load_workbook(out).worksheets[0]
    assert [r[1].value for r in ws.iter_rows(min_row=3, max_row=4)] == ["HX-002", "HQ-002"]
    assert _run(["export", "parcels", str(out), "--sort", "nope", "--db", db]) == 2
    assert "不能按“nope”排序" in capsys.readouterr().err

    projects = tmp_path / "项目.XLSX"
    assert _run(["export", "projects", str(projects), "--status", "签约", "--db", db]) == 0
    assert load_workbook(projects).worksheets[0].max_row == 4  # 1 record and its 合计


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--region", "火星县"], "没有名为“火星县”的县区"),
        (["--status", "卖掉了"], "“卖掉了”不是有效的供应状态"),
    ],
)
def test_export_bad_filters(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    out = tmp_path / "x.xlsx"
    assert _run(["export", "parcels", str(out), "--db", db, *extra]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize("command", ["export", "template"])
def test_bad_paths(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    assert _run([command, "factories", str(tmp_path / "x.csv"), "--db", db]) == 2
    assert "应以 .xlsx 结尾" in capsys.readouterr().err
    assert _run([command, "factories", str(tmp_path / "无" / "x.xlsx"), "--db", db]) == 2
    assert "文件夹不存在" in capsys.readouterr().err
    (tmp_path / "d.xlsx").mkdir()
    assert _run([command, "factories", str(tmp_path / "d.xlsx"), "--db", db]) == 2
    assert "是一个文件夹" in capsys.readouterr().err
    missing = str(tmp_path / "none.sqlite3")
    assert _run([command, "factories", str(tmp_path / "y.xlsx"), "--db", missing]) == 2
    assert "数据库文件不存在" in capsys.readouterr().err


def test_unwritable_folder_or_file(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    with monkeypatch.context() as m:  # as root, chmod would not stop the write
        m.setattr(os, "access", lambda *_args, **_kw: False)
        assert _run(["export", "parcels", str(tmp_path / "x.xlsx"), "--db", db]) == 2
    assert "没有写入该文件夹的权限" in capsys.readouterr().err

    def locked(*_args: object) -> None:  # Windows: the file is open in Excel
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", locked)
    assert _run(["export", "parcels", str(tmp_path / "x.xlsx"), "--db", db]) == 2
    assert "文件正被 Excel/WPS 打开" in capsys.readouterr().err
    assert list(tmp_path.glob("*.xlsx*")) == []  # no partial file left


def test_template(db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "模板.xlsx"
    assert _run(["template", "projects", str(out), "--db", db]) == 0
    assert f"已生成项目填写模板：{out}" in capsys.readouterr().out
    wb = load_workbook(out)
    assert [c.value for c in wb.worksheets[0][2]] == [s.header for s in FIELDS[RecordKind.PROJECT]]
    assert wb["选项"].sheet_state == "hidden"


def test_help_is_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "--help"]) == 0
    out = capsys.readouterr().out
    assert "用法：" in out
    assert "--region 县区" in out
    assert main(["template", "plots", "x.xlsx"]) == 2
    assert "无效的值“plots”" in capsys.readouterr().err


def test_progress_on_a_terminal(
    db: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import landbank.cli.exporting as cli_export

    monkeypatch.setattr(cli_export, "PROGRESS_FROM_ROWS", 1)
    monkeypatch.setattr(cli_export.sys.stderr, "isatty", lambda: True)
    assert _run(["export", "parcels", str(tmp_path / "x.xlsx"), "--db", db]) == 0
    assert "导出中… 10/10（100%）" in capsys.readouterr().err
