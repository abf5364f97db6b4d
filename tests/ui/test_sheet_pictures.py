"""The 推介单 carries the site's map excerpt and its first photo (issue 15): a parcel with an
outline and a photo gets both on its page of the PDF (pdfimages), a parcel with neither gets
none, and each sheet stays one page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.matching.export import site_rows
from landbank.services.matching.sites import match_project
from landbank.services.records.saving import create_record
from landbank.settings import Settings
from landbank.store.models import Region
from landbank.ui.matching.sheet_facts import build_sheets, site_pictures_html
from landbank.ui.matching.sheet_painting import write_pdf
from landbank.ui.reports.html_parts import Audience
from landbank.ui.reports.site_pictures import BOX, photo_picture, site_pictures
from tests.site_dossier import png_bytes, seed_sites

pytestmark = pytest.mark.skipif(shutil.which("pdfimages") is None, reason="needs poppler-utils")

TODAY = date(2026, 12, 5)


def images_per_page(pdf: Path) -> dict[int, list[tuple[int, int]]]:
    """page → (width, height) of each image on it, as ``pdfimages -list`` reads them."""
    out = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout
    pages: dict[int, list[tuple[int, int]]] = {}
    for line in out.splitlines()[2:]:
        fields = line.split()
        if len(fields) > 4 and fields[2] == "image":
            pages.setdefault(int(fields[0]), []).append((int(fields[3]), int(fields[4])))
    return pages


@pytest.fixture
def sites(engine: Engine) -> dict[str, int]:
    with Session(engine) as session:
        ids = seed_sites(session)
        region = session.execute(select(Region)).scalar_one()
        project = create_record(
            session,
            RecordKind.PROJECT,
            {"name": "新材料产业园项目", "region_id": region.id, "stage": "签约",
             "req_land_mu": 80.0, "req_land_max_mu": 130.0},
            user="t",
        )  # fmt: skip
        session.commit()
        ids["project"] = int(project.id)  # type: ignore[arg-type]
    return ids


def test_sheets_carry_the_map_and_the_photo(
    qapp: object, engine: Engine, sites: dict[str, int], tmp_path: Path
) -> None:
    with Session(engine) as session:
        report = match_project(session, sites["project"], TODAY, top=5)
        rows = site_rows(report.result, report.project_name)
        by_site = {row.sites[0].id: row for row in rows}
        assert {sites["HX-FULL"], sites["HX-BARE"], sites["HX-OFF"]} <= set(by_site)
        chosen = [by_site[sites[c]] for c in ("HX-FULL", "HX-BARE", "HX-OFF")]
        sheets = build_sheets(
            session, chosen, today=TODAY, audience=Audience.INVESTOR, settings=Settings()
        )
        pictures = site_pictures_html(session, chosen)
    assert pictures[(RecordKind.PARCEL, sites["HX-BARE"])] == ""  # no outline, no photo
    assert "位置示意图" in sheets[0]
    assert "现场照片" in sheets[0]
    assert "位置示意图" not in sheets[1]
    pdf = tmp_path / "推介单.pdf"
    write_pdf(pdf, sheets, footer="项目选址推介", title="推介")
    pages = images_per_page(pdf)
    assert sorted(pages) == [1, 3]  # HX-BARE's page has none
    for page in (1, 3):
        sizes = sorted(pages[page])
        assert len(sizes) == 2  # the map and the photo
        # The 320 × 240 photo kept its 4:3 (fitted into 300 × 188: 251 × 188, at 1.6 times).
        assert (320, 240) in sizes or any(abs(w * 3 - h * 4) <= 4 for w, h in sizes)
        assert (round(BOX[0] * 1.6), round(BOX[1] * 1.6)) in sizes  # the map, drawn to its box
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"Pages:\s+3\b", info.stdout)  # one page a sheet, none broken
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "sheet")],
        check=True,
    )


def test_photos_are_fitted_with_their_aspect(qapp: object, engine: Engine) -> None:
    wide = photo_picture(png_bytes(1000, 250))
    assert wide is not None
    assert (wide.width, wide.height) == (300, 75)
    assert wide.image.width() == 480  # decoded at 1.6 × the box, not at its 1,000 px
    tall = photo_picture(png_bytes(200, 400))
    assert tall is not None
    assert (tall.width, tall.height) == (94, 188)
    assert tall.image.width() == 150
    small = photo_picture(png_bytes(40, 30))
    assert small is not None
    assert small.image.width() == 40  # never enlarged
    assert photo_picture(b"not an image") is None
    with Session(engine) as session:
        ids = seed_sites(session)
        bare = site_pictures(session, RecordKind.PARCEL, ids["HX-BARE"])
        factory = site_pictures(session, RecordKind.FACTORY, ids["F-1"])
    assert not bare
    assert factory.map is not None  # a building with its position has a map
    assert factory.photo is None
