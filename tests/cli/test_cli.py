"""The ``landbank`` command line: demo, list, show, errors with exit code 2, the module entry."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session

from landbank.cli import main, parse_size
from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store.migrate import open_database

REGIONS = {"辉县市", "获嘉县", "原阳县", "红旗区", "牧野区"}


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    capsys.readouterr()
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_demo_then_list_parcels(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "demo.sqlite3")
    assert main(["demo", "--db", db, "--year", "2026"]) == 0
    out = capsys.readouterr().out
    assert "200 个地块" in out
    assert "120 栋厂房" in out

    assert main(["list", "parcels", "--db", db, "--limit", "5"]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert "收储面积(亩)" in lines[0]
    assert "县区" in lines[0]
    assert len(lines) == 2 + 5 + 1
    assert lines[-1].startswith("共 200 条，显示前 5 条")
    assert "合计 收储面积" in lines[-1]

    data = _json(capsys, ["list", "parcels", "--json", "--db", db])
    assert data["kind"] == "parcels"
    assert data["total"] == 200
    assert len(data["records"]) == 100  # the default limit
    first = data["records"][0]
    for key in ("id", "uuid", "version", "code", "area_mu", "region", "park", "reserve_date"):
        assert key in first
    assert not any(key.endswith("_id") for key in first)
    assert {r["region"] for r in data["records"]} <= REGIONS
    assert all(isinstance(r["area_mu"], float) for r in data["records"])

    everything = _json(capsys, ["list", "parcels", "--json", "--limit", "0", "--db", db])
    assert len(everything["records"]) == 200


def test_list_filters(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    data = _json(capsys, ["--db", demo_db, "list", "parcels", "--region", "红旗区", "--json"])
    assert data["total"] > 0
    assert {r["region"] for r in data["records"]} == {"红旗区"}

    data = _json(capsys, ["list", "projects", "--status", "签约,开工", "--json", "--db", demo_db])
    assert {r["stage"] for r in data["records"]} == {"签约", "开工"}

    data = _json(capsys, ["list", "factories", "--search", "孟庄", "--json", "--db", demo_db])
    assert data["total"] > 0
    assert all(r["park"] == "辉县市孟庄产业园" for r in data["records"])

    data = _json(
        capsys,
        ["list", "projects", "--sort", "total_investment_wan", "--desc", "--json", "--db", demo_db],
    )
    investments = [r["total_investment_wan"] for r in data["records"]]
    assert investments == sorted(investments, reverse=True)

    regions = _json(capsys, ["list", "regions", "--json", "--db", demo_db])
    assert {r["name"] for r in regions["records"]} == REGIONS
    parks = _json(capsys, ["list", "parks", "--region", "辉县市", "--json", "--db", demo_db])
    assert {p["region"] for p in parks["records"]} == {"辉县市"}
    # A county as clerks name it (the import and the newer commands read 辉县 the same way).
    short = _json(capsys, ["list", "parks", "--region", "辉县", "--json", "--db", demo_db])
    assert short["records"] == parks["records"]
    quotas = _json(capsys, ["list", "quotas", "--year", "2026", "--json", "--db", demo_db])
    assert quotas["total"] == 5
    assert {q["land_target_mu"] for q in quotas["records"]} == {2000.0, 1200.0}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["list", "parcels", "--region", "新乡县"],
            "没有名为“新乡县”的县区（已有：辉县市、获嘉县、原阳县、红旗区、牧野区）",
        ),
        (["list", "parcels", "--status", "卖了"], "可选：可供、意向锁定、已挂牌"),
        (["list", "factories", "--status", "可供"], "可选：在建、已建成、闲置、部分入驻、已入驻"),
        (["list", "projects", "--status", "已开工"], "可选：线索、在谈、签约"),
        (["list", "regions", "--status", "可供"], "不能用 --status"),
        (["list", "parcels", "--sort", "nonsense"], "不能按“nonsense”排序"),
        (["list", "parcels", "--year", "2026"], "--year 只用于"),
        (["show", "parcel", "NO-SUCH"], "没有地块编号为“NO-SUCH”的地块"),
        (["show", "project", "项目"], "没有名为“项目”的项目（相近的："),
        (["show", "factory", "99999"], "没有厂房编号为“99999”的厂房"),
    ],
)
def test_bad_input_exits_2_with_a_reason(
    demo_db: str, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    capsys.readouterr()
    assert main([*argv, "--db", demo_db]) == 2
    captured = capsys.readouterr()
    assert message in captured.err
    assert "Traceback" not in captured.err
    assert captured.out == ""


def test_argparse_errors_are_in_chinese_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list", "nothing"]) == 2
    err = capsys.readouterr().err
    assert "用法：landbank list" in err
    assert "无效的值“nothing”" in err
    assert main(["list", "parcels", "--limit", "many"]) == 2
    assert "不是有效的条数（应为 0–1000000 之间的整数）" in capsys.readouterr().err
    assert main(["--help"]) == 0
    assert "收储地块" in capsys.readouterr().out


def test_show_parcel_by_code(demo_db: str, capsys: pytest.CaptureFixture[str]) -> None:
    records = _json(capsys, ["list", "parcels", "--status", "已开工", "--json", "--db", demo_db])
    code = records["records"][0]["code"]

    assert main(["show", "parcel", code, "--db", demo_db]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"地块 {code}（")
    assert "地块编号" in out
    assert "收储面积(亩)" in out
    assert "实际开工日期" in out
    assert "锁定截止" not in out  # empty fields are left out
    assert "最近的修改：" in out
    assert "新建（演示数据）" in out

    data = _json(capsys, ["show", "parcel", code, "--json", "--db", demo_db])
    assert data["code"] == code
    assert data["status"] == "已开工"
    assert data["region"] in REGIONS
    assert data["history"][0]["action"] == "create"
    assert data["history"][0]["source"] == "演示数据"

    by_id = _json(capsys, ["show", "parcel", str(data["id"]), "--json", "--db", demo_db])
    assert by_id["code"] == code
    assert records["records"][0]["id"] == data["id"]


def test_show_project_by_name_and_ambiguous_codes(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    projects = _json(capsys, ["list", "projects", "--json", "--limit", "1", "--db", demo_db])
    name = projects["records"][0]["name"]
    data = _json(capsys, ["show", "project", name, "--json", "--db", demo_db])
    assert data["name"] == name
    assert len(data["credit_code"]) == 18

    engine = open_database(f"sqlite:///{demo_db}")
    with Session(engine) as session:
        for region in ("辉县市", "红旗区"):
            values = {"code": "SAME-1", "region_id": region, "area_mu": 20.0}
            values.update(readiness="拟收储", status="可供")
            create_record(session, RecordKind.PARCEL, values, user="测试员")
        session.commit()
    engine.dispose()
    capsys.readouterr()
    assert main(["show", "parcel", "SAME-1", "--db", demo_db]) == 2
    err = capsys.readouterr().err
    assert "不止一个" in err
    assert "--region" in err
    data = _json(
        capsys, ["show", "parcel", "SAME-1", "--region", "红旗区", "--json", "--db", demo_db]
    )
    assert data["region"] == "红旗区"


def test_demo_refuses_a_database_with_records(
    demo_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--db", demo_db]) == 2
    err = capsys.readouterr().err
    assert "已有记录" in err
    assert "200 条地块" in err
    assert main(["demo"]) == 2
    assert "--db" in capsys.readouterr().err


def test_read_only_commands_do_not_create_a_missing_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.sqlite3"
    for argv in (["list", "parcels"], ["show", "parcel", "X"]):
        assert main([*argv, "--db", str(missing)]) == 2
        assert f"数据库文件不存在：{missing}" in capsys.readouterr().err
    assert not missing.exists()


def test_unusable_database_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junk = tmp_path / "junk.sqlite3"
    junk.write_bytes(b"this is not a database" * 100)
    assert main(["list", "parcels", "--db", str(junk)]) == 2
    err = capsys.readouterr().err
    assert "无法打开数据库" in err
    assert "Traceback" not in err


def test_module_entry_runs_in_a_subprocess(demo_db: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "landbank",
            "list",
            "factories",
            "--json",
            "--limit",
            "3",
            "--db",
            demo_db,
        ],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": ""},
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    data = json.loads(result.stdout.decode("utf-8"))
    assert data["kind"] == "factories"
    assert data["total"] == 120
    assert len(data["records"]) == 3
    assert "floor_area_m2" in data["records"][0]

    # A Chinese Windows console or pipe (GBK): text output must not crash on “m²”.
    gbk = subprocess.run(
        [sys.executable, "-m", "landbank", "list", "factories", "--limit", "2", "--db", demo_db],
        capture_output=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONIOENCODING": "gbk"},
    )
    assert gbk.returncode == 0, gbk.stderr.decode("gbk", "replace")
    assert "建筑面积(m2)" in gbk.stdout.decode("gbk")

    bad = subprocess.run(
        [
            sys.executable,
            "-m",
            "landbank",
            "list",
            "parcels",
            "--region",
            "新乡县",
            "--db",
            demo_db,
        ],
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2
    assert "新乡县" in bad.stderr.decode("utf-8", "replace")


@pytest.mark.postgres
def test_list_on_postgresql(postgres_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--db", postgres_url, "--year", "2026"]) == 0
    capsys.readouterr()
    data = _json(capsys, ["list", "parcels", "--json", "--region", "辉县市", "--db", postgres_url])
    assert data["total"] > 0
    assert {r["region"] for r in data["records"]} == {"辉县市"}
    code = data["records"][0]["code"]
    shown = _json(
        capsys, ["show", "parcel", code, "--region", "辉县市", "--json", "--db", postgres_url]
    )
    assert shown["code"] == code


class _FakeUi:
    def __init__(self) -> None:
        self.calls: list[tuple[str, tuple[Any, ...], dict[str, Any]]] = []

    def run_gui(self, *args: Any, **kwargs: Any) -> int:
        self.calls.append(("run_gui", args, kwargs))
        return 0

    def render_screenshot(self, *args: Any, **kwargs: Any) -> None:
        self.calls.append(("render_screenshot", args, kwargs))


@pytest.fixture
def fake_ui(monkeypatch: pytest.MonkeyPatch) -> _FakeUi:
    fake = _FakeUi()
    module = types.ModuleType("landbank.ui.app")
    module.run_gui = fake.run_gui  # type: ignore[attr-defined]
    module.render_screenshot = fake.render_screenshot  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "landbank.ui.app", module)
    return fake


def test_no_command_starts_the_gui(fake_ui: _FakeUi) -> None:
    assert main(["--db", "x.sqlite3", "--demo"]) == 0
    assert fake_ui.calls == [("run_gui", ("x.sqlite3",), {"demo": True})]
    fake_ui.calls.clear()
    assert main([]) == 0
    assert fake_ui.calls == [("run_gui", (None,), {"demo": False})]


def test_screenshot_goes_offscreen_without_a_display(
    demo_db: str,
    tmp_path: Path,
    fake_ui: _FakeUi,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    out = tmp_path / "shot.png"
    argv = ["screenshot", str(out), "--view", "projects", "--size", "1200x800", "--db", demo_db]
    assert main(argv) == 0
    assert fake_ui.calls == [
        ("render_screenshot", (demo_db, out), {"view": "projects", "size": (1200, 800)})
    ]
    if sys.platform not in ("win32", "darwin"):
        assert os.environ["QT_QPA_PLATFORM"] == "offscreen"
    assert main(["screenshot", str(out), "--size", "huge", "--db", demo_db]) == 2
    assert "窗口大小“huge”无效" in capsys.readouterr().err
    assert main(["screenshot", str(out), "--db", str(tmp_path / "none.sqlite3")]) == 2
    assert len(fake_ui.calls) == 1


def test_parse_size() -> None:
    assert parse_size("1400x860") == (1400, 860)
    assert parse_size("800×600") == (800, 600)


def test_list_and_show_never_load_qt(demo_db: str) -> None:
    code = (
        "import sys\n"
        "from landbank.cli import main\n"
        f"assert main(['list', 'parcels', '--limit', '1', '--db', {demo_db!r}]) == 0\n"
        f"assert main(['show', 'parcel', '1', '--db', {demo_db!r}]) == 0\n"
        "assert not any(m.startswith(('PySide6', 'landbank.ui')) for m in sys.modules), "
        "sorted(m for m in sys.modules if 'PySide6' in m or 'landbank.ui' in m)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")


def test_screenshot_write_failure_is_a_message(
    demo_db: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def render_screenshot(*args: Any, **kwargs: Any) -> None:
        raise OSError("磁盘已满")

    module = types.ModuleType("landbank.ui.app")
    module.render_screenshot = render_screenshot  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "landbank.ui.app", module)
    assert main(["screenshot", str(tmp_path / "x.png"), "--db", demo_db]) == 2
    err = capsys.readouterr().err
    assert "无法保存截图：磁盘已满" in err
    assert "Traceback" not in err


def test_absurd_numbers_are_refused_with_a_message(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "n.sqlite3")
    assert main(["demo", "--db", db]) == 0
    capsys.readouterr()
    assert main(["show", "parcel", "99999999999999999999", "--db", db]) == 2
    assert "99999999999999999999" in capsys.readouterr().err
    assert main(["list", "quotas", "--year", "99999999999999999999", "--db", db]) == 2
    assert "不是有效的年度" in capsys.readouterr().err


def test_sort_by_chinese_label_or_english_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "d.sqlite3")
    assert main(["demo", "--db", db, "--year", "2026"]) == 0
    capsys.readouterr()
    outputs = []
    for key in ("收储面积", "收储面积(亩)", "area_mu"):
        assert main(["list", "parcels", "--db", db, "--sort", key, "--desc", "--json", "--limit", "3"]) == 0
        outputs.append([r["code"] for r in json.loads(capsys.readouterr().out)["records"]])
    assert outputs[0] == outputs[1] == outputs[2]
    assert main(["list", "parcels", "--db", db, "--sort", "面子"]) == 2
    err = capsys.readouterr().err
    assert "收储面积" in err


def test_settings_show_and_change_the_bureau(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """landbank settings (issue 11): the ledger's city and bureau, the clerk's compiler and
    phone — used by every report's title and 落款."""
    db = str(tmp_path / "d.sqlite3")
    assert main(["demo", "--db", db, "--year", "2026"]) == 0
    capsys.readouterr()
    assert main(["settings", "--db", db, "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["city"], shown["bureau"]) == ("新乡市", "新乡市商务局")
    argv = ["settings", "--db", db, "--bureau", "新乡市商务局投资促进科", "--phone", "0373-1234567"]
    assert main([*argv, "--compiler", "李娜"]) == 0
    text = capsys.readouterr().out
    assert "单位名称：新乡市商务局投资促进科" in text
    assert "制表人：李娜" in text
    assert main(["settings", "--db", db, "--city", "市" * 60]) == 2
    assert "不能超过" in capsys.readouterr().err
