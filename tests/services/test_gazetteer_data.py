"""The shipped county table (resources/gazetteer/counties.tsv) and the gazetteer built from it."""

from __future__ import annotations

import pytest

from landbank.domain.gazetteer.table import County, parse_counties_tsv
from landbank.resource_files import COUNTIES, read_bytes, read_text
from landbank.services.importing.gazetteer_data import gazetteer

XINXIANG = [
    "红旗区", "卫滨区", "凤泉区", "牧野区", "新乡县", "获嘉县", "原阳县", "延津县", "封丘县",
    "卫辉市", "辉县市", "长垣市",
]  # fmt: skip


def test_the_table_is_small_and_has_its_header() -> None:
    assert len(read_bytes(*COUNTIES)) < 200_000
    text = read_text(*COUNTIES)
    assert text.splitlines()[0] == "code\tname\tcity\tprovince"


def test_every_county_level_division_once() -> None:
    counties = list(gazetteer())
    assert 2800 <= len(counties) <= 2900
    codes = [county.code for county in counties]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 6 and code.isdigit() for code in codes)
    assert len({(county.city, county.name) for county in counties}) == len(counties)
    assert not [code for code in codes if code.startswith(("71", "81", "82"))]


def test_every_row_is_complete_and_its_short_name_has_two_characters() -> None:
    for county in gazetteer():
        assert all((county.name, county.city, county.province)), county
        assert county.code[:2] != "00"
        assert len(county.short) >= 2, county
        assert county.name.endswith(("县", "市", "区", "旗")), county


def test_the_data_is_current() -> None:
    g = gazetteer()
    assert [county.name for county in g.counties_of("新乡市")] == XINXIANG
    assert g.by_name("长垣市")[0].code == "410783"  # 撤县设市 2019
    assert [county.name for county in g.by_name("两江新区")] == ["两江新区"]  # 2025
    assert not [county for county in g.counties_of("重庆市") if county.name in ("江北区", "渝北区")]
    assert {county.name for county in g.counties_of("和田地区")} >= {"和安县", "和康县"}  # 2024


def test_direct_counties_are_under_their_province() -> None:
    g = gazetteer()
    assert g.by_name("济源市") == [County("419001", "济源市", "河南省", "河南省")]
    assert {county.city for county in g.counties_of("北京市")} == {"北京市"}
    assert len(g.counties_of("北京市")) == 16


def test_the_gazetteer_is_read_once() -> None:
    assert gazetteer() is gazetteer()


def test_the_file_parses_to_the_same_counties() -> None:
    counties = parse_counties_tsv(read_text(*COUNTIES))
    assert counties == list(gazetteer())


@pytest.mark.parametrize(
    ("text", "city", "expected"),
    [
        ("辉县", None, "410782"),
        ("原阳", None, "410725"),
        ("长垣", None, "410783"),
        ("牧野", "新乡市", "410711"),
        ("河南省新乡市辉县市", None, "410782"),
        ("新乡辉县", None, "410782"),
        ("辉 县 市", None, "410782"),
        ("辉县市", None, "410782"),
        ("朝阳区", "北京市", "110105"),
        ("朝阳区", "长春市", "220104"),
        ("通州区", "南通市", "320612"),
        ("长阳", None, "420528"),
        ("管城", "郑州市", "410104"),
    ],
)
def test_resolve_on_the_real_table(text: str, city: str | None, expected: str) -> None:
    match = gazetteer().resolve(text, city=city)
    assert match.county is not None, match
    assert match.county.code == expected


def test_shared_names_are_ambiguous_without_a_city() -> None:
    g = gazetteer()
    chaoyang = g.resolve("朝阳区")
    assert chaoyang.how == "ambiguous"
    assert {county.city for county in chaoyang.candidates} == {"北京市", "长春市"}
    assert g.resolve("通州区").how == "ambiguous"
    assert len(g.resolve("鼓楼区").candidates) == 4


def test_a_typo_and_a_city_name_are_unknown() -> None:
    g = gazetteer()
    typo = g.resolve("辉悬市")
    assert (typo.county, typo.how) == (None, "unknown")
    assert typo.candidates[0].name == "辉县市"
    for text in ("新乡", "新乡市"):
        match = g.resolve(text)
        assert match.county is None, text
        assert match.how in ("unknown", "ambiguous")
        assert match.candidates[0].name == "新乡县"


def test_every_full_name_resolves_to_its_county_within_its_city() -> None:
    g = gazetteer()
    for county in g:
        match = g.resolve(county.name)
        assert match.county == county or county in match.candidates
        assert g.resolve(county.name, city=county.city).county == county
        assert g.resolve(county.city + county.name).county == county


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("辉县市百泉镇工业用地收储台账", "辉县市"),
        ("获嘉县2025年度工业用地收储台账", "获嘉县"),
        ("牧野区标准化厂房建设及使用情况统计表", "牧野区"),
        ("新乡市辉县市2025年收储台账", "辉县市"),
        ("填报单位：获嘉县商务局（盖章）", "获嘉县"),
        ("原阳2025年重点招商项目", "原阳县"),
    ],
)
def test_titles_on_the_real_table(title: str, expected: str) -> None:
    g = gazetteer()
    for city in (None, "新乡市"):
        county = g.find_in_title(title, city=city)
        assert county is not None
        assert county.name == expected


@pytest.mark.parametrize(
    "title",
    [
        "辉县市、卫辉市工业用地收储台账",
        "获嘉县与原阳县标准化厂房统计表",
        "新乡2025年工业用地收储台账",
        "工业用地收储台账",
    ],
)
def test_titles_naming_no_single_county(title: str) -> None:
    assert gazetteer().find_in_title(title) is None
