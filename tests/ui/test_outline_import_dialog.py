"""文件 → 导入地块红线…: the dry run's report in the table (matched, unmatched, already holding
an outline, 红线面积不符 with both areas), keep/replace, 导入, and the menu entry."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.ui.context import AppContext
from landbank.ui.outlines.dialog import OutlineImportDialog
from tests.services.outlines.files import jzd_text, rectangle, write_jzd, write_shapefile
from tests.services.outlines.ledger import make_ledger, parcel, state


def _shot(widget: OutlineImportDialog, name: str) -> None:
    """``LANDBANK_SHOTS`` names a folder to keep a screenshot in (to look at it)."""
    folder = os.environ.get("LANDBANK_SHOTS")
    if folder:
        QApplication.processEvents()  # the layout follows the report first
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def dialog(qtbot: QtBot, ctx: AppContext, engine: Engine) -> OutlineImportDialog:
    make_ledger(engine, {"HX-001": 90.0, "HX-002": 80.0, "HX-003": 90.2})
    dlg = OutlineImportDialog(ctx)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def _run(qtbot: QtBot, dlg: OutlineImportDialog, action: object) -> None:
    with qtbot.waitSignal(dlg.job_done, timeout=30_000):
        action()  # type: ignore[operator]


def _column(dlg: OutlineImportDialog, c: int) -> list[str]:
    return [dlg.table.item(r, c).text() for r in range(dlg.table.rowCount())]


def test_dry_run_report_then_import(
    qtbot: QtBot, dialog: OutlineImportDialog, engine: Engine, tmp_path: Path
) -> None:
    text = jzd_text(
        [
            ("HX-001", "一号地", [rectangle()]),
            ("HX-002", "二号地", [rectangle(3921000)]),
            ("HX-003", "三号地", [rectangle(3922000)]),
            ("NOPE-9", "不存在", [rectangle(3923000)]),
        ]
    )
    path = write_jzd(tmp_path / "冯庄镇红线.txt", text)
    before = state(engine)
    _run(qtbot, dialog, lambda: dialog.set_file(str(path)))
    assert state(engine) == before  # the dry run wrote nothing
    assert _column(dialog, 2) == ["新增红线", "新增红线", "新增红线", "未匹配"]
    assert _column(dialog, 5)[:3] == ["90.00", "90.00", "90.00"]
    assert _column(dialog, 6)[:3] == ["90.00", "80.00", "90.20"]
    assert _column(dialog, 7)[1] == "+12.50 %"
    assert "相差超过 1 %" in _column(dialog, 8)[1]
    assert dialog.table.item(1, 2).background().color().name() == "#fff1c2"  # flagged
    assert (
        dialog.table.item(2, 2).background().style() == Qt.BrushStyle.NoBrush
    )  # 0.2 %: not flagged
    assert "台账中没有此地块" in _column(dialog, 8)[3]
    assert "红线面积不符（与收储面积相差超过 1 %）：1 个" in dialog.summary.text()
    assert dialog.import_button.isEnabled()
    _shot(dialog, "outline_import_dry_run")
    imported: list[tuple[RecordKind, int]] = []
    dialog.imported.connect(lambda kind, n: imported.append((kind, n)))
    _run(qtbot, dialog, dialog.import_button.click)
    assert imported == [(RecordKind.PARCEL, 3)]
    assert not dialog.import_button.isEnabled()
    assert parcel(engine, "HX-002").outline_area_mu == pytest.approx(90.0)
    # again: they hold outlines now — kept unless replace is chosen
    bigger = write_jzd(tmp_path / "新红线.txt", jzd_text([("HX-001", "", [rectangle(dx=210)])]))
    _run(qtbot, dialog, lambda: dialog.set_file(str(bigger)))
    assert _column(dialog, 2) == ["已有红线，保留"]
    assert not dialog.import_button.isEnabled()  # nothing to write
    _run(qtbot, dialog, lambda: dialog.existing_combo.setCurrentIndex(1))
    assert _column(dialog, 2) == ["替换原红线"]
    _run(qtbot, dialog, dialog.import_button.click)
    assert parcel(engine, "HX-001").outline_area_mu == pytest.approx(94.5)


def test_refusals_and_a_shapefile_property(
    qtbot: QtBot, dialog: OutlineImportDialog, engine: Engine, tmp_path: Path
) -> None:
    bowtie = [
        (3920000.0, 500000.0),
        (3920200.0, 500300.0),
        (3920200.0, 500000.0),
        (3920000.0, 500300.0),
    ]
    bad = write_jzd(
        tmp_path / "坏.txt", jzd_text([("HX-001", "", [rectangle()]), ("HX-002", "", [bowtie])])
    )
    before = state(engine)
    _run(qtbot, dialog, lambda: dialog.set_file(str(bad)))
    assert _column(dialog, 2) == ["新增红线", "错误"]
    assert "自相交" in _column(dialog, 8)[1]
    assert "有 1 处错误，不能导入" in dialog.summary.text()
    _shot(dialog, "outline_import_refused")
    assert not dialog.import_button.isEnabled()
    binary = tmp_path / "乱码.txt"
    binary.write_bytes(bytes(range(256)))
    _run(qtbot, dialog, lambda: dialog.set_file(str(binary)))
    assert "不是文本文件" in dialog.summary.text()
    assert dialog.table.rowCount() == 0
    assert state(engine) == before
    shp = write_shapefile(tmp_path / "宗地.shp", [("HX-001", "一号地", [rectangle()])])
    _run(qtbot, dialog, lambda: dialog.set_file(str(shp)))
    assert [dialog.field_combo.itemText(i) for i in range(dialog.field_combo.count())] == [
        "（自动识别）",
        "DKBH",
        "DKMC",
    ]
    _run(qtbot, dialog, lambda: dialog.key_combo.setCurrentIndex(1))  # by name: DKMC is found
    assert _column(dialog, 2) == ["未匹配"]  # 一号地 is no parcel's name here
    _run(
        qtbot, dialog, lambda: dialog.field_combo.setCurrentIndex(1)
    )  # DKBH, though 名称 is chosen
    assert _column(dialog, 2) == ["未匹配"]


def test_the_file_menu_opens_it(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    from landbank.ui.main_window import MainWindow

    window = MainWindow(ctx)
    qtbot.addWidget(window)
    file_menu = window.menuBar().actions()[0].menu()
    texts = [a.text() for a in file_menu.actions()]  # type: ignore[union-attr]
    assert "导入地块红线(&O)…" in texts
    opened: list[OutlineImportDialog] = []
    monkeypatch.setattr(OutlineImportDialog, "exec", lambda self: opened.append(self) or 0)
    window.outline_import_action.trigger()  # type: ignore[attr-defined]
    assert len(opened) == 1


def test_cancel(
    qtbot: QtBot,
    dialog: OutlineImportDialog,
    ctx: AppContext,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import threading

    from landbank.services.outlines.importer import OutlineCancelled
    from landbank.ui.outlines import worker

    path = write_jzd(tmp_path / "红线.txt", jzd_text([("HX-001", "", [rectangle()])]))
    before = state(engine)
    release = threading.Event()
    real = worker.run_outline_import

    def held(*args: object, **kwargs: object) -> object:
        release.wait(10)  # a big file still being read
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(worker, "run_outline_import", held)
    dialog.set_file(str(path))
    qtbot.waitUntil(lambda: dialog.job is not None, timeout=5_000)
    job = dialog.job
    assert job is not None
    assert dialog.progress is not None
    with qtbot.waitSignal(dialog.job_done, timeout=5_000):
        dialog.progress.canceled.emit()  # 取消 clicked: a dry run is abandoned at once
    assert dialog.summary.text() == "已取消，没有写入任何内容。"
    release.set()
    job.wait()
    qtbot.wait(50)  # its late result is dropped
    assert dialog.table.rowCount() == 0
    assert dialog.job is None
    cancelled = threading.Event()
    cancelled.set()  # an import cancelled before its first write rolls back
    with pytest.raises(OutlineCancelled):
        real(engine, worker.OutlineOptions(path), dry_run=False, user=ctx.user, cancelled=cancelled)
    assert state(engine) == before
