"""数据 → 导入县区台账… (issue 14 item 7): the city administrator joins a county's SQLite ledger
to the city's PostgreSQL ledger from the window; others see why they may not."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlmodel import col

from landbank.domain.enums import RecordKind
from landbank.services.server.roles import Scope
from landbank.settings import Settings
from landbank.store.engine import read_session
from landbank.store.migrate import open_database
from landbank.store.models import LandParcel, Region
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.server.ledger_import_dialog import LedgerImport, LedgerReportDialog
from tests.city_seed import seed_two_counties
from tests.server_helpers import CityServer, city_server
from tests.services.county_ledger import make_county_ledger

pytestmark = pytest.mark.postgres

SHOTS = Path(os.environ.get("LANDBANK_SCREENSHOTS", "/nonexistent"))


@pytest.fixture
def city(postgres_url: str) -> Iterator[tuple[CityServer, dict[str, int]]]:
    with city_server(postgres_url) as server:
        yield server, seed_two_counties(postgres_url)


def _window(qtbot: QtBot, server: CityServer, login: str, settings: Settings) -> MainWindow:
    window = MainWindow(AppContext(server.engine_as(login), settings), remember_state=False)
    qtbot.addWidget(window)
    window.show_kind(RecordKind.PARCEL)
    return window


class Modals:
    """The modal dialogs of an import, answered without blocking: the file, the superuser,
    the report (its 导入 or 关闭), the confirmation."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, path: Path, superuser: str) -> None:
        self.reports: list[LedgerReportDialog] = []
        self.questions: list[str] = []
        self.warnings: list[str] = []
        self.press_import = True
        monkeypatch.setattr(
            QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
        )
        monkeypatch.setattr(LedgerImport, "superuser_url", lambda _self: superuser)

        def exec_report(dialog: LedgerReportDialog) -> int:
            self.reports.append(dialog)
            accepted = self.press_import and dialog.can_import
            return int(QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected)

        monkeypatch.setattr(LedgerReportDialog, "exec", exec_report)

        def question(_parent: Any, _title: str, text: str, *a: Any) -> QMessageBox.StandardButton:
            self.questions.append(text)
            return QMessageBox.StandardButton.Yes

        monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
        monkeypatch.setattr(
            QMessageBox,
            "warning",
            staticmethod(lambda _p, _t, text, *a: self.warnings.append(text)),
        )


def _run(qtbot: QtBot, window: MainWindow, jobs: int) -> LedgerImport:
    """Trigger the action and wait for ``jobs`` worker jobs (the dry run, the import)."""
    importer = window.ledger_import or LedgerImport(window)
    window.ledger_import = importer
    finished: list[object] = []
    importer.done.connect(finished.append)
    window.ledger_import_action.trigger()
    qtbot.waitUntil(lambda: len(finished) >= jobs, timeout=60_000)
    return importer


def _parcels(url: str, region: str) -> int:
    """The city's parcels of the county named ``region``."""
    engine = open_database(url)
    try:
        with read_session(engine) as s:
            query = select(func.count()).select_from(LandParcel).join(Region)
            return int(s.execute(query.where(col(Region.name) == region)).scalar_one())
    finally:
        engine.dispose()


def test_only_the_city_administrator_may_import_a_county_ledger(
    qtbot: QtBot, city: tuple[CityServer, dict[str, int]], isolated_settings: Settings
) -> None:
    server, _ids = city
    admin = _window(
        qtbot, server, server.add_login("adm", Scope.ADMIN, None, "张三"), isolated_settings
    )
    assert admin.ledger_import_action.isVisible()
    assert admin.ledger_import_action.isEnabled()
    clerk = _window(
        qtbot, server, server.add_login("hx", Scope.COUNTY, "辉县市", "李四"), isolated_settings
    )
    action = clerk.ledger_import_action
    assert action.isVisible()
    assert not action.isEnabled()
    assert "须由市级管理员导入" in action.toolTip()
    assert "辉县市" in action.statusTip()
    menu_texts = [a.text() for a in admin.menuBar().actions()]
    assert "数据(&D)" in menu_texts


def test_the_action_is_hidden_on_a_single_pc_ledger(
    qtbot: QtBot, sqlite_url: str, isolated_settings: Settings
) -> None:
    window = MainWindow(
        AppContext(open_database(sqlite_url), isolated_settings), remember_state=False
    )
    qtbot.addWidget(window)
    assert not window.ledger_import_action.isVisible()


