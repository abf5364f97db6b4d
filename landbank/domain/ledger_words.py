"""What clerks write in their ledgers, turned into the values the store keeps.

Pure functions for the importer (no I/O): dates in every spelling Excel and clerks produce
(and the words saying there is no date yet: 在建, 待定 …), numbers with the unit in the header
or the cell (and with a note in brackets, one value per storey, or a range, which is refused),
region names with a city prefix or only in a "省,市" column, and blank cells. The status words
of real ledgers (净地, 已出让, 闲置, 在建 …) and a project's stage read from a sentence:
:mod:`landbank.domain.ledger_statuses`.

What a cell says beyond the value read (a note in brackets, the other storeys) is for the
importer to keep in 备注: see :func:`number_remark`.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

from landbank.domain.enums import RegionKind
from landbank.domain.units import (
    Quantity,
    UnitError,
    is_unit_word,
    normalise_text,
    parse_number,
    split_number,
)
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
# A note in brackets after a value: "0.8（二层）", "已供地(2025年8月)", "净地【待挂牌】" (the
# text is normalised first: full-width brackets are half-width by then).
_NOTE = re.compile(r"(.+?)[(\[【〔]([^()\[\]【】〔〕]*)[)\]】〕]")

# A date cell saying there is no date yet → the word it is read as (the listed words stand for
# themselves; a few spellings of them are folded in). parse_ledger_date gives None for them.
_PENDING_DATE_WORDS: dict[str, str] = {
    "在建": "在建",
    "在建中": "在建",
    "建设中": "建设中",
    "正在建设": "建设中",
    "施工中": "建设中",
    "正在施工": "建设中",
    "未竣工": "未竣工",
    "尚未竣工": "未竣工",
    "未完工": "未竣工",
    "尚未完工": "未竣工",
    "未建成": "未建成",
    "尚未建成": "未建成",
    "待定": "待定",
    "待确定": "待定",
    "未定": "未定",
    "未确定": "未定",
    "暂无": "暂无",
    "待建": "待建",
    "拟建": "待建",
    "规划中": "规划中",
    "筹建": "筹建",
    "筹建中": "筹建",
    "未开工": "未开工",
    "待开工": "待开工",
}
# Of those, the words saying the building is being built now: a 竣工时间 of 在建 tells the
# status (在建) when the file has none. 未竣工/未建成 do not: the work may not have started.
UNDER_CONSTRUCTION_DATE_WORDS = frozenset({"在建", "建设中"})
# A period, not a day: "2025年上半年", "2025年底", "2026年一季度", "2025年6月底", "2025年前".
_VAGUE_DATE = re.compile(
    r"\d{4}年.*(?:半年|年底|年初|年末|年中|底|初|末|旬|季度|前|后|内|左右|期间)"
    r"|\d{4}年?$"
)


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


def _word(text: str) -> str:
    return normalise_text(text).rstrip("。.")


def pending_date_word(value: object) -> str | None:
    """The word of a date cell that says there is no date yet (在建, 建设中, 未竣工, 未建成,
    待定, 未定, 暂无, 待建, 规划中, 筹建, 未开工, 待开工; "正在建设" reads 建设中), else ``None``.

    :data:`UNDER_CONSTRUCTION_DATE_WORDS` are those that say the building is under way."""
    if not isinstance(value, str):
        return None
    return _PENDING_DATE_WORDS.get(_word(value))


def parse_ledger_date(value: object) -> date | None:
    """A date as a cell holds it: ``date``/``datetime`` (calamine), an Excel serial number,
    "2017/1/3", "2017-01-03", "2017.1.3", "2017年01月31日", "2017-01-03 00:00:00", or a month
    only ("2017年1月", "2017-01": the first of the month). ``None`` when empty or when the cell
    says there is no date yet (在建, 待定 …: :func:`pending_date_word`). A period ("2025年底",
    "2025年上半年") is refused, not guessed."""
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
    try:
        return parse_date(s)
    except FieldError:
        if s.rstrip("。.") in _PENDING_DATE_WORDS:
            return None
        if _VAGUE_DATE.search(s):
            raise FieldError(
                f"“{text}”不是确切的日期（请填写具体日期，如 2025-06-30；只知道月份可填 2025年6月）"
            ) from None
        raise


_LEDGER_PREFIXES = ("约", "≈", "~", "大约", "计")
_BARE_NUMBER = re.compile(r"[+-]?(\d[\d,]*(\.\d*)?|\.\d+)")
# "100-120亩", "100～120", "100至120": two numbers (each perhaps with a unit) around a dash
# (not three: "2017-01-03" is a date in the wrong column, not a range).
_RANGE = re.compile(
    r"\d[\d,.]*(?:[^\d\-~〜—–至到][^-~〜—–至到]*?)?(?:-{1,2}|~|〜|—{1,2}|–|至|到)\d[\d,.]*"
    r"(?:[^\d\-~〜—–至到/.][^-~〜—–至到]*)?"
)
# Quantities a ledger may give per storey ("6/4.5": the ground floor first). An area given so
# is refused: the sum and the ground floor are both plausible readings.
_PER_STOREY = frozenset({Quantity.LENGTH, Quantity.LOAD})


def _ledger_text(value: object) -> str:
    text = normalise_text(str(value))
    for prefix in _LEDGER_PREFIXES:
        text = text.removeprefix(prefix)
    return text


def parse_ledger_number(
    value: object, quantity: Quantity = Quantity.PLAIN, header_unit: str | None = None
) -> float | None:
    """A number as a cell holds it, in the canonical unit of ``quantity``.

    "1,234.5", "１２０", "约 1.2万㎡", "120亩" are understood; a bare number takes the unit
    the header named ("面积(公顷)" → ×15). A note in brackets after the number is passed over
    ("0.8（二层）" → 0.8); a height or a floor load given per storey is the ground floor's
    ("6/4.5" → 6; for any other quantity it is refused); a range ("100-120亩") is refused.
    ``None`` when empty. What the cell says beyond the number: :func:`number_remark`.
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
        return _read(_ledger_text(value), quantity, header_unit)
    except UnitError as exc:
        reason = str(exc)
        if reason.startswith("“"):  # the value, as the clerk sees it (not as normalised)
            reason = f"“{' '.join(str(value).split())}”{reason[reason.index('”') + 1 :]}"
        raise FieldError(reason) from None


