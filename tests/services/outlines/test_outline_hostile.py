"""Hostile and broken outline files: refused with the file, block or feature, line and reason;
never a crash; the ledger unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from landbank.domain.enums import RecordKind
from landbank.services.outlines.importer import import_outlines
from landbank.services.outlines.reading import MAX_FILE_BYTES, OutlineFileError
from landbank.services.outlines.saving import save_outline
from landbank.services.records.saving import ConflictError
from landbank.store.engine import session_scope
from tests.services.outlines.files import (
    jzd_text,
    polygon,
    rectangle,
    to_lonlat,
    write_geojson,
    write_jzd,
)
from tests.services.outlines.ledger import make_ledger, parcel, state

BOW_TIE = [
    (3920000.0, 500000.0),
    (3920200.0, 500300.0),
    (3920200.0, 500000.0),
    (3920000.0, 500300.0),
]


def refused(engine: Engine, path: Path, **options: object) -> str:
    """The refusal of a whole file (the ledger checked unchanged)."""
    before = state(engine)
    with pytest.raises(OutlineFileError) as caught, session_scope(engine) as s:
        import_outlines(s, path, user="张三", **options)  # type: ignore[arg-type]
    assert state(engine) == before
    return str(caught.value)


def test_whole_files_refused(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    binary = tmp_path / "红线.txt"
    binary.write_bytes(bytes(range(256)) * 100)
    assert refused(engine, binary) == "红线.txt：不是文本文件（含有二进制内容）"
    huge = tmp_path / "千万点.txt"  # sparse: the size of 10 million points, no disk used
    with huge.open("wb") as handle:
        handle.truncate(400 * 1024 * 1024)
    assert "超过 64 MB 的上限" in refused(engine, huge)
    assert huge.stat().st_size > MAX_FILE_BYTES
    assert "文件不存在" in refused(engine, tmp_path / "没有.txt")
    assert "是一个文件夹" in refused(engine, tmp_path)
    assert "没有 [地块坐标]" in refused(
        engine, write_jzd(tmp_path / "x.txt", "[属性描述]\n坐标系=2000\n")
    )
    assert "不是有效的 GeoJSON" in refused(engine, write_jzd(tmp_path / "x.geojson", "{", "utf-8"))
    nested = write_jzd(tmp_path / "deep.geojson", "[" * 100_000 + "]" * 100_000, "utf-8")
    assert "GeoJSON" in refused(engine, nested)
    assert "不是可识别的红线文件" in refused(
        engine, write_jzd(tmp_path / "a.xlsx", "hello", "utf-8")
    )
    corrupt = tmp_path / "坏.shp"
    corrupt.write_bytes(b"\x00\x00\x27\x0a" + b"\xff" * 200)
    (tmp_path / "坏.dbf").write_bytes(b"\x03" + b"\x00" * 40)
    assert "Shapefile 已损坏或无法读取" in refused(engine, corrupt)


def test_a_million_points_and_more_are_refused(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    ring = ",".join("[113.8,35.4]" for _ in range(1_000_001))
    path = tmp_path / "many.geojson"
    path.write_text('{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"地块编号":"HX-001"},'
                    f'"geometry":{{"type":"Polygon","coordinates":[[{ring}]]}}}}]}}', "utf-8")  # fmt: skip
    assert "坐标点超过 1,000,000 个（第 1 个要素）" in refused(engine, path)
    points = ",".join(
        '{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[113.8,35.4]}}'
        for _ in range(100_001)
    )
    path.write_text(f'{{"type":"FeatureCollection","features":[{points}]}}', "utf-8")
    assert "红线（要素）超过 100,000 个" in refused(engine, path)
    headers = "[地块坐标]\n" + ",,A,,,,,,@\n" * 100_001
    assert "文件的地块超过 100,000 个" in refused(engine, write_jzd(tmp_path / "h.txt", headers))
    many = jzd_text([("HX-001", "", [rectangle()] * 300)])
    assert "界址点超过 1,000 个（第 " in refused(
        engine, write_jzd(tmp_path / "m.txt", many), max_points=1000
    )


def test_bad_outlines_refuse_the_import_and_are_all_named(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    text = jzd_text([("HX-001", "", [rectangle()]), ("HX-002", "", [BOW_TIE])])
    text = text.replace("J2,1,3920000.000,38500300.000", "J2,1,NaN,38500300.000", 1)
    before = state(engine)
    with session_scope(engine) as s:
        report = import_outlines(s, write_jzd(tmp_path / "坏红线.txt", text), user="张三")
    assert not report.ok
    assert not report.written
    first, second = report.rows
    assert first.reason == "第 1 个地块，第 16 行：坐标“NaN”不是有效的数（点 J2）"
    assert second.reason == "第 1 圈边界线自相交（在 X=3920100.000，Y=38500150.000 附近）"
    described = report.describe()
    assert "有 2 处错误，没有写入任何红线" in described
    assert state(engine) == before


def test_geojson_refusals_name_the_feature(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    lonlat = to_lonlat(rectangle())
    features: list[tuple[dict[str, object], dict[str, object]]] = [
        ({"地块编号": "HX-001"}, polygon([(113.8, float("nan")), *lonlat[1:]])),
        ({"地块编号": "HX-002"}, polygon([(y, x) for x, y in lonlat])),  # latitude first
        (
            {"地块编号": "HX-002"},
            {"type": "LineString", "coordinates": [[113.8, 35.4], [113.9, 35.5]]},
        ),
        ({"地块编号": "HX-002"}, polygon(to_lonlat(BOW_TIE))),
        ({"地块编号": "HX-002"}, {"type": "Point", "coordinates": [113.8, 35.4]}),
        ({"地块编号": "HX-002"}, {"type": "Polygon", "coordinates": [[["a", 1], [2, 3], [4, 5]]]}),
    ]
    path = write_geojson(tmp_path / "坏.geojson", features)
    assert "NaN" in path.read_text("utf-8")
    before = state(engine)
    with session_scope(engine) as s:
        report = import_outlines(s, path, user="张三")
    reasons = [r.reason for r in report.rows]
    assert "坐标无效" in reasons[0]
    assert "不在我国范围" in reasons[1]
    assert "不是面或点" in reasons[2]
    assert "自相交" in reasons[3]
    assert "是点要素，地块需要面（红线）" in reasons[4]
    assert "坐标不是数" in reasons[5]
    assert report.refused == 6
    assert state(engine) == before
    assert json.loads(json.dumps(report.to_json()))["ok"] is False


def test_a_stale_version_is_a_conflict(engine: Engine, tmp_path: Path) -> None:
    make_ledger(engine)
    stored = parcel(engine, "HX-001")
    assert stored.id is not None
    with pytest.raises(ConflictError), session_scope(engine) as s:
        save_outline(
            s, RecordKind.PARCEL, stored.id, expected_version=stored.version - 1, geojson="{}",
            area_mu=1.0, source_text="x", user="张三", source="导入红线:x",
        )  # fmt: skip
    assert parcel(engine, "HX-001").version == stored.version
