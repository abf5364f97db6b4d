"""文件 → 导入 Excel 台账…: the wizard's pages driven programmatically, the dry run and the
import on the worker thread (waited for with qtbot), all rows or none."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTableWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.importing.importer import import_records
from landbank.services.importing.preview import ImportPreview, preview_import
from landbank.services.importing.report import Progress
from landbank.store.models import AuditEntry, Factory, LandParcel, Project, Region
from landbank.ui.context import AppContext
from landbank.ui.importing import worker as import_worker
from landbank.ui.importing.wizard import ImportWizard
from landbank.ui.main_window import MainWindow
from tests.conftest import LANDCHINA_SAMPLE, require_sample
from tests.services.messy_ledgers import PARCEL_ROWS, messy_parcels_xlsx
from tests.ui.conftest import Ledger

WAIT_MS = 15000


def _text(table: QTableWidget, row: int, column: int) -> str:
    """The text of a cell, read through the model (no item wrapper is kept: the table deletes
    its items when it is rebuilt)."""
    text = table.model().index(row, column).data()
    assert text is not None
    return str(text)


def _headers(table: QTableWidget) -> list[str]:
    model = table.model()
    return [model.headerData(c, Qt.Orientation.Horizontal) or "" for c in range(table.columnCount())]


def _state(ctx: AppContext) -> tuple[int, ...]:
    with Session(ctx.engine) as s:
        return tuple(
            int(s.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (LandParcel, Factory, Project, Region, AuditEntry)
        )


@pytest.fixture
def make_wizard(qtbot: QtBot, ctx: AppContext) -> Callable[..., ImportWizard]:
    def make(kind: RecordKind = RecordKind.PARCEL) -> ImportWizard:
        wizard = ImportWizard(ctx, kind)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        return wizard

    return make


def _set_path(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    """Choose the file and wait until the worker has read it."""
    wizard.set_path(path)
    qtbot.waitUntil(lambda: not wizard.file_page.loader.busy, timeout=WAIT_MS)


def _wait_sheet(qtbot: QtBot, wizard: ImportWizard) -> None:
    qtbot.waitUntil(lambda: not wizard.sheet_page.loader.busy, timeout=WAIT_MS)


def _next(wizard: ImportWizard) -> None:
    assert (
        wizard.button(QWizard.WizardButton.NextButton).isEnabled()
        or wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    )
    wizard.next()


def _to_check(qtbot: QtBot, wizard: ImportWizard, path: Path, *, create: bool = True) -> None:
    """File → sheet → columns (new counties allowed unless ``create`` is false) → the dry
    run, finished."""
    _set_path(qtbot, wizard, path)
    assert wizard.file_page.isComplete(), wizard.file_page.error_label.text()
    _next(wizard)
    assert wizard.currentPage() is wizard.sheet_page
    _next(wizard)
    assert wizard.currentPage() is wizard.mapping_page
    wizard.mapping_page.defaults_panel.create_check.setChecked(create)
    _next(wizard)
    assert wizard.currentPage() is wizard.check_page
    qtbot.waitUntil(lambda: not wizard.check_page.running, timeout=WAIT_MS)


def test_a_clean_messy_ledger_imports_and_the_window_refreshes(
    qtbot: QtBot, ctx: AppContext, small_ledger: Ledger, tmp_path: Path
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    wizard = ImportWizard(ctx, RecordKind.PARCEL, window)
    wizard.imported.connect(window.file_commands.imported)
    wizard.show()
    qtbot.waitExposed(wizard)
    _set_path(qtbot, wizard, path)
    assert "表头在第 3 行" in wizard.file_page.info_label.text()
    _next(wizard)
    assert wizard.sheet_page.sheet_combo.currentText() == "收储地块"
    assert wizard.sheet_page.header_spin.value() == 3
    _next(wizard)
    keys = wizard.mapping_page.keys()
    assert "code" in keys
    assert "area_mu" in keys
    assert wizard.mapping_page.rows_table.rowCount() == 3
    # The ledger holds other counties: the file's may be created once the clerk allows it.
    wizard.mapping_page.defaults_panel.create_check.setChecked(True)
    _next(wizard)
    check = wizard.check_page
    qtbot.waitUntil(lambda: not check.running, timeout=WAIT_MS)
    assert check.report is not None
    assert check.report.ok, check.report_label.text()
    assert check.report.created == 3
    assert check.report.dry_run
    assert "红旗区" in check.report_label.text()
    assert check.errors_table.rowCount() == 0
    # The counties to create are listed and confirmed before the import.
    assert check.confirm_regions.isVisible()
    assert "辉县市" in check.confirm_regions.text()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    check.confirm_regions.setChecked(True)
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    before = _state(ctx)
    with qtbot.waitSignal(wizard.imported, timeout=WAIT_MS) as imported:
        wizard.next()
    assert imported.args == [RecordKind.PARCEL, 3]
    page = wizard.import_page
    assert page.report is not None
    assert page.report.written
    assert "已导入 3 条" in page.status_label.text()
    assert wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert _state(ctx)[0] == before[0] + 3
    with Session(ctx.engine) as s:
        codes = set(s.execute(select(col(LandParcel.code))).scalars())
        sources = set(s.execute(select(col(AuditEntry.source))).scalars())
    assert {"HX-001", "HX-002", "HY-001"} <= codes
    assert "导入:台账.xlsx" in sources
    assert window.views[RecordKind.PARCEL].model.total == 4 + 3
    assert "已导入 3 条" in window.statusBar().currentMessage()


def test_a_bad_row_shows_the_errors_and_blocks_the_import(
    qtbot: QtBot,
    ctx: AppContext,
    small_ledger: Ledger,
    tmp_path: Path,
    make_wizard: Callable[..., ImportWizard],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rows: list[list[object]] = [
        *PARCEL_ROWS,
        [4, "HX-009", "辉县市", "很多", "净地", "2017/13/45", None, None],
    ]
    path = messy_parcels_xlsx(tmp_path / "bad.xlsx", rows)
    before = _state(ctx)
    wizard = make_wizard()
    _to_check(qtbot, wizard, path)
    check = wizard.check_page
    assert check.report is not None
    assert len(check.report.errors) == 2
    assert not check.isComplete()
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    table = check.errors_table
    assert check.errors_box.isVisible()
    assert table.rowCount() == 2
    headers = _headers(table)
    assert headers == ["工作表", "行", "列", "值", "原因"]
    cells = {_text(table, r, 2): _text(table, r, 3) for r in range(2)}
    assert cells["面积（公顷）"] == "很多"
    assert _text(table, 0, 0) == "收储地块"
    assert _text(table, 0, 1) == "7"
    assert "2 处错误" in check.status_label.text()
    out = tmp_path / "报告.xlsx"
    check.ask_save_path = lambda: out
    assert check.save_button.isEnabled()
    check.save_button.click()
    assert out.exists()
    assert _state(ctx) == before


def test_cancel_during_the_import_writes_nothing(
    qtbot: QtBot,
    ctx: AppContext,
    small_ledger: Ledger,
    tmp_path: Path,
    make_wizard: Callable[..., ImportWizard],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    started, release = threading.Event(), threading.Event()
    real = import_records

    def held(*args: Any, **kwargs: Any) -> Any:
        """The real import, held at its first step until the test has pressed Cancel."""
        progress = kwargs["progress"]

        def step(p: Progress) -> bool:
            if not kwargs["dry_run"] and not started.is_set():
                started.set()
                release.wait(WAIT_MS / 1000)
            result: bool = progress(p)
            return result

        kwargs["progress"] = step
        return real(*args, **kwargs)

    monkeypatch.setattr(import_worker, "import_records", held)  # what run_import calls
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    wizard = make_wizard()
    _to_check(qtbot, wizard, path)
    before = _state(ctx)
    imported: list[Any] = []
    wizard.imported.connect(lambda *a: imported.append(a))
    wizard.next()
    page = wizard.import_page
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    assert page.running
    assert page.cancel_button.isEnabled()
    page.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: not page.running, timeout=WAIT_MS)
    assert page.report is not None
    assert page.report.cancelled
    assert not page.report.written
    assert "导入已取消，数据库未作任何修改" in page.status_label.text()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()
    assert imported == []
    assert _state(ctx) == before


def test_a_file_that_is_no_spreadsheet_shows_why(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, make_wizard: Callable[..., ImportWizard]
) -> None:
    path = tmp_path / "照片.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    wizard = make_wizard(RecordKind.FACTORY)
    _set_path(qtbot, wizard, path)
    error = wizard.file_page.error_label
    assert error.isVisible()
    assert "照片.xlsx" in error.text()
    assert "已损坏" in error.text()  # the reader's reason, in Chinese
    assert not wizard.file_page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    _set_path(qtbot, wizard, tmp_path / "没有这个文件.csv")
    assert "文件不存在" in error.text()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_browse_uses_the_file_dialog_with_the_spreadsheet_filter(
    qtbot: QtBot,
    ctx: AppContext,
    tmp_path: Path,
    make_wizard: Callable[..., ImportWizard],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    asked: list[str] = []

    def fake(parent: Any, caption: str, folder: str, filters: str) -> tuple[str, str]:
        asked.append(filters)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getOpenFileName", fake)
    wizard = make_wizard()
    wizard.file_page.browse_button.click()
    qtbot.waitUntil(lambda: not wizard.file_page.loader.busy, timeout=WAIT_MS)
    assert asked == ["表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv)"]
    assert wizard.file_page.path_edit.text() == str(path)
    assert wizard.button(QWizard.WizardButton.NextButton).isEnabled()


def test_changing_the_header_row_previews_again(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, make_wizard: Callable[..., ImportWizard]
) -> None:
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    wizard = make_wizard()
    _set_path(qtbot, wizard, path)
    wizard.next()
    page = wizard.sheet_page
    page.header_spin.setValue(1)  # the title row names no field
    _wait_sheet(qtbot, wizard)
    assert page.error_label.isVisible()
    assert not page.isComplete()
    assert not wizard.button(QWizard.WizardButton.NextButton).isEnabled()
    page.header_spin.setValue(3)
    _wait_sheet(qtbot, wizard)
    assert page.isComplete()
    assert "宗地编号" in page.headers_label.text()
    page.sheet_combo.setCurrentText("说明")
    _wait_sheet(qtbot, wizard)
    assert not page.isComplete()
    page.sheet_combo.setCurrentText("收储地块")
    _wait_sheet(qtbot, wizard)
    assert page.isComplete()
    assert page.header_spin.value() == 3


def test_the_confirmed_mapping_is_prefilled_next_time(
    qtbot: QtBot,
    ctx: AppContext,
    small_ledger: Ledger,
    tmp_path: Path,
    make_wizard: Callable[..., ImportWizard],
) -> None:
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    wizard = make_wizard()
    _set_path(qtbot, wizard, path)
    wizard.next()
    wizard.next()
    mapping = wizard.mapping_page
    assert "自动对应" in mapping.remembered_label.text()
    holder = mapping.keys().index("holder")
    mapping.combos[holder].setCurrentIndex(0)  # 受让人 → （不导入）
    assert mapping.keys()[holder] is None
    headers = _headers(mapping.rows_table)
    assert not any("受让" in h for h in headers)
    mapping.defaults_panel.create_check.setChecked(True)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.running, timeout=WAIT_MS)
    report = wizard.check_page.report
    assert report is not None
    assert report.ok
    assert "受让人" not in report.columns  # the dry run reads the mapping as confirmed
    wizard.reject()

    again = make_wizard()
    _set_path(qtbot, again, path)
    again.next()
    again.next()
    assert "上次确认" in again.mapping_page.remembered_label.text()
    assert again.mapping_page.keys()[holder] is None
    assert again.mapping_page.combos[holder].currentText() == "（不导入）"


def test_quotas_cannot_be_imported(ctx: AppContext) -> None:
    with pytest.raises(ValueError, match="cannot import"):
        ImportWizard(ctx, RecordKind.QUOTA)


def test_the_menu_opens_the_wizard_for_the_current_tab(
    qtbot: QtBot, ctx: AppContext, small_ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    opened: list[RecordKind] = []

    def fake_exec(wizard: ImportWizard) -> int:
        opened.append(wizard.kind)
        return 0

    monkeypatch.setattr(ImportWizard, "exec", fake_exec)
    assert window.import_action.shortcut().toString() == "Ctrl+I"
    window.show_kind(RecordKind.FACTORY)
    window.import_action.trigger()
    assert opened == [RecordKind.FACTORY]
    window.show_kind(RecordKind.QUOTA)
    assert not window.import_action.isEnabled()


def test_back_during_the_dry_run_and_next_again_checks_afresh(
    qtbot: QtBot,
    ctx: AppContext,
    small_ledger: Ledger,
    tmp_path: Path,
    make_wizard: Callable[..., ImportWizard],
) -> None:
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    wizard = make_wizard()
    _set_path(qtbot, wizard, path)
    wizard.next()
    wizard.next()
    wizard.mapping_page.defaults_panel.create_check.setChecked(True)
    wizard.next()  # the dry run starts …
    wizard.back()  # … and is abandoned at once
    assert wizard.currentPage() is wizard.mapping_page
    assert wizard.check_page.job is None
    wizard.next()
    check = wizard.check_page
    qtbot.waitUntil(lambda: not check.running, timeout=WAIT_MS)
    assert check.report is not None
    assert check.report.ok
    assert not check.report.cancelled
    check.confirm_regions.setChecked(True)  # 辉县市 and 红旗区 are new
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()


def test_a_landchina_file_offers_every_land_use(
    qtbot: QtBot, ctx: AppContext, make_wizard: Callable[..., ImportWizard]
) -> None:
    wizard = make_wizard()
    _set_path(qtbot, wizard, require_sample(LANDCHINA_SAMPLE))
    assert "中国土地市场网" in wizard.file_page.info_label.text()
    wizard.next()
    wizard.next()
    check = wizard.mapping_page.all_uses_check
    assert check.isVisible()
    assert not check.isChecked()
    check.setChecked(True)
    wizard.next()
    assert wizard.import_options().all_land_uses
    wizard.reject()  # cancels the dry run and waits for it


def test_the_mapping_page_and_the_check_page_name_the_same_columns_not_imported(
    qtbot: QtBot, ctx: AppContext, make_wizard: Callable[..., ImportWizard]
) -> None:
    """A 中国土地市场网 file: columns its rules read (链接, 地区 …) are noted on the mapping
    page; those left （不导入） without a note are the report's columns not imported."""
    wizard = make_wizard()
    _set_path(qtbot, wizard, require_sample(LANDCHINA_SAMPLE))
    wizard.next()
    wizard.next()
    page = wizard.mapping_page
    table = page.columns_table
    unnoted = [
        _text(table, row, 0)
        for row, key in enumerate(page.keys())
        if key is None and not (table.model().index(row, 2).data() or "")
    ]
    noted = [
        _text(table, row, 0)
        for row, key in enumerate(page.keys())
        if key is None and "中国土地市场网" in (table.model().index(row, 2).data() or "")
    ]
    assert "链接" in noted
    page.defaults_panel.create_check.setChecked(True)
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.running, timeout=WAIT_MS)
    report = wizard.check_page.report
    assert report is not None
    assert sorted(report.ignored_columns) == sorted(set(unnoted))
    wizard.reject()