def _read(text: str, quantity: Quantity, header_unit: str | None) -> float | None:
    if header_unit and _BARE_NUMBER.fullmatch(text):
        text += header_unit
    try:
        return parse_number(text, quantity)
    except UnitError:
        found = _reread(text, quantity, header_unit)
        if found is None:
            raise
        return found[0]


def _reread(text: str, quantity: Quantity, header_unit: str | None) -> tuple[float | None] | None:
    """The reading of a cell that is not a plain number, or ``None`` when none applies."""
    note = _NOTE.fullmatch(text)
    if note and split_number(note[1].replace(",", "")) is not None:
        number, inner = note[1], note[2]
        if _BARE_NUMBER.fullmatch(number) and inner and is_unit_word(inner):
            return (parse_number(number + inner, quantity),)  # "120(亩)": the unit
        return (_read(number, quantity, header_unit),)
    if _RANGE.fullmatch(text):
        raise UnitError(f"“{text}”是一个范围，请填写一个数")
    storeys = _storeys(text)
    if storeys is None:
        return None
    if quantity not in _PER_STOREY:
        raise UnitError(f"“{text}”是多个数（每层一个？），请填写一个数")
    # A bare storey takes the unit another storey names ("6/4.5m"), else the header's.
    units = [split[1] for part in storeys if (split := split_number(part.replace(",", "")))]
    unit = next((u for u in units if u), header_unit or "")
    values = [
        parse_number(part + unit if _BARE_NUMBER.fullmatch(part) else part, quantity)
        for part in storeys
    ]
    return (values[0],)  # every storey must read; the ground floor's is kept


def _storeys(text: str) -> list[str] | None:
    """One text per storey: "6/4.5", "6m/4.5m", "5kN/m²/3kN/m²" (notes in brackets dropped);
    ``None`` when the text is not numbers separated by "/"."""
    if "/" not in text:
        return None
    parts: list[str] = []
    for piece in text.split("/"):
        if piece[:1].isdigit() or (piece[:1] == "." and piece[1:2].isdigit()):
            parts.append(piece)
        elif parts:
            parts[-1] += "/" + piece  # the rest of a unit: "kN/m²"
        else:
            return None
    if len(parts) < 2:
        return None
    return [note[1] if (note := _NOTE.fullmatch(part)) else part for part in parts]


def number_remark(value: object) -> str | None:
    """The cell's text when it says more than the number read from it, for 备注: "0.8（二层）",
    "6/4.5"; ``None`` when the cell is only a number, perhaps with 约 and a unit ("约117.35亩",
    "1,234.5", "120(亩)"), is empty or is not text. Meant for cells
    :func:`parse_ledger_number` has read."""
    if not isinstance(value, str) or is_blank(value):
        return None
    text = _ledger_text(value).replace(",", "")
    split = split_number(text)
    if split is not None and is_unit_word(split[1]):
        return None
    note = _NOTE.fullmatch(text)
    if note and _BARE_NUMBER.fullmatch(note[1]) and note[2] and is_unit_word(note[2]):
        return None
    return value.strip()


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
