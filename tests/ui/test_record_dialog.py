"""The record dialog: typed values, inline reasons, Save only when valid, conflicts refused."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.domain.fields import field_map
from landbank.services.records.history import history
from landbank.services.records.saving import create_record, delete_record, get_record, update_record
from landbank.services.server.identity import audit_user
from landbank.settings import Settings
from landbank.ui.context import AppContext
from landbank.ui.records.choice_editors import ChoiceEditor
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.records.field_editors import make_editor
from landbank.ui.records.references import References
from landbank.ui.records.text_editors import NumberEditor


@pytest.fixture
def regions(ctx: AppContext) -> dict[str, int]:
    """辉县市 (县) with a park, 红旗区 (区) with a park."""
    ids: dict[str, int] = {}
    with ctx.write_session() as s:
        for name, kind in (("辉县市", "县"), ("红旗区", "区")):
            region = create_record(
                s, RecordKind.REGION, {"name": name, "kind": kind, "city": "新乡市"}, user="管理员"
            )
            assert region.id is not None
            ids[name] = region.id
            park = create_record(
                s, RecordKind.PARK, {"name": f"{name}产业园", "region_id": region.id}, user="管理员"
            )
            assert park.id is not None
            ids[f"{name}产业园"] = park.id
    return ids


@pytest.fixture
def parcel_id(ctx: AppContext, regions: dict[str, int]) -> int:
    with ctx.write_session() as s:
        parcel = create_record(
            s,
            RecordKind.PARCEL,
            {
                "code": "HX-001",
                "region_id": regions["辉县市"],
                "area_mu": 120.5,
                "readiness": "净地(可供)",
                "status": "可供",
            },
            user="管理员",
        )
        assert parcel.id is not None
        return parcel.id


def _dialog(
    qtbot: QtBot, ctx: AppContext, kind: RecordKind, record_id: int | None = None
) -> RecordDialog:
    dialog = RecordDialog(ctx, kind, record_id)
    qtbot.addWidget(dialog)
    return dialog


def _fill(dialog: RecordDialog, **values: Any) -> None:
    for key, value in values.items():
        editor = dialog.editors[key]
        if isinstance(value, str) and hasattr(editor, "line"):
            editor.line.setText(value)  # typed text, parsed like a clerk's
        else:
            editor.set_value(value)
    dialog.validate()


# ---------------------------------------------------------------- editors


def test_number_editor_reads_what_clerks_type(qtbot: QtBot) -> None:
    editor = make_editor(field_map(RecordKind.PARCEL)["area_mu"])
    qtbot.addWidget(editor)
    assert isinstance(editor, NumberEditor)
    for text, expected in (("1,234.5", 1234.5), ("１２０", 120), ("约 120亩", 120), ("8公顷", 120)):
        editor.line.setText(text)
        assert editor.value() == pytest.approx(expected)
    assert editor.hint.text() == "= 120 亩"
    editor.line.setText("")
    assert editor.value() is None
    editor.line.setText("一百亩")
    assert "不是有效的数字" in (editor.problem() or "")
    floor = make_editor(field_map(RecordKind.FACTORY)["floor_area_m2"])
    qtbot.addWidget(floor)
    floor.line.setText("1.2万㎡")
    assert floor.value() == pytest.approx(12_000)


def test_number_editor_gives_back_an_unchanged_value_exactly(qtbot: QtBot) -> None:
    editor = make_editor(field_map(RecordKind.FACTORY)["floor_area_m2"])
    qtbot.addWidget(editor)
    editor.set_value(10000 / 15 * 7)  # 7 亩 in m², more digits than shown
    assert editor.value() == 10000 / 15 * 7


def test_date_and_bool_editors(qtbot: QtBot) -> None:
    specs = field_map(RecordKind.FACTORY)
    day = make_editor(specs["completion_date"])
    flag = make_editor(specs["dual_power"])
    qtbot.addWidget(day)
    qtbot.addWidget(flag)
    for text in ("2026-03-15", "2026/3/15", "2026年3月15日"):
        day.line.setText(text)  # type: ignore[attr-defined]
        assert day.value() == date(2026, 3, 15)
    day.line.setText("")  # type: ignore[attr-defined]
    assert day.value() is None
    for value in (True, False, None):
        flag.set_value(value)
        assert flag.value() is value
    day._pick(QDate(2026, 5, 4))  # type: ignore[attr-defined]  # a click in the calendar
    assert day.value() == date(2026, 5, 4)


def test_park_list_follows_the_region(qtbot: QtBot) -> None:
    refs = References(
        regions=[(1, "辉县市"), (2, "红旗区")], parks=[(5, "甲园", 1), (6, "乙园", 2)]
    )
    editor = make_editor(field_map(RecordKind.PARCEL)["park_id"], refs)
    qtbot.addWidget(editor)
    editor.set_value(6)
    editor.filter_region(2)  # type: ignore[attr-defined]
    assert editor.value() == 6
    editor.filter_region(1)  # type: ignore[attr-defined]
    assert editor.value() is None
    assert editor.combo.count() == 2  # type: ignore[attr-defined]


# ---------------------------------------------------------------- new records


def test_save_is_enabled_only_when_the_parcel_is_valid(
    qtbot: QtBot, ctx: AppContext, regions: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL)
    assert dialog.windowTitle() == "新建地块"
    assert not dialog.save_button.isEnabled()
    assert set(dialog.problems) == {"code", "region_id", "area_mu"}
    assert "3" in dialog.summary.text()
    assert dialog.errors["code"].isHidden()  # untouched: no red yet
    _fill(dialog, code="HX-009", region_id=regions["辉县市"])
    assert not dialog.save_button.isEnabled()
    _fill(dialog, area_mu="8公顷")
    assert dialog.problems == {}
    assert dialog.save_button.isEnabled()


def test_typing_validates_after_a_short_pause(
    qtbot: QtBot, ctx: AppContext, regions: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL)
    _fill(dialog, region_id=regions["辉县市"], area_mu=10.0)
    qtbot.keyClicks(dialog.editors["code"].line, "HX-100")  # type: ignore[attr-defined]
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=2000)
    dialog.editors["code"].line.clear()  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not dialog.save_button.isEnabled(), timeout=2000)
    assert dialog.errors["code"].text() == "必填"


def test_far_max_below_min_is_shown_inline(
    qtbot: QtBot, ctx: AppContext, regions: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL)
    _fill(
        dialog, code="HX-2", region_id=regions["辉县市"], area_mu="50", far_min="2.5", far_max="1.2"
    )
    assert dialog.errors["far_max"].text() == "容积率上限 1.2 小于下限 2.5"
    assert not dialog.errors["far_max"].isHidden()
    assert not dialog.save_button.isEnabled()
    assert dialog.tabs is not None
    assert dialog.tabs.tabText(1).endswith("(1)")


def test_unreadable_text_is_shown_inline(
    qtbot: QtBot, ctx: AppContext, regions: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL)
    _fill(
        dialog,
        code="HX-3",
        region_id=regions["辉县市"],
        area_mu="1.2万元",  # money, not an area (an area in m² would be converted)
        reserve_date="2026/13/1",
    )
    assert "不适用" in dialog.errors["area_mu"].text()
    assert "不是有效的日期" in dialog.errors["reserve_date"].text()
    assert not dialog.save_button.isEnabled()


def test_defaults_for_new_records(qtbot: QtBot, ctx: AppContext, regions: dict[str, int]) -> None:
    ctx.settings.default_region = "红旗区"
    parcel = _dialog(qtbot, ctx, RecordKind.PARCEL)
    assert parcel.editors["region_id"].value() == regions["红旗区"]
    assert parcel.editors["readiness"].value() == "拟收储"
    assert parcel.editors["status"].value() == "可供"
    parcel.editors["park_id"].set_value(regions["红旗区产业园"])
    assert _dialog(qtbot, ctx, RecordKind.FACTORY).editors["status"].value() == "已建成"
    assert _dialog(qtbot, ctx, RecordKind.PROJECT).editors["stage"].value() == "线索"
    quota = _dialog(qtbot, ctx, RecordKind.QUOTA)
    assert quota.editors["year"].value() == date.today().year
    assert quota.editors["land_target_mu"].value() == 1200
    assert quota.editors["factory_target_m2"].value() == 60_000
    quota.editors["region_id"].set_value(regions["辉县市"])  # a county: its own targets
    assert quota.editors["land_target_mu"].value() == 2000
    quota.editors["factory_target_m2"].set_value(99_000.0)  # the clerk's figure stays
    quota.editors["region_id"].set_value(regions["红旗区"])
    assert quota.editors["land_target_mu"].value() == 1200
    assert quota.editors["factory_target_m2"].value() == 99_000


def test_save_creates_the_record_and_an_audit_entry(
    qtbot: QtBot, ctx: AppContext, regions: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL)
    _fill(
        dialog,
        code="HX-010",
        region_id=regions["辉县市"],
        park_id=regions["辉县市产业园"],
        area_mu="8公顷",
        reserve_date="2026年3月15日",
        notes="临路，地势平坦",
    )
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.editors["code"].focus()
    qtbot.keyClick(dialog.editors["code"].line, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # type: ignore[attr-defined]
    assert dialog.result() == RecordDialog.DialogCode.Accepted
    assert dialog.saved_id is not None
    with ctx.session() as s:
        record: Any = get_record(s, RecordKind.PARCEL, dialog.saved_id)
        assert (record.code, record.area_mu, record.reserve_date) == (
            "HX-010",
            120,
            date(2026, 3, 15),
        )
        assert record.park_id == regions["辉县市产业园"]
        entries = history(s, RecordKind.PARCEL, dialog.saved_id)
    assert [(e.action, e.user, e.source) for e in entries] == [("create", "测试员", "界面")]


def test_duplicate_code_is_refused_inline(
    qtbot: QtBot, ctx: AppContext, regions: dict[str, int], parcel_id: int
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL)
    _fill(dialog, code="HX-001", region_id=regions["辉县市"], area_mu=5.0)
    assert "已有地块编号为“HX-001”" in dialog.errors["code"].text()
    assert dialog._save() is False


# ---------------------------------------------------------------- editing


def test_only_what_the_clerk_may_choose_is_offered_and_a_forbidden_jump_explained(
    qtbot: QtBot, ctx: AppContext, parcel_id: int
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    assert dialog.windowTitle() == "编辑地块 HX-001"
    status = dialog.editors["status"]
    assert isinstance(status, ChoiceEditor)
    combo = status.combo
    offered = [combo.itemData(i) for i in range(1, combo.count())]
    # From 可供: stay, or the rungs the ladder allows — not 意向锁定 (made for a project in
    # the matching window), not 已竣工投产 (a forward skip).
    assert offered == ["可供", "已挂牌", "已出让/划拨"]
    # A value forced in (a paste, an old record) still gets the ladder's reason.
    status.set_value("已竣工投产")
    dialog.validate()
    reason = dialog.errors["status"].text()
    assert "不能从“可供”直接变为“已竣工投产”" in reason
    assert not dialog.errors["status"].isHidden()
    assert not dialog.save_button.isEnabled()
    # 意向锁定 names a project: it is made in the matching window (said in the GUI's words).
    status.set_value("意向锁定")
    dialog.validate()
    assert "匹配窗口" in dialog.errors["status"].text()
    assert "landbank" not in dialog.errors["status"].text()
    assert not dialog.save_button.isEnabled()
    status.set_value("可供")
    dialog.validate()
    assert dialog.save_button.isEnabled()


def test_edit_saves_the_change_and_bumps_the_version(
    qtbot: QtBot, ctx: AppContext, parcel_id: int
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    assert dialog.problems == {}
    assert not dialog.is_dirty()
    _fill(dialog, area_mu="130")
    assert dialog.is_dirty()
    assert dialog._save() is True
    with ctx.session() as s:
        record: Any = get_record(s, RecordKind.PARCEL, parcel_id)
        entries = history(s, RecordKind.PARCEL, parcel_id)
    assert (record.area_mu, record.version) == (130, 2)
    # Only the changed field is written (nothing else appears changed through the display).
    assert [(e.action, e.field) for e in entries] == [("create", None), ("update", "area_mu")]


def test_conflict_names_the_other_user_and_overwrites_nothing(
    qtbot: QtBot, ctx: AppContext, parcel_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    with ctx.write_session() as s:  # another clerk saves meanwhile
        update_record(
            s, RecordKind.PARCEL, parcel_id, {"area_mu": 99.0}, expected_version=1, user="李四"
        )
    shown: list[str] = []

    def warning(*args: Any) -> QMessageBox.StandardButton:
        shown.append(args[2])
        return QMessageBox.StandardButton.No

    monkeypatch.setattr(QMessageBox, "warning", warning)
    _fill(dialog, name="东区地块", area_mu="125")
    assert dialog._save() is False
    assert len(shown) == 1
    assert "李四" in shown[0]
    assert "收储面积" in shown[0]
    assert dialog.saved_id is None
    with ctx.session() as s:
        record: Any = get_record(s, RecordKind.PARCEL, parcel_id)
    assert (record.area_mu, record.name, record.version) == (99.0, None, 2)


def test_conflict_reload_keeps_the_clerks_own_changes(
    qtbot: QtBot, ctx: AppContext, parcel_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    with ctx.write_session() as s:
        update_record(
            s, RecordKind.PARCEL, parcel_id, {"area_mu": 99.0}, expected_version=1, user="李四"
        )
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: QMessageBox.StandardButton.Yes)
    _fill(dialog, name="东区地块", area_mu="125")
    assert dialog._save() is False  # refused, then reloaded
    assert dialog.editors["area_mu"].value() == 99.0  # theirs, shown
    assert dialog.editors["name"].value() == "东区地块"  # mine, kept
    assert "收储面积" in dialog.notice.text()
    assert dialog._save() is True
    with ctx.session() as s:
        record: Any = get_record(s, RecordKind.PARCEL, parcel_id)
    assert (record.area_mu, record.name, record.version) == (99.0, "东区地块", 3)


def test_escape_asks_before_discarding_typed_changes(
    qtbot: QtBot, ctx: AppContext, parcel_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def question(*args: Any) -> QMessageBox.StandardButton:
        asked.append(args[2])
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    dialog.show()
    dialog.reject()  # nothing typed: closes without asking
    assert asked == []
    assert dialog.result() == RecordDialog.DialogCode.Rejected

    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    dialog.show()
    _fill(dialog, name="改了名字")
    answer = QMessageBox.StandardButton.Cancel
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert len(asked) == 1
    assert dialog.isVisible()
    answer = QMessageBox.StandardButton.Discard
    dialog.reject()
    assert not dialog.isVisible()
    with ctx.session() as s:
        assert get_record(s, RecordKind.PARCEL, parcel_id).name is None  # type: ignore[attr-defined]


def test_read_only_fields_are_shown_when_editing(
    qtbot: QtBot, ctx: AppContext, parcel_id: int
) -> None:
    assert "reserved_until" not in _dialog(qtbot, ctx, RecordKind.PARCEL).editors
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    assert dialog.editors["reserved_until"].line.isReadOnly()  # type: ignore[attr-defined]
    assert not dialog.editors["reserved_project_id"].isEnabled()
    assert "reserved_until" not in dialog.collect()[0]


def test_saving_a_record_deleted_meanwhile_says_so(
    qtbot: QtBot, ctx: AppContext, parcel_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _dialog(qtbot, ctx, RecordKind.PARCEL, parcel_id)
    with ctx.write_session() as s:
        delete_record(s, RecordKind.PARCEL, parcel_id, expected_version=1, user="李四")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda *a: shown.append(a[2]))
    _fill(dialog, name="东区地块")
    assert dialog._save() is False
    assert shown == ["“HX-001”已被其他用户删除，无法保存。"]
    assert dialog.saved_id is None


def test_create_edit_and_conflict_on_every_database(
    qtbot: QtBot, any_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The dialog's whole round trip on SQLite and on PostgreSQL (shared, many clerks)."""
    ctx = AppContext(any_engine, Settings.load())
    with ctx.write_session() as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="甲")
    dialog = _dialog(qtbot, ctx, RecordKind.FACTORY)
    _fill(dialog, code="CF-1", name="1号厂房", region_id=region.id, floor_area_m2="1.2万㎡")
    assert dialog._save() is True
    assert dialog.saved_id is not None
    factory_id = dialog.saved_id

    mine = _dialog(qtbot, ctx, RecordKind.FACTORY, factory_id)
    theirs = _dialog(qtbot, ctx, RecordKind.FACTORY, factory_id)
    _fill(theirs, status="闲置", idle_area_m2="3000")
    assert theirs._save() is True
    shown: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "warning", lambda *a: shown.append(a[2]) or QMessageBox.StandardButton.No
    )
    _fill(mine, owner="城投公司")
    assert mine._save() is False
    # Who saved first: the settings' name on SQLite, the database login on PostgreSQL.
    with ctx.session() as s:
        who = audit_user(s, ctx.settings)
    assert who in ("测试员", "postgres")
    assert f"· {who} 于" in shown[0]
    assert "闲置面积" in shown[0]
    with ctx.session() as s:
        record: Any = get_record(s, RecordKind.FACTORY, factory_id)
    assert (record.floor_area_m2, record.status, record.owner, record.version) == (
        12_000,
        "闲置",
        None,
        2,
    )