def test_a_clean_ledger_is_checked_then_imported_and_listed(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    server, _ids = city
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger, county="延津县", prefix="YJ", parcels=12, factories=3, projects=2)
    window = _window(
        qtbot, server, server.add_login("adm", Scope.ADMIN, None, "张三"), isolated_settings
    )
    before = window.current_view().model.total
    modals = Modals(monkeypatch, ledger, server.url)

    # First only look: the report lists the counts, 关闭 writes nothing.
    modals.press_import = False
    _run(qtbot, window, 1)
    (report_dialog,) = modals.reports
    assert report_dialog.report.dry_run
    assert report_dialog.report.added[RecordKind.PARCEL] == 12
    assert report_dialog.can_import
    html = report_dialog.text.toPlainText()
    for count in ("地块 12 条", "厂房 3 条", "项目 2 条", "园区 2 条", "年度指标 1 条"):
        assert count in html
    assert "没有冲突" in report_dialog.verdict.text()
    report_dialog.show()
    if SHOTS.is_dir():
        report_dialog.grab().save(str(SHOTS / "ledger_import_report.png"))
    assert not modals.questions
    assert _parcels(server.url, "延津县") == 0

    # Then 导入, confirmed: the parcel list shows the county's records.
    modals.press_import = True
    _run(qtbot, window, 2)
    (question,) = modals.questions
    assert "延津.sqlite3" in question
    assert _parcels(server.url, "延津县") == 12
    assert window.current_view().model.total == before + 12
    message = window.statusBar().currentMessage()
    assert "已导入台账 延津.sqlite3" in message
    assert "地块 12 条" in message
    assert not modals.warnings


def test_a_clashing_ledger_is_refused_with_nothing_written(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    server, _ids = city
    ledger = tmp_path / "获嘉.sqlite3"
    make_county_ledger(ledger, county="获嘉县", prefix="HJX", parcels=5, codes=("HJ-1",))
    window = _window(
        qtbot, server, server.add_login("adm", Scope.ADMIN, None, "张三"), isolated_settings
    )
    before = _parcels(server.url, "获嘉县")
    modals = Modals(monkeypatch, ledger, server.url)
    _run(qtbot, window, 1)
    (report_dialog,) = modals.reports
    assert report_dialog.report.clashes
    assert not report_dialog.can_import
    assert "不能导入" in report_dialog.verdict.text()
    assert "HJ-1" in report_dialog.text.toPlainText()
    report_dialog.show()
    if SHOTS.is_dir():
        report_dialog.grab().save(str(SHOTS / "ledger_import_clashes.png"))
    assert not modals.questions
    assert _parcels(server.url, "获嘉县") == before


def test_a_wrong_superuser_password_is_told_in_chinese(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    server, _ids = city
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger, parcels=2)
    login = server.add_login("adm", Scope.ADMIN, None, "张三")
    window = _window(qtbot, server, login, isolated_settings)
    modals = Modals(monkeypatch, ledger, server.login_url(login))  # not a superuser
    _run(qtbot, window, 1)
    (warning,) = modals.warnings
    assert warning.startswith("未能导入：")
    assert "超级用户" in warning
    assert "Traceback" not in warning
    assert not modals.reports


def test_cancelling_the_dry_run_shows_no_report(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    server, _ids = city
    ledger = tmp_path / "延津.sqlite3"
    make_county_ledger(ledger, county="延津县", parcels=2)
    login = server.add_login("adm", Scope.ADMIN, None, "张三")
    window = _window(qtbot, server, login, isolated_settings)
    modals = Modals(monkeypatch, ledger, server.url)
    importer = LedgerImport(window)
    window.ledger_import = importer
    finished: list[object] = []
    importer.done.connect(finished.append)
    window.ledger_import_action.trigger()
    assert importer._progress is not None  # the job's answer is queued: not yet taken
    importer._progress.canceled.emit()  # its 取消 button
    qtbot.waitUntil(lambda: bool(finished), timeout=60_000)
    assert not modals.reports
    assert window.statusBar().currentMessage() == "已取消导入县区台账"
    assert _parcels(server.url, "延津县") == 0


def test_the_superuser_password_is_asked_once_and_a_superuser_is_not_asked(
    qtbot: QtBot,
    city: tuple[CityServer, dict[str, int]],
    isolated_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from sqlalchemy.engine import make_url

    from landbank.ui.users_dialog import PasswordForm

    server, _ids = city
    superuser = str(make_url(server.url).username)
    asked: list[str] = []

    def exec_form(form: PasswordForm) -> int:
        asked.append(form.windowTitle())
        form.login.setText(superuser)
        return int(QDialog.DialogCode.Accepted)

    monkeypatch.setattr(PasswordForm, "exec", exec_form)
    login = server.add_login("adm", Scope.ADMIN, None, "张三")
    importer = LedgerImport(_window(qtbot, server, login, isolated_settings))
    for _ in range(2):
        url = importer.superuser_url()
        assert url is not None
        assert make_url(url).username == superuser
        assert make_url(url).database == server.database
    assert asked == ["服务器超级用户"]

    own = LedgerImport(_window(qtbot, server, superuser, isolated_settings))
    assert own.superuser_url() is not None
    assert asked == ["服务器超级用户"]  # the window's own login is the superuser
