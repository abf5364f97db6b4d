"""A city server's password asked at start when the address, PGPASSWORD and pgpass give none
(issue 14 item 2); kept in memory only, never in the settings."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, create_engine
from sqlalchemy.engine import make_url

from landbank.cli.common import CliError, open_with_password
from landbank.services.server.credentials import asks_for_password, can_remember, with_login
from landbank.store.engine import DatabaseError
from landbank.ui.context import AppContext
from landbank.ui.password_dialog import PasswordDialog, open_asking_password

URL = "postgresql+psycopg://lisi@10.0.0.5/xinxiang"
ASKED = "无法连接 PostgreSQL 数据库 10.0.0.5:5432/xinxiang：……（fe_sendauth: no password supplied）"
WRONG = '……（FATAL:  password authentication failed for user "lisi"）'


class Server:
    """An opener standing in for open_database against a server wanting 'Mima-1'."""

    def __init__(self) -> None:
        self.tried: list[str] = []

    def __call__(self, url: str) -> Engine:
        self.tried.append(url)
        password = make_url(url).password
        if password is None:
            raise DatabaseError(ASKED)
        if password != "Mima-1":
            raise DatabaseError(WRONG)
        return create_engine("sqlite://")


def test_the_servers_question_is_recognised() -> None:
    assert asks_for_password(URL, DatabaseError(ASKED))
    assert asks_for_password(URL, DatabaseError(WRONG))
    assert not asks_for_password(URL, DatabaseError("无法连接：Connection refused"))
    assert not asks_for_password("sqlite:///x.sqlite3", DatabaseError(ASKED))
    assert make_url(with_login(URL, "lisi", "p@ss/word")).password == "p@ss/word"


def test_the_clerk_is_asked_until_the_password_is_right(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(["wrong", "Mima-1"])
    problems: list[str] = []

    def answer(self: PasswordDialog) -> int:
        qtbot.addWidget(self)
        problems.append(self.problem.text())
        assert self.login.text() == "lisi"
        self.password.setText(next(answers))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(PasswordDialog, "exec", answer)
    server = Server()
    engine = open_asking_password(URL, opener=server)
    engine.dispose()
    assert [make_url(u).password for u in server.tried] == [None, "wrong", "Mima-1"]
    assert problems == ["", "登录名或密码不正确，请重新输入。"]


def test_cancelling_says_nothing_was_opened(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    def cancel(self: PasswordDialog) -> int:
        qtbot.addWidget(self)
        # No usable credential store here (keyring absent or without a backend): no box.
        assert self.remember.isHidden() is not can_remember()
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(PasswordDialog, "exec", cancel)
    with pytest.raises(DatabaseError, match="未输入密码"):
        open_asking_password(URL, opener=Server())


def test_the_command_line_asks_on_a_terminal_and_refuses_in_a_script(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    with pytest.raises(CliError, match="PGPASSWORD"):
        open_with_password(URL, Server())

    class Terminal:
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Terminal())
    monkeypatch.setattr("sys.stderr", Terminal())
    typed: list[Any] = ["Mima-1"]
    monkeypatch.setattr("getpass.getpass", lambda prompt: typed.pop())
    server = Server()
    open_with_password(URL, server).dispose()
    assert make_url(server.tried[-1]).password == "Mima-1"


def test_the_settings_refuse_a_password_in_the_address(qtbot: QtBot, ctx: AppContext) -> None:
    from landbank.ui.settings_dialog import SettingsDialog

    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.database.setText("postgresql://lisi:Mima-1@10.0.0.5/xinxiang")
    dialog.accept()
    assert "不要写密码" in dialog.error.text()
    assert ctx.settings.database == ""  # nothing kept
    dialog.database.setText("postgresql://lisi@10.0.0.5/xinxiang")
    dialog.accept()
    assert ctx.settings.database == "postgresql://lisi@10.0.0.5/xinxiang"
