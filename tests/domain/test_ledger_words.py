"""What clerks write: dates, numbers with units, region names, status words."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, RegionKind
from landbank.domain.ledger_statuses import (
    ParcelWordError,
    factory_status,
    parcel_ladders,
    project_stage,
    project_stage_from_text,
    word_remark,
)
from landbank.domain.ledger_words import (
    UNDER_CONSTRUCTION_DATE_WORDS,
    is_blank,
    parse_ledger_date,
    parse_ledger_number,
    pending_date_word,
    region_from_area,
    region_kind,
    region_name,
)
from landbank.domain.units import Quantity
from landbank.domain.validation import FieldError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2017/1/3", date(2017, 1, 3)),
        ("2017-01-03", date(2017, 1, 3)),
        ("2017.1.3", date(2017, 1, 3)),
        ("2017年01月31日", date(2017, 1, 31)),
        ("２０１７年１月３１日", date(2017, 1, 31)),
        ("2017年1月", date(2017, 1, 1)),
        ("2017-01", date(2017, 1, 1)),
        ("2017-01-03 00:00:00", date(2017, 1, 3)),
        (42738, date(2017, 1, 3)),
        (42738.0, date(2017, 1, 3)),
        ("42738", date(2017, 1, 3)),
        (datetime(2017, 1, 3, 8, 30), date(2017, 1, 3)),
        (date(2017, 1, 3), date(2017, 1, 3)),
        ("", None),
        (None, None),
        ("—", None),
    ],
)
def test_dates_in_every_spelling(value: object, expected: date | None) -> None:
    assert parse_ledger_date(value) == expected


@pytest.mark.parametrize("value", ["2017/13/1", "明年", "2017年2月30日", -5, True])
def test_bad_dates_say_why(value: object) -> None:
    with pytest.raises(FieldError):
        parse_ledger_date(value)


@pytest.mark.parametrize(
    ("value", "quantity", "unit", "expected"),
    [
        ("1,234.5", Quantity.LAND, None, 1234.5),
        ("１２０", Quantity.LAND, None, 120.0),
        ("约 120亩", Quantity.LAND, None, 120.0),
        ("2.5公顷", Quantity.LAND, None, 37.5),
        ("2.5", Quantity.LAND, "公顷", 37.5),
        (2.5, Quantity.LAND, "公顷", 37.5),
        ("约 1.2万㎡", Quantity.FLOOR, None, 12000.0),
        ("3", Quantity.FLOOR, "万平方米", 30000.0),
        ("1500平方米", Quantity.FLOOR, None, 1500.0),
        ("1.5亿元", Quantity.MONEY, None, 15000.0),
        ("2", Quantity.MONEY, "亿元", 20000.0),
        ("-", Quantity.LAND, None, None),
        ("", Quantity.LAND, None, None),
    ],
)
def test_numbers_with_units_in_header_or_cell(
    value: object, quantity: Quantity, unit: str | None, expected: float | None
) -> None:
    assert parse_ledger_number(value, quantity, unit) == pytest.approx(expected)


def test_a_unit_of_another_dimension_is_refused() -> None:
    with pytest.raises(FieldError, match="单位“亩”不适用于此项（应为 m）"):
        parse_ledger_number("120亩", Quantity.LENGTH)
    with pytest.raises(FieldError, match="单位“万元”不适用于此项（应为 m²）"):
        parse_ledger_number("120万元", Quantity.FLOOR)
    with pytest.raises(FieldError):
        parse_ledger_number("很多", Quantity.LAND)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("新乡市辉县市", "辉县市"),
        ("河南省新乡市红旗区", "红旗区"),
        ("辉县市", "辉县市"),
        ("荆州市沙市区", "沙市区"),
        ("市中区", "市中区"),
        ("兰州新区", "兰州新区"),
        (" 新乡市 原阳县 ", "原阳县"),
        ("海西蒙古族藏族自治州德令哈市", "德令哈市"),
    ],
)
def test_region_names_lose_their_city_prefix(text: str, expected: str) -> None:
    assert region_name(text) == expected


def test_region_kind_from_the_name() -> None:
    assert region_kind("辉县市") is RegionKind.COUNTY
    assert region_kind("原阳县") is RegionKind.COUNTY
    assert region_kind("红旗区") is RegionKind.DISTRICT
    assert region_kind("新乡市本级") is RegionKind.CITY
    assert region_kind("达拉特旗") is RegionKind.COUNTY
    assert region_from_area("青海省,海西蒙古族藏族自治州") == ("海西蒙古族藏族自治州", RegionKind.CITY)
    assert region_from_area("甘肃省,嘉峪关市") == ("嘉峪关市", RegionKind.CITY)
    assert region_from_area("") is None


def test_parcel_status_words_land_on_both_ladders() -> None:
    assert parcel_ladders(None, "已出让") == ("净地(可供)", "已出让/划拨")
    assert parcel_ladders(None, "划拨") == ("净地(可供)", "已出让/划拨")
    assert parcel_ladders("毛地", None) == ("已收储(毛地)", "可供")
    assert parcel_ladders("已收储", None) == ("已收储(毛地)", "可供")
    assert parcel_ladders(None, "净地") == ("净地(可供)", "可供")  # one 状态 column
    assert parcel_ladders("三通一平", "可供") == ("三通一平", "可供")
    assert parcel_ladders(None, "闲置") == ("净地(可供)", "已出让/划拨")
    assert parcel_ladders(None, "在建") == ("净地(可供)", "已开工")
    # What the clerk wrote for readiness stands; validation then names the conflict.
    assert parcel_ladders("毛地", "已出让") == ("已收储(毛地)", "已出让/划拨")
    assert parcel_ladders(None, None) == (None, None)
    with pytest.raises(FieldError, match="不是可识别的供应状态"):
        parcel_ladders(None, "不知道")


def test_factory_and_project_words() -> None:
    assert factory_status("闲置") == "闲置"
    assert factory_status("空置") == "闲置"
    assert factory_status("部分入驻") == "部分入驻"
    assert factory_status("已入驻") == "已入驻"
    assert factory_status("在建") == "在建"
    assert project_stage("洽谈中") == "在谈"
    assert project_stage("已签约") == "签约"
    assert project_stage("在建") == "开工"
    assert project_stage("已投产") == "竣工投产"
    with pytest.raises(FieldError, match="厂房状态"):
        factory_status("很好")
    with pytest.raises(FieldError, match="项目阶段"):
        project_stage("很好")


def test_blank_words() -> None:
    assert is_blank(None)
    assert is_blank("  ")
    assert is_blank("无")
    assert is_blank("—")
    assert not is_blank("0")
    assert not is_blank(0)


@given(
    st.text(
        alphabet=st.sampled_from([" ", "\t", "\n", "\x0b", "\x1f", "-", "/", "n", "a", "u", "l", "o", "e", "N", "1", "X"]),
        max_size=9,
    )
)
def test_blank_ascii_text_is_the_empty_words_less_whitespace(text: str) -> None:
    """The quick way for ASCII (long and without whitespace: never blank) agrees with the rule."""
    squeezed = "".join(text.split()).lower()
    assert is_blank(text) == (squeezed in {"", "-", "--", "/", "null", "none", "n/a"})


# ---------------------------------------------------------------- dates: no date yet, periods


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("在建", "在建"),
        ("建设中", "建设中"),
        ("未竣工", "未竣工"),
        ("未建成", "未建成"),
        ("待定", "待定"),
        ("未定", "未定"),
        ("暂无", "暂无"),
        ("待建", "待建"),
        ("规划中", "规划中"),
        ("筹建", "筹建"),
        (" 在 建 ", "在建"),
        ("在建中", "在建"),
        ("正在建设", "建设中"),
        ("尚未竣工", "未竣工"),
        ("待定。", "待定"),
    ],
)
def test_a_date_cell_saying_there_is_no_date_yet(value: str, word: str) -> None:
    assert parse_ledger_date(value) is None
    assert pending_date_word(value) == word


def test_pending_date_word_is_none_for_dates_and_other_text() -> None:
    assert pending_date_word("2025-06-01") is None
    assert pending_date_word("很好") is None
    assert pending_date_word(None) is None
    assert pending_date_word(45000) is None
    assert pending_date_word(date(2025, 6, 1)) is None
    assert {"在建", "建设中"} == UNDER_CONSTRUCTION_DATE_WORDS
    assert pending_date_word("未竣工") not in UNDER_CONSTRUCTION_DATE_WORDS


@pytest.mark.parametrize(
    "value",
    ["2025年上半年", "2025年下半年", "2025年底", "2025年初", "2025年6月底", "2025年6月中旬",
     "2026年一季度", "2025年前", "2025年", "2025"],
)  # fmt: skip
def test_a_period_is_refused_not_guessed(value: str) -> None:
    with pytest.raises(FieldError, match="不是确切的日期"):
        parse_ledger_date(value)


def test_a_month_is_its_first_day_and_impossible_dates_stay_errors() -> None:
    assert parse_ledger_date("2025年6月") == date(2025, 6, 1)
    for value in ("2025-02-30", "2025年13月", "2025年2月30日", "2025/13/1", "明年"):
        with pytest.raises(FieldError, match="不是有效的日期"):
            parse_ledger_date(value)


# ---------------------------------------------------------------- parcel words of real ledgers

R, S = ParcelReadiness, ParcelStatus


@pytest.mark.parametrize(
    ("word", "readiness", "status"),
    [
        ("可供应", R.NET_LAND, S.AVAILABLE),
        ("待供应", R.NET_LAND, S.AVAILABLE),
        ("可出让", R.NET_LAND, S.AVAILABLE),
        ("待挂牌", R.NET_LAND, S.AVAILABLE),
        ("储备", R.RESERVED_RAW, S.AVAILABLE),
        ("已储备", R.RESERVED_RAW, S.AVAILABLE),
        ("正在拆迁", R.RESERVED_RAW, S.AVAILABLE),
        ("拆迁中", R.RESERVED_RAW, S.AVAILABLE),
        ("征拆中", R.RESERVED_RAW, S.AVAILABLE),
        ("征收中", R.PLANNED, S.AVAILABLE),
        ("正在征收", R.PLANNED, S.AVAILABLE),
        ("报批中", R.PLANNED, S.AVAILABLE),
        ("组卷报批", R.PLANNED, S.AVAILABLE),
        ("已征收", R.RESERVED_RAW, S.AVAILABLE),
        ("已完成征收", R.RESERVED_RAW, S.AVAILABLE),
        ("场地平整", R.CLEARED, S.AVAILABLE),
        ("平整中", R.CLEARED, S.AVAILABLE),
        ("招拍挂中", R.NET_LAND, S.LISTED),
        ("正在招拍挂", R.NET_LAND, S.LISTED),
        ("挂牌中", R.NET_LAND, S.LISTED),
        ("公告中", R.NET_LAND, S.LISTED),
        ("已公告", R.NET_LAND, S.LISTED),
        ("已成交", R.NET_LAND, S.SUPPLIED),
        ("已摘牌", R.NET_LAND, S.SUPPLIED),
        ("已签合同", R.NET_LAND, S.SUPPLIED),
        ("已划拨", R.NET_LAND, S.SUPPLIED),
        ("已供地", R.NET_LAND, S.SUPPLIED),
        ("已供应", R.NET_LAND, S.SUPPLIED),
        ("已交付", R.NET_LAND, S.HANDED_OVER),
        ("已移交", R.NET_LAND, S.HANDED_OVER),
        ("建设中", R.NET_LAND, S.STARTED),
        ("已投产", R.NET_LAND, S.IN_PRODUCTION),
        ("投产运营", R.NET_LAND, S.IN_PRODUCTION),
        # A note in brackets after a known word.
        ("已供地（2025年8月）", R.NET_LAND, S.SUPPLIED),
        ("净地(待挂牌)", R.NET_LAND, S.AVAILABLE),
        ("已收储（毛地）", R.RESERVED_RAW, S.AVAILABLE),
        ("三通一平【东区】", R.THREE_CONNECTIONS, S.AVAILABLE),
    ],
)
def test_parcel_words_of_real_ledgers(
    word: str, readiness: ParcelReadiness, status: ParcelStatus
) -> None:
    # One 状态 column holds words of both ladders: the same reading through either argument.
    assert parcel_ladders(None, word) == (readiness.value, status.value)
    assert parcel_ladders(word, None) == (readiness.value, status.value)


def test_an_unknown_status_word_lists_only_the_supply_words() -> None:
    with pytest.raises(ParcelWordError) as caught:
        parcel_ladders("净地", "可供应地")
    message = str(caught.value)
    assert message == (
        "“可供应地”不是可识别的供应状态"
        "（可用：可供、意向锁定、已挂牌、已出让/划拨、已交地、已开工、已竣工投产）"
    )
    assert caught.value.field == "status"
    for word in ParcelReadiness:
        assert word.value not in message
    assert message.split("可用：")[1].rstrip("）").split("、") == [s.value for s in ParcelStatus]
    assert "整理程度" not in message


def test_an_unknown_readiness_word_lists_only_the_readiness_words() -> None:
    with pytest.raises(ParcelWordError) as caught:
        parcel_ladders("半平整", "已出让")
    message = str(caught.value)
    assert message == (
        "“半平整”不是可识别的整理程度"
        "（可用：拟收储、已收储(毛地)、征拆完成、三通一平、五通一平、七通一平、净地(可供)）"
    )
    assert caught.value.field == "readiness"
    listed = message.split("可用：")[1].rstrip("）").split("、")
    assert listed == [r.value for r in ParcelReadiness]
    assert not {s.value for s in ParcelStatus} & set(listed)
    assert "供应状态" not in message
    assert isinstance(caught.value, FieldError)  # callers catching FieldError still do


def test_a_note_after_an_unknown_word_is_still_unknown() -> None:
    with pytest.raises(FieldError, match="“不知道（2025年）”不是可识别的供应状态"):
        parcel_ladders(None, "不知道（2025年）")
    with pytest.raises(FieldError, match="不是可识别的整理程度"):
        parcel_ladders("(净地)", None)


def test_word_remark_keeps_the_note_of_a_status_word() -> None:
    assert word_remark("已供地（2025年8月）") == "已供地（2025年8月）"
    assert word_remark(" 净地(待挂牌) ") == "净地(待挂牌)"
    assert word_remark("净地(可供)") is None  # the ladder's own word
    assert word_remark("已收储（毛地）") is None
    assert word_remark("已供地") is None
    assert word_remark(None) is None
    assert word_remark("—") is None


# ---------------------------------------------------------------- factory words


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("空置", FactoryStatus.IDLE),
        ("待租", FactoryStatus.IDLE),
        ("招租中", FactoryStatus.IDLE),
        ("未出租", FactoryStatus.IDLE),
        ("部分出租", FactoryStatus.PARTLY_OCCUPIED),
        ("部分使用", FactoryStatus.PARTLY_OCCUPIED),
        ("部分闲置", FactoryStatus.PARTLY_OCCUPIED),
        ("已租", FactoryStatus.OCCUPIED),
        ("已出租", FactoryStatus.OCCUPIED),
        ("已售", FactoryStatus.OCCUPIED),
        ("自用", FactoryStatus.OCCUPIED),
        ("满租", FactoryStatus.OCCUPIED),
        ("已使用", FactoryStatus.OCCUPIED),
        ("建设中", FactoryStatus.UNDER_CONSTRUCTION),
        ("施工中", FactoryStatus.UNDER_CONSTRUCTION),
        ("在建", FactoryStatus.UNDER_CONSTRUCTION),
        ("已建成", FactoryStatus.BUILT),
        ("建成", FactoryStatus.BUILT),
        ("竣工", FactoryStatus.BUILT),
        ("已出租（3家企业）", FactoryStatus.OCCUPIED),
        ("闲置(待招商)", FactoryStatus.IDLE),
    ],
)
def test_factory_use_words(word: str, status: FactoryStatus) -> None:
    assert factory_status(word) == status.value


def test_an_unknown_factory_word_lists_the_factory_statuses() -> None:
    with pytest.raises(FieldError) as caught:
        factory_status("很好（2025年）")
    assert str(caught.value) == (
        "“很好（2025年）”不是可识别的厂房状态（可用：在建、已建成、闲置、部分入驻、已入驻）"
    )


# ---------------------------------------------------------------- a project's stage from text


@pytest.mark.parametrize(
    ("text", "stage", "exact"),
    [
        ("洽谈中", "在谈", True),
        ("已签约", "签约", True),
        ("在谈", "在谈", True),
        ("信息", "线索", True),
        ("已竣工投产", "竣工投产", True),
        ("已签约，正在办理供地手续", "签约", False),
        ("多轮洽谈，意向较强", "在谈", False),
        ("客商考察", "在谈", False),
        ("对接中", "在谈", False),
        ("已开工建设，主体封顶", "开工", False),
        ("项目终止（企业战略调整）", "终止", False),
        ("终止（企业战略调整）", "终止", False),
        ("企业放弃", "终止", False),
        ("前期对接", "线索", False),
        ("拟于明年开工", "拟开工", False),
        ("预计2025年3月开工", "拟开工", False),
        # Negations and plans do not count as the positive word.
        ("已签约，尚未开工", "签约", False),
        ("已签约，未按期开工", "签约", False),
        ("尚未签约，多次对接", "在谈", False),
        ("计划年内签约", "在谈", False),
        ("已开工，预计年底竣工投产", "开工", False),
        ("拟建项目已开工", "开工", False),
        # The furthest stage named wins.
        ("已签约并开工，后因资金问题终止", "终止", False),
        ("已竣工投产，二期在谈", "竣工投产", False),
        ("电子信息产业项目，已签约", "签约", False),
    ],
)
def test_project_stage_from_text(text: str, stage: str, exact: bool) -> None:
    assert project_stage_from_text(text) == (stage, exact)


@pytest.mark.parametrize("text", ["很好", "尚未签约", "预计年底投产", "电子信息项目", "未开工"])
def test_text_naming_no_stage_is_refused(text: str) -> None:
    with pytest.raises(FieldError) as caught:
        project_stage_from_text(text)
    assert str(caught.value) == (
        f"“{text}”不是可识别的项目阶段（可用：线索、在谈、签约、拟开工、开工、竣工投产、终止）"
    )


def test_project_stage_reads_stage_words_only() -> None:
    assert project_stage("已投产") == "竣工投产"
    assert project_stage("签约（2025年3月）") == "签约"
    with pytest.raises(FieldError, match="项目阶段"):
        project_stage("已签约，尚未开工")
