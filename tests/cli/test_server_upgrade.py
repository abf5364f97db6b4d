"""``landbank server upgrade`` / ``server restore`` on the real PostgreSQL server (issue 14
item 6): an old-schema city database is refused by a clerk's command and left untouched;
the administrator's upgrade backs it up, then migrates it keeping every row; the backup
restores into a fresh database with the same rows, revision and sequences."""

from __future__ import annotations

import shutil
import uuid
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from landbank.cli import main
from landbank.store import migrate
from landbank.store.engine import make_engine
from landbank.store.migrate import current_revision, head_revision
from landbank.store.pg_backup import MANIFEST
from tests.conftest import PG_ADMIN_URL, _pg_admin_connect
from tests.store.test_migrate_pg import ledger_at

pytestmark = pytest.mark.postgres


def _drop_roles_of(database: str) -> None:
    """Roles ``server init`` made for the database (they outlive it), dropped before it is."""
    with _pg_admin_connect() as admin:
        roles = [r for (r,) in admin.execute(
            "SELECT rolname FROM pg_roles WHERE starts_with(rolname, %s)", (f"{database}_",)).fetchall()]
    if not roles:
        return
    url = make_url(PG_ADMIN_URL)
    import psycopg

    with psycopg.connect(host=url.host, port=url.port or 5432, user=url.username or "postgres",
                         dbname=database, autocommit=True) as conn:
        for role in roles:
            conn.execute(f'DROP OWNED BY "{role}" CASCADE')
    with _pg_admin_connect() as admin:
        for role in roles:
            admin.execute(f'DROP ROLE IF EXISTS "{role}"')


@pytest.fixture
def city_url(postgres_url: str) -> Iterator[str]:
    yield postgres_url
    _drop_roles_of(str(make_url(postgres_url).database))


