"""The gazetteer on a small table of real rows: full, short and prefixed names, names shared by
several counties, a city's own name, typos, title rows."""

from __future__ import annotations

import pytest

from landbank.domain.enums import RegionKind
from landbank.domain.gazetteer.distance import levenshtein
from landbank.domain.gazetteer.lookup import Gazetteer
from landbank.domain.gazetteer.names import short_city_name, short_county_name
from landbank.domain.gazetteer.table import County, parse_counties_tsv

ROWS = """\
110105	朝阳区	北京市	北京市
110112	通州区	北京市	北京市
130107	井陉矿区	石家庄市	河北省
130121	井陉县	石家庄市	河北省
140302	城区	阳泉市	山西省
140502	城区	晋城市	山西省
150723	鄂伦春自治旗	呼伦贝尔市	内蒙古自治区
211321	朝阳县	朝阳市	辽宁省
220104	朝阳区	长春市	吉林省
320106	鼓楼区	南京市	江苏省
320302	鼓楼区	徐州市	江苏省
320322	沛县	徐州市	江苏省
320612	通州区	南通市	江苏省
341823	泾县	宣城市	安徽省
350102	鼓楼区	福州市	福建省
410102	中原区	郑州市	河南省
410104	管城回族区	郑州市	河南省
410204	鼓楼区	开封市	河南省
410702	红旗区	新乡市	河南省
410703	卫滨区	新乡市	河南省
410704	凤泉区	新乡市	河南省
410711	牧野区	新乡市	河南省
410721	新乡县	新乡市	河南省
410724	获嘉县	新乡市	河南省
410725	原阳县	新乡市	河南省
410726	延津县	新乡市	河南省
410727	封丘县	新乡市	河南省
410781	卫辉市	新乡市	河南省
410782	辉县市	新乡市	河南省
410783	长垣市	新乡市	河南省
419001	济源市	河南省	河南省
420528	长阳土家族自治县	宜昌市	湖北省
429021	神农架林区	湖北省	湖北省
500157	两江新区	重庆市	重庆市
520203	六枝特区	六盘水市	贵州省
620923	肃北蒙古族自治县	酒泉市	甘肃省
622927	积石山保安族东乡族撒拉族自治县	临夏回族自治州	甘肃省
632324	河南蒙古族自治县	黄南藏族自治州	青海省
653131	塔什库尔干塔吉克自治县	喀什地区	新疆维吾尔自治区
"""
TSV = "code\tname\tcity\tprovince\n" + ROWS


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return Gazetteer(parse_counties_tsv(TSV))


def names(counties: tuple[County, ...] | list[County]) -> list[str]:
    return [f"{county.name}/{county.city}" for county in counties]


# -- the table and the names ----------------------------------------------------------------


def test_parse_reads_every_row() -> None:
    counties = parse_counties_tsv(TSV)
    assert len(counties) == len(ROWS.splitlines())
    assert counties[0] == County("110105", "朝阳区", "北京市", "北京市")


def test_parse_skips_blank_lines_and_a_bom() -> None:
    text = "\ufeffcode\tname\tcity\tprovince\n\n410782\t辉县市\t新乡市\t河南省\n\n"
    assert parse_counties_tsv(text) == [County("410782", "辉县市", "新乡市", "河南省")]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "name\tcode\tcity\tprovince\n",
        "code\tname\tcity\tprovince\n410782\t辉县市\t新乡市\n",
        "code\tname\tcity\tprovince\n410782\t\t新乡市\t河南省\n",
    ],
)
def test_parse_refuses_a_malformed_table(text: str) -> None:
    with pytest.raises(ValueError, match="counties table"):
        parse_counties_tsv(text)


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("辉县市", "辉县"),
        ("原阳县", "原阳"),
        ("红旗区", "红旗"),
        ("长阳土家族自治县", "长阳"),
        ("鄂伦春自治旗", "鄂伦春"),
        ("鄂温克族自治旗", "鄂温克"),
        ("管城回族区", "管城"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
        ("塔什库尔干塔吉克自治县", "塔什库尔干"),
        ("肃北蒙古族自治县", "肃北"),
        ("神农架林区", "神农架"),
        ("万柏林区", "万柏林"),
        ("两江新区", "两江"),
        ("清新区", "清新"),
        ("六枝特区", "六枝"),
        ("峰峰矿区", "峰峰"),
        ("沛县", "沛县"),
        ("泾县", "泾县"),
        ("城区", "城区"),
    ],
)
def test_short_county_name(full: str, short: str) -> None:
    assert short_county_name(full) == short


