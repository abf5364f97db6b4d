"""Opening databases: new, older (backed up, then upgraded), newer (refused), foreign, corrupt."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine, text

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.store import migrate
from landbank.store.engine import (
    DatabaseError,
    database_url,
    describe_url,
    make_engine,
    session_scope,
)
from landbank.store.migrate import (
    DatabaseTooNewError,
    current_revision,
    head_revision,
    open_database,
)

EXTRA_REVISION = '''"""add a column, as a later landbank might"""
import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        # Batch mode rebuilds tables: foreign keys must be off while it runs.
        assert bind.exec_driver_sql("PRAGMA foreign_keys").scalar() == 0
    with op.batch_alter_table("region") as batch:
        batch.add_column(sa.Column("test_code", sa.String(20), nullable=True))
    with op.batch_alter_table("parcel") as batch:
        batch.add_column(sa.Column("test_extra", sa.String(20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("parcel") as batch:
        batch.drop_column("test_extra")
'''


def _add_region_and_parcel(engine: Engine) -> None:
    with session_scope(engine) as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t")
        create_record(
            s,
            RecordKind.PARCEL,
            {"code": "HX-1", "region_id": region.id, "area_mu": 50.0, "readiness": "拟收储", "status": "可供"},
            user="t",
        )


def test_older_database_is_backed_up_then_upgraded(
    tmp_path: Path, sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = open_database(sqlite_url)
    _add_region_and_parcel(engine)
    engine.dispose()
    head = head_revision()

    later = tmp_path / "later_migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, later)
    (later / "versions" / "9001_extra.py").write_text(
        EXTRA_REVISION.format(head=head), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", later)

    upgraded = open_database(sqlite_url)
    assert current_revision(upgraded) == "9001"
    with upgraded.connect() as conn:
        assert conn.execute(text("SELECT code, test_extra FROM parcel")).all() == [("HX-1", None)]
        assert conn.execute(text("SELECT name, test_code FROM region")).all() == [("辉县市", None)]
        # Foreign keys are back on after the batch migration.
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    upgraded.dispose()

    backups = list((tmp_path / "备份").glob("ledger-*-upgrade.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("SELECT version_num FROM alembic_version").fetchone() == (head,)
        assert conn.execute("SELECT code FROM parcel").fetchall() == [("HX-1",)]


def test_database_of_a_newer_landbank_is_refused(any_db_url: str) -> None:
    engine = open_database(any_db_url, upgrade=True)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNewError, match="更新版本的 landbank"):
        open_database(any_db_url)


def test_nothing_written_and_not_at_head_is_fresh(tmp_path: Path) -> None:
    (tmp_path / "new").mkdir()  # (a missing folder is refused: see test_hostile_files)
    engine = open_database(f"sqlite:///{tmp_path / 'new' / 'x.sqlite3'}")
    assert current_revision(engine) == head_revision()
    assert not (tmp_path / "new" / "备份").exists()  # nothing to back up
    engine.dispose()


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE customers (id INTEGER)")
    with pytest.raises(DatabaseError, match="不是 landbank 数据库"):
        open_database(f"sqlite:///{path}")


def test_corrupt_file_gives_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError, match=r"无法打开数据库 .*文件已损坏、不是数据库"):
        open_database(f"sqlite:///{path}")


def test_unreachable_server_says_what_to_check() -> None:
    with pytest.raises(DatabaseError) as err:
        open_database("postgresql+psycopg://nobody@127.0.0.1:1/ledger?connect_timeout=2")
    message = str(err.value)
    assert message.startswith("无法连接 PostgreSQL 数据库 127.0.0.1:1/ledger：请确认服务器已启动")
    assert "sqlalche.me" not in message


def test_sqlite_runs_with_wal_and_foreign_keys(engine: Engine) -> None:
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_database_url_resolution(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert database_url(str(tmp_path / "a.sqlite3")) == f"sqlite:///{tmp_path / 'a.sqlite3'}"
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    monkeypatch.setenv("LANDBANK_DATABASE_URL", "postgresql://env@h/db")
    assert database_url(None) == "postgresql+psycopg://env@h/db"
    assert database_url("explicit.sqlite3").endswith("explicit.sqlite3")  # --db wins
    monkeypatch.delenv("LANDBANK_DATABASE_URL")
    assert database_url(None).endswith("landbank.sqlite3")


# SQLAlchemy cannot reflect an index on expressions from SQLite (the unique key of the 标准地
# table, migration 0007): it says so and Alembic leaves that index out of the comparison;
# tests/store/test_land_standard.py checks it exists and refuses a second row on both databases.
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index uq_land_standard_key"
)
@pytest.mark.filterwarnings("ignore:autogenerate skipping metadata-specified expression-based index")
def test_migrations_build_exactly_the_tables_of_the_models(any_engine: Engine) -> None:
    """A column added to a model and forgotten in a migration (or the reverse) fails here."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlmodel import SQLModel

    with any_engine.connect() as conn:
        diffs = compare_metadata(MigrationContext.configure(conn), SQLModel.metadata)
    assert diffs == []


