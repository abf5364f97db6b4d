"""The window follows the login's rights on a city server (issue 14 item 5): a county clerk
sees the whole city but may change only its own county's records, a viewer nothing; the
title names who is logged in; the city administrator manages accounts in 用户与权限."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.services.server.roles import Scope
from landbank.services.server.setup import admin_connection
from landbank.settings import Settings
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.records.dialog import RecordDialog
from landbank.ui.users_dialog import UsersDialog
from tests.city_seed import seed_two_counties
from tests.server_helpers import CityServer, city_server

pytestmark = pytest.mark.postgres

# Screenshots for a look (LANDBANK_SCREENSHOTS=folder), none otherwise.
SHOTS = Path(os.environ.get("LANDBANK_SCREENSHOTS", "/nonexistent"))


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        yield server, seed_two_counties(postgres_url)


def _window(qtbot: QtBot, server: CityServer, login: str, settings: Settings) -> MainWindow:
    ctx = AppContext(server.engine_as(login), settings)
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    window.show_kind(RecordKind.PARCEL)
    return window


def _select(window: MainWindow, record_id: int) -> None:
    assert window.current_view().select_id(record_id, reveal=True)
    window._update_actions()


WRITES = ("new_action", "edit_action", "delete_action", "paste_action", "import_action")


def test_a_county_clerk_may_change_its_own_county_only(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, ids = city
    login = server.add_login("hx", Scope.COUNTY, "辉县市", "李四")
    window = _window(qtbot, server, login, isolated_settings)
    assert window.current_view().model.total == 2  # the whole city is shown
    assert window.windowTitle().startswith("李四（辉县市）@ 127.0.0.1/")

    _select(window, ids["hj.parcel"])
    reason = "您的账号（辉县市）只能修改辉县市的记录；此记录属于获嘉县"
    for action in (window.edit_action, window.delete_action):
        assert not action.isEnabled()
        assert reason in action.toolTip()
    assert window.statusBar().currentMessage() == reason
    assert window.new_action.isEnabled()  # a parcel of its own county
    assert "市级管理员" in window.users_action.toolTip()
    if SHOTS.is_dir():
        window.grab().save(str(SHOTS / "county_clerk_window.png"))

    # Opened anyway (a double-click): 保存 is disabled with the reason.
    dialog = RecordDialog(window.ctx, RecordKind.PARCEL, ids["hj.parcel"], parent=window)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert dialog.summary.text() == reason
    assert dialog.windowTitle() == "查看地块 HJ-1（只读）"
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "other_county_record.png"))

    _select(window, ids["hx.parcel"])
    assert window.edit_action.isEnabled()
    assert window.delete_action.isEnabled()
    own = RecordDialog(window.ctx, RecordKind.PARCEL, ids["hx.parcel"], parent=window)
    qtbot.addWidget(own)
    assert own.save_button.isEnabled()
    # A new parcel starts in its own county; moved to another, it cannot be saved.
    new = RecordDialog(window.ctx, RecordKind.PARCEL, parent=window)
    qtbot.addWidget(new)
    assert new.editors["region_id"].value() == ids["hx"]
    new.editors["region_id"].set_value(ids["hj"])
    assert "获嘉县" in new.validate().get("region_id", "")
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    window.record_commands.delete_records()
    assert window.current_view().model.total == 1

    # Made read-only on the server meanwhile: 刷新 (F5) asks again.
    with admin_connection(server.url) as conn:
        conn.execute(
            "UPDATE landbank_user SET scope = 'viewer', region_id = NULL WHERE login = %s",
            (login,),
        )
        conn.commit()
    window.refresh_all()
    assert not window.new_action.isEnabled()
    assert window.windowTitle().startswith("李四（只读）@ ")


def test_a_viewer_has_no_write_action(
    qtbot: QtBot, city: tuple[CityServer, dict[str, int]], isolated_settings: Settings
) -> None:
    server, ids = city
    login = server.add_login("ro", Scope.VIEWER, display="赵五")
    window = _window(qtbot, server, login, isolated_settings)
    assert window.windowTitle().startswith("赵五（只读）@ ")
    for kind in (RecordKind.PARCEL, RecordKind.PROJECT):
        window.show_kind(kind)
        _select(window, ids[f"hx.{kind.value}"])
        for name in WRITES:
            action = getattr(window, name)
            assert not action.isEnabled(), name
            assert "只能查看" in action.toolTip(), name
    assert window.history_action.isEnabled()  # reading is not writing
    assert window.copy_action.isEnabled()


def test_the_city_administrator_lists_and_adds_accounts(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, _ids = city
    admin = server.add_login("gl", Scope.ADMIN, display="王市")
    clerk = server.add_login("hx", Scope.COUNTY, "辉县市", "李四")
    window = _window(qtbot, server, admin, isolated_settings)
    assert window.users_action.isEnabled()
    assert window.windowTitle().startswith("王市（市级管理员）@ ")
    dialog = UsersDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    listed = {a.login: (a.display_name, a.scope, a.region) for a in dialog.accounts}
    assert listed == {admin: ("王市", Scope.ADMIN, None), clerk: ("李四", Scope.COUNTY, "辉县市")}
    assert dialog.table.rowCount() == 2

    new_login = server.login_name("hj")
    server.logins.append(new_login)  # dropped after the test
    monkeypatch.setattr(
        dialog,
        "ask_account",
        lambda: (new_login, "张三", Scope.COUNTY, "获嘉县", "Xin-mima-1"),
    )
    monkeypatch.setattr(dialog, "ask_password", lambda *a, **k: ("postgres", ""))
    dialog.add_account()
    assert "已添加账户" in dialog.status.text()
    assert any(a.login == new_login and a.region == "获嘉县" for a in dialog.accounts)
    added = AppContext(server.engine_as(new_login), isolated_settings)  # its password works
    assert added.rights.who == "张三（获嘉县）"
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "users_dialog.png"))

    dialog.table.selectRow([a.login for a in dialog.accounts].index(new_login))
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    dialog.remove_account()
    assert new_login not in {a.login for a in dialog.accounts}
    server.logins.remove(new_login)


def test_a_county_clerk_cannot_manage_accounts(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    server, _ids = city
    clerk = server.add_login("hx", Scope.COUNTY, "辉县市", "李四")
    ctx = AppContext(server.engine_as(clerk), isolated_settings)
    dialog = UsersDialog(ctx)
    qtbot.addWidget(dialog)
    assert [a.login for a in dialog.accounts] == [clerk]  # it reads its own row only
    assert not dialog.add_button.isEnabled()
    assert "市级管理员" in dialog.add_button.toolTip()
    # Its own password it changes with its own login.
    dialog.table.selectRow(0)
    assert dialog.password_button.isEnabled()
    assert not dialog.remove_button.isEnabled()
    before = _verifier(server, clerk)
    monkeypatch.setattr(dialog, "ask_password", lambda *a, **k: (clerk, "Neu-mima-2"))
    dialog.change_password()
    assert "已为" in dialog.status.text()
    after = _verifier(server, clerk)
    assert after.startswith("SCRAM-SHA-256$")
    assert after != before


def _verifier(server: CityServer, login: str) -> str:
    """The SCRAM verifier the server keeps for ``login`` (never the password itself)."""
    with admin_connection(server.url) as conn:
        row = conn.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (login,))
        return str(row.fetchone()[0])


def test_a_county_clerk_sees_the_citys_settings_and_other_sites_read_only(
    qtbot: QtBot, city: tuple[CityServer, dict[str, int]], isolated_settings: Settings
) -> None:
    """Counties, the city's default quotas, the ledger's city and bureau are the city's; a
    county clerk's parks and reservations are its own county's."""
    from datetime import date

    from landbank.ui.identity_form import IdentityForm, ask_identity_once
    from landbank.ui.matching.dialog import MatchDialog
    from landbank.ui.quota.defaults_dialog import QuotaDefaultsDialog
    from landbank.ui.records.reference_dialog import ReferenceDataDialog

    server, ids = city
    ctx = AppContext(
        server.engine_as(server.add_login("hx", Scope.COUNTY, "辉县市", "李四")), isolated_settings
    )
    reference = ReferenceDataDialog(ctx)
    qtbot.addWidget(reference)
    assert not reference.buttons[(RecordKind.REGION, "add")].isEnabled()
    assert "市级" in reference.buttons[(RecordKind.REGION, "add")].toolTip()
    assert reference.buttons[(RecordKind.PARK, "add")].isEnabled()

    defaults = QuotaDefaultsDialog(ctx)
    qtbot.addWidget(defaults)
    assert not defaults.policy_button.isEnabled()
    assert "全市默认指标" in defaults.policy_button.toolTip()

    form = IdentityForm(ctx)
    qtbot.addWidget(form)
    assert form.city.isReadOnly()
    assert form.save() is None  # the compiler and phone only
    ask_identity_once(ctx)  # not asked (IdentityDialog.exec would fail the test)

    from landbank.ui.importing.wizard import ImportWizard

    wizard = ImportWizard(ctx, RecordKind.PARCEL)
    qtbot.addWidget(wizard)  # rows of a file naming no county are its own county's
    assert wizard.mapping_page.defaults_panel.region() == "辉县市"

    match = MatchDialog(ctx, RecordKind.PROJECT, ids["hx.project"], today=date(2026, 6, 1))
    qtbot.addWidget(match)
    subjects = [row.subject for row in match.model.rows()]
    for code, allowed in (("HJ-1", False), ("HX-1", True)):
        match.select(next(r for r, text in enumerate(subjects) if code in text))
        assert match.reserve_button.isEnabled() is allowed, code
        if not allowed:
            assert "此记录属于获嘉县" in match.reserve_button.toolTip()