@pytest.mark.parametrize(
    ("full", "short"),
    [
        ("新乡市", "新乡"),
        ("恩施土家族苗族自治州", "恩施"),
        ("海西蒙古族藏族自治州", "海西"),
        ("大兴安岭地区", "大兴安岭"),
        ("阿拉善盟", "阿拉善"),
        ("河南省", "河南"),
        ("广西壮族自治区", "广西"),
        ("新疆维吾尔自治区", "新疆"),
        ("内蒙古自治区", "内蒙古"),
        ("北京市", "北京"),
    ],
)
def test_short_city_name(full: str, short: str) -> None:
    assert short_city_name(full) == short


def test_county_kind_and_short() -> None:
    huixian = County("410782", "辉县市", "新乡市", "河南省")
    assert huixian.kind is RegionKind.COUNTY
    assert huixian.short == "辉县"
    assert County("410711", "牧野区", "新乡市", "河南省").kind is RegionKind.DISTRICT
    assert County("320322", "沛县", "徐州市", "江苏省").kind is RegionKind.COUNTY


def test_levenshtein() -> None:
    assert levenshtein("辉悬市", "辉县市") == 1
    assert levenshtein("辉县", "辉县市") == 1
    assert levenshtein("", "辉县") == 2
    assert levenshtein("卫辉市", "辉县市") == 2


# -- resolve --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected", "how"),
    [
        ("辉县市", "辉县市", "exact"),
        ("辉县", "辉县市", "short"),
        ("原阳", "原阳县", "short"),
        ("长垣", "长垣市", "short"),
        ("长阳", "长阳土家族自治县", "short"),
        ("两江", "两江新区", "short"),
        ("沛县", "沛县", "exact"),
        ("新乡县", "新乡县", "exact"),
        ("济源", "济源市", "short"),
        ("河南省新乡市辉县市", "辉县市", "prefixed"),
        ("河南新乡辉县", "辉县市", "prefixed"),
        ("新乡辉县", "辉县市", "prefixed"),
        ("新乡市 辉县", "辉县市", "prefixed"),
        ("新乡市辉县市", "辉县市", "prefixed"),
        ("河南省济源市", "济源市", "prefixed"),
        ("北京市朝阳区", "朝阳区", "prefixed"),
        ("北京朝阳区", "朝阳区", "prefixed"),
        ("长春朝阳", "朝阳区", "prefixed"),
        ("辉 县 市", "辉县市", "exact"),
        ("　辉县市　", "辉县市", "exact"),
        ("ＨＮ辉县", None, "unknown"),  # letters before a name are not dropped
    ],
)
def test_resolve(gaz: Gazetteer, text: str, expected: str | None, how: str) -> None:
    match = gaz.resolve(text)
    assert match.how == how
    assert (match.county.name if match.county else None) == expected
    if expected:
        assert match.candidates == ()


def test_resolve_a_district_by_its_short_name_within_the_city(gaz: Gazetteer) -> None:
    match = gaz.resolve("牧野", city="新乡市")
    assert match.county is not None
    assert (match.county.name, match.how) == ("牧野区", "short")
    assert gaz.resolve("牧野", city="新乡").county == match.county  # the city's short name too


