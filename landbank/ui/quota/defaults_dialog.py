"""默认指标: the city's own default targets for counties and districts (used for any year a
region has no 年度指标 of its own), or the policy's (县 2,000 亩 / 120,000 m², 区 1,200 亩 /
60,000 m²) when the city set none."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RegionKind
from landbank.domain.quota.targets import DEFAULT_TARGETS
from landbank.services.errors import describe_error
from landbank.services.quota.defaults import (
    QuotaInputError,
    quota_defaults,
    reset_quota_default,
    set_quota_default,
)
from landbank.ui.context import AppContext

_KINDS = (RegionKind.COUNTY, RegionKind.DISTRICT)


def _tr(text: str) -> str:
    return QCoreApplication.translate("QuotaDefaultsDialog", text)


def _spin(parent: QWidget, suffix: str, maximum: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox(parent)
    box.setRange(0, maximum)
    box.setDecimals(0)
    box.setGroupSeparatorShown(True)
    box.setSuffix(suffix)
    box.setMinimumWidth(160)
    return box


class QuotaDefaultsDialog(QDialog):
    """Edit the city's default targets; OK saves them (who and when is kept)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(_tr("默认年度指标"))
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                _tr(
                    "某县区某年度没有单独设定年度指标时，按以下默认指标计算进度。"
                    "政策默认：县（市）2,000 亩、120,000 m²；区 1,200 亩、60,000 m²。"
                ),
                self,
                wordWrap=True,
            )
        )
        grid = QGridLayout()
        layout.addLayout(grid)
        grid.addWidget(QLabel(_tr("收储工业用地"), self), 0, 1)
        grid.addWidget(QLabel(_tr("标准厂房"), self), 0, 2)
        self.land: dict[RegionKind, QDoubleSpinBox] = {}
        self.floor: dict[RegionKind, QDoubleSpinBox] = {}
        self.source: dict[RegionKind, QLabel] = {}
        for row, kind in enumerate(_KINDS, 1):
            grid.addWidget(QLabel(kind.label, self), row, 0)
            self.land[kind] = _spin(self, _tr(" 亩"), 1e7)
            self.floor[kind] = _spin(self, _tr(" m²"), 1e9)
            self.source[kind] = QLabel(self)
            grid.addWidget(self.land[kind], row, 1)
            grid.addWidget(self.floor[kind], row, 2)
            grid.addWidget(self.source[kind], row, 3)
        self.policy_button = QPushButton(_tr("恢复政策默认"), self)
        self.policy_button.clicked.connect(self.use_policy)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.addButton(self.policy_button, QDialogButtonBox.ButtonRole.ResetRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        # The city's defaults are the city's (issue 14): shown, not changed, by others.
        refused = ctx.rights.can_write_city()
        if refused:
            note = QLabel(refused, self, wordWrap=True)
            note.setStyleSheet("color: #c62828;")
            layout.insertWidget(layout.count() - 1, note)
            ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
            for widget in (*self.land.values(), *self.floor.values(), self.policy_button, ok):
                widget.setEnabled(False)
                widget.setToolTip(refused)
        self._load()

    def _load(self) -> None:
        with self.ctx.session() as session:
            infos = {info.kind: info for info in quota_defaults(session)}
        for kind in _KINDS:
            info = infos[kind]
            self.land[kind].setValue(info.land_target_mu)
            self.floor[kind].setValue(info.factory_target_m2)
            if info.city:
                when = info.updated_at.astimezone().strftime("%Y-%m-%d") if info.updated_at else ""
                text = _tr("本市设定（{who} {when}）").format(who=info.updated_by or "", when=when)
            else:
                text = _tr("政策默认")
            self.source[kind].setText(text)

    def use_policy(self) -> None:
        """Put the policy's figures in the boxes (saved with OK)."""
        for kind in _KINDS:
            self.land[kind].setValue(DEFAULT_TARGETS[kind].land_mu)
            self.floor[kind].setValue(DEFAULT_TARGETS[kind].factory_m2)

    def accept(self) -> None:
        try:
            with self.ctx.write_session() as session:
                for kind in _KINDS:
                    land, floor = self.land[kind].value(), self.floor[kind].value()
                    policy = DEFAULT_TARGETS[kind]
                    if (land, floor) == (policy.land_mu, policy.factory_m2):
                        reset_quota_default(
                            session, kind, user=self.ctx.user
                        )  # no city value needed
                    else:
                        set_quota_default(
                            session,
                            kind,
                            land_target_mu=land,
                            factory_target_m2=floor,
                            user=self.ctx.user,
                        )
        except QuotaInputError as exc:
            QMessageBox.warning(self, _tr("无法保存默认指标"), str(exc))
            return
        except SQLAlchemyError as exc:
            QMessageBox.warning(self, _tr("无法保存默认指标"), describe_error(exc))
            return
        super().accept()
