"""Settings: the name written into the change history, where the ledger lives, the default
region of new records. Saved to the shared settings file (landbank.settings) on OK."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.services.server.credentials import password_in_address
from landbank.settings import default_database_path, os_login
from landbank.store.engine import describe_url, sqlite_path
from landbank.store.queries import load_names
from landbank.ui.context import AppContext
from landbank.ui.identity_form import IdentityForm
from landbank.ui.records.references import pinyin_key


class SettingsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.database_changed = False
        settings = ctx.settings
        self.setWindowTitle(self.tr("设置"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        layout.addLayout(form)

        self.user_name = QLineEdit(settings.user_name, self)
        self.user_name.setMaxLength(100)
        self.user_name.setPlaceholderText(os_login())
        form.addRow(self.tr("用户名"), self.user_name)
        if ctx.rights.on_server:  # a city server records its login, not this name (issue 14)
            note = self.tr(
                "连接市级服务器时，修改记录中记入的是您的数据库账号“{0}”（姓名由市级管理员设定），"
                "不是这里的用户名；这里的用户名只用于单机台账。"
            ).format(ctx.user)
        else:
            note = self.tr("记入每条修改记录；不填则使用登录名“{0}”。").format(os_login())
        form.addRow("", self._note(note))

        self.database = QLineEdit(settings.database, self)
        self.database.setPlaceholderText(str(default_database_path()))
        self.database.setMinimumWidth(380)
        browse = QPushButton(self.tr("浏览…"), self)
        browse.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.database, 1)
        row.addWidget(browse)
        form.addRow(self.tr("数据库位置"), row)
        form.addRow(
            "",
            self._note(
                self.tr(
                    "SQLite 数据库文件，或多人共用的 postgresql://用户@服务器/库名。"
                    "不填则使用默认位置。更改在下次启动时生效。"
                )
            ),
        )
        url = ctx.engine.url.render_as_string(hide_password=False)
        path = sqlite_path(url)
        in_use = str(path) if path is not None else describe_url(url)
        self.in_use = QLabel(in_use, self)
        self.in_use.setWordWrap(True)
        self.in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("正在使用"), self.in_use)

        self.region = QComboBox(self)
        self.region.addItem(self.tr("（不指定）"), "")
        for name in self._region_names():
            self.region.addItem(name, name)
        if settings.default_region and self.region.findData(settings.default_region) < 0:
            self.region.addItem(settings.default_region, settings.default_region)
        self.region.setCurrentIndex(max(self.region.findData(settings.default_region), 0))
        form.addRow(self.tr("默认县区"), self.region)
        form.addRow("", self._note(self.tr("新建地块、厂房、项目和指标时预先选中的县区。")))

        box = QGroupBox(self.tr("本局信息（报表标题和落款）"), self)
        self.identity = IdentityForm(ctx, box)
        QVBoxLayout(box).addWidget(self.identity)
        layout.addWidget(box)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c00000;")
        self.error.hide()
        layout.addWidget(self.error)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _note(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setStyleSheet("color: #666;")
        return label

    def _region_names(self) -> list[str]:
        try:
            with self._ctx.session() as session:
                names = load_names(session).regions.values()
        except SQLAlchemyError:  # the database is what the clerk may be here to fix
            return []
        return sorted(names, key=pinyin_key)

    def browse(self) -> None:
        current = self.database.text().strip()
        start = current if current and "://" not in current else str(default_database_path())
        path, _filter = QFileDialog.getSaveFileName(
            self,
            self.tr("数据库位置"),
            start,
            self.tr("SQLite 数据库 (*.sqlite3 *.db)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if path:
            self.database.setText(path)

    def accept(self) -> None:
        settings = self._ctx.settings
        if password_in_address(self.database.text().strip()):
            self.error.setText(
                self.tr(
                    "数据库地址中不要写密码（设置文件是明文的）：请去掉“:密码”，"
                    "启动时 landbank 会询问密码，也可写入本人的 pgpass 密码文件。"
                )
            )
            self.error.show()
            return
        # The open database stays until the next start; the caller may tell the clerk so.
        self.database_changed = self.database.text().strip() != settings.database
        settings.user_name = self.user_name.text().strip()
        settings.database = self.database.text().strip()
        settings.default_region = str(self.region.currentData() or "")
        settings.save()
        reason = self.identity.save()
        if reason:
            self.error.setText(reason)
            self.error.show()
            return
        super().accept()
