"""报表 → 标准地指标承诺书…: the dialog offers the open projects and the parcels (the project's
county first), preselects what the 地块 and 项目 lists have selected, and its preview exports a
PDF whose text is the 承诺书 of that project on that parcel."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QFileDialog
from pytestqt.qtbot import QtBot
from sqlmodel import col, select

from landbank.domain.enums import RecordKind
from landbank.store.models import Project
from landbank.ui.context import AppContext
from landbank.ui.main_window import MainWindow
from landbank.ui.reports.pledge_dialog import PledgeOptionsDialog
from tests.ui.conftest import Ledger

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _project_ids(ctx: AppContext) -> dict[str, int]:
    with ctx.session() as s:
        return {n: int(i) for i, n in s.execute(select(col(Project.id), col(Project.name)))}


def test_the_dialog_lists_the_projects_county_first_and_preselects(
    ctx: AppContext, small_ledger: Ledger, qtbot: QtBot, tmp_path: Path
) -> None:
    window = MainWindow(ctx, remember_state=False)
    qtbot.addWidget(window)
    projects = _project_ids(ctx)
    window.views[RecordKind.PARCEL].refresh()
    window.views[RecordKind.PROJECT].refresh()
    assert window.views[RecordKind.PARCEL].select_id(small_ledger.parcels["QS-002"])
    assert window.views[RecordKind.PROJECT].select_id(projects["智能装备"])
    seen: list[tuple[str, list[str], str, bool]] = []

    def accept(dialog: PledgeOptionsDialog) -> int:
        box = dialog.parcel_box
        items = [box.itemText(i) for i in range(box.count()) if box.itemData(i) is not None]
        seen.append(
            (dialog.project_box.currentText(), items, box.currentText(), dialog.ok.isEnabled())
        )
        dialog.grab().save(str(tmp_path / "承诺书对话框.png"))
        return QDialog.DialogCode.Accepted.value

    exported: list[Path] = []

    def preview(dialog: QPrintPreviewDialog) -> int:
        target = tmp_path / "承诺书.pdf"
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(target), ""))
            dialog.export_action.trigger()  # type: ignore[attr-defined]
        exported.append(target)
        return 0

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(PledgeOptionsDialog, "exec", accept)
        mp.setattr(QPrintPreviewDialog, "exec", preview)
        action = window.report_menu.actions["pledge"]
        assert action.text() == "标准地指标承诺书…"
        action.trigger()
    [(project, items, parcel, ready)] = seen
    assert project == "智能装备"
    assert ready
    assert parcel.startswith("QS-002")
    # The project is 滨江区's: its parcels first, then 青山县's.
    assert [i.split()[0] for i in items] == ["BJ-001", "BJ-002", "QS-001", "QS-002"]
    assert items[0] == "BJ-001 BJ-001 地块（滨江区）"
    text = subprocess.run(
        ["pdftotext", "-layout", str(exported[0]), "-"], capture_output=True, check=True
    ).stdout.decode("utf-8")
    flat = "".join(text.split())
    assert "标准地指标承诺书" in flat
    assert "QS-002" in flat
    assert "智能装备" in flat
    assert "已导出报表" in window.statusBar().currentMessage()


def test_the_dialog_searches_and_refills_the_parcels(
    ctx: AppContext, small_ledger: Ledger, qtbot: QtBot
) -> None:
    from landbank.services.standards.pledge_choices import open_project_choices, parcel_choices

    with ctx.session() as s:
        projects, parcels = open_project_choices(s), parcel_choices(s)
    assert [p.name for p in projects] == sorted(p.name for p in projects)
    # 青山县 preferred: its parcels come first, after a separator the others.
    moved = [p if p.name != "锂电池项目" else type(p)(p.id, p.name, p.region_id,
             small_ledger.regions["青山县"]) for p in projects]  # fmt: skip
    dialog = PledgeOptionsDialog(None, projects=moved, parcels=parcels)
    qtbot.addWidget(dialog)
    dialog.project_box.setCurrentIndex(dialog.project_box.findText("锂电池项目"))
    box = dialog.parcel_box
    assert box.itemText(0).startswith("QS-001")
    assert box.itemData(2) is None
    box.setCurrentIndex(box.findData(small_ledger.parcels["BJ-002"]))
    dialog.project_box.setCurrentIndex(dialog.project_box.findText("智能装备"))
    assert box.itemText(0).startswith("BJ-001")
    assert dialog.parcel_id() == small_ledger.parcels["BJ-002"]  # the choice kept
    completer = dialog.project_box.completer()
    assert completer is not None
    completer.setCompletionPrefix("装备")  # any part of the name finds it
    assert completer.currentCompletion() == "智能装备"
    empty = PledgeOptionsDialog(None, projects=[], parcels=parcels)
    qtbot.addWidget(empty)
    assert not empty.ok.isEnabled()
    assert "没有在谈项目" in empty.note.text()
