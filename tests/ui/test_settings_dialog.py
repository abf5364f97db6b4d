"""The settings dialog saves the user name, database and default region to the settings file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.settings import Settings, os_login
from landbank.ui.context import AppContext
from landbank.ui.settings_dialog import SettingsDialog


@pytest.fixture
def ctx(engine: Engine) -> AppContext:
    with AppContext(engine, Settings.load()).write_session() as s:
        for name, kind in (("辉县市", "县"), ("红旗区", "区")):
            create_record(s, RecordKind.REGION, {"name": name, "kind": kind}, user="甲")
    return AppContext(engine, Settings.load())


def test_shows_the_current_settings(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.user_name.text() == "测试员"
    assert dialog.user_name.placeholderText() == os_login()
    names = [dialog.region.itemText(i) for i in range(dialog.region.count())]
    assert names == ["（不指定）", "红旗区", "辉县市"]  # pinyin order
    assert dialog.region.currentIndex() == 0


def test_saves_user_name_database_and_default_region(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.user_name.setText("  王五 ")
    chosen = str(tmp_path / "县局台账.sqlite3")
    calls: list[Any] = []

    def save_name(*args: Any, **kwargs: Any) -> tuple[str, str]:
        calls.append(args)
        return chosen, "SQLite 数据库 (*.sqlite3 *.db)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save_name)
    dialog.browse()
    assert calls[0][3] == "SQLite 数据库 (*.sqlite3 *.db)"
    assert dialog.database.text() == chosen
    dialog.region.setCurrentIndex(dialog.region.findData("辉县市"))
    dialog.accept()
    assert dialog.database_changed

    loaded = Settings.load()
    assert (loaded.user_name, loaded.database, loaded.default_region) == ("王五", chosen, "辉县市")
    assert ctx.user == "王五"


def test_cancelled_browse_and_postgres_url(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.database.setText("postgresql://clerk@10.0.0.5/landbank")
    dialog.browse()  # cancelled: the typed URL stays
    dialog.user_name.clear()
    dialog.accept()
    loaded = Settings.load()
    assert loaded.database == "postgresql://clerk@10.0.0.5/landbank"
    assert loaded.user_name == ""
    assert loaded.effective_user == os_login()


def test_clearing_the_default_region(qtbot: QtBot, ctx: AppContext) -> None:
    ctx.settings.default_region = "红旗区"
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.region.currentText() == "红旗区"
    dialog.region.setCurrentIndex(0)
    dialog.accept()
    assert Settings.load().default_region == ""


def test_cancel_saves_nothing(qtbot: QtBot, ctx: AppContext) -> None:
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.user_name.setText("不保存")
    assert not dialog.database_changed
    dialog.reject()
    assert Settings.load().user_name == "测试员"


def test_shows_the_database_in_use_and_keeps_the_bureau(
    qtbot: QtBot, ctx: AppContext, engine: Engine
) -> None:
    """The database the window runs on (--db), not only the one settings start next time;
    the ledger's city and bureau and the clerk's compiler and phone (issue 11)."""
    from sqlmodel import Session

    from landbank.services.identity import ledger_identity

    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    path = engine.url.database
    assert path is not None
    assert Path(path).name in dialog.in_use.text()
    form = dialog.identity
    form.city.setText("新乡市")
    form.bureau.setText("新乡市商务局")
    form.compiler.setText("李娜")
    form.phone.setText("0373-1234567")
    dialog.accept()
    assert (Settings.load().compiler, Settings.load().phone) == ("李娜", "0373-1234567")
    with Session(engine) as s:
        known = ledger_identity(s, Settings.load())
    assert (known.city, known.bureau, known.compiler) == ("新乡市", "新乡市商务局", "李娜")


def test_a_new_ledger_asks_for_its_bureau_once(
    qtbot: QtBot, ctx: AppContext, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog
    from sqlmodel import Session

    from landbank.services.identity import identity_asked
    from landbank.ui import identity_form

    shown: list[str] = []

    def later(self: QDialog) -> int:  # the clerk answers “以后再说”
        shown.append(self.windowTitle())
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(identity_form.IdentityDialog, "exec", later)
    identity_form.ask_identity_once(ctx)
    identity_form.ask_identity_once(ctx)
    assert shown == ["本局信息"]  # once
    with Session(engine) as s:
        assert identity_asked(s)
