"""The import wizard on ledgers as townships send them (the corpus of
tests/services/ledger_corpus.py): a township's ledger without codes or county column, a
workbook of one sheet per township, a county's project list naming no county.

Set ``LANDBANK_SHOTS`` to a folder to keep screenshots of the pages (to look at them)."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget, QWizard
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select
from sqlmodel import Session, col

from landbank.domain.enums import RecordKind
from landbank.services.demo.city import create_demo_city
from landbank.store.models import LandParcel, Park, Project, Region
from landbank.ui.context import AppContext
from landbank.ui.importing.wizard import ImportWizard
from tests.services.ledger_corpus import county_project_list, huojia_sample, township_workbook

WAIT_MS = 20000


def _shot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("LANDBANK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def demo(ctx: AppContext) -> AppContext:
    with ctx.write_session() as s:
        create_demo_city(s, year=2026, as_of=date(2026, 11, 24))
    return ctx


@pytest.fixture
def wizard_for(qtbot: QtBot) -> Callable[[AppContext, RecordKind], ImportWizard]:
    def make(ctx: AppContext, kind: RecordKind) -> ImportWizard:
        wizard = ImportWizard(ctx, kind)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        return wizard

    return make


def _open(qtbot: QtBot, wizard: ImportWizard, path: Path) -> None:
    wizard.set_path(path)
    qtbot.waitUntil(lambda: not wizard.file_page.loader.busy, timeout=WAIT_MS)
    assert wizard.file_page.isComplete(), wizard.file_page.error_label.text()
    wizard.next()
    assert wizard.currentPage() is wizard.sheet_page


def _check(qtbot: QtBot, wizard: ImportWizard) -> None:
    """From the mapping page to the finished dry run."""
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    qtbot.waitUntil(lambda: not wizard.check_page.running, timeout=WAIT_MS)
    report = wizard.check_page.report
    assert report is not None
    assert report.ok, wizard.check_page.report_label.text()


def _import(qtbot: QtBot, wizard: ImportWizard) -> None:
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    with qtbot.waitSignal(wizard.imported, timeout=WAIT_MS):
        wizard.next()
    report = wizard.import_page.report
    assert report is not None
    assert report.written


def test_a_township_ledger_without_codes_nor_county_column(
    qtbot: QtBot, ctx: AppContext, tmp_path: Path, wizard_for: Callable[..., ImportWizard]
) -> None:
    """The 获嘉县 ledger into a new, empty ledger: the county from the title, codes generated,
    the new county confirmed on the check page."""
    ledger = huojia_sample(tmp_path)
    wizard = wizard_for(ctx, RecordKind.PARCEL)
    _open(qtbot, wizard, ledger.path)
    assert wizard.sheet_page.header_spin.value() == 3
    wizard.next()
    panel = wizard.mapping_page.defaults_panel
    assert "获嘉县" in panel.region_auto.text()  # from the title
    assert panel.region_rows.text().startswith("23")
    assert panel.counts["code"].text().startswith("23")  # no 地块编号 column
    _shot(wizard, "wizard-huojia-mapping")
    _check(qtbot, wizard)
    check = wizard.check_page
    text = check.report_label.text()
    assert "县区 = 获嘉县" in text
    assert "地块编号 = 县区简称+年份+序号" in text
    assert not wizard.button(QWizard.WizardButton.CommitButton).isEnabled()
    assert "获嘉县" in check.confirm_regions.text()
    check.confirm_regions.setChecked(True)
    _shot(wizard, "wizard-huojia-check")
    _import(qtbot, wizard)
    with Session(ctx.engine) as s:
        codes = sorted(s.execute(select(col(LandParcel.code))).scalars())
        total = s.execute(select(func.sum(LandParcel.area_mu))).scalar_one()
        regions = list(s.execute(select(col(Region.name))).scalars())
    assert codes == [f"获嘉2025-{i:03d}" for i in range(1, 24)]
    assert total == pytest.approx(ledger.total)
    assert regions == ["获嘉县"]


def test_a_workbook_of_one_sheet_per_township(
    qtbot: QtBot, demo: AppContext, tmp_path: Path, wizard_for: Callable[..., ImportWizard]
) -> None:
    """The sheets of the same layout are ticked; 说明 and 汇总 are not; all in one run."""
    ledger = township_workbook(tmp_path)
    with Session(demo.engine) as s:
        before = s.execute(select(func.count()).select_from(LandParcel)).scalar_one()
    wizard = wizard_for(demo, RecordKind.PARCEL)
    _open(qtbot, wizard, ledger.path)
    page = wizard.sheet_page
    assert page.sheets_list.isVisible()
    ticked = page.ticked_sheets()
    assert len(ticked) == 3
    assert "说明" not in ticked
    assert "汇总" not in ticked
    _shot(wizard, "wizard-sheets")
    wizard.next()
    _check(qtbot, wizard)
    report = wizard.check_page.report
    assert report is not None
    assert [s.name for s in report.sheets] == list(ticked)
    assert report.created == ledger.created
    _import(qtbot, wizard)
    with Session(demo.engine) as s:
        after = s.execute(select(func.count()).select_from(LandParcel)).scalar_one()
    assert after == before + ledger.created


def test_a_county_project_list_given_its_county_on_the_mapping_page(
    qtbot: QtBot, demo: AppContext, tmp_path: Path, wizard_for: Callable[..., ImportWizard]
) -> None:
    """No 承办县区 column: the clerk types the county's short name in the defaults panel."""
    ledger = county_project_list(tmp_path)
    wizard = wizard_for(demo, RecordKind.PROJECT)
    _open(qtbot, wizard, ledger.path)
    wizard.next()
    panel = wizard.mapping_page.defaults_panel
    assert "市级（待分配）" in panel.region_auto.text()  # what happens when nothing is chosen
    panel.region_combo.setEditText("原阳")
    stage = panel.editors["stage"]
    stage.setCurrentIndex(stage.findData("在谈"))  # for rows without 项目进展
    _check(qtbot, wizard)
    text = wizard.check_page.report_label.text()
    assert "承办县区 = 原阳县" in text
    assert "原阳 → 原阳县" in text
    _shot(wizard, "wizard-projects-check")
    _import(qtbot, wizard)
    with Session(demo.engine) as s:
        region = s.execute(select(Region.id).where(col(Region.name) == "原阳县")).scalar_one()
        names = set(
            s.execute(select(col(Project.name)).where(col(Project.region_id) == region)).scalars()
        )
        leads = s.execute(
            select(func.count()).select_from(Region).where(col(Region.name) == "市级（待分配）")
        ).scalar_one()
        parks = s.execute(select(func.count()).select_from(Park)).scalar_one()
    assert {n for n in ledger.codes} <= names
    assert leads == 0
    assert parks > 0
