"""Units and the parsing of numbers as clerks type them.

Canonical units: 亩 for land, m² for floor space, 万元 for money (DOMAIN.md, Units), m for
heights, kN/m² for floor loads, kVA for electric power.
1 公顷 = 15 亩; 1 亩 = 10000/15 m²; 1 万平方米 = 10,000 m²; 1 亿元 = 10,000 万元;
1 t/m² = 9.80665 kN/m² (standard gravity).

Land and floor space are one dimension (area): a land field takes 平方米 and a floor field
takes 亩, each converted into the field's own unit. A unit of another dimension (亩 for a
height) is refused.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

MU_PER_HECTARE = 15.0
M2_PER_MU = 10000.0 / 15.0
M2_PER_WAN_M2 = 10000.0
WAN_PER_YI = 10000.0
KN_PER_TONNE_FORCE = 9.80665  # 1 t on 1 m² under standard gravity: 9.80665 kN/m²
# No ledger quantity comes near this; beyond it a typo (or 400 nines) is refused, not stored.
MAX_NUMBER = 1e15


class Quantity(StrEnum):
    """What a number measures; decides which unit words are accepted and the canonical unit
    (the value, shown in messages: “应为 亩”)."""

    LAND = "亩"
    FLOOR = "m²"
    MONEY = "万元"
    LENGTH = "m"
    LOAD = "kN/m²"
    POWER = "kVA"
    PLAIN = ""


# Unit word (as clerks write it) → (the quantity whose canonical unit it converts into, factor).
_UNIT_WORDS: dict[str, tuple[Quantity, float]] = {
    # Land.
    "亩": (Quantity.LAND, 1.0),
    "公顷": (Quantity.LAND, MU_PER_HECTARE),
    "hm²": (Quantity.LAND, MU_PER_HECTARE),
    "ha": (Quantity.LAND, MU_PER_HECTARE),
    "平方公里": (Quantity.LAND, 100 * MU_PER_HECTARE),
    "km²": (Quantity.LAND, 100 * MU_PER_HECTARE),
    # Floor space.
    "万平方米": (Quantity.FLOOR, M2_PER_WAN_M2),
    "万平米": (Quantity.FLOOR, M2_PER_WAN_M2),
    "万m²": (Quantity.FLOOR, M2_PER_WAN_M2),
    "万㎡": (Quantity.FLOOR, M2_PER_WAN_M2),
    "平方米": (Quantity.FLOOR, 1.0),
    "平米": (Quantity.FLOOR, 1.0),
    "平方": (Quantity.FLOOR, 1.0),  # "1500平方": spoken for 平方米
    "m²": (Quantity.FLOOR, 1.0),
    "㎡": (Quantity.FLOOR, 1.0),
    # Money.
    "万元": (Quantity.MONEY, 1.0),
    "亿元": (Quantity.MONEY, WAN_PER_YI),
    "亿": (Quantity.MONEY, WAN_PER_YI),
    "千元": (Quantity.MONEY, 0.1),
    "元": (Quantity.MONEY, 1e-4),
    # Length.
    "m": (Quantity.LENGTH, 1.0),
    "米": (Quantity.LENGTH, 1.0),
    "公尺": (Quantity.LENGTH, 1.0),
    "cm": (Quantity.LENGTH, 0.01),
    "厘米": (Quantity.LENGTH, 0.01),
    "mm": (Quantity.LENGTH, 0.001),
    "毫米": (Quantity.LENGTH, 0.001),
    # Floor load: see _LOAD_WORDS below. 1 kPa is 1 kN/m².
    "kPa": (Quantity.LOAD, 1.0),
    # Electric power. A supply is sized in kVA (transformer capacity); ledgers often write kW
    # for it, which is taken 1:1 (the power factor is unknown and near 1 for a sized supply):
    # a matching threshold, not an engineering figure.
    "kVA": (Quantity.POWER, 1.0),
    "千伏安": (Quantity.POWER, 1.0),
    "MVA": (Quantity.POWER, 1000.0),
    "兆伏安": (Quantity.POWER, 1000.0),
    "kW": (Quantity.POWER, 1.0),
    "千瓦": (Quantity.POWER, 1.0),
    "MW": (Quantity.POWER, 1000.0),
    "兆瓦": (Quantity.POWER, 1000.0),
}
# Floor load: a force (or a mass under standard gravity) per square metre, in every spelling.
_LOAD_WORDS = {
    f"{force}/{per}": (Quantity.LOAD, factor)
    for force, factor in (
        ("kN", 1.0),
        ("千牛", 1.0),
        ("t", KN_PER_TONNE_FORCE),
        ("吨", KN_PER_TONNE_FORCE),
        ("kg", KN_PER_TONNE_FORCE / 1000),
        ("公斤", KN_PER_TONNE_FORCE / 1000),
    )
    for per in ("m²", "㎡", "平方米", "平米")
}
_UNIT_WORDS.update(_LOAD_WORDS)
# Units that convert between quantities: their size in a common base (m² for area).
_BASE = {Quantity.LAND: Fraction(10000, 15), Quantity.FLOOR: Fraction(1)}
# Units a plain number may carry that convert nothing: tonnes (行车), percent.
_PLAIN_WORDS = frozenset({"t", "吨", "%"})


def normalise_text(text: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), ㎡ to m², stray spaces removed.

    (NFKC itself turns ㎡ and m² into "m2": that is the spelling unit words are compared in.)
    """
    text = unicodedata.normalize("NFKC", text).replace("㎡", "m²")
    return "".join(text.split())


