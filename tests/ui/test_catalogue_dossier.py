"""The 招商手册 and completeness (issue 15): each site's map excerpt and first photo under its
facts; a site missing some of what a 推介 needs is marked “资料不全：缺…” or left out, as the
clerk chooses (the print dialog asks; ``report catalogue --incomplete omit|mark``)."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot
from sqlmodel import Session

from landbank.cli import main
from landbank.store.migrate import open_database
from landbank.ui.reports.menu import CATALOGUE, QUOTA, ReportOptionsDialog
from tests.site_dossier import seed_sites
from tests.ui.test_sheet_pictures import images_per_page

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")

AS_OF = "2026-12-05"


@pytest.fixture
def ledger(tmp_path: Path) -> str:
    path = tmp_path / "台账.sqlite3"
    engine = open_database(f"sqlite:///{path}")
    with Session(engine) as session:
        seed_sites(session)
        session.commit()
    engine.dispose()
    return str(path)


def _text(pdf: Path) -> str:
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", "", out.stdout)


def _report(ledger: str, out: Path, *extra: str) -> tuple[str, dict[int, list[tuple[int, int]]]]:
    argv = ["report", "catalogue", "--db", ledger, "--as-of", AS_OF, *extra, "-o", str(out)]
    assert main(argv) == 0
    return _text(out), images_per_page(out)


def _images(pages: dict[int, list[tuple[int, int]]]) -> int:
    return sum(len(found) for found in pages.values())


def test_marked_by_default_with_pictures(qapp: object, ledger: str, tmp_path: Path) -> None:
    text, pages = _report(ledger, tmp_path / "手册.pdf")
    for code in ("HX-FULL", "HX-BARE", "HX-OFF", "F-1"):
        assert code in text
    assert "资料不全：缺红线、红线面积核对、四至、容积率、限高、建筑密度、价格、照片" in text
    assert "资料不全：缺红线面积核对" in text  # HX-OFF
    assert "资料不全：缺照片" in text  # F-1
    assert text.count("资料不全：") == 3  # HX-FULL is complete
    # HX-FULL and HX-OFF: map and photo; F-1: its map; HX-BARE: nothing.
    assert _images(pages) == 5
    assert text.count("位置示意图") == 3
    assert text.count("现场照片") == 2
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "2", "-l", "2", str(tmp_path / "手册.pdf"),
                    str(tmp_path / "page")], check=True)  # fmt: skip


def test_left_out_when_asked(qapp: object, ledger: str, tmp_path: Path) -> None:
    text, pages = _report(ledger, tmp_path / "手册.pdf", "--incomplete", "omit")
    assert "HX-FULL" in text
    for code in ("HX-BARE", "HX-OFF", "F-1"):
        assert code not in text
    assert "资料不全" not in text  # the investor is not told of what was left out
    assert "可供净地1宗，共100.00亩" in text
    assert _images(pages) == 2
    inside, _ = _report(ledger, tmp_path / "内部.pdf", "--incomplete", "omit", "--internal")
    assert "另有3处场地资料不全（缺少推介所需资料），未列入本手册。" in inside


def test_the_option_is_for_the_catalogue_only(
    qapp: object, ledger: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "x.pdf")
    argv = ["report", "quota", "--year", "2026", "--db", ledger, "--incomplete", "omit", "-o", out]
    assert main(argv) == 2
    assert "--incomplete 只用于 catalogue 招商手册" in capsys.readouterr().err
    assert main(["report", "catalogue", "--db", ledger, "--incomplete", "drop", "-o", out]) == 2


def test_the_print_dialog_asks(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = ReportOptionsDialog(None, which=CATALOGUE, regions={1: "辉县市"}, city="新乡市",
                                 today=date(2026, 12, 5))  # fmt: skip
    qtbot.addWidget(dialog)
    assert dialog.incomplete_buttons[False].isChecked()  # 列入并标注 unless the clerk says
    assert dialog.incomplete_buttons[True].text() == "不列入"
    assert dialog.incomplete_buttons[False].text() == "列入并标注"
    assert not dialog.options().omit_incomplete
    dialog.incomplete_buttons[True].setChecked(True)
    assert dialog.options().omit_incomplete
    dialog.show()
    dialog.grab().save(str(tmp_path / "dialog.png"))
    quota = ReportOptionsDialog(None, which=QUOTA, regions={1: "辉县市"}, city="新乡市",
                                today=date(2026, 12, 5))  # fmt: skip
    qtbot.addWidget(quota)
    assert not quota.incomplete_buttons
    assert not quota.options().omit_incomplete
