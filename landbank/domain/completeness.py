"""Is a site ready to be offered (issue 15, part 6)? What a 推介 needs, item by item.

A site goes to an investor — on a 推介单 or in the 招商手册 — only when the ledger holds what
the investor asks first. Each record kind has its items (Chinese labels, in this order):

=========  ==================================================================================
地块        红线 (an outline is held), 红线面积核对 (its area agrees with 收储面积 within 1 %),
            四至, 容积率 (下限 or 上限), 限高, 建筑密度, 价格, 联系人/电话, 照片
厂房        位置 (经度 and 纬度), 价格或租金 (售价 or 租金), 联系人/电话, 照片, 层高, 承重, 电力
=========  ==================================================================================

(四至 and 规划条件 do not apply to a building.) An item is *present* when:

- a text (四至, 联系电话) holds something besides spaces — 联系人/电话 asks for the phone: a
  name nobody can call does not reach anyone;
- a number is given and above zero (a price of 0 is what the 招商手册 prints as 面议; a 层高 or
  限高 of 0 is no figure at all);
- 红线: the outline's GeoJSON is held; 红线面积核对: its computed area (红线面积) is known
  and :func:`~landbank.domain.outlines.area.outline_area_mismatch` (the outline import's
  rule, 1 % of 收储面积) is false — a parcel without an outline cannot pass it;
- 照片: at least one attachment of category 照片 (asked of the store by the caller).

The score is the items present over the items applying, as a whole percent rounded half up
(:func:`score_pct`: 7 of 9 → 78 %); 100 % only when nothing is missing. The rules are
declared once (:data:`ITEMS`, each an :class:`Item` with a :class:`Rule`), so the store's SQL
expression (:mod:`landbank.store.completeness`) is built from the same table as
:func:`completeness` — and a test over many random records checks that the two agree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any

__all__ = [
    "COMPLETENESS_FIELD",
    "COMPLETENESS_KEY",
    "ITEMS",
    "ITEM_KEYS",
    "MISSING_KEY",
    "OUTLINE_TOLERANCE",
    "Completeness",
    "Item",
    "Rule",
    "applies_to",
    "completeness",
    "mismatch_text",
    "outline_area_mismatch",
    "outline_difference_pct",
    "score_pct",
]

from landbank.domain.enums import RecordKind
from landbank.domain.fields import FieldSpec, FieldType
from landbank.domain.outlines.area import OUTLINE_TOLERANCE, outline_area_mismatch
from landbank.domain.units import format_quantity

PHOTO_CATEGORY = "照片"
COMPLETENESS_KEY = "completeness_pct"  # the computed column's key (tables, sort, JSON)
MISSING_KEY = "completeness_missing"  # a page's row: the items its site misses, in order
COMPLETENESS_LABEL = "资料完整度"
INCOMPLETE_LABEL = "资料不全"
MISMATCH_LABEL = "红线面积不符"
# The computed column of the sites' tables: not a stored field, never edited, pasted or exported.
COMPLETENESS_FIELD = FieldSpec(COMPLETENESS_KEY, COMPLETENESS_LABEL, FieldType.INT, read_only=True)


def outline_difference_pct(area_mu: float | None, outline_area_mu: float | None) -> float | None:
    """How far the outline's area is from 收储面积, in percent of 收储面积 (``None`` when it
    cannot be said: either unknown, or 收储面积 zero)."""
    if area_mu is None or outline_area_mu is None or area_mu == 0:
        return None
    return abs(outline_area_mu - area_mu) / area_mu * 100.0


def mismatch_text(area_mu: float, outline_area_mu: float) -> str:
    """“红线面积 118.60 亩，与收储面积 117.35 亩相差 1.07 %”."""
    outline, area = format_quantity(outline_area_mu, "亩"), format_quantity(area_mu, "亩")
    text = f"红线面积 {outline} 亩，与收储面积 {area} 亩相差"
    pct = outline_difference_pct(area_mu, outline_area_mu)
    if pct is None:  # 收储面积 0: the difference in 亩
        return f"{text} {format_quantity(abs(outline_area_mu - area_mu), '亩')} 亩"
    return f"{text} {pct:.2f} %"


class Rule(Enum):
    """How an item is judged (the store translates each into SQL)."""

    TEXT = "text"  # some key holds text besides spaces
    ANY_NUMBER = "any_number"  # some key holds a number above zero
    ALL_NUMBERS = "all_numbers"  # every key holds a number above zero
    OUTLINE = "outline"  # the outline's GeoJSON is held
    OUTLINE_CHECK = "outline_check"  # 红线面积 known and within 1 % of 收储面积
    PHOTO = "photo"  # an attachment of category 照片


@dataclass(frozen=True)
class Item:
    label: str
    rule: Rule
    keys: tuple[str, ...] = ()


ITEMS: dict[RecordKind, tuple[Item, ...]] = {
    RecordKind.PARCEL: (
        Item("红线", Rule.OUTLINE, ("outline_geojson",)),
        Item("红线面积核对", Rule.OUTLINE_CHECK, ("area_mu", "outline_area_mu")),
        Item("四至", Rule.TEXT, ("boundaries",)),
        Item("容积率", Rule.ANY_NUMBER, ("far_min", "far_max")),
        Item("限高", Rule.ANY_NUMBER, ("height_limit_m",)),
        Item("建筑密度", Rule.ANY_NUMBER, ("building_density_pct",)),
        Item("价格", Rule.ANY_NUMBER, ("price_wan",)),
        Item("联系人/电话", Rule.TEXT, ("contact_phone",)),
        Item("照片", Rule.PHOTO),
    ),
    RecordKind.FACTORY: (
        Item("位置", Rule.ALL_NUMBERS, ("longitude", "latitude")),
        Item("价格或租金", Rule.ANY_NUMBER, ("price_wan", "rent_yuan_m2_month")),
        Item("联系人/电话", Rule.TEXT, ("contact_phone",)),
        Item("照片", Rule.PHOTO),
        Item("层高", Rule.ANY_NUMBER, ("ceiling_height_m",)),
        Item("承重", Rule.ANY_NUMBER, ("floor_load_kn_m2",)),
        Item("电力", Rule.ANY_NUMBER, ("power_kva",)),
    ),
}

# Every key :func:`completeness` reads, per kind (what a caller must load).
ITEM_KEYS: dict[RecordKind, tuple[str, ...]] = {
    kind: tuple(dict.fromkeys(key for item in items for key in item.keys))
    for kind, items in ITEMS.items()
}


def applies_to(kind: RecordKind) -> bool:
    """Whether records of ``kind`` are sites with a completeness (parcels and factories)."""
    return kind in ITEMS


def score_pct(present: int, applying: int) -> int:
    """Items present over items applying as a whole percent, rounded half up (integers only,
    so that SQL computes the very same figure)."""
    if applying <= 0:
        return 100
    return (present * 200 + applying) // (2 * applying)


@dataclass(frozen=True)
class Completeness:
    """The items that apply to a site and those missing, in :data:`ITEMS` order."""

    applying: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def present(self) -> int:
        return len(self.applying) - len(self.missing)

    @property
    def pct(self) -> int:
        return score_pct(self.present, len(self.applying))

    @property
    def complete(self) -> bool:
        return not self.missing

    def missing_text(self) -> str:
        """“缺四至、照片” (empty when complete)."""
        return "缺" + "、".join(self.missing) if self.missing else ""


def _has_text(value: Any) -> bool:
    return isinstance(value, str) and value.strip(" ") != ""


def _has_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value > 0


def item_present(item: Item, values: Mapping[str, Any], *, has_photo: bool) -> bool:
    """Whether ``values`` (a record's fields by key) hold ``item``."""
    if item.rule is Rule.TEXT:
        return any(_has_text(values.get(key)) for key in item.keys)
    if item.rule is Rule.ANY_NUMBER:
        return any(_has_number(values.get(key)) for key in item.keys)
    if item.rule is Rule.ALL_NUMBERS:
        return all(_has_number(values.get(key)) for key in item.keys)
    if item.rule is Rule.OUTLINE:
        outline = values.get(item.keys[0])
        return isinstance(outline, str) and outline != ""
    if item.rule is Rule.OUTLINE_CHECK:
        area, outline_area = (values.get(key) for key in item.keys)
        if area is None or outline_area is None:
            return False
        return not outline_area_mismatch(float(area), float(outline_area))
    return has_photo


def completeness(kind: RecordKind, values: Mapping[str, Any], *, has_photo: bool) -> Completeness:
    """What of a 推介's needs ``values`` hold. Raises :class:`KeyError` for a kind without
    items (see :func:`applies_to`)."""
    items = ITEMS[kind]
    missing = tuple(
        item.label for item in items if not item_present(item, values, has_photo=has_photo)
    )
    return Completeness(tuple(item.label for item in items), missing)