def _unit_key(word: str) -> str:
    """A unit word as it is looked up: normalised, lower case ("KVA", "kva" → "kva")."""
    return normalise_text(word).lower()


def _ratio(factor: Fraction) -> tuple[float, float]:
    return float(factor.numerator), float(factor.denominator)


def _factor_table() -> dict[Quantity, dict[str, tuple[float, float]]]:
    """Per quantity: unit key → (multiplier, divisor) into that quantity's canonical unit.

    Kept as a fraction so that 12千元 is 1.2 万元 and 20000 m² is 30 亩, not 1.2000000000000002.
    """
    table: dict[Quantity, dict[str, tuple[float, float]]] = {q: {} for q in Quantity}
    for word, (home, factor) in _UNIT_WORDS.items():
        key = _unit_key(word)
        exact = Fraction(factor).limit_denominator(10**9)  # 0.1 → 1/10, 9.80665 → 196133/20000
        table[Quantity.PLAIN][key] = _ratio(exact)  # a plain number: the unit's own canonical
        if home in _BASE:
            for quantity, base in _BASE.items():
                table[quantity][key] = _ratio(exact * _BASE[home] / base)
        else:
            table[home][key] = _ratio(exact)
    for word in _PLAIN_WORDS:
        table[Quantity.PLAIN][word] = (1.0, 1.0)
    return table


_FACTORS = _factor_table()
# Every unit word a cell may carry: what a number with one of these says is just the number.
_UNIT_KEYS: frozenset[str] = frozenset(_FACTORS[Quantity.PLAIN])
# A number, then whatever follows it (the unit, if any). Commas are removed beforehand.
_NUMBER_AND_UNIT = re.compile(r"([+-]?(?:\d+(?:\.\d*)?|\.\d+))(.*)")
_PREFIXES = ("约", "≈", "~")


class UnitError(ValueError):
    """A value that is not a number in an accepted unit; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    unit_word: str | None  # the unit the clerk wrote, if any


def split_number(text: str) -> tuple[str, str] | None:
    """A normalised text without commas as (number, unit word as written), or ``None`` when
    it does not start with a number: "1.2万m2" → ("1.2", "万m2")."""
    m = _NUMBER_AND_UNIT.fullmatch(text)
    return (m[1], m[2]) if m else None


def is_unit_word(word: str) -> bool:
    """Whether ``word`` (normalised) is a unit some quantity accepts ("" counts: no unit)."""
    return not word or word.lower() in _UNIT_KEYS


def parse_number(
    text: str | float | int | None, quantity: Quantity = Quantity.PLAIN
) -> float | None:
    """Parse "约 1.2万㎡", "１２０亩", "1,234.5", "8 m", "2t/㎡" into the canonical unit of
    ``quantity``.

    Empty text gives ``None``. A unit of another dimension (亩 for a height) is an error.
    """
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    s = normalise_text(text)
    if not s:
        return None
    for prefix in _PREFIXES:
        s = s.removeprefix(prefix)
    m = _NUMBER_AND_UNIT.fullmatch(s.replace(",", ""))
    if m is None:
        raise UnitError(f"“{text}”不是有效的数字")
    number, word = m[1], m[2]
    value = float(number)
    if word:
        found = _FACTORS[quantity].get(word.lower())
        if found is None:
            if word.lower() in _UNIT_KEYS:
                raise UnitError(f"单位“{word}”不适用于此项（应为 {quantity.value}）")
            raise UnitError(f"“{text}”不是有效的数字")
        value = value * found[0] / found[1]
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        raise UnitError(f"“{text}”数值过大")
    return value


def format_number(value: float | None, decimals: int = 2) -> str:
    """1234.5 → "1,234.5"; trailing zeros dropped; ``None`` → ""."""
    if value is None:
        return ""
    text = f"{value:,.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


# One format per unit, everywhere a quantity is shown (tables, reports, exports, the CLI):
# 亩 and 万元 with two decimals, m² whole, thousands separated; other units as typed.
UNIT_DECIMALS: dict[str, int] = {
    Quantity.LAND.value: 2,
    "公顷": 2,
    Quantity.MONEY.value: 2,
    "亿元": 2,
    Quantity.FLOOR.value: 0,
    "万元/亩": 2,
    "元/m²/月": 2,
    "kVA": 0,
}


def format_quantity(value: float | None, unit: str) -> str:
    """``value`` in the one format of ``unit``: 1234.5 亩 → "1,234.50", 12345.6 m² → "12,346";
    a unit without a fixed format keeps what was typed ("7.5" m). ``None`` → ""."""
    if value is None:
        return ""
    decimals = UNIT_DECIMALS.get(unit)
    if decimals is None:
        return format_number(value)
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]  # -0.001 rounds to "-0.00": a clerk reads 0.00
    return text