def test_other_files_and_kinds_do_not_offer_land_uses(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, make_wizard: Callable[..., ImportWizard]
) -> None:
    wizard = make_wizard()
    _set_path(qtbot, wizard, messy_parcels_xlsx(tmp_path / "台账.xlsx"))
    wizard.next()
    wizard.next()
    assert not wizard.mapping_page.all_uses_check.isVisible()


class HeldReads:
    """preview_import on the worker, held until the test releases it."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()
        self.ended = threading.Event()
        self.threads: list[str] = []  # where it ran

    def __call__(self, *args: Any, **kwargs: Any) -> ImportPreview:
        self.threads.append(threading.current_thread().name)
        self.started.set()
        self.release.wait(WAIT_MS / 1000)
        try:
            return preview_import(*args, **kwargs)
        finally:
            self.ended.set()


def _held_reads(monkeypatch: pytest.MonkeyPatch) -> HeldReads:
    held = HeldReads()
    monkeypatch.setattr(import_worker, "preview_import", held)
    return held


def test_the_file_is_read_on_the_worker_and_cancel_leaves_the_wizard_usable(
    qtbot: QtBot,
    ctx: AppContext,
    tmp_path: Path,
    make_wizard: Callable[..., ImportWizard],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = _held_reads(monkeypatch)
    started, release, threads = held.started, held.release, held.threads
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    wizard = make_wizard()
    page = wizard.file_page
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    wizard.set_path(path)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)  # the event loop runs meanwhile
    assert page.loader.busy
    assert page.loader.isVisible()
    assert "正在读取“台账.xlsx”" in page.loader.label.text()
    assert not next_button.isEnabled()
    page.loader.cancel_button.click()
    assert not page.loader.busy
    assert not page.loader.isVisible()
    assert "已取消读取" in page.info_label.text()
    assert not next_button.isEnabled()
    release.set()  # the abandoned read ends; its result is dropped
    qtbot.waitUntil(held.ended.is_set, timeout=WAIT_MS)
    qtbot.wait(50)
    assert wizard.preview is None
    assert not page.isComplete()

    _set_path(qtbot, wizard, path)  # the wizard is as usable as before
    assert wizard.preview is not None
    assert "表头在第 3 行" in page.info_label.text()
    assert next_button.isEnabled()
    assert threading.main_thread().name not in threads

    _next(wizard)
    sheet = wizard.sheet_page
    release.clear()
    started.clear()
    held.ended.clear()
    sheet.header_spin.setValue(1)
    qtbot.waitUntil(started.is_set, timeout=WAIT_MS)
    assert sheet.loader.busy
    assert not next_button.isEnabled()
    sheet.loader.cancel_button.click()  # back to the header row previewed before
    release.set()
    assert sheet.header_spin.value() == 3
    assert sheet.header_rows() == [3]
    assert sheet.isComplete()
    assert next_button.isEnabled()
    qtbot.waitUntil(held.ended.is_set, timeout=WAIT_MS)
    qtbot.wait(50)
    assert wizard.preview is not None
    assert wizard.preview.header_row == 3


def test_closing_while_reading_waits_for_the_read(
    qtbot: QtBot,
    ctx: AppContext,
    tmp_path: Path,
    make_wizard: Callable[..., ImportWizard],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    held = _held_reads(monkeypatch)
    wizard = make_wizard()
    wizard.set_path(messy_parcels_xlsx(tmp_path / "台账.xlsx"))
    qtbot.waitUntil(held.started.is_set, timeout=WAIT_MS)
    held.release.set()
    wizard.reject()
    assert held.ended.is_set()  # waited for
    assert not wizard.file_page.loader.busy
    qtbot.wait(50)  # its late result is dropped
    assert wizard.preview is None


def test_the_top_rows_are_shown_as_in_the_file_and_a_click_picks_the_header(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, make_wizard: Callable[..., ImportWizard]
) -> None:
    path = messy_parcels_xlsx(tmp_path / "台账.xlsx")
    wizard = make_wizard()
    _set_path(qtbot, wizard, path)
    _next(wizard)
    page = wizard.sheet_page
    table = page.rows_table
    assert table.isVisible()
    # Rows 1–10 of the sheet (title, blank, header, 3 rows, blank, totals, blank, notes).
    assert table.rowCount() == 10
    # Texts only: a wrapper of an item kept here would outlive the item when the table is
    # rebuilt (QTableWidget deletes its items; the wrapper would then crash on release).
    numbers = [table.model().headerData(r, Qt.Orientation.Vertical) for r in range(table.rowCount())]
    assert numbers == [str(n) for n in range(1, 11)]
    assert _headers(table)[:3] == ["A", "B", "C"]
    assert _text(table, 0, 1) == "2017年辉县市收储地块台账"  # the merged banner, over B–J
    assert (table.rowSpan(0, 1), table.columnSpan(0, 1)) == (1, table.columnCount() - 1)
    assert _text(table, 2, 2) == "宗地编号"
    assert _text(table, 3, 2) == "HX-001"
    assert page.header_rows() == [3]  # the header found, highlighted
    assert "点击某一行" in page.rows_label.text()

    def click(row: int) -> None:
        rect = table.visualRect(table.model().index(row, 2))
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.waitUntil(lambda: page.header_spin.value() == row + 1, timeout=WAIT_MS)
        _wait_sheet(qtbot, wizard)

    click(0)  # the title: no header there
    assert page.header_spin.value() == 1
    assert page.header_rows() == [1]
    assert page.error_label.isVisible()
    assert not page.isComplete()
    assert _text(table, 0, 1) == "2017年辉县市收储地块台账"  # still shown to choose from
    click(2)
    assert page.header_spin.value() == 3
    assert page.header_rows() == [3]
    assert page.isComplete()
    assert not page.error_label.isVisible()
    page.sheet_combo.setCurrentText("说明")
    _wait_sheet(qtbot, wizard)
    assert table.rowCount() == 1
    assert _text(table, 0, 0) == "本表由县自然资源局提供"


def test_a_two_row_header_is_highlighted_whole(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, make_wizard: Callable[..., ImportWizard]
) -> None:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    assert ws is not None
    ws.append(["地块编号", "县区", "面积(亩)", "状态", "容积率", None])
    ws.append([None, None, None, None, "下限", "上限"])
    ws.merge_cells("E1:F1")
    ws.append(["W-1", "辉县市", 10, "净地", 1.0, 2.5])
    book.save(tmp_path / "two.xlsx")
    wizard = make_wizard()
    _set_path(qtbot, wizard, tmp_path / "two.xlsx")
    _next(wizard)
    assert wizard.sheet_page.header_rows() == [1, 2]


def test_the_mapping_preview_shows_the_region_the_import_derives(
    qtbot: QtBot, ctx: AppContext, make_wizard: Callable[..., ImportWizard]
) -> None:
    """中国土地市场网: rows with an empty 行政区 show the city of 地区, as the import reads it."""
    wizard = make_wizard()
    _set_path(qtbot, wizard, require_sample(LANDCHINA_SAMPLE))
    _next(wizard)
    _next(wizard)
    page = wizard.mapping_page
    assert "其他用途，不导入" in page.rows_label.text()  # 工业用地 rows only, as imported
    page.all_uses_check.setChecked(True)  # every row now, read again
    assert "其他用途" not in page.rows_label.text()
    table = page.rows_table
    headers = _headers(table)
    region = headers.index("县区")
    by_row = {_text(table, r, 0): _text(table, r, region) for r in range(table.rowCount())}
    assert by_row["2"] == "德令哈市"
    assert by_row["7"] == by_row["8"] == "农十四师"  # 行政区 empty, 地区 "新疆建设兵团,农十四师"
    assert _text(table, 0, headers.index("地块编号")).startswith("LC-")  # from 链接
    wizard.reject()