def test_prefixed_city_and_county_must_agree(gaz: Gazetteer) -> None:
    """辉县 is no county of 郑州市: the prefix is not ignored."""
    match = gaz.resolve("郑州市辉县市")
    assert match.county is None
    assert match.how == "unknown"


def test_a_name_shared_nationally_is_ambiguous_without_a_city(gaz: Gazetteer) -> None:
    match = gaz.resolve("朝阳区")
    assert match.county is None
    assert match.how == "ambiguous"
    assert names(match.candidates) == ["朝阳区/北京市", "朝阳区/长春市"]


def test_the_city_decides_a_shared_name(gaz: Gazetteer) -> None:
    match = gaz.resolve("朝阳区", city="北京市")
    assert match.county == County("110105", "朝阳区", "北京市", "北京市")
    assert match.how == "exact"
    assert gaz.resolve("通州区", city="南通市").county == County(
        "320612", "通州区", "南通市", "江苏省"
    )


def test_the_province_narrows_a_shared_name(gaz: Gazetteer) -> None:
    gulou = gaz.resolve("鼓楼区")
    assert gulou.how == "ambiguous"
    assert len(gulou.candidates) == 4
    in_jiangsu = gaz.resolve("鼓楼区", province="江苏省")
    assert in_jiangsu.how == "ambiguous"
    assert names(in_jiangsu.candidates) == ["鼓楼区/南京市", "鼓楼区/徐州市"]
    in_henan = gaz.resolve("鼓楼区", province="河南")
    assert in_henan.county is not None
    assert in_henan.county.city == "开封市"


def test_the_city_comes_first_among_the_candidates(gaz: Gazetteer) -> None:
    match = gaz.resolve("鼓楼区", city="福州市")
    assert match.county is not None
    assert match.county.city == "福州市"
    match = gaz.resolve("井陉")
    assert match.how == "ambiguous"
    assert names(match.candidates) == ["井陉矿区/石家庄市", "井陉县/石家庄市"]


@pytest.mark.parametrize("city", [None, "新乡市"])
def test_a_city_s_own_name_is_not_its_county(gaz: Gazetteer, city: str | None) -> None:
    """新乡 (the city) never silently becomes 新乡县; 新乡县 is offered as a candidate."""
    for text in ("新乡", "新乡市"):
        match = gaz.resolve(text, city=city)
        assert match.county is None
        assert match.how == "unknown"
        assert match.candidates[0].name == "新乡县"


def test_a_province_s_name_is_not_a_county(gaz: Gazetteer) -> None:
    match = gaz.resolve("河南")  # not 河南蒙古族自治县 (青海)
    assert match.county is None
    assert gaz.resolve("河南蒙古族自治县").how == "exact"


def test_a_short_name_of_another_city_resolves_within_the_clerk_s_city(gaz: Gazetteer) -> None:
    """朝阳 is also 朝阳市 (辽宁); a clerk of 北京市 means 朝阳区."""
    assert gaz.resolve("朝阳").county is None
    match = gaz.resolve("朝阳", city="北京市")
    assert match.county is not None
    assert (match.county.code, match.how) == ("110105", "short")
    assert gaz.resolve("朝阳", city="朝阳市").county is None


def test_a_typo_is_unknown_with_the_nearest_names(gaz: Gazetteer) -> None:
    match = gaz.resolve("辉悬市")
    assert match.county is None
    assert match.how == "unknown"
    assert match.candidates[0].name == "辉县市"
    assert len(match.candidates) <= 3
    prefixed = gaz.resolve("河南省新乡市辉悬市")
    assert prefixed.how == "unknown"
    assert prefixed.candidates[0].name == "辉县市"


def test_nothing_alike_has_no_candidates(gaz: Gazetteer) -> None:
    assert gaz.resolve("abc") == gaz.resolve("   ") == gaz.resolve("")
    assert gaz.resolve("abc").candidates == ()


