"""Asking a clerk for the city server's password at start (issue 14 item 2): when the
PostgreSQL address has none, libpq found none (PGPASSWORD, pgpass) and the server asks. The
password stays in memory for this session; 记住密码 keeps it in the operating system's
credential store, offered only when one is usable
(:mod:`landbank.services.server.credentials`)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from landbank.services.server.credentials import (
    asks_for_password,
    can_remember,
    forget,
    login_of,
    remember,
    remembered,
    with_login,
)
from landbank.store.engine import DatabaseError, describe_url
from landbank.store.migrate import open_database

MAX_TRIES = 3


class PasswordDialog(QDialog):
    """登录名 and 密码 for a city server (and 记住密码 where the PC can keep it safely)."""

    def __init__(
        self, url: str, login: str, problem: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        parsed = make_url(url)
        self.setWindowTitle(self.tr("登录市级服务器"))
        self.setMinimumWidth(380)
        where = f"{parsed.host or 'localhost'}/{parsed.database}"
        intro = QLabel(self.tr("连接台账数据库 {where} 需要密码。").format(where=where), self)
        intro.setWordWrap(True)
        self.login = QLineEdit(login, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.remember = QCheckBox(self.tr("记住密码（保存在本机系统的凭据管理器中）"), self)
        self.remember.setVisible(can_remember())
        self.problem = QLabel(problem or "", self)
        self.problem.setStyleSheet("color: #c62828;")
        self.problem.setWordWrap(True)
        self.problem.setVisible(bool(problem))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登录"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(intro)
        form.addRow(self.tr("登录名"), self.login)
        form.addRow(self.tr("密码"), self.password)
        form.addRow("", self.remember)
        form.addRow(self.problem)
        form.addRow(buttons)
        (self.password if login else self.login).setFocus()


def open_asking_password(
    url: str,
    parent: QWidget | None = None,
    opener: Callable[[str], Engine] = open_database,
) -> Engine:
    """Open ``url``; when the server wants a password the address and libpq do not give,
    try the one remembered in the OS credential store, then ask (at most three times).
    Raises :class:`DatabaseError` as ``opener`` does, or when the clerk cancels."""
    try:
        return opener(url)
    except DatabaseError as exc:
        if not asks_for_password(url, exc) or make_url(url).password:
            raise
        refused = exc
    login = login_of(url)
    stored = remembered(url, login)
    if stored:
        try:
            return opener(with_login(url, login, stored))
        except DatabaseError as exc:
            if not asks_for_password(url, exc):
                raise
            forget(url, login)  # changed on the server since
    problem = None
    for _attempt in range(MAX_TRIES):
        dialog = PasswordDialog(url, login, problem, parent)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            raise DatabaseError(f"未输入密码，没有连接 {describe_url(url)}。（{refused}）")
        login, password = dialog.login.text().strip(), dialog.password.text()
        try:
            engine = opener(with_login(url, login, password))
        except DatabaseError as exc:
            if not asks_for_password(url, exc):
                raise
            problem = dialog.tr("登录名或密码不正确，请重新输入。")
            continue
        if not dialog.remember.isHidden() and dialog.remember.isChecked():
            remember(url, login, password)
        return engine
    raise DatabaseError(
        f"连续 {MAX_TRIES} 次登录名或密码不正确，没有连接 {describe_url(url)}："
        "请向市级管理员核对账号和密码。"
    )