def test_upgraded_sqlite_tables_still_never_reuse_ids(engine: Engine) -> None:
    with engine.connect() as conn:
        sql = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type='table'").all())
    for table in ("region", "park", "parcel", "factory", "project", "quota", "audit_log",
                  "land_standard"):
        assert "AUTOINCREMENT" in sql[table], table


@contextmanager
def _old_ledger(url: str, revision: str) -> Iterator[Connection]:
    """A ledger at an older ``revision`` holding the county 辉县市 (id 7): the block adds to it."""
    from alembic import command

    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            cfg = migrate.alembic_config()
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
            conn.execute(text("INSERT INTO region (id, uuid, version, created_at, updated_at, name, kind) "
                              "VALUES (7, 'r7', 1, '2026-01-01', '2026-01-01', '辉县市', '县')"))
            yield conn
    finally:
        engine.dispose()


def test_a_0001_ledger_upgrades_keeping_its_factories(any_db_url: str) -> None:
    """The first schema landbank shipped opens in this version with its records intact."""
    with _old_ledger(any_db_url, "0001") as conn:
        conn.execute(text(
            "INSERT INTO factory (id, uuid, version, created_at, updated_at, code, name, region_id, "
            "status, floor_area_m2) VALUES (41, 'f41', 1, '2026-01-01', '2026-01-01', 'F-1', "
            "'1号厂房', 7, '闲置', 5000)"))

    upgraded = open_database(any_db_url, upgrade=True)
    assert current_revision(upgraded) == head_revision()
    with upgraded.connect() as conn:
        rows = conn.execute(text("SELECT id, code, reserved_project_id FROM factory")).all()
    assert rows == [(41, "F-1", None)]
    upgraded.dispose()


def _ledger_at_0003_with_parcels(url: str, numbers: list[str | None]) -> None:
    with _old_ledger(url, "0003") as conn:
        for i, number in enumerate(numbers):
            conn.execute(
                text("INSERT INTO parcel (uuid, version, created_at, updated_at, code, region_id, area_mu, "
                     "readiness, status, supervision_no) VALUES (:u, 1, '2026-01-01', '2026-01-01', :c, 7, "
                     "10, '拟收储', '可供', :n)"),
                {"u": f"p{i}", "c": f"P-{i}", "n": number},
            )


def test_a_ledger_with_a_supervision_number_twice_is_not_upgraded_and_stays_as_it_was(any_db_url: str) -> None:
    _ledger_at_0003_with_parcels(any_db_url, ["4107001", "4107002", "4107001", None, None, ""])
    with pytest.raises(DatabaseError) as refused:
        open_database(any_db_url, upgrade=True)
    message = str(refused.value)
    assert "“4107001”：地块 P-0、P-2" in message
    assert "4107002" not in message
    assert "数据库未作任何改动" in message
    engine = make_engine(any_db_url)
    assert current_revision(engine) == "0003"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM parcel")).scalar_one() == 6
    engine.dispose()


def test_distinct_supervision_numbers_upgrade_and_the_database_then_refuses_a_second(any_db_url: str) -> None:
    from sqlalchemy.exc import IntegrityError

    _ledger_at_0003_with_parcels(any_db_url, ["4107001", "4107002", None, None, "", ""])
    upgraded = open_database(any_db_url, upgrade=True)
    assert current_revision(upgraded) == head_revision()
    with pytest.raises(IntegrityError), upgraded.begin() as conn:  # as a racing clerk would
        conn.execute(text("UPDATE parcel SET supervision_no = '4107001' WHERE code = 'P-1'"))
    with upgraded.begin() as conn:  # empty numbers stay free to repeat
        conn.execute(text("UPDATE parcel SET supervision_no = NULL WHERE code = 'P-1'"))
    upgraded.dispose()


def test_a_lookup_by_supervision_number_uses_an_index(engine: Engine) -> None:
    """The duplicate check asks "supervision_no = ?" on every save and import row."""
    with engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM parcel WHERE supervision_no = ? LIMIT 1", ("4107001",)
        ).all()
    assert any("USING" in str(step) and "INDEX" in str(step) for step in plan), plan


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("sqlite:////tmp/辉县台账/收储.sqlite3", "/tmp/辉县台账/收储.sqlite3"),
        ("sqlite:///C:\\Users\\张伟\\台账.sqlite3", "C:\\Users\\张伟\\台账.sqlite3"),
        ("postgresql+psycopg://clerk:secret@10.0.0.5/city", "postgresql+psycopg://clerk:***@10.0.0.5/city"),
    ],
)
def test_messages_name_a_ledger_by_its_file_and_a_server_without_its_password(
    url: str, shown: str
) -> None:
    """A clerk reads the path as Windows writes it, not percent-encoded (C%3A%5CUsers%5C…)."""
    assert describe_url(url) == shown
