"""The indicator table's headers and cells, as `landbank import standards` will read them."""

from __future__ import annotations

import pytest

from landbank.domain.standards import Indicator, StandardRow, Threshold, applicable_standard
from landbank.domain.standards.headers import (
    StandardColumn,
    column_for_header,
    map_headers,
    parse_threshold,
    row_from_cells,
)

I = Indicator  # noqa: E741
HEADERS = [
    "序号",
    "县区",
    "园区",
    "产业",
    "固定资产投资强度(万元/亩)",
    "容积率下限",
    "容积率上限",
    "亩均税收（万元/亩）",
    "绿地率(%)",
    "备注",
]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("县(市、区)", StandardColumn(place="county")),
        (" 园 区 ", StandardColumn(place="park")),
        ("行业类别", StandardColumn(place="industry")),
        ("投资强度（万元/亩）", StandardColumn(indicator=I.INVESTMENT_INTENSITY, bound="low")),
        ("容积率", StandardColumn(indicator=I.FLOOR_AREA_RATIO)),
        ("容积率(最高)", StandardColumn(indicator=I.FLOOR_AREA_RATIO, bound="high")),
        ("地均税收≥", StandardColumn(indicator=I.TAX_PER_MU, bound="low")),
        (
            "单位能耗增加值(万元/吨标煤)",
            StandardColumn(indicator=I.VALUE_ADDED_PER_ENERGY, bound="low"),
        ),
        (
            "行政办公及生活服务设施用地所占比重(%)",
            StandardColumn(indicator=I.ADMIN_SHARE, bound="high"),
        ),
        ("绿地率", StandardColumn(indicator=I.GREEN_RATIO, bound="high")),
        ("R&D经费占比(%)", StandardColumn(indicator=I.RD_SHARE, bound="low")),
        ("备注", None),
    ],
)
def test_headers(header: str, expected: StandardColumn | None):
    assert column_for_header(header) == expected


def test_map_headers_and_problems():
    columns, problems = map_headers(HEADERS)
    assert problems == []
    assert sorted(columns) == [1, 2, 3, 4, 5, 6, 7, 8]
    _, problems = map_headers(["园区", "投资强度", "固定资产投资强度(万元/亩)"])
    assert problems == ["列“固定资产投资强度(万元/亩)”与列“投资强度”重复", "缺少“县区”列"]


@pytest.mark.parametrize(
    ("indicator", "cell", "bound", "expected"),
    [
        (I.INVESTMENT_INTENSITY, 250, "low", Threshold(low=250.0)),
        (I.INVESTMENT_INTENSITY, "250万元/亩", "low", Threshold(low=250.0)),
        (I.INVESTMENT_INTENSITY, "  ", "low", None),
        (I.GREEN_RATIO, "20%", "high", Threshold(high=20.0)),
        (I.GREEN_RATIO, "≤15％", None, Threshold(high=15.0)),
        (I.FLOOR_AREA_RATIO, "1.0-2.0", None, Threshold(1.0, 2.0)),
        (I.FLOOR_AREA_RATIO, "0.7～1.8", None, Threshold(0.7, 1.8)),
        (I.FLOOR_AREA_RATIO, "≥1.2", None, Threshold(low=1.2)),
        (I.FLOOR_AREA_RATIO, "1.2", "low", Threshold(low=1.2)),
        (I.FLOOR_AREA_RATIO, 1.2, None, "容积率应写成区间（如 1.0-2.0），或分列“下限”“上限”"),
        (I.TAX_PER_MU, "约二十", "low", "“约二十”不是数值"),
        (I.TAX_PER_MU, "10-20", "low", "“10-20”是区间，亩均税收只设下限"),
    ],
)
def test_cells(indicator: Indicator, cell: object, bound: str | None, expected: object):
    assert parse_threshold(indicator, cell, bound) == expected  # type: ignore[arg-type]


def test_rows_from_a_sheet_resolve():
    columns, _ = map_headers(HEADERS)
    sheet = [
        [1, "城关县", None, None, 200, 1.0, 2.0, 15, None, ""],
        [2, "城关县", "高新园区", "新材料", 300, None, None, None, 15, "园区只定投资强度"],
        [3, "城关县", "", "", "约三百", None, None, None, None, ""],
        [4, None, None, None, 250, None, None, None, None, ""],
        [None, None, None, None, None, None, None, None, None, None],
    ]
    rows: list[StandardRow] = []
    problems: list[str] = []
    for n, cells in enumerate(sheet, start=3):
        row, issues = row_from_cells(columns, HEADERS, cells, f"第 {n} 行")
        problems += issues
        if row is not None:
            rows.append(row)
    assert problems == [
        "第 5 行「固定资产投资强度(万元/亩)」：“约三百”不是数值",
        "第 6 行：县区为空",
    ]
    assert [r.title for r in rows] == [
        "城关县·全部产业",
        "城关县·高新园区·新材料",
        "城关县·全部产业",
    ]
    s = applicable_standard(rows[:2], "城关县", "高新园区", "新材料")
    assert s.get(I.INVESTMENT_INTENSITY).threshold.low == 300  # type: ignore[union-attr]
    assert s.get(I.TAX_PER_MU).threshold.low == 15  # type: ignore[union-attr]
    assert s.get(I.FLOOR_AREA_RATIO).threshold == Threshold(1.0, 2.0)  # type: ignore[union-attr]
    assert s.get(I.GREEN_RATIO).threshold.high == 15  # type: ignore[union-attr]
