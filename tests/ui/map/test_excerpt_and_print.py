"""The site's map excerpt (for the 推介单 and the 招商手册) and the printed map."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from landbank.domain.enums import RecordKind
from landbank.services.identity import save_ledger_identity
from landbank.services.mapping.features import load_map
from landbank.store.queries import RecordFilter
from landbank.ui.context import AppContext
from landbank.ui.map.excerpt import site_map_image
from landbank.ui.map.printing import map_printout, write_map_pdf
from landbank.ui.map.style import HIGHLIGHT
from tests.services.mapping.city import MapCity, build_map_city


@pytest.fixture
def city(ctx: AppContext) -> MapCity:
    return build_map_city(ctx.engine)


def _colours(image: QImage) -> set[str]:
    return {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 3)
        for y in range(0, image.height(), 3)
    }


def test_the_excerpt_of_a_parcel(qapp: QApplication, ctx: AppContext, city: MapCity) -> None:
    with ctx.session() as s:
        image = site_map_image(s, RecordKind.PARCEL, city.parcels["QS-001"], 600, 400)
        again = site_map_image(s, RecordKind.PARCEL, city.parcels["QS-001"], 600, 400)
        start = time.perf_counter()
        site_map_image(s, RecordKind.PARCEL, city.parcels["QS-002"], 600, 400)
        elapsed = time.perf_counter() - start
    assert image is not None
    assert again is not None
    assert (image.width(), image.height()) == (600, 400)
    assert image == again  # the same every time
    colours = _colours(image)
    assert HIGHLIGHT.name() in colours  # the site's outline
    assert len(colours) > 20  # neighbours, park, labels, scale bar, arrow
    assert elapsed < 0.1, elapsed


def test_the_excerpt_of_a_building_and_of_sites_without_place(
    qapp: QApplication, ctx: AppContext, city: MapCity
) -> None:
    with ctx.session() as s:
        image = site_map_image(s, RecordKind.FACTORY, city.factories["F-3"], 320, 240)
        assert image is not None
        assert (image.width(), image.height()) == (320, 240)
        assert HIGHLIGHT.name() in _colours(image)
        assert site_map_image(s, RecordKind.PARCEL, city.parcels["QS-004"], 320, 240) is None
        assert site_map_image(s, RecordKind.FACTORY, city.factories["F-4"], 320, 240) is None
        assert site_map_image(s, RecordKind.PROJECT, 1, 320, 240) is None
        with pytest.raises(ValueError, match="positive"):
            site_map_image(s, RecordKind.PARCEL, city.parcels["QS-001"], 0, 240)


def test_the_printed_map(
    qapp: QApplication, ctx: AppContext, city: MapCity, tmp_path: Path
) -> None:
    with ctx.write_session() as s:
        save_ledger_identity(s, city="新乡市", bureau="新乡市商务局", user="测试员")
    with ctx.session() as s:
        data = load_map(s)
    printout = map_printout(ctx, data)
    out = tmp_path / "地图.pdf"
    assert write_map_pdf(out, printout) == 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "新乡市收储地块与标准厂房分布图" in text
    assert "制表单位：新乡市商务局" in text
    assert "可供" in text  # the legend
    assert "QS-001" in text
    assert "F-3" in text
    assert "比例尺 1:" in text
    assert "1 个地块无红线" in text
    assert "CGCS2000" in text
    assert printout.scale_bar is not None
    assert printout.scale_bar.label.endswith(("m", "km"))
    # A frame of one parcel prints at a larger scale (a shorter bar).
    qs1 = data.find(RecordKind.PARCEL, city.parcels["QS-001"])
    assert qs1 is not None
    x0, y0, x1, y1 = qs1.bounds
    close = map_printout(ctx, data, QRectF(x0 - 100, -y1 - 100, x1 - x0 + 200, y1 - y0 + 200))
    write_map_pdf(tmp_path / "近.pdf", close)
    assert close.scale_bar is not None
    assert close.scale_bar.metres < printout.scale_bar.metres


def test_the_scale_bar_colour_is_not_the_highlight() -> None:
    assert QColor("#222222") != HIGHLIGHT


def test_the_printed_map_says_its_filters(
    qapp: QApplication, ctx: AppContext, city: MapCity, tmp_path: Path
) -> None:
    qs = RecordFilter(region_ids=(city.regions["青山县"],))
    with ctx.session() as s:
        data = load_map(s, qs, qs)
    same = map_printout(ctx, data, filters=(qs, qs))
    assert same.conditions == "筛选：青山县"
    out = tmp_path / "青山县.pdf"
    write_map_pdf(out, same)
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "筛选：青山县" in text
    available = RecordFilter(region_ids=qs.region_ids, statuses=("可供",))
    assert (
        map_printout(ctx, data, filters=(available, RecordFilter())).conditions
        == "筛选 — 地块：青山县，供应状态：可供；厂房：全部"
    )
    assert map_printout(ctx, data, filters=(available, None)).conditions == (
        "筛选 — 地块：青山县，供应状态：可供"
    )
    assert map_printout(ctx, data, filters=(RecordFilter(), RecordFilter())).conditions == ""