@pytest.fixture
def fresh_url() -> Iterator[str]:
    """A second empty database (where a backup is restored)."""
    name = f"landbank_test_{uuid.uuid4().hex[:12]}"
    with _pg_admin_connect() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_ADMIN_URL).set(drivername="postgresql+psycopg", database=name).render_as_string(
            hide_password=False
        )
    finally:
        _drop_roles_of(name)
        with _pg_admin_connect() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def plain(url: str) -> str:
    """The address as an administrator types it."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def contents(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as conn:
        return {
            table: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()]
            for table in ("region", "parcel", "audit_log", "alembic_version")
        }


def next_parcel_id(engine: Engine) -> int:
    with engine.begin() as conn:
        return int(conn.execute(text("SELECT nextval(pg_get_serial_sequence('parcel', 'id'))")).scalar_one())


@pytest.fixture
def old_city(city_url: str) -> tuple[str, dict[str, list[tuple[object, ...]]]]:
    """A 0004 city database with a county and parcels, one deleted (its id is not reused)."""
    engine = ledger_at(city_url, "0004")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO parcel (uuid, version, created_at, updated_at, code, region_id, area_mu, "
                          "readiness, status, notes) VALUES ('p3', 1, '2026-01-01', '2026-01-01', 'HX-3', 7, 10, "
                          "'拟收储', '可供', E'引号\"、逗号,换行\\n与空串')"))
        conn.execute(text("INSERT INTO parcel (uuid, version, created_at, updated_at, code, region_id, area_mu, "
                          "readiness, status, notes) VALUES ('p4', 1, '2026-01-01', '2026-01-01', 'HX-4', 7, 10, "
                          "'拟收储', '可供', '')"))
        conn.execute(text("DELETE FROM parcel WHERE code = 'HX-4'"))
    before = contents(engine)
    engine.dispose()
    return city_url, before


def test_a_clerks_command_refuses_an_old_city_database_and_changes_nothing(
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]], capsys: pytest.CaptureFixture[str]
) -> None:
    url, before = old_city
    assert main(["list", "parcels", "--db", plain(url)]) == 2
    err = capsys.readouterr().err
    assert f"的结构为 0004，本程序（landbank {migrate.app_version()}）需要 {head_revision()}" in err
    assert "请由市级管理员运行 landbank server upgrade --db postgresql://" in err
    assert "Traceback" not in err
    engine = make_engine(url)
    assert current_revision(engine) == "0004"
    assert contents(engine) == before
    engine.dispose()


@pytest.mark.parametrize("method", ["copy", "pg_dump"])
def test_upgrade_backs_up_first_and_the_backup_restores(
    method: str,
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]],
    fresh_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    if method == "pg_dump" and shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed here")
    url, before = old_city
    backup = tmp_path / "升级前.landbank-pg.zip"
    code = main(["server", "upgrade", "--db", plain(url), "--backup", str(backup), "--method", method, "--yes"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert f"已备份到 {backup}" in out.out
    assert f"结构从 0004 升级到 {head_revision()}" in out.out
    with zipfile.ZipFile(backup) as zf:
        assert f'"method": "{method}"' in zf.read(MANIFEST).decode()
    assert not list(tmp_path.glob(".*.part"))

    upgraded = make_engine(url)
    assert current_revision(upgraded) == head_revision()
    after = contents(upgraded)
    # Later revisions add columns at the end (0006: the outline): the old ones are unchanged.
    width = len(before["parcel"][0])
    assert [row[:width] for row in after["parcel"]] == before["parcel"]
    assert all(not any(row[width:]) for row in after["parcel"])
    assert after["region"] == before["region"]
    upgraded.dispose()
    main(["list", "parcels", "--db", plain(url), "--json"])  # a clerk's command opens it now
    assert "HX-3" in capsys.readouterr().out

    assert main(["server", "restore", str(backup), "--db", plain(fresh_url)]) == 0
    out = capsys.readouterr()
    assert "恢复到空数据库，结构 0004" in out.out, out.err
    assert "行数与备份一致" in out.out
    restored = make_engine(fresh_url)
    assert current_revision(restored) == "0004"
    assert contents(restored) == before
    assert next_parcel_id(restored) == 5  # HX-4's id 4 was used and deleted: not reused
    restored.dispose()


def test_restore_replaces_a_same_revision_database_only_when_confirmed(
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url, before = old_city
    backup = tmp_path / "b.landbank-pg.zip"
    assert main(["server", "upgrade", "--db", plain(url), "--backup", str(backup), "--method", "copy", "--yes"]) == 0
    # The upgraded database is at another revision: refused, naming both.
    assert main(["server", "restore", str(backup), "--db", plain(url), "--yes"]) == 2
    assert f"的结构为 {head_revision()}，备份的结构为 0004" in capsys.readouterr().err

    again = tmp_path / "at-head.landbank-pg.zip"
    engine = make_engine(url)
    from landbank.store.pg_backup import write_backup

    write_backup(engine, again, method="copy")
    with engine.begin() as conn:
        conn.execute(text("UPDATE parcel SET code = 'CHANGED' WHERE code = 'HX-1'"))
    capsys.readouterr()
    assert main(["server", "restore", str(again), "--db", plain(url)]) == 2  # no terminal, no --yes
    assert "请加 --yes 确认" in capsys.readouterr().err
    assert main(["server", "restore", str(again), "--db", plain(url), "--yes"]) == 0
    assert "替换了原有记录" in capsys.readouterr().out
    width = len(before["parcel"][0])  # the columns of 0004; later ones stay empty
    assert [row[:width] for row in contents(engine)["parcel"]] == before["parcel"]
    engine.dispose()


def test_a_damaged_backup_changes_nothing(
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]], fresh_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url, _ = old_city
    backup = tmp_path / "b.landbank-pg.zip"
    engine = make_engine(url)
    from landbank.store.pg_backup import write_backup

    write_backup(engine, backup, method="copy")
    engine.dispose()
    damaged = tmp_path / "damaged.landbank-pg.zip"
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "data/parcel.csv":
                data = data.replace(b"HX-3", b"HX-9")
            dst.writestr(item, data)
    assert main(["server", "restore", str(damaged), "--db", plain(fresh_url)]) == 2
    assert "数据表 parcel 的校验和不符" in capsys.readouterr().err
    fresh = make_engine(fresh_url)
    with fresh.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar() == 0
    fresh.dispose()


def test_upgrade_refuses_a_newer_schema_and_bad_addresses(city_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    engine = make_engine(city_url)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE alembic_version (version_num varchar(32) PRIMARY KEY)"))
        conn.execute(text("INSERT INTO alembic_version VALUES ('9001')"))
    engine.dispose()
    assert main(["server", "upgrade", "--db", plain(city_url), "--yes"]) == 2
    err = capsys.readouterr().err
    assert f"的结构为 9001，比本程序（landbank {migrate.app_version()}，结构 {head_revision()}）更新" in err
    assert main(["server", "upgrade", "--db", "ledger.sqlite3", "--yes"]) == 2
    assert "服务器命令只用于 PostgreSQL" in capsys.readouterr().err
    assert main(["server", "restore", "nowhere.zip", "--db", plain(city_url)]) == 2
    assert "备份文件不存在：nowhere.zip" in capsys.readouterr().err


def test_a_failed_migration_leaves_the_old_schema_and_the_backup(
    city_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """0004 makes supervision numbers unique: a 0003 city holding one twice cannot move up."""
    engine = ledger_at(city_url, "0003")
    with engine.begin() as conn:
        conn.execute(text("UPDATE parcel SET supervision_no = '4107001'"))
    before = contents(engine)
    backup = tmp_path / "b.landbank-pg.zip"
    assert main(["server", "upgrade", "--db", plain(city_url), "--backup", str(backup), "--yes"]) == 2
    err = capsys.readouterr().err
    assert "升级失败，数据库保持原来的结构（备份已做好）" in err
    assert "“4107001”：地块 HX-1、HX-2" in err
    assert backup.is_file()
    assert current_revision(engine) == "0003"
    assert contents(engine) == before
    engine.dispose()


def test_a_set_up_city_restores_with_its_accounts_into_a_fresh_database(
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]], fresh_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """server init's accounts table (no migration makes it) comes back with the records; a
    same-revision restore replaces rows behind the audit's no-TRUNCATE trigger."""
    from landbank.services.server.roles import Scope, role_names
    from landbank.services.server.setup import admin_connection
    from landbank.services.server.users import add_user

    url, _ = old_city
    assert main(["server", "upgrade", "--db", plain(url), "--method", "copy", "--yes",
                 "--backup", str(tmp_path / "old.landbank-pg.zip")]) == 0
    database = str(make_url(url).database)
    with admin_connection(url) as conn:
        add_user(conn, role_names(database), f"{database}_hx", Scope.COUNTY, "Mima-2024!", region="辉县市")
    engine = make_engine(url)
    before = contents(engine)
    backup = tmp_path / "set-up.landbank-pg.zip"
    from landbank.store.pg_backup import write_backup

    write_backup(engine, backup, method="copy")
    engine.dispose()

    capsys.readouterr()
    assert main(["server", "restore", str(backup), "--db", plain(fresh_url)]) == 0, capsys.readouterr().err
    restored = make_engine(fresh_url)
    assert contents(restored) == before
    with restored.connect() as conn:
        accounts = conn.execute(text("SELECT login, scope, region_id FROM landbank_user")).all()
    assert accounts == [(f"{database}_hx", "county", 7)]
    restored.dispose()

    assert main(["server", "restore", str(backup), "--db", plain(url), "--yes"]) == 0, capsys.readouterr().err
    engine = make_engine(url)
    assert contents(engine) == before
    engine.dispose()


