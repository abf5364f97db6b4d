"""Outlines in: the 界址点 text in both zone conventions, GeoJSON and shapefiles matched to
parcels, areas, the 1 % flag, the report, audit and version, dry run, keep/replace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pyproj import Geod
from shapely.geometry import shape
from sqlalchemy import Engine, select

from landbank.domain.enums import RecordKind
from landbank.services.outlines.importer import OutlineOptionError, import_outlines
from landbank.services.outlines.report import KEEP, NEW, REPLACE, SAME, UNMATCHED, OutlineReport
from landbank.services.records.history import field_label
from landbank.store.engine import session_scope
from landbank.store.models import AuditEntry, Factory, Park
from tests.services.outlines.files import (
    RECT_MU,
    jzd_text,
    polygon,
    rectangle,
    to_lonlat,
    write_geojson,
    write_jzd,
    write_shapefile,
)
from tests.services.outlines.ledger import make_ledger, parcel, state

HOLE = [(3920050.0, 500050.0), (3920050.0, 500100.0), (3920100.0, 500100.0), (3920100.0, 500050.0)]


def run(engine: Engine, path: Path, **options: object) -> OutlineReport:
    with session_scope(engine) as s:
        return import_outlines(s, path, user="张三", **options)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("prefix", "encoding"), [(True, "gbk"), (False, "utf-8"), (False, "utf-8-sig")]
)
def test_jzd_file_in_either_zone_convention(
    engine: Engine, tmp_path: Path, prefix: bool, encoding: str
) -> None:
    make_ledger(engine)
    text = jzd_text(
        [
            ("HX-001", "一号地", [rectangle()]),
            ("HX-002", "二号地", [rectangle(3921000), [(x + 1000, y) for x, y in HOLE]]),
        ],
        prefix=prefix,
    )
    path = write_jzd(tmp_path / "红线.txt", text, encoding)
    report = run(engine, path)
    assert report.ok, report.describe()
    assert [r.status for r in report.rows] == [NEW, NEW]
    first, second = report.rows
    assert first.outline_mu == pytest.approx(RECT_MU, rel=1e-9)
    assert second.outline_mu == pytest.approx(RECT_MU - 2500 / (10000 / 15), rel=1e-9)
    assert not first.mismatch
    assert second.mismatch  # 86.25 亩 against 80 亩 registered
    stored = parcel(engine, "HX-001")
    assert stored.version == 2
    assert stored.outline_area_mu == pytest.approx(RECT_MU)
    zone = "2000国家大地坐标系 3°带 38带" + ("" if prefix else "（Y 无带号）")
    assert stored.outline_source == f"界址点 红线.txt，{zone}"
    geometry = shape(json.loads(stored.outline_geojson or ""))
    assert geometry.geom_type == "Polygon"
    assert 113.9 < geometry.centroid.x < 114.1
    assert 35.3 < geometry.centroid.y < 35.5
    holed = shape(json.loads(parcel(engine, "HX-002").outline_geojson or ""))
    assert len(holed.interiors) == 1
    with session_scope(engine) as s:
        entries = list(
            s.execute(
                select(AuditEntry).where(
                    AuditEntry.source == "导入红线:红线.txt", AuditEntry.record_id == stored.id
                )
            ).scalars()
        )  # type: ignore[arg-type]
    by_field = {e.field: (e.old_value, e.new_value) for e in entries}
    assert by_field["outline"] == ("无", "4 点，90.00 亩")
    assert by_field["outline_area_mu"] == (None, "90")
    assert field_label(RecordKind.PARCEL, "outline_area_mu") == "红线面积"
    assert field_label(RecordKind.PARCEL, "outline") == "红线"  # the history names it
    assert {e.user for e in entries} == {"张三"}
    assert {e.record_version for e in entries} == {2}


def test_the_area_of_a_known_rectangle_in_degrees(engine: Engine, tmp_path: Path) -> None:
    """A 200 m × 300 m rectangle given in longitude/latitude: 90 亩 within 0.1 %, checked
    against the geodesic area on the CGCS2000 ellipsoid as well."""
    make_ledger(engine)
    corners = to_lonlat(rectangle())
    path = write_geojson(tmp_path / "红线.geojson", [({"地块编号": "HX-001"}, polygon(corners))])
    report = run(engine, path)
    computed = report.rows[0].outline_mu
    assert computed is not None
    geodesic_m2, _ = Geod(ellps="GRS80").polygon_area_perimeter(
        [c[0] for c in corners], [c[1] for c in corners]
    )
    error = abs(computed - RECT_MU) / RECT_MU
    assert error < 0.001, error
    assert abs(computed - abs(geodesic_m2) / (10000 / 15)) / RECT_MU < 0.001
    assert parcel(engine, "HX-001").outline_source == (
        "GeoJSON 红线.geojson，经纬度（WGS84/CGCS2000）（面积按 2000国家大地坐标系 3°带 38带 计算）"
    )


def test_the_mismatch_is_flagged_in_the_report(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine, {"HX-001": 90.5, "HX-002": 88.0})  # 0.55 % and 2.3 % off 90 亩
    text = jzd_text([("HX-001", "", [rectangle()]), ("HX-002", "", [rectangle(3921000)])])
    report = run(engine, write_jzd(tmp_path / "a.txt", text), dry_run=True)
    assert [r.mismatch for r in report.rows] == [False, True]
    assert report.mismatches == [report.rows[1]]
    text_report = report.describe()
    assert "红线面积与收储面积相差超过 1 %：1 个" in text_report
    assert "收储面积 88.00 亩，相差 +2.27 %（红线面积不符）" in text_report
    assert report.to_json()["rows"][1]["area_mismatch"] is True


def test_a_dry_run_writes_nothing(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    before = state(engine)
    report = run(
        engine,
        write_jzd(tmp_path / "a.txt", jzd_text([("HX-001", "", [rectangle()])])),
        dry_run=True,
    )
    assert report.rows[0].status == NEW
    assert not report.written
    assert "试导入（未写入）" in report.describe()
    assert state(engine) == before


def test_existing_outlines_are_kept_or_replaced(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    run(engine, write_jzd(tmp_path / "a.txt", jzd_text([("HX-001", "", [rectangle()])])))
    again = run(engine, tmp_path / "a.txt")
    assert again.rows[0].status == SAME
    assert not again.written
    bigger = write_jzd(tmp_path / "b.txt", jzd_text([("HX-001", "", [rectangle(dx=210)])]))
    kept = run(engine, bigger)
    assert kept.rows[0].status == KEEP
    assert "已有红线，已保留" in kept.describe()
    assert parcel(engine, "HX-001").outline_area_mu == pytest.approx(RECT_MU)
    replaced = run(engine, bigger, on_existing="replace")
    assert replaced.rows[0].status == REPLACE
    stored = parcel(engine, "HX-001")
    assert stored.outline_area_mu == pytest.approx(94.5)
    assert stored.version == 3
    with session_scope(engine) as s:
        last = (
            s.execute(
                select(AuditEntry)
                .where(AuditEntry.field == "outline")
                .order_by(AuditEntry.id.desc())
            )
            .scalars()
            .first()
        )  # type: ignore[attr-defined]
    assert last is not None
    assert (last.old_value, last.new_value) == ("4 点，90.00 亩", "4 点，94.50 亩")


def test_unmatched_ambiguous_and_narrowed_by_county(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    text = jzd_text(
        [
            ("DUP-1", "", [rectangle()]),
            ("NOPE-9", "", [rectangle(3921000)]),
            ("", "无编号", [rectangle(3922000)]),
        ]
    )
    path = write_jzd(tmp_path / "a.txt", text)
    report = run(engine, path)
    assert [r.status for r in report.rows] == [UNMATCHED] * 3
    assert "2 个县区都有此地块（辉县市、获嘉县），请指定县区" in report.rows[0].reason
    assert "台账中没有此地块" in report.rows[1].reason
    assert "没有“地块编号”的值" in report.rows[2].reason
    assert not report.written
    narrowed = run(engine, path, county="获嘉")
    assert narrowed.rows[0].status == NEW
    assert narrowed.rows[0].region == "获嘉县"
    assert parcel(engine, "DUP-1", "获嘉县").outline_geojson
    assert parcel(engine, "DUP-1", "辉县市").outline_geojson is None
    with pytest.raises(OutlineOptionError, match="没有名为“北京”的县区"):
        run(engine, path, county="北京")


def test_by_name_and_twice_the_same_parcel(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    text = jzd_text([("x", "HX-001地块", [rectangle()]), ("y", "HX-001地块", [rectangle(3921000)])])
    report = run(engine, write_jzd(tmp_path / "a.txt", text), key="name")
    assert report.rows[0].status == NEW
    assert "与第 1 个地块对应同一地块" in report.rows[1].reason
    assert not report.written


@pytest.mark.parametrize(("cpg", "encoding"), [(False, "gbk"), (True, "utf-8"), (False, "utf-8")])
def test_shapefile_with_its_prj_and_either_encoding(
    engine: Engine, tmp_path: Path, cpg: bool, encoding: str
) -> None:
    make_ledger(engine)
    path = write_shapefile(
        tmp_path / "红线.shp",
        [("HX-001", "一号地（东）", [rectangle()]), ("HX-002", "二号地", [rectangle(3921000)])],
        encoding=encoding,
        cpg=cpg,
    )
    with pytest.raises(OutlineOptionError, match="没有名为“BM”的属性（文件的属性：DKBH、DKMC）"):
        run(engine, path, key_field="BM")
    report = run(engine, path)  # DKBH: 地块编号's usual abbreviation
    assert report.ok, report.describe()
    assert [r.status for r in report.rows] == [NEW, NEW]
    assert report.rows[0].outline_mu == pytest.approx(RECT_MU, rel=1e-6)
    by_name = run(engine, path, key="name", key_field="DKMC", dry_run=True)
    assert by_name.rows[0].key == "一号地（东）"
    assert "CGCS2000 / 3-degree Gauss-Kruger CM 114E" in (
        parcel(engine, "HX-001").outline_source or ""
    )


def test_shapefile_without_prj_with_the_zone_in_the_easting(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    ring = [(x, y + 38_000_000) for x, y in rectangle()]
    path = write_shapefile(tmp_path / "z.shp", [("HX-001", "", [ring])], prj_epsg=None)
    report = run(engine, path, key_field="DKBH")
    assert report.rows[0].outline_mu == pytest.approx(RECT_MU, rel=1e-6)
    assert "没有 .prj 文件：按 2000国家大地坐标系 3°带 38带" in report.notes[0]
    bare = write_shapefile(tmp_path / "bare.shp", [("HX-001", "", [rectangle()])], prj_epsg=None)
    from landbank.services.outlines.reading import OutlineFileError

    with pytest.raises(OutlineFileError, match=r"缺少 \.prj 文件"):
        run(engine, bare, key_field="DKBH")


def test_xian_1980_and_a_disagreeing_header(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    text = jzd_text([("HX-001", "", [rectangle()])], datum="1980西安坐标系", hectares=[7.0])
    report = run(engine, write_jzd(tmp_path / "x.txt", text))
    row = report.rows[0]
    assert row.outline_mu == pytest.approx(RECT_MU)
    assert "标题行的地块面积 7 公顷（105.00 亩）与界址点围成的 90.00 亩不符" in row.notes
    assert "1980西安坐标系 3°带 38带" in (parcel(engine, "HX-001").outline_source or "")
    assert "近似换算" in (parcel(engine, "HX-001").outline_source or "")


def test_factory_points_and_park_outlines(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    lon, lat = 113.812345, 35.456789
    points = write_geojson(
        tmp_path / "厂房.geojson",
        [({"厂房编号": "CF-1"}, {"type": "Point", "coordinates": [lon, lat]})],
    )
    report = run(engine, points, kind=RecordKind.FACTORY)
    assert report.ok, report.describe()
    assert report.rows[0].status == NEW
    assert "新增坐标 1" in report.describe()
    with session_scope(engine) as s:
        factory = s.execute(select(Factory)).scalar_one()
        assert (factory.longitude, factory.latitude, factory.version) == (lon, lat, 2)
        sources = set(
            s.execute(
                select(AuditEntry.source).where(
                    AuditEntry.record_kind == "factory", AuditEntry.field == "longitude"
                )
            ).scalars()
        )  # type: ignore[arg-type]
    assert sources == {"导入红线:厂房.geojson"}
    shp = write_shapefile(tmp_path / "厂房点.shp", [("CF-1", "", [rectangle()])], points=True)
    moved = run(engine, shp, kind=RecordKind.FACTORY, key_field="DKBH", on_existing="replace")
    assert moved.rows[0].status == REPLACE
    park = write_geojson(
        tmp_path / "园区.geojson", [({"名称": "辉县市产业集聚区"}, polygon(to_lonlat(rectangle())))]
    )
    parks = run(engine, park, kind=RecordKind.PARK)
    assert parks.rows[0].status == NEW
    assert parks.key_label == "园区名称"
    with session_scope(engine) as s:
        stored = s.execute(select(Park)).scalar_one()
    assert stored.outline_area_mu == pytest.approx(RECT_MU, rel=1e-3)
    assert stored.version == 2
    polygon_for_factory = run(
        engine, park, kind=RecordKind.FACTORY, key="name", key_field="名称", dry_run=True
    )
    assert polygon_for_factory.rows[0].status == UNMATCHED  # no factory of that name
    assert "取其中心点" in polygon_for_factory.rows[0].notes[0]


def test_on_sqlite_and_postgresql(any_engine: Engine, tmp_path: Path) -> None:
    """The import writes, audits and bumps the version alike on both databases; a record saved
    by another clerk after the import read it is a conflict that rolls the whole file back."""
    from landbank.services.outlines.saving import save_outline
    from landbank.services.records.saving import ConflictError, update_record
    from landbank.store.engine import write_session

    make_ledger(any_engine)
    text = jzd_text([("HX-001", "", [rectangle()]), ("HX-002", "", [rectangle(3921000)])])
    path = write_jzd(tmp_path / "红线.txt", text)
    with write_session(any_engine) as s:
        report = import_outlines(s, path, user="张三", county="辉县")
    assert report.written
    stored = parcel(any_engine, "HX-001")
    assert stored.version == 2
    assert stored.outline_area_mu == pytest.approx(RECT_MU)
    assert stored.id is not None
    with write_session(any_engine) as s:  # another clerk edits the parcel
        update_record(
            s, RecordKind.PARCEL, stored.id, {"notes": "改了"}, expected_version=2, user="李四"
        )
    before = state(any_engine)
    with pytest.raises(ConflictError, match="李四"), write_session(any_engine) as s:
        save_outline(
            s, RecordKind.PARCEL, stored.id, expected_version=2, geojson="{}", area_mu=1.0,
            source_text="x", user="张三", source="导入红线:x",
        )  # fmt: skip
    assert state(any_engine) == before
