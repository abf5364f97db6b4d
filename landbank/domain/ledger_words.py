"""What clerks write in their ledgers, turned into the values the store keeps.

Pure functions for the importer (no I/O): dates in every spelling Excel and clerks produce,
numbers with the unit in the header or the cell, region names with a city prefix or only in a
"省,市" column, and the status words of real ledgers (净地, 毛地, 已出让, 划拨, 闲置, 在建 …)
mapped onto the ladders of :mod:`landbank.domain.enums`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from landbank.domain.enums import (
    FactoryStatus,
    ParcelReadiness,
    ParcelStatus,
    ProjectStage,
    RegionKind,
)
from landbank.domain.units import Quantity, UnitError, normalise_text, parse_number
from landbank.domain.validation import FieldError, parse_date

# Excel's day 0 (the 1900 leap-year bug folded in): serial 1 is 1900-01-01, 42738 is 2017-01-03.
_EXCEL_EPOCH = date(1899, 12, 30)
_MAX_EXCEL_SERIAL = 2958465  # 9999-12-31
_EMPTY_WORDS = frozenset({"-", "--", "—", "——", "/", "无", "暂无", "空", "null", "none", "n/a"})
_YEAR_MONTH = (
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
)
_TIME_PART = re.compile(r"^(\S+?)(?:T|\s+)\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?$")


def is_blank(value: object) -> bool:
    """An empty cell, or one holding only a dash or 无 (clerks' way of writing nothing)."""
    if value is None:
        return True
    if isinstance(value, str):
        # NFKC leaves ASCII as it is: only the spaces go (most cells of a ledger are ASCII
        # codes and numbers, and this runs for every cell).
        if value.isascii():
            # Five characters or more and no whitespace (ASCII whitespace other than the space
            # is not printable): never one of the empty words. Most codes end here.
            if len(value) > 4 and " " not in value and value.isprintable():
                return False
            text = "".join(value.split())
        else:
            text = normalise_text(value)
        return not text or text.lower() in _EMPTY_WORDS
    return False


def excel_serial_to_date(serial: float) -> date:
    if not 1 <= serial <= _MAX_EXCEL_SERIAL:
        raise FieldError(f"“{serial:g}”不是有效的日期")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def parse_ledger_date(value: object) -> date | None:
    """A date as a cell holds it: ``date``/``datetime`` (calamine), an Excel serial number,
    "2017/1/3", "2017-01-03", "2017.1.3", "2017年01月31日", "2017-01-03 00:00:00", or a month
    only ("2017年1月", "2017-01": the first of the month). ``None`` when empty."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise FieldError(f"“{value}”不是有效的日期")
    if isinstance(value, int | float):
        return excel_serial_to_date(float(value))
    text = normalise_text(str(value)) if not isinstance(value, str) else value.strip()
    m = _TIME_PART.match(text)
    if m:
        text = m[1]
    s = normalise_text(text)
    if re.fullmatch(r"\d{5}(\.\d+)?", s):  # a serial that arrived as text (CSV)
        return excel_serial_to_date(float(s))
    for pattern in _YEAR_MONTH:
        ym = pattern.match(s)
        if ym:
            try:
                return date(int(ym[1]), int(ym[2]), 1)
            except ValueError:
                break
    return parse_date(s)


def parse_ledger_number(
    value: object, quantity: Quantity = Quantity.PLAIN, header_unit: str | None = None
) -> float | None:
    """A number as a cell holds it, in the canonical unit of ``quantity``.

    "1,234.5", "１２０", "约 1.2万㎡", "120亩" are understood; a bare number takes the unit
    the header named ("面积(公顷)" → ×15). ``None`` when empty.
    """
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise FieldError(f"“{value}”不是有效的数字")
    try:
        if isinstance(value, int | float):
            number = float(value)
            if header_unit:
                factor = parse_number("1" + header_unit, quantity)
                assert factor is not None
                number *= factor
            return number
        text = normalise_text(str(value))
        for prefix in ("约", "≈", "~", "大约", "计"):
            text = text.removeprefix(prefix)
        if header_unit and re.fullmatch(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)", text):
            text += header_unit
        return parse_number(text, quantity)
    except UnitError as exc:
        raise FieldError(str(exc)) from None


# ---------------------------------------------------------------- regions

# "新乡市辉县市" → "辉县市": a prefix ending in 省/市/自治区/自治州/地区/盟 (not a bare 州:
# 兰州新区 is one name) followed by a name of two characters or more ending in 县/市/区/旗.
_PREFIXED = re.compile(r"^(.+?(?:省|市|自治区|自治州|地区|盟))(.{2,}?(?:县|市|区|旗))$")


def region_name(text: str) -> str:
    """The county or district name without the province/city in front of it."""
    name = normalise_text(text)
    while True:
        m = _PREFIXED.match(name)
        if not m:
            return name
        name = m[2]


def region_kind(name: str) -> RegionKind:
    """…区 is a district, the city's own level (…市本级) the city, anything else (…县, …市,
    …旗) a county."""
    name = normalise_text(name)
    if name.endswith(("本级", "市辖区")):
        return RegionKind.CITY
    if name.endswith("区"):
        return RegionKind.DISTRICT
    return RegionKind.COUNTY


def region_from_area(text: str) -> tuple[str, RegionKind] | None:
    """The "省,市" column (地区 of 中国土地市场网): the city, when no county is named."""
    parts = [p for p in re.split(r"[,，、/]", normalise_text(text)) if p]
    if not parts:
        return None
    city = parts[-1]
    kind = RegionKind.COUNTY if city.endswith("县") else RegionKind.CITY
    return city, kind


# ---------------------------------------------------------------- status words

_R = ParcelReadiness
_S = ParcelStatus
# Word → (readiness, status) it implies; None leaves the other ladder to the other column.
_PARCEL_WORDS: dict[str, tuple[ParcelReadiness | None, ParcelStatus | None]] = {
    "拟收储": (_R.PLANNED, None),
    "计划收储": (_R.PLANNED, None),
    "待收储": (_R.PLANNED, None),
    "已收储": (_R.RESERVED_RAW, None),
    "收储": (_R.RESERVED_RAW, None),
    "毛地": (_R.RESERVED_RAW, None),
    "已收储(毛地)": (_R.RESERVED_RAW, None),
    "征拆完成": (_R.CLEARED, None),
    "已征拆": (_R.CLEARED, None),
    "拆迁完成": (_R.CLEARED, None),
    "三通一平": (_R.THREE_CONNECTIONS, None),
    "五通一平": (_R.FIVE_CONNECTIONS, None),
    "七通一平": (_R.SEVEN_CONNECTIONS, None),
    "净地": (_R.NET_LAND, None),
    "净地(可供)": (_R.NET_LAND, None),
    "可供": (None, _S.AVAILABLE),
    "待供": (None, _S.AVAILABLE),
    "待出让": (None, _S.AVAILABLE),
    "意向锁定": (None, _S.RESERVED),
    "意向": (None, _S.RESERVED),
    "锁定": (None, _S.RESERVED),
    "已挂牌": (_R.NET_LAND, _S.LISTED),
    "挂牌": (_R.NET_LAND, _S.LISTED),
    "挂牌中": (_R.NET_LAND, _S.LISTED),
    "已出让/划拨": (_R.NET_LAND, _S.SUPPLIED),
    "已出让": (_R.NET_LAND, _S.SUPPLIED),
    "出让": (_R.NET_LAND, _S.SUPPLIED),
    "已划拨": (_R.NET_LAND, _S.SUPPLIED),
    "划拨": (_R.NET_LAND, _S.SUPPLIED),
    "已供地": (_R.NET_LAND, _S.SUPPLIED),
    "已供应": (_R.NET_LAND, _S.SUPPLIED),
    "挂牌出让": (_R.NET_LAND, _S.SUPPLIED),
    "拍卖出让": (_R.NET_LAND, _S.SUPPLIED),
    "招标出让": (_R.NET_LAND, _S.SUPPLIED),
    "协议出让": (_R.NET_LAND, _S.SUPPLIED),
    "租赁": (_R.NET_LAND, _S.SUPPLIED),
    # 闲置土地 is supplied land whose project has not started (闲置土地处置办法).
    "闲置": (_R.NET_LAND, _S.SUPPLIED),
    "已交地": (_R.NET_LAND, _S.HANDED_OVER),
    "交地": (_R.NET_LAND, _S.HANDED_OVER),
    "已开工": (_R.NET_LAND, _S.STARTED),
    "开工": (_R.NET_LAND, _S.STARTED),
    "在建": (_R.NET_LAND, _S.STARTED),
    "已竣工投产": (_R.NET_LAND, _S.IN_PRODUCTION),
    "已竣工": (_R.NET_LAND, _S.IN_PRODUCTION),
    "竣工": (_R.NET_LAND, _S.IN_PRODUCTION),
    "已投产": (_R.NET_LAND, _S.IN_PRODUCTION),
    "投产": (_R.NET_LAND, _S.IN_PRODUCTION),
}
_FACTORY_WORDS: dict[str, FactoryStatus] = {
    "在建": FactoryStatus.UNDER_CONSTRUCTION,
    "建设中": FactoryStatus.UNDER_CONSTRUCTION,
    "施工中": FactoryStatus.UNDER_CONSTRUCTION,
    "已建成": FactoryStatus.BUILT,
    "建成": FactoryStatus.BUILT,
    "已竣工": FactoryStatus.BUILT,
    "竣工": FactoryStatus.BUILT,
    "闲置": FactoryStatus.IDLE,
    "空置": FactoryStatus.IDLE,
    "部分入驻": FactoryStatus.PARTLY_OCCUPIED,
    "部分出租": FactoryStatus.PARTLY_OCCUPIED,
    "部分使用": FactoryStatus.PARTLY_OCCUPIED,
    "已入驻": FactoryStatus.OCCUPIED,
    "入驻": FactoryStatus.OCCUPIED,
    "已满租": FactoryStatus.OCCUPIED,
    "满租": FactoryStatus.OCCUPIED,
    "已出租": FactoryStatus.OCCUPIED,
    "已使用": FactoryStatus.OCCUPIED,
}
_PROJECT_WORDS: dict[str, ProjectStage] = {
    "线索": ProjectStage.LEAD,
    "信息": ProjectStage.LEAD,
    "在谈": ProjectStage.NEGOTIATING,
    "洽谈": ProjectStage.NEGOTIATING,
    "洽谈中": ProjectStage.NEGOTIATING,
    "在洽谈": ProjectStage.NEGOTIATING,
    "签约": ProjectStage.SIGNED,
    "已签约": ProjectStage.SIGNED,
    "拟开工": ProjectStage.ABOUT_TO_START,
    "待开工": ProjectStage.ABOUT_TO_START,
    "开工": ProjectStage.STARTED,
    "已开工": ProjectStage.STARTED,
    "在建": ProjectStage.STARTED,
    "竣工投产": ProjectStage.IN_PRODUCTION,
    "已竣工投产": ProjectStage.IN_PRODUCTION,
    "竣工": ProjectStage.IN_PRODUCTION,
    "已竣工": ProjectStage.IN_PRODUCTION,
    "投产": ProjectStage.IN_PRODUCTION,
    "已投产": ProjectStage.IN_PRODUCTION,
    "终止": ProjectStage.TERMINATED,
    "中止": ProjectStage.TERMINATED,
    "已终止": ProjectStage.TERMINATED,
    "取消": ProjectStage.TERMINATED,
}


def _word(text: str) -> str:
    return normalise_text(text).rstrip("。.")


def parcel_ladders(
    readiness_text: str | None, status_text: str | None
) -> tuple[str | None, str | None]:
    """(readiness, status) from the words of a 整理程度 and a 状态 column (either may hold
    either kind of word: ledgers often have one "状态" column saying 净地 or 已出让).

    Supplied land is 净地: the store requires 净地(可供) from 已挂牌 on (净地出让), and a
    status given without readiness implies it. Unknown words raise :class:`FieldError`.
    """
    readiness: ParcelReadiness | None = None
    status: ParcelStatus | None = None
    for text in (readiness_text, status_text):
        if text is None or is_blank(text):
            continue
        found = _PARCEL_WORDS.get(_word(text))
        if found is None:
            allowed = "、".join([*(r.value for r in ParcelReadiness), *(s.value for s in ParcelStatus)])
            raise FieldError(f"“{text}”不是可识别的地块状态（可用：{allowed}）")
        r, s = found
        if s is None:
            readiness = r  # a readiness word: what the clerk wrote stands
        else:
            status = s
    if status is not None and readiness is None:
        readiness = ParcelReadiness.NET_LAND
    if readiness is not None and status is None:
        status = ParcelStatus.AVAILABLE
    return (
        readiness.value if readiness is not None else None,
        status.value if status is not None else None,
    )


def factory_status(text: str) -> str:
    found = _FACTORY_WORDS.get(_word(text))
    if found is None:
        allowed = "、".join(s.value for s in FactoryStatus)
        raise FieldError(f"“{text}”不是可识别的厂房状态（可用：{allowed}）")
    return found.value


def project_stage(text: str) -> str:
    found = _PROJECT_WORDS.get(_word(text))
    if found is None:
        allowed = "、".join(s.value for s in ProjectStage)
        raise FieldError(f"“{text}”不是可识别的项目阶段（可用：{allowed}）")
    return found.value
