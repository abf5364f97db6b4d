"""The import's report (数据 → 导入县区台账…) names the 标准地 rows and 亩均效益 schemes a county
ledger brings, and a ledger that brings only those may still be imported."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from landbank.services.server.ledger_rows import TransferReport
from landbank.ui.server.ledger_import_dialog import LedgerReportDialog, report_html

SHOTS = Path(os.environ.get("LANDBANK_SCREENSHOTS", "/nonexistent"))


def test_the_report_names_the_standard_rows_and_the_schemes(qtbot: QtBot) -> None:
    report = TransferReport("延津.sqlite3", "xinxiang", dry_run=True)
    report.standards, report.standards_same, report.schemes = 2, 1, 1
    html = report_html(report)
    assert "标准地指标 2 行（跳过 1）" in html
    assert "亩均效益评价方法 1 个" in html

    dialog = LedgerReportDialog(report)
    qtbot.addWidget(dialog)
    assert dialog.can_import  # nothing but the table and the scheme is new: still worth it
    assert "标准地指标 2 行、亩均效益评价方法 1 个" in dialog.verdict.text()
    if SHOTS.is_dir():
        dialog.grab().save(str(SHOTS / "ledger_report_tables.png"))

    nothing = TransferReport("延津.sqlite3", "xinxiang", dry_run=True)
    nothing.standards_same, nothing.schemes_same = 2, 1
    dialog = LedgerReportDialog(nothing)
    qtbot.addWidget(dialog)
    assert not dialog.can_import
    assert "没有需要导入的内容" in dialog.verdict.text()
