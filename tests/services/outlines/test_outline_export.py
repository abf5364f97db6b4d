"""Outlines out: GeoJSON and the 界址点 text; export → import into a fresh ledger gives the
same outline (vertices within 1 mm) and the same area."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyproj import Transformer
from shapely.geometry import shape
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.outlines.exporting import OutlineExportError, export_outlines
from landbank.services.outlines.importer import import_outlines
from landbank.store.engine import session_scope
from landbank.store.migrate import open_database
from tests.services.outlines.files import jzd_text, rectangle, write_jzd
from tests.services.outlines.ledger import make_ledger, parcel

HOLE = [(3921050.0, 500050.0), (3921050.0, 500100.0), (3921100.0, 500100.0), (3921100.0, 500050.0)]
APART = rectangle(3921000, 501000, 50, 60)


def _filled(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    text = jzd_text(
        [
            ("HX-001", "一号地", [rectangle()]),
            ("HX-002", "二号地", [rectangle(3921000), HOLE, APART]),
        ],
        prefix=False,
    )
    with session_scope(engine) as s:
        assert import_outlines(s, write_jzd(tmp_path / "原.txt", text), user="张三").written


def _vertices_m(text: str) -> list[tuple[float, float]]:
    """Every vertex of a stored outline in metres (CGCS2000 3° zone 38, no prefix)."""
    t = Transformer.from_crs(4490, 4547, always_xy=True)
    geometry = shape(json.loads(text))
    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    coords = [c for p in polygons for ring in [p.exterior, *p.interiors] for c in ring.coords]
    return [t.transform(x, y) for x, y in coords]


@pytest.mark.parametrize(
    ("name", "encoding"), [("红线.txt", "gbk"), ("红线.txt", "utf-8"), ("红线.geojson", "gbk")]
)
def test_round_trip_into_a_fresh_ledger(
    engine: Engine, tmp_path: Path, name: str, encoding: str
) -> None:
    _filled(engine, tmp_path)
    out = tmp_path / name
    with session_scope(engine) as s:
        result = export_outlines(s, out, encoding=encoding)
    assert result.count == 2
    if name.endswith(".txt"):
        raw = out.read_bytes()
        text = raw.decode(encoding)
        assert "带号=38" in text
        assert "J1,1,3920000.000,38500000.000" in text  # the zone prefix in Y
        assert "HX-002地块" in text
        assert ",3,3921000.000,38501000.000" in text  # the separate part is ring 3
    else:
        data = json.loads(out.read_text("utf-8"))
        assert data["features"][0]["properties"] == {
            "地块编号": "HX-001",
            "地块名称": "HX-001地块",
            "县区": "辉县市",
            "红线面积(亩)": 90.0,
        }
    fresh = open_database(f"sqlite:///{tmp_path / '新台账.sqlite3'}")
    try:
        make_ledger(fresh)
        with session_scope(fresh) as s:
            report = import_outlines(s, out, user="李四", county="辉县市")
        assert report.ok, report.describe()
        assert report.count("新增红线") == 2
        for code in ("HX-001", "HX-002"):
            before, after = parcel(engine, code), parcel(fresh, code)
            assert after.outline_area_mu == pytest.approx(before.outline_area_mu, rel=1e-7)
            old, new = (
                _vertices_m(before.outline_geojson or ""),
                _vertices_m(after.outline_geojson or ""),
            )
            assert len(old) == len(new)
            worst = max(abs(a - c) + abs(b - d) for (a, b), (c, d) in zip(old, new, strict=True))
            assert worst < 0.001, worst
    finally:
        fresh.dispose()


def test_export_choices_and_refusals(engine: Engine, tmp_path: Path) -> None:
    _filled(engine, tmp_path)
    with session_scope(engine) as s:
        one = export_outlines(s, tmp_path / "一.geojson", codes=["HX-002", "NOPE"])
        assert one.count == 1
        assert one.skipped == ["NOPE：没有此地块或它还没有红线"]
        with pytest.raises(OutlineExportError, match="没有可导出的红线"):
            export_outlines(s, tmp_path / "空.geojson", county="获嘉县")
        with pytest.raises(OutlineExportError, match="没有名为“北京”的县区"):
            export_outlines(s, tmp_path / "空.geojson", county="北京")
        with pytest.raises(OutlineExportError, match=r"\.geojson、\.json 或 \.txt"):
            export_outlines(s, tmp_path / "x.xlsx")
        with pytest.raises(OutlineExportError, match="没有可导出的红线"):
            export_outlines(s, tmp_path / "园区.geojson", kind=RecordKind.PARK)
    geometry = json.loads((tmp_path / "一.geojson").read_text("utf-8"))["features"][0]["geometry"]
    assert geometry["type"] == "MultiPolygon"
    assert len(geometry["coordinates"][0]) == 2  # the outer ring and its hole
    assert not list(tmp_path.glob(".*.part"))


def test_gbk_export_of_a_name_gbk_lacks(engine: Engine, tmp_path: Path) -> None:
    """埇 (埇桥区) is not in GBK: the file is GB18030, which GBK readers and the import read."""
    make_ledger(engine, {"埇-1": 90.0})
    with session_scope(engine) as s:
        import_outlines(
            s,
            write_jzd(tmp_path / "a.txt", jzd_text([("埇-1", "", [rectangle()])]), "utf-8"),
            user="张三",
        )
        export_outlines(s, tmp_path / "b.txt")
    raw = (tmp_path / "b.txt").read_bytes()
    assert "埇-1".encode("gb18030") in raw
    assert "坐标系=2000国家大地坐标系".encode("gbk") in raw
    with session_scope(engine) as s:
        report = import_outlines(s, tmp_path / "b.txt", user="张三", dry_run=True)
    assert report.rows[0].key == "埇-1"
    assert report.rows[0].status == "与现有红线相同"
