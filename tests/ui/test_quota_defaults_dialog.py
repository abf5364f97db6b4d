"""默认指标 dialog: the city's own defaults are saved with who set them and drive progress."""

from __future__ import annotations

from datetime import date

import pytest
from pytestqt.qtbot import QtBot

from landbank.domain.enums import RecordKind, RegionKind
from landbank.services.quota.defaults import quota_defaults
from landbank.services.quota.report import city_report
from landbank.services.records.saving import create_record
from landbank.ui.context import AppContext
from landbank.ui.quota.dashboard import QuotaDashboard
from landbank.ui.quota.defaults_dialog import QuotaDefaultsDialog


def _defaults(ctx: AppContext) -> dict[RegionKind, tuple[float, float, bool]]:
    with ctx.session() as s:
        return {i.kind: (i.land_target_mu, i.factory_target_m2, i.city) for i in quota_defaults(s)}


def test_city_defaults_are_saved_and_used_then_reset(qtbot: QtBot, ctx: AppContext) -> None:
    with ctx.write_session() as s:
        region = create_record(s, RecordKind.REGION, {"name": "辉县市", "kind": "县"}, user="t")
    dialog = QuotaDefaultsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.land[RegionKind.COUNTY].value() == 2000
    assert dialog.source[RegionKind.COUNTY].text() == "政策默认"
    dialog.land[RegionKind.COUNTY].setValue(2500)
    dialog.accept()
    assert _defaults(ctx)[RegionKind.COUNTY] == (2500, 120_000, True)
    assert _defaults(ctx)[RegionKind.DISTRICT] == (1200, 60_000, False)  # untouched: policy
    with ctx.session() as s:
        progress = city_report(s, 2027, as_of=date(2027, 3, 1)).region(region.id or 0)
    assert progress.land.target == 2500
    reopened = QuotaDefaultsDialog(ctx)
    qtbot.addWidget(reopened)
    assert reopened.source[RegionKind.COUNTY].text().startswith("本市设定（测试员")
    reopened.use_policy()
    reopened.accept()
    assert _defaults(ctx)[RegionKind.COUNTY] == (2000, 120_000, False)


def test_the_dashboard_opens_the_defaults_and_refreshes(
    qtbot: QtBot, ctx: AppContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dashboard = QuotaDashboard(ctx, year=2026, as_of=date(2026, 11, 24))
    qtbot.addWidget(dashboard)
    opened: list[bool] = []

    def fake_exec(self: QuotaDefaultsDialog) -> int:
        opened.append(True)
        return 1  # Accepted

    monkeypatch.setattr(QuotaDefaultsDialog, "exec", fake_exec)
    refreshed: list[bool] = []
    monkeypatch.setattr(dashboard, "refresh", lambda: refreshed.append(True))
    dashboard.defaults_button.click()
    assert opened == [True]
    assert refreshed == [True]