def test_nearest_puts_the_city_first_and_breaks_ties_by_code(gaz: Gazetteer) -> None:
    assert names(gaz.nearest("卫辉县"))[:2] == ["卫辉市/新乡市", "辉县市/新乡市"]
    assert names(gaz.nearest("城区", limit=2)) == ["城区/阳泉市", "城区/晋城市"]
    assert names(gaz.nearest("城区", city="晋城市", limit=1)) == ["城区/晋城市"]
    assert gaz.nearest("辉县", limit=0) == []


# -- look-ups -------------------------------------------------------------------------------


def test_cities_and_counties_of(gaz: Gazetteer) -> None:
    assert {"新乡市", "北京市", "河南省", "喀什地区"} <= gaz.cities()
    xinxiang = gaz.counties_of("新乡市")
    assert [county.name for county in xinxiang] == [
        "红旗区", "卫滨区", "凤泉区", "牧野区", "新乡县", "获嘉县", "原阳县", "延津县", "封丘县",
        "卫辉市", "辉县市", "长垣市",
    ]  # fmt: skip
    assert gaz.counties_of("新乡") == xinxiang
    assert gaz.counties_of("不存在市") == []


def test_by_name(gaz: Gazetteer) -> None:
    assert names(gaz.by_name("朝阳区")) == ["朝阳区/北京市", "朝阳区/长春市"]
    assert names(gaz.by_name("辉县")) == ["辉县市/新乡市"]
    assert names(gaz.by_name("朝阳")) == ["朝阳区/北京市", "朝阳县/朝阳市", "朝阳区/长春市"]
    assert gaz.by_name("新乡市") == []


# -- titles ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("辉县市百泉镇工业用地收储台账", "辉县市"),
        ("获嘉县2025年度工业用地收储台账", "获嘉县"),
        ("牧野区标准化厂房建设及使用情况统计表", "牧野区"),
        ("新乡市辉县市2025年收储台账", "辉县市"),
        ("填报单位：获嘉县商务局（盖章）", "获嘉县"),
        ("辉县市工业用地收储台账（辉县市自然资源局）", "辉县市"),
        ("辉县2025年收储台账", "辉县市"),
        ("原阳县域重点项目", "原阳县"),
        ("辉县百泉镇工业用地", "辉县市"),
        ("长垣商务局招商项目表", "长垣市"),
        ("北京市朝阳区2025年招商项目", "朝阳区"),
        ("阳泉市城区标准厂房", "城区"),
    ],
)
def test_find_in_title(gaz: Gazetteer, title: str, expected: str) -> None:
    county = gaz.find_in_title(title)
    assert county is not None
    assert county.name == expected


@pytest.mark.parametrize(
    "title",
    [
        "辉县市、卫辉市工业用地收储台账",  # two counties
        "辉县、获嘉2025年重点项目",  # two by short name
        "新乡市2025年工业用地收储台账",  # the city, no county
        "新乡2025年工业用地收储台账",  # the city's short name is not 新乡县
        "朝阳区2025年招商项目",  # 北京 or 长春
        "城区标准厂房建设情况",  # 城区 of which city?
        "城关镇2025年收储台账",  # a town
        "省、市和县级工业用地收储台账",  # 和县 inside 和县级
        "标准化厂房建设及使用情况统计表",
        "",
    ],
)
def test_find_in_title_finds_no_single_county(gaz: Gazetteer, title: str) -> None:
    assert gaz.find_in_title(title) is None


def test_find_in_title_with_the_clerk_s_city(gaz: Gazetteer) -> None:
    assert gaz.find_in_title("朝阳区2025年招商项目", city="北京市") == County(
        "110105", "朝阳区", "北京市", "北京市"
    )
    # A short name counts only for the counties of the city given.
    assert gaz.find_in_title("辉县2025年收储台账", city="郑州市") is None
    county = gaz.find_in_title("辉县2025年收储台账", city="新乡市")
    assert county is not None
    assert county.name == "辉县市"