def test_server_backup_alone(
    city_url: str, fresh_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["server", "backup", "--db", plain(city_url)]) == 2  # an empty database
    assert "还没有 landbank 的数据表，没有可备份的内容" in capsys.readouterr().err
    engine = ledger_at(city_url, "0004")
    before = contents(engine)
    engine.dispose()
    target = tmp_path / "手动.landbank-pg.zip"
    assert main(["server", "backup", "--db", plain(city_url), "-o", str(target)]) == 0
    assert f"已备份到 {target}（结构 0004，" in capsys.readouterr().out
    assert main(["server", "backup", "--db", plain(city_url), "-o", str(target)]) == 2
    assert "备份文件已存在" in capsys.readouterr().err
    assert main(["server", "restore", str(target), "--db", plain(fresh_url)]) == 0
    restored = make_engine(fresh_url)
    assert contents(restored) == before
    restored.dispose()


def test_upgrade_names_the_clerks_still_connected(
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import psycopg

    url, _ = old_city
    clerk = psycopg.connect(plain(url), autocommit=True)  # an idle clerk's app
    try:
        argv = ["server", "upgrade", "--db", plain(url), "--yes", "--backup", str(tmp_path / "b.landbank-pg.zip")]
        assert main(argv) == 0
    finally:
        clerk.close()
    out = capsys.readouterr().out
    assert "注意：另有 1 个连接正在使用这个数据库（postgres@127.0.0.1）" in out
    assert "请先让各县区退出 landbank" in out


def test_a_restore_the_database_refuses_midway_leaves_nothing(
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]], fresh_url: str, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A backup whose checksums match but whose parcels the database cannot take (edited and
    re-summed): the tables restored before parcel, and the schema made for them, are undone."""
    import hashlib
    import json

    url, _ = old_city
    backup = tmp_path / "b.landbank-pg.zip"
    engine = make_engine(url)
    from landbank.store.pg_backup import write_backup

    write_backup(engine, backup, method="copy")
    engine.dispose()
    edited = tmp_path / "edited.landbank-pg.zip"
    with zipfile.ZipFile(backup) as src:
        manifest = json.loads(src.read(MANIFEST))
        parcels = src.read("data/parcel.csv").replace(b",10,", b",ten,", 1)
        manifest["tables"]["parcel"]["sha256"] = hashlib.sha256(parcels).hexdigest()
        with zipfile.ZipFile(edited, "w") as dst:
            for item in src.infolist():
                if item.filename not in (MANIFEST, "data/parcel.csv"):
                    dst.writestr(item, src.read(item))
            dst.writestr("data/parcel.csv", parcels)
            dst.writestr(MANIFEST, json.dumps(manifest))
    assert main(["server", "restore", str(edited), "--db", plain(fresh_url)]) == 2
    err = capsys.readouterr().err
    assert "恢复失败，已撤销，未作任何改动：" in err
    assert "ten" in err
    fresh = make_engine(fresh_url)
    with fresh.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar() == 0
    fresh.dispose()


def test_an_upgrade_blocked_by_a_clerks_open_transaction_gives_up_and_changes_nothing(
    old_city: tuple[str, dict[str, list[tuple[object, ...]]]], tmp_path: Path,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without a lock timeout the upgrade would wait for ever, and every clerk behind it."""
    import psycopg

    monkeypatch.setattr(migrate, "PG_LOCK_TIMEOUT", "1s")
    url, before = old_city
    clerk = psycopg.connect(plain(url))  # a transaction left open after reading parcels
    try:
        clerk.execute("SELECT count(*) FROM parcel").fetchone()
        backup = tmp_path / "b.landbank-pg.zip"
        assert main(["server", "upgrade", "--db", plain(url), "--yes", "--backup", str(backup)]) == 2
        err = capsys.readouterr().err
        assert "升级失败，数据库保持原来的结构（备份已做好）" in err
        assert "lock timeout" in err
        assert backup.is_file()
        assert clerk.execute("SELECT count(*) FROM parcel").fetchone() == (3,)  # the clerk goes on
    finally:
        clerk.close()
    engine = make_engine(url)
    assert current_revision(engine) == "0004"
    assert contents(engine) == before
    engine.dispose()
    assert "PGOPTIONS" not in __import__("os").environ


