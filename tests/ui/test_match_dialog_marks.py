"""The matching dialog opened from a parcel (which project for this parcel?) shows the D-class
mark of a project whose investor holds a D firm (亩均效益) in its reasons pane and tooltip."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind
from landbank.services.records.saving import create_record
from landbank.ui.context import AppContext
from landbank.ui.matching.candidate_model import CandidateModel
from landbank.ui.matching.dialog import MatchDialog
from tests.services.efficiency.ledger import D_FIRM, USER, make_ledger

MARK = "投资方在获嘉县亩均效益评价为D类（2025 年，低效公司）"


def test_the_mark_in_the_reasons_of_a_project_ranked_for_a_parcel(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path
) -> None:
    ids = make_ledger(ctx.engine)
    with ctx.write_session() as s:
        site = create_record(
            s, RecordKind.PARCEL,
            {"code": "HX-NEW", "region_id": ids["辉县市"], "readiness": "净地(可供)",
             "area_mu": 30.0, "status": "可供"},
            user=USER,
        )  # fmt: skip
        for name, investor in (("新厂项目", D_FIRM), ("别的项目", "企业01")):
            create_record(
                s, RecordKind.PROJECT,
                {"name": name, "stage": "在谈", "region_id": ids["辉县市"], "investor": investor,
                 "req_land_mu": 20.0},
                user=USER,
            )  # fmt: skip
    assert site.id is not None
    dialog = MatchDialog(ctx, RecordKind.PARCEL, site.id, today=date(2026, 3, 1))
    qtbot.addWidget(dialog)
    rows = {row.subject: r for r, row in enumerate(dialog.model.rows())}
    assert set(rows) == {"新厂项目", "别的项目"}
    dialog.select(rows["别的项目"])
    assert "D类" not in dialog.detail.toPlainText()
    dialog.select(rows["新厂项目"])
    assert MARK in dialog.detail.toPlainText()
    tip = dialog.model.index(rows["新厂项目"], CandidateModel.SUBJECT).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert MARK in tip
    dialog.resize(1200, 760)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.grab().save(str(tmp_path / "按地块匹配_D类.png"))
