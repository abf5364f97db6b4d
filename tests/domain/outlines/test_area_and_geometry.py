"""Areas in 亩, the 1 % rule, and rings made into outlines (holes, parts, refusals)."""

from __future__ import annotations

import math

import pytest

from landbank.domain.outlines.area import (
    difference_pct,
    difference_text,
    header_area_disagrees,
    mu_of_m2,
    outline_area_mismatch,
    outline_summary,
)
from landbank.domain.outlines.geometry import (
    OutlineGeometryError,
    outline_of_parts,
    outline_of_rings,
)

SQUARE = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (0.0, 100.0), (0.0, 0.0)]


def shifted(
    ring: list[tuple[float, float]], dx: float, dy: float, scale: float = 1.0
) -> list[tuple[float, float]]:
    return [(x * scale + dx, y * scale + dy) for x, y in ring]


def test_mu_and_the_one_percent_rule() -> None:
    assert mu_of_m2(666.6666666667) == pytest.approx(1.0)
    assert mu_of_m2(60_000) == pytest.approx(90.0)
    assert not outline_area_mismatch(100.0, 101.0)  # exactly 1 %: not over
    assert outline_area_mismatch(100.0, 101.01)
    assert outline_area_mismatch(100.0, 98.9)
    assert not outline_area_mismatch(None, 50.0)
    assert not outline_area_mismatch(50.0, None)
    assert difference_pct(100.0, 102.5) == pytest.approx(2.5)
    assert difference_pct(0.0, 1.0) is None
    assert difference_text(difference_pct(90.11, 90.109999)) == "0.00 %"  # never "-0.00 %"
    assert difference_text(-3.641) == "-3.64 %"
    assert difference_text(1.07) == "+1.07 %"
    assert difference_text(None) == ""
    assert header_area_disagrees(6.0, 90.0 * 1.02)
    assert not header_area_disagrees(6.0, 90.0)
    assert not header_area_disagrees(None, 90.0)
    assert outline_summary(12, 117.3) == "12 点，117.30 亩"
    assert outline_summary(None, None) == "无"


def test_a_ring_inside_is_a_hole_and_outside_another_part() -> None:
    hole = shifted(SQUARE, 25, 25, 0.5)
    apart = shifted(SQUARE, 300, 0)
    outline = outline_of_rings([(1, SQUARE), (2, hole), (3, apart)])
    assert outline.geometry.geom_type == "MultiPolygon"
    assert outline.geometry.area == pytest.approx(10_000 - 2_500 + 10_000)
    assert outline.points == 12  # closing points not counted
    assert outline_of_rings([(1, SQUARE[:-1])]).geometry.area == pytest.approx(
        10_000
    )  # unclosed ring


@pytest.mark.parametrize(
    ("rings", "reason"),
    [
        ([(1, [(0.0, 0.0), (100.0, 100.0), (100.0, 0.0), (0.0, 100.0)])], "自相交"),
        ([(1, [(0.0, 0.0), (1.0, 1.0), (0.0, 0.0)])], "只有 2 个不同的点"),
        ([(1, SQUARE), (2, shifted(SQUARE, 50, 50))], "交叉"),
        ([(1, [(0.0, 0.0), (math.nan, 1.0), (1.0, 1.0)])], "无效的坐标"),
        ([(1, [(0.0, 0.0), (math.inf, 1.0), (1.0, 1.0)])], "无效的坐标"),
    ],
)
def test_bad_rings_are_refused_with_the_reason(
    rings: list[tuple[int, list[tuple[float, float]]]], reason: str
) -> None:
    with pytest.raises(OutlineGeometryError, match=reason):
        outline_of_rings(rings)


def test_explicit_parts_are_checked() -> None:
    assert outline_of_parts(
        [(SQUARE, [shifted(SQUARE, 10, 10, 0.1)])]
    ).geometry.area == pytest.approx(9_900)
    with pytest.raises(OutlineGeometryError, match="外圈之外"):
        outline_of_parts([(SQUARE, [shifted(SQUARE, 500, 500, 0.1)])])
    with pytest.raises(OutlineGeometryError, match="重叠"):
        outline_of_parts([(SQUARE, []), (shifted(SQUARE, 50, 0), [])])
