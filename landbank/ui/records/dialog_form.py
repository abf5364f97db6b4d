"""The form of the record dialog (landbank.ui.records.dialog): which fields go on which tab, and
one grid page of labelled editors, each with its (hidden) line for the reason in red."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType
from landbank.ui.records.choice_editors import ParkEditor
from landbank.ui.records.editor_base import FieldEditor
from landbank.ui.records.field_editors import make_editor
from landbank.ui.records.references import References

_CTX = "RecordDialog"

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
        (QT_TRANSLATE_NOOP(_CTX, "开发与投产"), "approval_date production_start_date "
         "developed_area_mu built_floor_area_m2 contract_investment_wan investment_made_wan "
         "stopped_since government_cause committed_intensity_wan_per_mu "
         "committed_tax_per_mu_wan"),
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
         "expected_tax_wan expected_jobs expected_value_added_wan expected_revenue_wan "
         "emission_t rd_expense_wan"),
        (QT_TRANSLATE_NOOP(_CTX, "设计方案"), "design_floor_area_m2 design_footprint_m2 "
         "design_green_area_m2 design_admin_land_m2"),
        (QT_TRANSLATE_NOOP(_CTX, "问题与备注"), "problems notes"),
    ],
}  # fmt: skip

# Park field → the region field that narrows its list.
_PARK_REGION = {"park_id": "region_id", "preferred_park_id": "preferred_region_id"}


def form_groups(kind: RecordKind, specs: list[FieldSpec]) -> list[tuple[str, list[FieldSpec]]]:
    """The tabs of ``kind``'s form: (translated title, its fields); one untitled group for a
    kind without tabs."""
    by_key = {spec.key: spec for spec in specs}
    groups = [
        (str(title), [by_key.pop(k) for k in keys.split() if k in by_key])
        for title, keys in _GROUPS.get(kind, [("", "")])
    ]
    groups[-1][1].extend(by_key.values())
    return [(QCoreApplication.translate(_CTX, title), group) for title, group in groups if group]


def build_page(
    specs: list[FieldSpec],
    columns: int,
    refs: References,
    parent: QWidget,
    on_changed: Callable[[str], None],
) -> tuple[QWidget, dict[str, FieldEditor], dict[str, QLabel]]:
    """A page of ``specs`` in ``columns`` label/editor pairs a row (long texts take a whole
    row): (the page, its editors by field, their error lines by field). An editor's
    ``changed`` calls ``on_changed`` with its field."""
    editors: dict[str, FieldEditor] = {}
    errors: dict[str, QLabel] = {}
    page = QWidget(parent)
    grid = QGridLayout(page)
    grid.setHorizontalSpacing(10)
    grid.setVerticalSpacing(8)
    row = col = 0
    stretch_rows: list[int] = []
    for spec in specs:
        wide = spec.type is FieldType.LONG_TEXT or spec.max_length >= 500
        if wide and col:
            row, col = row + 1, 0
        label = QLabel(_label_text(spec), page)
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        label.setContentsMargins(0, 5, 0, 0)
        label.setToolTip(spec.hint)
        cell = QWidget(page)
        box = QVBoxLayout(cell)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        editor = make_editor(spec, refs, cell)
        if spec.read_only:
            editor.set_read_only(True)
            editor.setToolTip(QCoreApplication.translate(_CTX, "由系统维护，不能在此修改"))
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
        editors[spec.key], errors[spec.key] = editor, error
        editor.changed.connect(lambda key=spec.key: on_changed(key))
        col = 0 if wide or col + 1 == columns else col + 1
        row += 1 if col == 0 else 0
    for c in range(columns):
        grid.setColumnStretch(2 * c + 1, 1)
    for r in stretch_rows or [row + 1]:
        grid.setRowStretch(r, 1)
    return page, editors, errors


def _label_text(spec: FieldSpec) -> str:
    text = QCoreApplication.translate("fields", spec.label)
    return f"{text}<span style='color:#c62828'> *</span>" if spec.required else text


def link_parks_to_regions(editors: Mapping[str, FieldEditor]) -> None:
    """A park list follows the region chosen in its region field."""
    for park_key, region_key in _PARK_REGION.items():
        park, region = editors.get(park_key), editors.get(region_key)
        if isinstance(park, ParkEditor) and region is not None:
            region.changed.connect(lambda p=park, r=region: p.filter_region(r.value()))


def notice_label(parent: QWidget) -> QLabel:
    """The dialog's yellow line above the form (a record changed by another clerk, read-only),
    hidden until something is said."""
    notice = QLabel(parent)
    notice.setWordWrap(True)
    notice.setStyleSheet(
        "background: #fff8e1; border: 1px solid #e0c060; padding: 6px; border-radius: 3px;"
    )
    notice.hide()
    return notice
