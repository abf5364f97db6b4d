"""``landbank server init / add-user / users / set-password / remove-user`` (issue 14) on the
PostgreSQL server: what they print, exit codes and Chinese refusals, and a county clerk's
``landbank reserve`` recorded under its login whatever USER, LOGNAME and the settings say."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from landbank.cli import main
from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.services.server.roles import role_names
from landbank.settings import Settings
from landbank.store.engine import make_engine, write_session
from tests.server_helpers import PASSWORD, drop_roles

pytestmark = pytest.mark.postgres


@pytest.fixture
def server(postgres_url: str) -> Iterator[tuple[str, list[str]]]:
    """The superuser's address of a fresh database (no init yet) and the logins a test made
    (dropped afterwards with the database's roles)."""
    logins: list[str] = []
    names = role_names(str(make_url(postgres_url).database))
    try:
        yield postgres_url.replace("+psycopg", ""), logins
    finally:
        drop_roles(postgres_url, names, logins)


def _login(url: str, name: str) -> str:
    return f"{name}_{url[-6:]}"


def _out(capsys: pytest.CaptureFixture[str], argv: list[str], code: int = 0) -> tuple[str, str]:
    capsys.readouterr()
    assert main(argv) == code
    captured = capsys.readouterr()
    return captured.out, captured.err


def _regions(url: str, *names: str) -> None:
    engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with write_session(engine) as s:
        for name in names:
            create_record(s, RecordKind.REGION, {"name": name, "kind": "县"}, user="t")
    engine.dispose()


def test_init_then_accounts(
    server: tuple[str, list[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, logins = server
    db = ["--db", url]
    out, _ = _out(capsys, ["server", "init", *db])
    assert "新建角色" in out
    assert "_county" in out
    out, _ = _out(capsys, ["server", "init", *db])
    assert "未作改动" in out
    _regions(url, "获嘉县", "辉县市")
    admin, clerk = _login(url, "admin"), _login(url, "hj")
    logins += [admin, clerk]
    _out(
        capsys, ["server", "add-user", admin, "--admin", "--name", "王市", "--password", "a-1", *db]
    )
    answers = iter([PASSWORD, PASSWORD])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    monkeypatch.setattr("landbank.cli.server._interactive", lambda: True)
    out, _ = _out(capsys, ["server", "add-user", clerk, "--region", "获嘉", "--name", "李四", *db])
    assert f"已添加账户 {clerk}（李四，县区（只写本县区），获嘉县）" in out
    out, _ = _out(capsys, ["server", "users", *db])
    assert "登录名" in out
    assert clerk in out
    assert "获嘉县" in out
    assert "市级管理员" in out
    out, _ = _out(capsys, ["server", "users", "--json", *db])
    assert {(a["login"], a["scope"], a["region"]) for a in json.loads(out)} == {
        (admin, "admin", None),
        (clerk, "county", "获嘉县"),
    }
    # The clerk logs in with the password (over TCP; a trust server may not check it).
    with psycopg.connect(host="127.0.0.1", dbname=url.rsplit("/", 1)[1], user=clerk,
                         password=PASSWORD) as conn:  # fmt: skip
        assert conn.execute("SELECT session_user").fetchone() == (clerk,)
    answers = iter(["新密码-2", "新密码-2"])
    out, _ = _out(capsys, ["server", "set-password", clerk, *db])
    assert "已修改" in out
    with psycopg.connect(url) as conn:
        verifier = conn.execute(
            "SELECT rolpassword FROM pg_authid WHERE rolname = %s", (clerk,)
        ).fetchone()
    assert verifier is not None
    assert verifier[0].startswith("SCRAM-SHA-256$")
    _, err = _out(capsys, ["server", "remove-user", admin, *db], code=2)
    assert "最后一个市级管理员" in err
    out, _ = _out(capsys, ["server", "remove-user", clerk, *db])
    assert "已删除" in out
    with psycopg.connect(url) as conn:
        assert (
            conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (clerk,)).fetchone() is None
        )


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["add-user", "张三", "--city", "--password", "x"], "登录名“张三”无效"),
        (["add-user", "pg_x", "--city", "--password", "x"], "保留"),
        (["add-user", "zz", "--region", "新乡县", "--password", "x"], "台账里没有县区“新乡县”"),
        (["add-user", "zz", "--city", "--password", ""], "密码不能为空"),
        (["add-user", "postgres", "--city", "--password", "x"], "保留"),
        (["set-password", "nobody", "--password", "x"], "没有账户“nobody”"),
        (["remove-user", "nobody"], "没有账户“nobody”"),
    ],
)
def test_bad_input_exits_2_in_chinese(
    server: tuple[str, list[str]],
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    url, _logins = server
    _out(capsys, ["server", "init", "--db", url])
    _regions(url, "获嘉县")
    _, err = _out(capsys, ["server", *argv, "--db", url], code=2)
    assert message in err
    assert "Traceback" not in err


def test_a_password_typed_twice_must_match_and_not_be_empty(
    server: tuple[str, list[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, _logins = server
    _out(capsys, ["server", "init", "--db", url])
    for typed, message in ((["", ""], "密码不能为空"), (["a1", "a2"], "两次输入的密码不一致")):
        answers = iter(typed)
        monkeypatch.setattr("getpass.getpass", lambda prompt="", a=answers: next(a))
        monkeypatch.setattr("landbank.cli.server._interactive", lambda: True)
        _, err = _out(capsys, ["server", "add-user", "zz", "--city", "--db", url], code=2)
        assert message in err
    monkeypatch.setattr("landbank.cli.server._interactive", lambda: False)  # a pipe
    _, err = _out(capsys, ["server", "add-user", "zz", "--city", "--db", url], code=2)
    assert "请用 --password 给出" in err
    with psycopg.connect(url) as conn:
        assert conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'zz'").fetchone() is None


def test_not_postgresql_or_not_a_superuser(
    server: tuple[str, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: object
) -> None:
    url, logins = server
    _, err = _out(capsys, ["server", "init", "--db", f"{tmp_path}/a.sqlite3"], code=2)
    assert "只用于 PostgreSQL" in err
    _out(capsys, ["server", "init", "--db", url])
    viewer = _login(url, "view")
    logins.append(viewer)
    _out(capsys, ["server", "add-user", viewer, "--read-only", "--password", PASSWORD, "--db", url])
    as_viewer = make_url(url).set(username=viewer, password=PASSWORD)
    _, err = _out(
        capsys, ["server", "users", "--db", as_viewer.render_as_string(hide_password=False)], 2
    )
    assert "超级用户" in err


def test_a_county_clerks_reserve_is_audited_under_its_login(
    server: tuple[str, list[str]],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, logins = server
    _out(capsys, ["server", "init", "--db", url])
    engine = make_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with write_session(engine) as s:
        hj = create_record(s, RecordKind.REGION, {"name": "获嘉县", "kind": "县"}, user="t")
        hx = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t")
        create_record(s, RecordKind.PROJECT, {"name": "纺织项目", "stage": "在谈", "region_id": hx.id,
                                              "req_land_mu": 25.0}, user="t")  # fmt: skip
        for code, region in (("HJ-1", hj), ("HX-1", hx)):
            create_record(s, RecordKind.PARCEL, {"code": code, "region_id": region.id,
                                                 "area_mu": 30.0, "readiness": "净地(可供)",
                                                 "status": "可供"}, user="t")  # fmt: skip
    engine.dispose()
    clerk = _login(url, "hj")
    logins.append(clerk)
    _out(capsys, ["server", "add-user", clerk, "--region", "获嘉县", "--name", "李四",
                  "--password", PASSWORD, "--db", url])  # fmt: skip
    monkeypatch.setenv("USER", "县长张三")
    monkeypatch.setenv("LOGNAME", "县长张三")
    Settings(user_name="县长张三").save()
    as_clerk = make_url(url).set(username=clerk, password=PASSWORD)
    db = ["--db", as_clerk.render_as_string(hide_password=False)]
    _out(
        capsys, [*db, "reserve", "--project", "纺织项目", "--site", "HJ-1", "--today", "2026-11-24"]
    )
    # Another county's parcel: the database refuses, the clerk is told, nothing changes.
    _, err = _out(capsys, [*db, "reserve", "--project", "纺织项目", "--site", "HX-1", "--also",
                           "--today", "2026-11-24"], code=2)  # fmt: skip
    assert err
    assert "Traceback" not in err
    with psycopg.connect(url) as conn:
        users = conn.execute(
            "SELECT DISTINCT \"user\" FROM audit_log WHERE record_kind = 'parcel' AND action = 'update'"
        ).fetchall()
        status = conn.execute("SELECT code, status FROM parcel ORDER BY code").fetchall()
    assert users == [(f"李四（{clerk}）",)]
    assert status == [("HJ-1", "意向锁定"), ("HX-1", "可供")]


def test_a_county_clerk_imports_its_own_countys_ledger(
    server: tuple[str, list[str]], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A file import writes parcels in bulk (COPY for the superuser, INSERT for a clerk, whom
    row-level security forbids COPY): the rows of its county go in, another's are refused."""
    url, logins = server
    _out(capsys, ["server", "init", "--db", url])
    _regions(url, "获嘉县", "辉县市")
    clerk = _login(url, "hj")
    logins.append(clerk)
    _out(capsys, ["server", "add-user", clerk, "--region", "获嘉县", "--password", PASSWORD,
                  "--db", url])  # fmt: skip
    as_clerk = make_url(url).set(username=clerk, password=PASSWORD)
    db = ["--db", as_clerk.render_as_string(hide_password=False)]
    own, other = tmp_path / "获嘉.csv", tmp_path / "辉县.csv"
    header = "地块编号,县区,面积（亩）,整理程度,供应状态\n"
    own.write_text(header + "".join(f"HJ-{i},获嘉县,{10 + i},拟收储,可供\n" for i in range(30)),
                   encoding="utf-8")  # fmt: skip
    other.write_text(header + "HX-1,辉县市,12,拟收储,可供\n", encoding="utf-8")
    _out(capsys, [*db, "import", "parcels", str(own)])
    out, err = _out(capsys, [*db, "import", "parcels", str(other)], code=2)
    # Refused row by row, naming the county (services/importing/county_rights.py).
    assert "“辉县市”：您的账号（获嘉县）只能导入获嘉县的记录" in out + err
    with psycopg.connect(url) as conn:
        codes = conn.execute("SELECT count(*), min(region_id), max(region_id) FROM parcel")
        assert codes.fetchone() == (30, 1, 1)
        who = conn.execute("SELECT DISTINCT \"user\" FROM audit_log WHERE record_kind = 'parcel'")
        assert who.fetchall() == [(clerk,)]
