"""The import wizard as a county clerk on a city server: the check page lists each row of
another county with the reason and the import stays blocked, nothing written (issue 14)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.server.roles import Scope
from landbank.settings import Settings
from landbank.store.engine import make_engine
from landbank.store.models import LandParcel
from landbank.ui.context import AppContext
from landbank.ui.importing.wizard import ImportWizard
from landbank.ui.importing.worker import ImportJob, ImportOptions
from tests.city_seed import seed_two_counties
from tests.server_helpers import city_server
from tests.services.messy_ledgers import write_csv

pytestmark = pytest.mark.postgres

WAIT_MS = 15000
ROWS = [
    ["地块编号", "县区", "收储面积(亩)", "状态"],
    ["HX-2", "辉县市", "10", "净地"],
    ["HJ-2", "获嘉", "12", "净地"],
    ["HX-3", "辉县", "8", "毛地"],
    ["HJ-3", "获嘉县", "9", "净地"],
]


def _codes(url: str) -> set[str]:
    admin = make_engine(url)
    try:
        with Session(admin) as s:
            return {str(c) for c in s.execute(select(col(LandParcel.code))).scalars()}
    finally:
        admin.dispose()


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def test_the_check_page_lists_the_other_countys_rows(
    qtbot: QtBot, postgres_url: str, tmp_path: Path, isolated_settings: Settings
) -> None:
    path = write_csv(tmp_path / "台账.csv", ROWS, encoding="gbk")
    with city_server(postgres_url) as server:
        seed_two_counties(postgres_url)
        login = server.add_login("hx", Scope.COUNTY, "辉县市", "李四")
        before = _codes(server.url)
        wizard = ImportWizard(AppContext(server.engine_as(login), isolated_settings), RecordKind.PARCEL)
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.set_path(path)
        qtbot.waitUntil(lambda: not wizard.file_page.loader.busy, timeout=WAIT_MS)
        assert wizard.file_page.isComplete(), wizard.file_page.error_label.text()
        wizard.next()
        qtbot.waitUntil(lambda: not wizard.sheet_page.loader.busy, timeout=WAIT_MS)
        wizard.next()
        assert wizard.currentPage() is wizard.mapping_page
        wizard.next()
        check = wizard.check_page
        assert wizard.currentPage() is check
        qtbot.waitUntil(lambda: not check.running, timeout=WAIT_MS)
        table = check.errors_table
        rows = [tuple(_text(table, r, c) for c in range(1, 5)) for r in range(table.rowCount())]
        reason = "您的账号（辉县市）只能导入辉县市的记录"
        assert rows == [("3", "县区", "获嘉县", reason), ("5", "县区", "获嘉县", reason)]
        assert not check.isComplete()
        assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
        wizard.close()
        assert _codes(server.url) == before


def test_a_viewers_import_fails_with_the_reason_not_an_unexpected_error(
    qtbot: QtBot, postgres_url: str, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "台账.csv", ROWS, encoding="gbk")
    with city_server(postgres_url) as server:
        seed_two_counties(postgres_url)
        viewer = server.add_login("ro", Scope.VIEWER)
        options = ImportOptions(
            RecordKind.PARCEL, path, "台账", 1, ("code", "region_id", "area_mu", "status")
        )
        job = ImportJob(server.engine_as(viewer), options, dry_run=True, user="王五")
        failed: list[str] = []
        finished: list[object] = []
        job.signals.failed.connect(failed.append)
        job.signals.finished.connect(finished.append)
        job._work()  # what the worker thread runs
        assert not finished
        assert failed == ["您的账号（只读）只能查看，不能导入台账；如需修改请联系市级管理员"]