def test_a_backup_killed_midway_is_tidied_at_the_next_start(
    city_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A backup that dies while writing leaves only a temporary .part of landbank's own
    name (never a file under the backup's name); the next server command, once it is two
    minutes old, removes it and nothing else."""
    import os
    import time

    from landbank.store import pg_backup

    ledger_at(city_url, "0004").dispose()
    folder = tmp_path / "备份"
    folder.mkdir()
    (folder / "别的文件.zip").write_bytes(b"kept")
    target = folder / "周五.landbank-pg.zip"

    def killed(*_args: object) -> str:
        raise SystemExit(9)  # the process dies here: no except clause of landbank runs

    with pytest.MonkeyPatch.context() as kill:  # (the test's own monkeypatch keeps its data dir)
        kill.setattr(pg_backup, "_copy_out", killed)
        kill.setattr(pg_backup, "pg_dump_fits", lambda _conn: False)
        kill.setattr(os, "unlink", lambda *_a, **_k: None)  # as a killed process: no cleanup
        kill.setattr(type(target), "unlink", lambda *_a, **_k: None)
        with pytest.raises(SystemExit):
            main(["server", "backup", "--db", plain(city_url), "-o", str(target)])
    left = sorted(p.name for p in folder.iterdir())
    parts = [name for name in left if name.endswith(".zip.part")]
    assert not target.exists()
    assert len(parts) == 1
    assert parts[0].startswith(".周五.landbank-pg-")
    old = time.time() - 600
    os.utime(folder / parts[0], (old, old))
    capsys.readouterr()
    assert main(["server", "backup", "--db", plain(city_url), "-o", str(folder / "再来.zip")]) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["再来.zip", "别的文件.zip"]
