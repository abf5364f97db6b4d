"""本局信息: the city and bureau the ledger keeps, the compiler and phone the clerk's settings
keep — printed in report titles, 落款 and 制表单位/制表人/电话. A form for the settings dialog,
and a dialog a new ledger shows once (:func:`ask_identity_once`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.services.identity import (
    MAX_BUREAU,
    MAX_CITY,
    identity_asked,
    ledger_identity,
    save_ledger_identity,
)
from landbank.ui.context import AppContext


class IdentityForm(QWidget):
    """城市、单位名称、制表人、联系电话, filled from the ledger and the settings."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        try:
            with ctx.session() as session:
                known = ledger_identity(session, ctx.settings)
        except SQLAlchemyError:  # the database is what the clerk may be here to fix
            known = None
        self.city = QLineEdit(known.city if known else "", self)
        self.city.setMaxLength(MAX_CITY)
        self.city.setPlaceholderText(self.tr("如：新乡市"))
        self.bureau = QLineEdit(known.bureau if known else "", self)
        self.bureau.setMaxLength(MAX_BUREAU)
        self.bureau.setPlaceholderText(self.tr("如：新乡市商务局"))
        self.compiler = QLineEdit(ctx.settings.compiler, self)
        self.compiler.setMaxLength(50)
        self.compiler.setPlaceholderText(ctx.settings.effective_user)
        self.phone = QLineEdit(ctx.settings.phone, self)
        self.phone.setMaxLength(50)
        self.phone.setPlaceholderText(self.tr("如：0373-1234567"))
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("城市"), self.city)
        form.addRow(self.tr("单位名称"), self.bureau)
        form.addRow(self.tr("制表人"), self.compiler)
        form.addRow(self.tr("联系电话"), self.phone)
        note = QLabel(
            self.tr("城市和单位名称随台账保存（共用台账的各位同事相同）；制表人和电话是本机的设置。"),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        form.addRow("", note)
        # On a city server the city and bureau are the city's (issue 14): shown, and set by
        # a city account only.
        self.refused = ctx.rights.can_write_city()
        if self.refused:
            for box in (self.city, self.bureau):
                box.setReadOnly(True)
                box.setToolTip(self.refused)
            note.setText(self.refused)

    def save(self) -> str | None:
        """Keep what the form says; the reason in Chinese when it cannot."""
        settings = self.ctx.settings
        settings.compiler = self.compiler.text().strip()
        settings.phone = self.phone.text().strip()
        settings.save()
        if self.refused:
            return None  # the compiler and phone are this PC's; city and bureau not ours
        try:
            with self.ctx.write_session() as session:
                save_ledger_identity(
                    session,
                    city=self.city.text(),
                    bureau=self.bureau.text(),
                    user=self.ctx.user,
                )
        except (ValueError, SQLAlchemyError) as exc:
            return self.tr("无法保存本局信息：{reason}").format(reason=exc)
        return None


class IdentityDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("本局信息"))
        self.form = IdentityForm(ctx, self)
        intro = QLabel(
            self.tr("报表标题、落款和推介单会用到以下信息。以后可在 文件 → 设置 中修改。"), self
        )
        intro.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setStyleSheet("color: #c00000;")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确定"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("以后再说"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def accept(self) -> None:
        reason = self.form.save()
        if reason:
            self.error.setText(reason)
            self.error.show()
            return
        super().accept()


def ask_identity_once(ctx: AppContext, parent: QWidget | None = None) -> None:
    """A ledger never given its city and bureau asks for them, once: “以后再说” keeps what the
    ledger knows (its counties' city) and does not ask again."""
    if ctx.rights.can_write_city():  # a county clerk or a viewer: the city's to set
        return
    try:
        with ctx.session() as session:
            if identity_asked(session):
                return
    except SQLAlchemyError:
        return
    dialog = IdentityDialog(ctx, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        try:
            with ctx.write_session() as session:
                known = ledger_identity(session, ctx.settings)
                save_ledger_identity(
                    session, city=known.city, bureau=known.bureau, user=ctx.user
                )
        except (ValueError, SQLAlchemyError):
            pass  # asked again next time
