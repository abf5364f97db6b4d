"""The county a sheet's title row names (辉县市百泉镇…台账, 填报单位：获嘉县商务局, 辉县2025年…):
:meth:`TitleReading.find_in_title`, which :class:`landbank.domain.gazetteer.Gazetteer` has.

Full names of counties and cities are found first, longest first and none overlapping; a
county's short name counts only when a typical continuation follows it (a year, 商务局,
台账 …). 城区, 郊区, 矿区 count only right after their city's name.
"""

from __future__ import annotations

import re

from landbank.domain.gazetteer.names import short_city_name
from landbank.domain.gazetteer.table import County, CountyTable
from landbank.domain.units import normalise_text

# What may follow a county's short name in a title (辉县2025年…, 辉县百泉镇…, 辉县商务局…,
# 辉县、获嘉…).
# A town directly after the short name is not enough: 城关镇 and 新华街道 are towns, not 城关区
# or 新华区.
_TITLE_CONTINUATION = re.compile(
    r"\d|[、,;]|年|工业|产业|商务|标准|收储|重点|招商|经济|开发区|高新|集聚区|园区|人民政府|政府|"
    r"自然资源|国土|土地|厂房|项目|台账|地块|[\u4e00-\u9fff]{1,4}?(?:镇|乡|街道)"
)
# A two-character county (和县, 兴县, 费县) inside a longer word: 市和县级, 振兴县域, 经费县级.
_COUNTY_WORD_AFTER = frozenset("级域城区委长直乡市里内外")


class TitleReading(CountyTable):
    """The county table, reading title rows."""

    def find_in_title(self, text: str, *, city: str | None = None) -> County | None:
        """The one county a title row names (辉县市百泉镇…台账, 填报单位：获嘉县商务局);
        None when it names none, two different ones, or one name shared by several."""
        t = normalise_text(text)
        city_full = self.city_name(city)
        spans = self._title_spans(t)
        named: set[County] = set()
        for start, end, is_county in spans:
            if not is_county:
                continue
            name = t[start:end]
            if len(name) == 2 and name.endswith("县") and t[end : end + 1] in _COUNTY_WORD_AFTER:
                continue
            found = self._by_full[name]
            if name in self._generic:
                found = [county for county in found if self._city_before(t, start, county)]
            if not found:
                continue
            county = self._narrow_in_title(found, t, start, city_full)
            if county is None:
                return None
            named.add(county)
        if not named:
            by_short = self._short_names_in_title(t, spans, city_full)
            if by_short is None:
                return None
            named = by_short
        return next(iter(named)) if len(named) == 1 else None

    def _title_spans(self, t: str) -> list[tuple[int, int, bool]]:
        """Full names of counties and cities in ``t``, longest first, none overlapping:
        (start, end, is_county)."""
        hits: list[tuple[int, int, bool]] = []
        for start in range(len(t)):
            for length in self._full_lengths:
                word = t[start : start + length]
                if len(word) == length and word in self._by_full:
                    hits.append((start, start + length, True))
            for length in self._city_lengths:
                word = t[start : start + length]
                if len(word) == length and word in self._city_names:
                    hits.append((start, start + length, False))
        hits.sort(key=lambda hit: (hit[0] - hit[1], hit[0]))
        taken: list[tuple[int, int, bool]] = []
        for hit in hits:
            if all(hit[1] <= other[0] or hit[0] >= other[1] for other in taken):
                taken.append(hit)
        return sorted(taken)

    def _city_before(self, t: str, start: int, county: County) -> bool:
        before = t[:start]
        return before.endswith((county.city, short_city_name(county.city)))

    def _narrow_in_title(
        self, found: list[County], t: str, start: int, city: str | None
    ) -> County | None:
        """One county among those of a name: by ``city``, by a city or province in the title."""
        if len(found) == 1:
            return found[0]
        before = t[:start]
        for keep in (
            lambda county: county.city == city,
            lambda county: county.city in t or self._city_before(t, start, county),
            lambda county: (
                county.province in t or before.endswith(short_city_name(county.province))
            ),
        ):
            narrowed = [county for county in found if keep(county)]
            if len(narrowed) == 1:
                return narrowed[0]
            if narrowed:
                return None
        return None

    def _short_names_in_title(
        self, t: str, spans: list[tuple[int, int, bool]], city: str | None
    ) -> set[County] | None:
        """Counties named by a short name followed by a typical continuation (辉县2025年);
        None when one such name is shared by several counties."""
        named: set[County] = set()
        for start in range(len(t)):
            if any(span[0] <= start < span[1] for span in spans):
                continue
            for length in self._short_lengths:
                end = start + length
                word = t[start:end]
                if len(word) < length or word not in self._by_short:
                    continue
                if word in self._place_names or word in self._generic:
                    continue
                if any(span[0] < end <= span[1] for span in spans):
                    continue
                if not _TITLE_CONTINUATION.match(t, end):
                    continue
                found = self._by_short[word]
                if city is not None:
                    found = [county for county in found if county.city == city]
                if not found:
                    continue
                county = self._narrow_in_title(found, t, start, city)
                if county is None:
                    return None
                named.add(county)
                break
        return named
