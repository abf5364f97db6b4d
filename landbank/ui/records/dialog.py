"""The dialog that creates or edits one record of any kind, generated from the field catalogue.

It validates as the clerk types (debounced): the values go to
:func:`landbank.services.records.checks.check_record`, and each reason is shown in red under its field;
Save is enabled only when nothing is left. Saving goes through ``create_record`` /
``update_record`` with the version loaded when the dialog opened, so a record another clerk
changed meanwhile is never overwritten: the clerk is told who changed what and may reload.

The form itself is built by :mod:`landbank.ui.records.dialog_form`, a new record's first values
come from :mod:`landbank.ui.records.dialog_defaults`, and the store is read and written through
:mod:`landbank.ui.records.dialog_saving`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FIELDS, FieldSpec
from landbank.domain.validation import FieldError
from landbank.services.errors import describe_error
from landbank.services.records.checks import check_record
from landbank.services.records.labels import record_label
from landbank.services.records.saving import (
    ConflictError,
    RecordError,
    ValidationFailed,
    get_record,
    record_values,
)
from landbank.ui.attachments.section import add_attachments
from landbank.ui.context import AppContext
from landbank.ui.records import dialog_form
from landbank.ui.records.choice_editors import ChoiceEditor
from landbank.ui.records.completeness_panel import completeness_panel
from landbank.ui.records.dialog_defaults import fill_quota_targets, new_record_values
from landbank.ui.records.dialog_form import build_page, form_groups, link_parks_to_regions
from landbank.ui.records.dialog_saving import changed_values, keep_mine, load_stored, store_record
from landbank.ui.records.editor_base import FieldEditor
from landbank.ui.records.land_life_panel import add_land_life
from landbank.ui.records.references import References

VALIDATE_DELAY_MS = 200


class RecordDialog(QDialog):
    def __init__(
        self,
        ctx: AppContext,
        kind: RecordKind,
        record_id: int | None = None,
        parent: QWidget | None = None,
        *,
        defaults: Mapping[str, Any] | None = None,
    ) -> None:
        """Raises :class:`landbank.services.records.saving.RecordNotFound` when ``record_id`` is gone."""
        super().__init__(parent)
        self.saved_id: int | None = None
        self._ctx, self._kind, self._record_id = ctx, kind, record_id
        self._old: dict[str, Any] | None = None
        self._version: int | None = None
        with ctx.session() as session:
            self._refs = References.load(session)
            if record_id is not None:
                record = get_record(session, kind, record_id)
                self._old, self._version = record_values(kind, record), record.version
        self._specs = [s for s in FIELDS[kind] if record_id is not None or not s.read_only]
        self.editors: dict[str, FieldEditor] = {}
        self.errors: dict[str, QLabel] = {}
        self._touched: set[str] = set()
        self._show_all = record_id is not None
        self._loading = False
        self.problems: dict[str, str] = {}
        self.refusal: str | None = None  # why this login may not save this record at all

        self._build()
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate)
        if self._old is not None:
            self._load(self._old)
        else:
            self._load(self._defaults(defaults or {}))
        self._initial = self._state()
        self.validate()

    # ------------------------------------------------------------------ building

    def _title(self) -> str:
        kind = QCoreApplication.translate("kinds", self._kind.label)
        if self._old is None:
            return self.tr("新建{0}").format(kind)
        label = record_label(self._kind, self._old, dict(self._refs.regions))
        if self._ctx.rights.can_write(self._kind, self._old, dict(self._refs.regions)):
            return self.tr("查看{0} {1}（只读）").format(kind, label).strip()
        return self.tr("编辑{0} {1}").format(kind, label).strip()

    def _build(self) -> None:
        self.setWindowTitle(self._title())
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        self.notice = dialog_form.notice_label(self)
        layout.addWidget(self.notice)
        self.completeness = completeness_panel(self._ctx, self._kind, self._record_id, self)
        if self.completeness is not None:  # a site: 资料完整度 and 红线面积不符
            layout.addWidget(self.completeness)

        groups = form_groups(self._kind, self._specs)
        self.tabs: QTabWidget | None = None
        self._tab_of: dict[str, int] = {}
        if len(groups) == 1:
            layout.addWidget(self._page(groups[0][1], columns=1))
        else:
            self.tabs = QTabWidget(self)
            for i, (title, specs) in enumerate(groups):
                scroll = QScrollArea(self.tabs)
                scroll.setWidgetResizable(True)
                scroll.setFrameShape(QScrollArea.Shape.NoFrame)
                scroll.setWidget(self._page(specs, columns=2))
                self.tabs.addTab(scroll, title)
                self._tab_of.update({spec.key: i for spec in specs})
            layout.addWidget(self.tabs, 1)
        self.land_life = add_land_life(self._ctx, self._kind, self._record_id, self.tabs)
        self.attachments = add_attachments(  # 附件: photos and documents of a saved record
            self, self._ctx, self._kind, self._record_id, self.tabs, layout
        )

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton(self.tr("保存"), self)
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("保存 (Ctrl+S)"))
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.AcceptRole)
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(self.tr("取消"))
        self.save_button.clicked.connect(self._save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        QShortcut(QKeySequence(QKeySequence.StandardKey.Save), self, self._save)

        link_parks_to_regions(self.editors)
        if self._kind is RecordKind.QUOTA and self._old is None and "region_id" in self.editors:
            self.editors["region_id"].changed.connect(self._quota_defaults)
        self.resize(920 if self.tabs else 520, 640 if self.tabs else 0)

    def _page(self, specs: list[FieldSpec], columns: int) -> QWidget:
        page, editors, errors = build_page(specs, columns, self._refs, self, self._on_changed)
        self.editors.update(editors)
        self.errors.update(errors)
        return page

    # ------------------------------------------------------------------ values

    def _defaults(self, given: Mapping[str, Any]) -> dict[str, Any]:
        # A county clerk on a city server starts in its own county.
        default_region = self._ctx.rights.region_name or self._ctx.settings.default_region
        return new_record_values(self._kind, self._refs, default_region, self.editors, given)

    def _load(self, values: Mapping[str, Any]) -> None:
        self._loading = True
        try:
            for key, editor in self.editors.items():
                if isinstance(editor, ChoiceEditor) and self._old is not None:
                    editor.set_origin(self._old.get(key))
                editor.set_value(values.get(key))
        finally:
            self._loading = False

    def _state(self) -> dict[str, object]:
        return {key: editor.state() for key, editor in self.editors.items()}

    def is_dirty(self) -> bool:
        return self._state() != self._initial

    def collect(self) -> tuple[dict[str, Any], dict[str, str]]:
        """(values of the editable fields, parse errors by field)."""
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for spec in self._specs:
            if spec.read_only:
                continue
            try:
                values[spec.key] = self.editors[spec.key].value()
            except FieldError as exc:
                values[spec.key], errors[spec.key] = None, str(exc)
        return values, errors

    def _quota_defaults(self) -> None:
        if not self._loading:
            fill_quota_targets(self.editors, self._refs)

    # ------------------------------------------------------------------ validation

    def _on_changed(self, key: str) -> None:
        if self._loading:
            return
        self._touched.add(key)
        self._show(key, self.editors[key].problem())
        self._timer.start()

    def validate(self, *, show_all: bool = False) -> dict[str, str]:
        """Check the form now; shows the reasons and returns them by field."""
        self._timer.stop()
        self._show_all = self._show_all or show_all
        values, parse_errors = self.collect()
        full = {**(self._old or {}), **values}
        if self.completeness is not None:
            self.completeness.show_values(full)
        try:
            with self._ctx.session() as session:
                checked = check_record(
                    session, self._kind, full, old=self._old, record_id=self._record_id
                ).by_field
        except SQLAlchemyError as exc:
            checked = {"": self.tr("无法检查：{0}").format(describe_error(exc))}
        self._set_problems({**checked, **parse_errors, **self._refused(full)})
        return self.problems

    def _refused(self, full: Mapping[str, Any]) -> dict[str, str]:
        """What the login may not save (issue 14): another county's record, or a record
        moved to another county, or anything for a viewer — shown like a problem, so 保存 is
        disabled with the reason (the server would refuse it anyway)."""
        rights, names = self._ctx.rights, dict(self._refs.regions)
        if self._old is not None:
            reason = rights.can_write(self._kind, self._old, names)
        else:
            reason = rights.can_create(self._kind)
        self.refusal = reason
        if reason:
            return {"": reason}
        reason = rights.can_write(self._kind, full, names)
        return {("region_id" if "region_id" in self.editors else ""): reason} if reason else {}

    def _set_problems(self, problems: dict[str, str]) -> None:
        self.problems = problems
        for key in self.editors:
            reason = problems.get(key)
            if reason == "必填" and not (self._show_all or key in self._touched):
                reason = None
            self._show(key, reason)
        self.save_button.setEnabled(not problems)
        self.save_button.setToolTip(problems.get("", self.tr("保存 (Ctrl+S)")))
        if self.tabs is not None:
            counts = [0] * self.tabs.count()
            for key in problems:
                if key in self._tab_of:
                    counts[self._tab_of[key]] += 1
            for i, n in enumerate(counts):
                title = self.tabs.tabText(i).split(" (")[0]
                self.tabs.setTabText(i, f"{title} ({n})" if n else title)
                self.tabs.tabBar().setTabTextColor(i, QColor("#c62828") if n else QColor())
        if (refusal := problems.get("")) and refusal == self.refusal:
            self.summary.setStyleSheet("color: #c62828;")
            self.summary.setText(refusal)  # what the login may not do, not a typing problem
            return
        if not problems:
            self.summary.setStyleSheet("color: #2e7d32;")
            self.summary.setText(self.tr("✓ 填写无误，可以保存。"))
            return
        named = self._names(problems)
        missing = [k for k, r in problems.items() if r == "必填"]
        text = self.tr("还有 {0} 处问题，改正后才能保存：{1}").format(len(problems), named)
        if missing and len(missing) == len(problems) and not self._show_all:
            text = self.tr("还有 {0} 项必填未填：{1}").format(len(problems), named)
        outside = [r for k, r in problems.items() if k not in self.editors]
        if outside:
            text += "\n" + "；".join(outside)
        self.summary.setStyleSheet("color: #c62828;")
        self.summary.setText(text)

    def _names(self, keys: Collection[str]) -> str:
        """Labels of ``keys`` in form order: "地块编号、收储面积"."""
        return "、".join(
            QCoreApplication.translate("fields", s.label) for s in self._specs if s.key in keys
        )

    def _show(self, key: str, reason: str | None) -> None:
        if (label := self.errors.get(key)) is not None:
            label.setText(reason or "")
            label.setVisible(bool(reason))

    def _focus_first_problem(self) -> None:
        for spec in self._specs:
            if spec.key in self.problems:
                if self.tabs is not None and spec.key in self._tab_of:
                    self.tabs.setCurrentIndex(self._tab_of[spec.key])
                self.editors[spec.key].focus()
                return

    # ------------------------------------------------------------------ saving

    def _save(self) -> bool:
        if self.validate(show_all=True):
            self._focus_first_problem()
            return False
        values, _ = self.collect()
        try:
            saved_id = store_record(
                self._ctx,
                self._kind,
                self._record_id,
                values,
                old=self._old,
                version=self._version,
            )
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except ValidationFailed as exc:
            self._set_problems(dict(exc.errors.by_field))
            self._focus_first_problem()
            return False
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("保存失败"), describe_error(exc))
            return False
        self.saved_id = saved_id
        self.accept()
        return True

    def _on_conflict(self, exc: ConflictError) -> None:
        if exc.deleted:  # the service names the record by id only: name it as the clerk does
            label = record_label(self._kind, self._old or {}, dict(self._refs.regions))
            QMessageBox.warning(
                self,
                self.tr("保存冲突"),
                self.tr("“{0}”已被其他用户删除，无法保存。").format(label),
            )
            return
        question = self.tr(
            "是否载入对方保存后的最新内容？您改过而对方没有改过的项目会保留，请核对后再保存。"
        )
        answer = QMessageBox.warning(
            self,
            self.tr("保存冲突"),
            f"{exc}\n\n{question}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.reload()

    def reload(self) -> None:
        """Load the record as stored now, keeping the clerk's own edits where the other clerk
        did not change the same field."""
        assert self._record_id is not None
        assert self._old is not None
        mine, _ = self.collect()
        my_changes = changed_values(mine, self._old)
        try:
            fresh, version = load_stored(self._ctx, self._kind, self._record_id)
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("无法载入"), describe_error(exc))
            return
        kept, lost = keep_mine(my_changes, self._old, fresh)
        self._old, self._version = fresh, version
        self._load(fresh)
        self._initial = self._state()
        for key, value in kept.items():
            self.editors[key].set_value(value)
        parts = [self.tr("已载入最新保存的内容。")]
        if kept:
            parts.append(self.tr("保留了您对 {0} 的修改。").format(self._names(kept)))
        if lost:
            parts.append(self.tr("{0} 已被对方修改，现显示对方的值。").format(self._names(lost)))
        self.notice.setText("".join(parts))
        self.notice.show()
        self.validate()

    def reject(self) -> None:
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                self.tr("放弃修改"),
                self.tr("放弃已输入的内容并关闭？"),
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        super().reject()
