"""The dialog that creates or edits one record of any kind, generated from the field catalogue.

It validates as the clerk types (debounced): the values go to
:func:`landbank.services.records.saving.check_record`, and each reason is shown in red under its field;
Save is enabled only when nothing is left. Saving goes through ``create_record`` /
``update_record`` with the version loaded when the dialog opened, so a record another clerk
changed meanwhile is never overwritten: the clerk is told who changed what and may reload.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, QTimer
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import SQLAlchemyError

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RecordKind,
    RegionKind,
)
from landbank.domain.fields import FIELDS, FieldSpec, FieldType
from landbank.domain.quota.targets import default_targets
from landbank.domain.validation import FieldError
from landbank.services.errors import describe_error
from landbank.services.records.saving import (
    ConflictError,
    RecordError,
    ValidationFailed,
    check_record,
    create_record,
    get_record,
    record_label,
    record_values,
    update_record,
)
from landbank.ui.context import AppContext
from landbank.ui.records.choice_editors import ChoiceEditor, ParkEditor
from landbank.ui.records.editor_base import FieldEditor
from landbank.ui.records.field_editors import make_editor
from landbank.ui.records.references import References

_CTX = "RecordDialog"
VALIDATE_DELAY_MS = 200

# Tabs of the larger forms: (title, field keys in reading order, two per row). A field of the
# catalogue missing here lands on the last tab, so a new field is never lost.
_GROUPS: dict[RecordKind, list[tuple[object, str]]] = {
    RecordKind.PARCEL: [
        (QT_TRANSLATE_NOOP(_CTX, "基本信息"), "code name region_id park_id township location "
         "area_mu net_area_mu readiness status planned_use target_industry boundaries holder "
         "reserved_project_id reserved_until"),
        (QT_TRANSLATE_NOOP(_CTX, "收储与规划指标"), "reserve_doc_no reserve_date "
         "acquisition_method count_year land_source supervision_no far_min far_max "
         "building_density_pct green_ratio_pct height_limit_m price_wan "
         "min_investment_intensity_wan_per_mu min_tax_per_mu_wan"),
        (QT_TRANSLATE_NOOP(_CTX, "合同日期"), "agreed_handover_date actual_handover_date "
         "agreed_start_date actual_start_date agreed_completion_date actual_completion_date"),
        (QT_TRANSLATE_NOOP(_CTX, "联系与备注"), "contact_person contact_phone notes"),
    ],
    RecordKind.FACTORY: [
        (QT_TRANSLATE_NOOP(_CTX, "基本信息"), "code name region_id park_id owner build_mode "
         "status completion_date floor_area_m2 floors idle_area_m2 idle_since target_industry "
         "idle_reason reserved_project_id reserved_until"),
        (QT_TRANSLATE_NOOP(_CTX, "建筑参数"), "ceiling_height_m floor_load_kn_m2 column_spacing "
         "crane_t power_kva dual_power loading_dock fire_rating environment"),
        (QT_TRANSLATE_NOOP(_CTX, "租售、联系与备注"), "rent_yuan_m2_month price_wan "
         "contact_person contact_phone notes"),
    ],
    RecordKind.PROJECT: [
        (QT_TRANSLATE_NOOP(_CTX, "基本信息"), "name investor credit_code source region_id "
         "park_id industry industry_class total_investment_wan stage responsible_unit "
         "responsible_leader"),
        (QT_TRANSLATE_NOOP(_CTX, "进度与资金"), "signed_date contract_investment_wan "
         "funds_in_place_wan funds_in_place_year_wan agreed_start_date actual_start_date "
         "agreed_completion_date actual_completion_date"),
        (QT_TRANSLATE_NOOP(_CTX, "需求与效益"), "req_land_mu req_land_max_mu req_factory_m2 "
         "req_ceiling_height_m req_floor_load_kn_m2 req_power_kva energy_tce "
         "preferred_region_id preferred_park_id needed_by rent_or_buy expected_output_wan "
         "expected_tax_wan expected_jobs"),
        (QT_TRANSLATE_NOOP(_CTX, "问题与备注"), "problems notes"),
    ],
}  # fmt: skip

# Park field → the region field that narrows its list.
_PARK_REGION = {"park_id": "region_id", "preferred_park_id": "preferred_region_id"}


def _quota_targets(region_kind: str | None) -> tuple[float, float] | None:
    """The default yearly targets of a region kind (landbank.domain.quota.targets); ``None`` when the
    kind has none (the city itself)."""
    if region_kind not in {k.value for k in RegionKind}:
        return None
    targets = default_targets(region_kind)
    return (targets.land_mu, targets.factory_m2) if targets.land_mu else None


_ALL_DEFAULT_TARGETS = frozenset(
    t for kind in RegionKind for t in (_quota_targets(kind.value) or ())
)


def _same(a: Any, b: Any) -> bool:
    return (None if a == "" else a) == (None if b == "" else b)


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
        return self.tr("编辑{0} {1}").format(kind, label).strip()

    def _build(self) -> None:
        self.setWindowTitle(self._title())
        self.setSizeGripEnabled(True)
        layout = QVBoxLayout(self)
        self.notice = QLabel(self)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(
            "background: #fff8e1; border: 1px solid #e0c060; padding: 6px; border-radius: 3px;"
        )
        self.notice.hide()
        layout.addWidget(self.notice)

        groups = self._groups()
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
                self.tabs.addTab(scroll, QCoreApplication.translate(_CTX, title))
                self._tab_of.update({spec.key: i for spec in specs})
            layout.addWidget(self.tabs, 1)

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

        for park_key, region_key in _PARK_REGION.items():
            park, region = self.editors.get(park_key), self.editors.get(region_key)
            if isinstance(park, ParkEditor) and region is not None:
                region.changed.connect(lambda p=park, r=region: p.filter_region(r.value()))
        if self._kind is RecordKind.QUOTA and self._old is None and "region_id" in self.editors:
            self.editors["region_id"].changed.connect(self._quota_defaults)
        self.resize(920 if self.tabs else 520, 640 if self.tabs else 0)

    def _groups(self) -> list[tuple[str, list[FieldSpec]]]:
        by_key = {spec.key: spec for spec in self._specs}
        groups = [
            (str(title), [by_key.pop(k) for k in keys.split() if k in by_key])
            for title, keys in _GROUPS.get(self._kind, [("", "")])
        ]
        groups[-1][1].extend(by_key.values())
        return [(title, specs) for title, specs in groups if specs]

    def _page(self, specs: list[FieldSpec], columns: int) -> QWidget:
        page = QWidget(self)
        grid = QGridLayout(page)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(8)
        row = col = 0
        stretch_rows: list[int] = []
        for spec in specs:
            wide = spec.type is FieldType.LONG_TEXT or spec.max_length >= 500
            if wide and col:
                row, col = row + 1, 0
            label = QLabel(self._label_text(spec), page)
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 5, 0, 0)
            cell = QWidget(page)
            box = QVBoxLayout(cell)
            box.setContentsMargins(0, 0, 0, 0)
            box.setSpacing(2)
            editor = make_editor(spec, self._refs, cell)
            if spec.read_only:
                editor.set_read_only(True)
                editor.setToolTip(self.tr("由系统维护，不能在此修改"))
            error = QLabel(cell)
            error.setStyleSheet("color: #c62828;")
            error.setWordWrap(True)
            error.hide()
            grows = spec.type is FieldType.LONG_TEXT
            box.addWidget(editor, 1 if grows else 0)
            box.addWidget(error)
            if grows:
                stretch_rows.append(row)  # notes take the free height of the page
            else:
                box.addStretch(1)
            label.setBuddy(editor)
            span = 2 * columns - 1 if wide else 1
            grid.addWidget(label, row, 2 * col)
            grid.addWidget(cell, row, 2 * col + 1, 1, span)
            self.editors[spec.key], self.errors[spec.key] = editor, error
            editor.changed.connect(lambda key=spec.key: self._on_changed(key))
            col = 0 if wide or col + 1 == columns else col + 1
            row += 1 if col == 0 else 0
        for c in range(columns):
            grid.setColumnStretch(2 * c + 1, 1)
        for r in stretch_rows or [row + 1]:
            grid.setRowStretch(r, 1)
        return page

    def _label_text(self, spec: FieldSpec) -> str:
        text = QCoreApplication.translate("fields", spec.label)
        return f"{text}<span style='color:#c62828'> *</span>" if spec.required else text

    # ------------------------------------------------------------------ values

    def _defaults(self, given: Mapping[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = {}
        region_id = self._refs.region_id(self._ctx.settings.default_region)
        if region_id is not None and "region_id" in self.editors:
            values["region_id"] = region_id
        match self._kind:
            case RecordKind.PARCEL:
                values["readiness"] = ParcelReadiness.PLANNED.value
                values["status"] = ParcelStatus.AVAILABLE.value
            case RecordKind.FACTORY:
                values["status"] = FactoryStatus.BUILT.value
            case RecordKind.PROJECT:
                values["stage"] = ProjectStage.LEAD.value
            case RecordKind.QUOTA:
                values["year"] = date.today().year
        values.update(given)
        if self._kind is RecordKind.QUOTA:
            targets = _quota_targets(self._refs.region_kinds.get(values.get("region_id", -1)))
            if targets:
                values.setdefault("land_target_mu", targets[0])
                values.setdefault("factory_target_m2", targets[1])
        return values

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
        if self._loading:
            return
        region_id = self.editors["region_id"].value()
        targets = _quota_targets(self._refs.region_kinds.get(region_id))
        if targets is None:
            return
        for key, target in zip(("land_target_mu", "factory_target_m2"), targets, strict=True):
            editor = self.editors[key]
            if editor.problem() is not None:
                continue
            # Replace an empty target or one that is still another kind's default.
            if editor.value() in (None, *_ALL_DEFAULT_TARGETS):
                editor.set_value(target)

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
        try:
            with self._ctx.session() as session:
                checked = check_record(
                    session, self._kind, full, old=self._old, record_id=self._record_id
                ).by_field
        except SQLAlchemyError as exc:
            checked = {"": self.tr("无法检查：{0}").format(describe_error(exc))}
        self._set_problems({**checked, **parse_errors})
        return self.problems

    def _set_problems(self, problems: dict[str, str]) -> None:
        self.problems = problems
        for key in self.editors:
            reason = problems.get(key)
            if reason == "必填" and not (self._show_all or key in self._touched):
                reason = None
            self._show(key, reason)
        self.save_button.setEnabled(not problems)
        if self.tabs is not None:
            counts = [0] * self.tabs.count()
            for key in problems:
                if key in self._tab_of:
                    counts[self._tab_of[key]] += 1
            for i, n in enumerate(counts):
                title = self.tabs.tabText(i).split(" (")[0]
                self.tabs.setTabText(i, f"{title} ({n})" if n else title)
                self.tabs.tabBar().setTabTextColor(i, QColor("#c62828") if n else QColor())
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
            with self._ctx.session() as session:
                if self._record_id is None:
                    record = create_record(
                        session, self._kind, values, user=self._ctx.user, source="界面"
                    )
                else:
                    assert self._old is not None
                    assert self._version is not None
                    changed = {k: v for k, v in values.items() if not _same(v, self._old.get(k))}
                    record = update_record(
                        session,
                        self._kind,
                        self._record_id,
                        changed,
                        expected_version=self._version,
                        user=self._ctx.user,
                        source="界面",
                    )
                saved_id = record.id
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
        assert saved_id is not None
        self.saved_id = int(saved_id)
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
        my_changes = {k: v for k, v in mine.items() if not _same(v, self._old.get(k))}
        try:
            with self._ctx.session() as session:
                record = get_record(session, self._kind, self._record_id)
                fresh, version = record_values(self._kind, record), record.version
        except (RecordError, SQLAlchemyError) as exc:
            QMessageBox.warning(self, self.tr("无法载入"), describe_error(exc))
            return
        theirs = {k for k, v in fresh.items() if not _same(v, self._old.get(k))}
        self._old, self._version = fresh, version
        self._load(fresh)
        self._initial = self._state()
        kept, lost = [], []
        for key, value in my_changes.items():
            if key in theirs and not _same(fresh.get(key), value):
                lost.append(key)
            else:
                self.editors[key].set_value(value)
                kept.append(key)
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
