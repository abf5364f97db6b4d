"""Units and the parsing of numbers as clerks type them.

Canonical units: 亩 for land, m² for floor space, 万元 for money (DOMAIN.md, Units).
1 公顷 = 15 亩; 1 亩 = 10000/15 m²; 1 万平方米 = 10,000 m²; 1 亿元 = 10,000 万元.
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

MU_PER_HECTARE = 15.0
M2_PER_MU = 10000.0 / 15.0
M2_PER_WAN_M2 = 10000.0
WAN_PER_YI = 10000.0
# No ledger quantity comes near this; beyond it a typo (or 400 nines) is refused, not stored.
MAX_NUMBER = 1e15


class Quantity(StrEnum):
    """What a number measures; decides which unit words are accepted and the canonical unit."""

    LAND = "亩"
    FLOOR = "m²"
    MONEY = "万元"
    PLAIN = ""


# Unit word → (quantity, factor to the canonical unit). Longest words are tried first.
_UNIT_FACTORS: dict[str, tuple[Quantity, float]] = {
    "亩": (Quantity.LAND, 1.0),
    "公顷": (Quantity.LAND, MU_PER_HECTARE),
    "hm²": (Quantity.LAND, MU_PER_HECTARE),
    "hm2": (Quantity.LAND, MU_PER_HECTARE),
    "ha": (Quantity.LAND, MU_PER_HECTARE),
    "万平方米": (Quantity.FLOOR, M2_PER_WAN_M2),
    "万平米": (Quantity.FLOOR, M2_PER_WAN_M2),
    "万m²": (Quantity.FLOOR, M2_PER_WAN_M2),
    "万m2": (Quantity.FLOOR, M2_PER_WAN_M2),
    "平方米": (Quantity.FLOOR, 1.0),
    "平米": (Quantity.FLOOR, 1.0),
    "m²": (Quantity.FLOOR, 1.0),
    "m2": (Quantity.FLOOR, 1.0),
    "万元": (Quantity.MONEY, 1.0),
    "亿元": (Quantity.MONEY, WAN_PER_YI),
    "亿": (Quantity.MONEY, WAN_PER_YI),
    "元": (Quantity.MONEY, 1e-4),
}
_UNITS_LONGEST_FIRST = sorted(_UNIT_FACTORS, key=len, reverse=True)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


class UnitError(ValueError):
    """A value that is not a number in an accepted unit; ``str()`` is the Chinese reason."""


@dataclass(frozen=True)
class ParsedNumber:
    value: float
    unit_word: str | None  # the unit the clerk wrote, if any


def normalise_text(text: str) -> str:
    """Full-width digits and letters to ASCII (NFKC), ㎡ to m², stray spaces removed."""
    text = unicodedata.normalize("NFKC", text).replace("㎡", "m²")
    return "".join(text.split())


def parse_number(
    text: str | float | int | None, quantity: Quantity = Quantity.PLAIN
) -> float | None:
    """Parse "约 1.2万㎡", "１２０亩", "1,234.5", "8 m" into the canonical unit of ``quantity``.

    Empty text gives ``None``. A unit of another quantity (亩 for floor space) is an error.
    """
    if text is None:
        return None
    if isinstance(text, int | float):
        return float(text)
    s = normalise_text(text)
    if not s:
        return None
    for prefix in ("约", "≈", "~"):
        s = s.removeprefix(prefix)
    s = s.replace(",", "")
    factor = 1.0
    for word in _UNITS_LONGEST_FIRST:
        if s.endswith(word):
            unit_quantity, factor = _UNIT_FACTORS[word]
            if quantity is not Quantity.PLAIN and unit_quantity is not quantity:
                raise UnitError(f"单位“{word}”不适用于此项（应为 {quantity.value}）")
            s = s[: -len(word)]
            break
    else:
        # Plain units that do not convert: metres, kVA, tonnes, percent.
        for word in ("kVA", "kva", "KVA", "kN/m²", "m", "米", "t", "吨", "%", "％"):
            if s.endswith(word):
                s = s[: -len(word)]
                break
    if not _NUMBER.match(s):
        raise UnitError(f"“{text}”不是有效的数字")
    value = float(s) * factor
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
