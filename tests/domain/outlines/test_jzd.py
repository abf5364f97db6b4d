"""The 界址点 text: read as real files vary, the zone told, written and read back."""

from __future__ import annotations

import pytest

from landbank.domain.outlines.jzd import JzdError, JzdOutline, block_zone, format_jzd, parse_jzd
from landbank.domain.outlines.zones import Datum, ZoneError

MESSY = """\ufeff[属性描述]
坐标系＝2000国家大地坐标系
几度分带=3
带号=38<sp>

[项目信息]
项目名称=某项目
[地块坐标]
5，6.0000，HX-001，冯庄镇（东）地块，面，，工业，，@<sp>
J1，1，3920000.000，38500000.000
J2,1,３９２００００.０００,38500300.000

J3,1,3920200.000,38500300.000
J4,1,3920200.000,38500000.000
J1,1,3920000.000,38500000.000
3,,HX-002,坏地块,面,,,,@
J1,1,abc,38500000
J2,1,NaN,38500000
J3,1,3920000
""".replace("<sp>", "   ")


def test_a_messy_file_is_read_as_it_is() -> None:
    parsed = parse_jzd(MESSY, max_points=100)
    assert parsed.attributes["带号"] == "38"
    first, second = parsed.blocks
    assert (first.code, first.name, first.hectares, first.line) == (
        "HX-001",
        "冯庄镇（东）地块",
        6.0,
        9,
    )
    assert first.point_count == 5
    assert not first.broken
    assert first.rings[1][1][1:3] == (3920000.0, 38500300.0)  # full-width digits
    assert second.broken
    reasons = [p.describe() for p in parsed.problems]
    assert reasons[0].startswith("第 2 个地块，第 17 行：坐标“abc”不是有效的数")
    assert "“NaN”" in reasons[1]
    assert "点号,圈号,X,Y" in reasons[2]
    zone, notes = block_zone(parsed.attributes, first)
    assert (zone.datum, zone.width, zone.number, zone.prefixed, zone.epsg) == (
        Datum.CGCS2000,
        3,
        38,
        True,
        4526,
    )
    assert notes == []


def test_the_zone_from_the_prefix_the_attributes_or_neither() -> None:
    text = "[属性描述]\n坐标系=1980西安坐标系\n[地块坐标]\n,,A,,,,,,@\nJ1,1,3920000,19500000\n"
    parsed = parse_jzd(text, max_points=10)
    zone, _ = block_zone(parsed.attributes, parsed.blocks[0])
    assert (zone.datum, zone.width, zone.number, zone.epsg) == (Datum.XIAN1980, 6, 19, 2333)
    no_zone = parse_jzd("[地块坐标]\n,,A,,,,,,@\nJ1,1,3920000,500000\n", max_points=10)
    with pytest.raises(ZoneError, match="无法确定投影带"):
        block_zone(no_zone.attributes, no_zone.blocks[0])
    _, notes = block_zone({"带号": "38"}, no_zone.blocks[0])
    assert "未写坐标系" in notes[0]
    zone, _ = block_zone({"带号": "114", "几度分带": "3"}, no_zone.blocks[0])  # the meridian given
    assert (zone.number, zone.epsg) == (38, 4547)
    with pytest.raises(ZoneError, match="不符"):
        block_zone({"带号": "39"}, parsed.blocks[0])
    with pytest.raises(ZoneError, match="不受支持"):
        block_zone({"坐标系": "1954北京坐标系", "带号": "38"}, no_zone.blocks[0])


def test_refusals_of_the_whole_file() -> None:
    with pytest.raises(JzdError, match="没有 \\[地块坐标\\]"):
        parse_jzd("随便什么\n", max_points=10)
    with pytest.raises(JzdError, match="没有地块"):
        parse_jzd("[地块坐标]\n", max_points=10)
    many = "[地块坐标]\n,,A,,,,,,@\n" + "J1,1,3920000,500000\n" * 11
    with pytest.raises(JzdError, match="超过 10 个"):
        parse_jzd(many, max_points=10)


def test_written_text_reads_back() -> None:
    ring = [
        (3920000.0, 38500000.0),
        (3920000.0, 38500300.0),
        (3920200.0, 38500300.0),
        (3920200.0, 38500000.0),
    ]
    hole = [
        (3920050.0, 38500050.0),
        (3920050.0, 38500100.0),
        (3920100.0, 38500100.0),
        (3920100.0, 38500050.0),
    ]
    text = format_jzd(
        [("坐标系", "2000国家大地坐标系"), ("带号", "38")],
        [JzdOutline("A,1", "名@称", 5.75, [ring, hole])],
    )
    assert "\r\n" in text
    parsed = parse_jzd(text, max_points=100)
    block = parsed.blocks[0]
    assert (block.code, block.name, block.hectares, block.declared_points) == (
        "A、1",
        "名、称",
        5.75,
        10,
    )
    assert [p[1:3] for p in block.rings[1]] == [*ring, ring[0]]
    assert [p[1:3] for p in block.rings[2]] == [*hole, hole[0]]
