"""数据 → 用户与权限: the city administrator's list of the accounts of a city server, with 添加,
设置密码 and 删除 through :mod:`landbank.services.server.users` (issue 14 item 2).

The list is read with the administrator's own login (it reads every row of landbank_user).
Creating, removing or changing another login's password needs the server's superuser (a
clerk's login never holds CREATEROLE: it could make itself the owner and bypass row-level
security), so those ask for the superuser's password once per dialog and keep it only in
memory. A clerk's own password is changed with their own login.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from landbank.services.errors import describe_error
from landbank.services.server.roles import Scope, role_names
from landbank.services.server.setup import ServerError, admin_connection
from landbank.services.server.users import (
    Account,
    add_user,
    check_login,
    check_password,
    list_users,
    remove_user,
    set_password,
)
from landbank.ui.context import AppContext

COLUMNS = ("登录名", "姓名", "范围", "县区")


class AccountForm(QDialog):
    """A new account: login, name, scope, county (a county clerk's), password twice."""

    def __init__(self, regions: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("添加账户"))
        self.login = QLineEdit(self)
        self.login.setPlaceholderText(self.tr("英文字母开头，如 zhangsan"))
        self.name = QLineEdit(self)
        self.name.setPlaceholderText(self.tr("如：张三"))
        self.scope = QComboBox(self)
        for scope in (Scope.COUNTY, Scope.CITY, Scope.VIEWER, Scope.ADMIN):
            self.scope.addItem(scope.label, scope)
        self.region = QComboBox(self)
        self.region.addItems(regions)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c62828;")
        self.error.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(self.tr("登录名"), self.login)
        form.addRow(self.tr("姓名"), self.name)
        form.addRow(self.tr("范围"), self.scope)
        form.addRow(self.tr("县区"), self.region)
        form.addRow(self.tr("密码"), self.password)
        form.addRow(self.tr("再输一次"), self.again)
        form.addRow("", self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.scope.currentIndexChanged.connect(self._scope_changed)
        self._scope_changed()

    def _scope_changed(self) -> None:
        self.region.setEnabled(self.scope.currentData() is Scope.COUNTY)

    def problem(self) -> str | None:
        try:
            check_login(self.login.text().strip())
            check_password(self.password.text())
        except ServerError as exc:
            return str(exc)
        if self.password.text() != self.again.text():
            return self.tr("两次输入的密码不一致")
        if self.scope.currentData() is Scope.COUNTY and not self.region.currentText():
            return self.tr("县区账户须选择所属县区（台账里还没有县区：先由市级账户建立）")
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem:
            self.error.setText(problem)
            return
        super().accept()

    def values(self) -> tuple[str, str, Scope, str | None, str]:
        scope = self.scope.currentData()
        region = self.region.currentText() if scope is Scope.COUNTY else None
        return self.login.text().strip(), self.name.text(), scope, region, self.password.text()


class PasswordForm(QDialog):
    """A login and a password (the superuser's, or a new password for an account)."""

    def __init__(
        self, title: str, intro: str, login: str, *, fixed: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.login = QLineEdit(login, self)
        self.login.setReadOnly(fixed)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout(self)
        note = QLabel(intro, self)
        note.setWordWrap(True)
        form.addRow(note)
        form.addRow(self.tr("登录名"), self.login)
        form.addRow(self.tr("密码"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class UsersDialog(QDialog):
    """The accounts of the city server (see the module doc)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.accounts: list[Account] = []
        self._superuser: URL | None = None
        url = ctx.engine.url
        self.setWindowTitle(self.tr("用户与权限 — {db}").format(db=url.database))
        self.resize(620, 420)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        note = QLabel(
            self.tr(
                "县区账户全市可查，只能修改本县区的记录；市级账户全市可改；只读账户只能查看；"
                "市级管理员另可管理账户。添加、删除账户和修改他人密码须输入数据库服务器"
                "超级用户（如 postgres）的密码，密码只在本次使用，不保存在本机。"
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.add_button = QPushButton(self.tr("添加…"), self)
        self.password_button = QPushButton(self.tr("设置密码…"), self)
        self.remove_button = QPushButton(self.tr("删除"), self)
        close = QPushButton(self.tr("关闭"), self)
        self.add_button.clicked.connect(self.add_account)
        self.password_button.clicked.connect(self.change_password)
        self.remove_button.clicked.connect(self.remove_account)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.password_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(self.status)
        layout.addLayout(buttons)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        refused = None if ctx.rights.manages_accounts else self.tr("只有市级管理员可以管理账户")
        for button in (self.add_button, self.remove_button):
            button.setEnabled(not refused)
            button.setToolTip(refused or "")
        self.reload()

    # ------------------------------------------------------------------ the list

    def reload(self) -> None:
        try:
            with self.ctx.engine.connect() as conn:
                self.accounts = list_users(conn.connection.driver_connection)
        except (ServerError, SQLAlchemyError) as exc:
            self.accounts = []
            self._say(_reason(exc), error=True)
        self.table.setRowCount(len(self.accounts))
        for row, account in enumerate(self.accounts):
            cells = (account.login, account.display_name, account.scope.label, account.region)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text or ""))
        self._selection_changed()

    def selected(self) -> Account | None:
        rows = self.table.selectionModel().selectedRows()
        return self.accounts[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        account = self.selected()
        manages = self.ctx.rights.manages_accounts
        mine = account is not None and account.login == self.ctx.rights.login
        self.password_button.setEnabled(account is not None and (manages or mine))
        self.remove_button.setEnabled(account is not None and manages and not mine)
        self.remove_button.setToolTip(self.tr("不能删除自己正在使用的账户") if mine else "")

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setStyleSheet("color: #c62828;" if error else "color: #2e7d32;")
        self.status.setText(text)

    # ------------------------------------------------------------------ asking

    def ask_account(self) -> tuple[str, str, Scope, str | None, str] | None:
        """The new account's login, name, scope, county and password (None: cancelled)."""
        form = AccountForm(self._region_names(), self)
        return form.values() if form.exec() == QDialog.DialogCode.Accepted else None

    def _region_names(self) -> list[str]:
        with self.ctx.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT name FROM region ORDER BY name").all()
            conn.rollback()
        return [str(r[0]) for r in rows]

    def ask_password(self, login: str, title: str, intro: str, *, fixed: bool) -> tuple[str, str]:
        """A login and a password from the clerk ('' when cancelled)."""
        form = PasswordForm(title, intro, login, fixed=fixed, parent=self)
        if form.exec() != QDialog.DialogCode.Accepted:
            return "", ""
        return form.login.text().strip(), form.password.text()

    def superuser_url(self) -> str | None:
        """The server's superuser address (asked once per dialog, kept in memory only)."""
        if self._superuser is None:
            login, password = self.ask_password(
                "postgres",
                self.tr("服务器超级用户"),
                self.tr("添加、删除账户和修改他人密码须由数据库服务器的超级用户执行："),
                fixed=False,
            )
            if not login:
                return None
            self._superuser = self.ctx.engine.url.set(username=login, password=password or None)
        return self._superuser.render_as_string(hide_password=False)

    def _as_superuser(self, done: str, task: Callable[[Any], object]) -> bool:
        url = self.superuser_url()
        if url is None:
            return False
        try:
            with admin_connection(url) as conn:
                task(conn)
        except ServerError as exc:
            if "超级用户" in str(exc) or "无法连接" in str(exc):
                self._superuser = None  # a wrong password is asked again next time
            self._say(str(exc), error=True)
            return False
        self._say(done)
        self.reload()
        return True

    # ------------------------------------------------------------------ commands

    def add_account(self) -> None:
        values = self.ask_account()
        if values is None:
            return
        login, name, scope, region, password = values
        names = role_names(str(self.ctx.engine.url.database))
        self._as_superuser(
            self.tr("已添加账户 {login}（{scope}）").format(login=login, scope=scope.label),
            lambda conn: add_user(
                conn, names, login, scope, password, region=region, display_name=name
            ),
        )

    def change_password(self) -> None:
        account = self.selected()
        if account is None:
            return
        _login, password = self.ask_password(
            account.login,
            self.tr("设置密码"),
            self.tr("{login} 的新密码：").format(login=account.login),
            fixed=True,
        )
        if not password:
            return
        done = self.tr("已为 {login} 设置新密码").format(login=account.login)
        if account.login == self.ctx.rights.login:  # one's own: with one's own login
            try:
                with self.ctx.engine.connect() as conn:
                    set_password(conn.connection.driver_connection, account.login, password)
            except (ServerError, SQLAlchemyError) as exc:
                self._say(_reason(exc), error=True)
                return
            self._say(done)
            return
        self._as_superuser(done, lambda conn: set_password(conn, account.login, password))

    def remove_account(self) -> None:
        account = self.selected()
        if account is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("删除账户"),
            self.tr(
                "确定删除账户 {login}（{name}，{scope}）吗？删除后此登录名不能再连接；"
                "审计记录中仍保留其姓名。"
            ).format(login=account.login, name=account.display_name, scope=account.scope.label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        names = role_names(str(self.ctx.engine.url.database))
        self._as_superuser(
            self.tr("已删除账户 {login}").format(login=account.login),
            lambda conn: remove_user(conn, names, account.login),
        )


def _reason(exc: Exception) -> str:
    return str(exc) if isinstance(exc, ServerError) else describe_error(exc)
