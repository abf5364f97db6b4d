"""The app on a city's PostgreSQL database at another schema (issue 14 item 6): a message box
naming both versions and who can act, the database untouched, exit 2."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlalchemy import text

from landbank.store import migrate
from landbank.store.engine import make_engine
from landbank.store.migrate import current_revision, head_revision
from landbank.ui.app import run_gui
from tests.store.test_migrate_pg import ledger_at

pytestmark = pytest.mark.postgres


def test_the_window_refuses_an_older_city_database_with_a_message_box(
    qapp: QApplication, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ledger_at(postgres_url, "0004").dispose()
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, title, body, *a: shown.append((title, body)))
    assert run_gui(postgres_url) == 2
    assert len(shown) == 1
    title, body = shown[0]
    assert title == "无法打开数据库"
    assert f"的结构为 0004，本程序（landbank {migrate.app_version()}）需要 {head_revision()}" in body
    assert "请由市级管理员运行 landbank server upgrade" in body
    engine = make_engine(postgres_url)
    assert current_revision(engine) == "0004"
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM parcel")).scalar_one() == 2
    engine.dispose()


def test_the_window_refuses_an_empty_city_database(
    qapp: QApplication, postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, body, *a: shown.append(body))
    assert run_gui(postgres_url) == 2
    assert "landbank server init" in shown[0]
    engine = make_engine(postgres_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")).scalar() == 0
    engine.dispose()
