"""China's county-level divisions (民政部 list) and how clerks name them.

A :class:`Gazetteer` recognises a county in a ledger cell (:meth:`Gazetteer.resolve`: 辉县市,
辉县, 新乡市辉县市, 河南新乡辉县), names the nearest counties of a typo
(:meth:`Gazetteer.nearest`) and finds one in a sheet's title row (:meth:`Gazetteer.find_in_title`,
:mod:`landbank.domain.gazetteer.titles`). Pure: the table is parsed from text
(:func:`landbank.domain.gazetteer.table.parse_counties_tsv`); reading the file is the job of
:mod:`landbank.services.importing.gazetteer_data`. Short names (辉县市 → 辉县) are made by
:mod:`landbank.domain.gazetteer.names`, the edit distance by :mod:`landbank.domain.gazetteer.distance`.

Rules worth knowing:

* A bare name that is also the name of a prefecture-level city or a province (新乡 for 新乡市,
  朝阳 for 朝阳市, 河南 for 河南省) is not read as the county of the same short name (新乡县,
  河南蒙古族自治县): the clerk may mean the city. It is, when the clerk's city is another one
  (朝阳 with city 北京市 → 朝阳区). The full name (新乡县) always resolves.
* Names shared by several counties (朝阳区, 通州区, 鼓楼区) resolve by the ``city`` given, then
  by the ``province``, then by a city or province written before the name; otherwise the match
  is ambiguous and lists every candidate.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from landbank.domain.gazetteer.distance import Word, levenshtein
from landbank.domain.gazetteer.names import MIN_SHORT
from landbank.domain.gazetteer.table import County
from landbank.domain.gazetteer.titles import TitleReading
from landbank.domain.units import normalise_text


@dataclass(frozen=True)
class CountyMatch:
    """What :meth:`Gazetteer.resolve` made of a text.

    ``how`` is "exact" (full name), "short" (辉县 → 辉县市), "prefixed" (新乡市辉县市, 河南新乡辉县),
    "ambiguous" (``candidates`` holds every county meant, best first) or "unknown"
    (``candidates`` holds the nearest names, best first).
    """

    county: County | None
    candidates: tuple[County, ...]
    how: str


@dataclass(frozen=True)
class _Reading:
    """One way to split a text: a province and/or city written before a county's name."""

    province: str | None
    city: str | None
    rest: str


class Gazetteer(TitleReading):
    """Every county-level division, indexed by full and short name, city and province
    (:class:`landbank.domain.gazetteer.table.CountyTable`), reading the names clerks write."""

    # -- resolve --------------------------------------------------------------------------

    def resolve(
        self, text: str, *, city: str | None = None, province: str | None = None
    ) -> CountyMatch:
        """The county a cell names: full or short name, with or without province and city."""
        t = normalise_text(text)
        city_full = self.city_name(city)
        province_full = self.province_name(province)
        if province_full is None and city_full is not None:
            provinces = self._provinces_of_city.get(city_full, set())
            province_full = next(iter(provinces)) if len(provinces) == 1 else None
        if not t:
            return CountyMatch(None, (), "unknown")
        readings = self._readings(t)
        plain, prefixed = readings[0], readings[1:]
        for how, found in (
            ("exact", self._by_full.get(t, [])),
            ("short", self._short_matches(plain, city_full)),
            ("prefixed", self._prefixed_matches(prefixed, city_full)),
        ):
            if found:
                return self._pick(found, how, city_full, province_full)
        return CountyMatch(None, tuple(self.nearest(t, city=city_full)), "unknown")

    def _readings(self, t: str) -> list[_Reading]:
        """The text as it stands, then every split into province and/or city and the rest."""
        readings = [_Reading(None, None, t)]
        for length in self._province_lengths:
            if length < len(t):
                for province in self._province_names.get(t[:length], ()):
                    readings.append(_Reading(province, None, t[length:]))
        for reading in list(readings):
            rest = reading.rest
            for length in self._city_lengths:
                if length >= len(rest):
                    continue
                for city in self._city_names.get(rest[:length], ()):
                    if reading.province in (None, *self._provinces_of_city[city]):
                        readings.append(_Reading(reading.province, city, rest[length:]))
        return readings

    def _short_matches(self, reading: _Reading, context_city: str | None) -> list[County]:
        """Counties of this short name; none when a city or province has it as its name, unless
        the county is in ``context_city`` and that city is not the one of the same name."""
        found = self._by_short.get(reading.rest, [])
        if not found or reading.rest not in self._place_names:
            return found
        if context_city is None or context_city in self._city_names.get(reading.rest, ()):
            return []
        if context_city in self._province_names.get(reading.rest, ()):
            return []
        return [county for county in found if county.city == context_city]

    def _prefixed_matches(self, readings: list[_Reading], city: str | None) -> list[County]:
        found: dict[str, County] = {}
        for reading in readings:
            context = reading.city or city
            names = self._by_full.get(reading.rest, []) or self._short_matches(reading, context)
            for county in names:
                if reading.city not in (None, county.city):
                    continue
                if reading.province not in (None, county.province):
                    continue
                found[county.code] = county
        return list(found.values())

    def _pick(
        self, found: list[County], how: str, city: str | None, province: str | None
    ) -> CountyMatch:
        ranked = sorted(
            found,
            key=lambda county: (county.city != city, county.province != province, county.code),
        )
        if len(ranked) == 1:
            return CountyMatch(ranked[0], (), how)
        for narrowed in (
            [county for county in ranked if city is not None and county.city == city],
            [county for county in ranked if province is not None and county.province == province],
        ):
            if len(narrowed) == 1:
                return CountyMatch(narrowed[0], (), how)
            if narrowed:
                return CountyMatch(None, tuple(narrowed), "ambiguous")
        return CountyMatch(None, tuple(ranked), "ambiguous")

    # -- nearest --------------------------------------------------------------------------

    def nearest(self, text: str, *, city: str | None = None, limit: int = 3) -> list[County]:
        """Counties whose full or short name is nearest to ``text`` (edit distance), those of
        ``city`` first; ties by characters in common, then by code. Only counties whose short
        name shares a character with the text count. A city's own name (新乡市) stands for
        ``city`` when none is given."""
        t = normalise_text(text)
        if not t or limit <= 0:
            return []
        city_full = self.city_name(city) or self.city_name(t)
        readings = self._readings(t)
        # The longest prefix written (河南省新乡市辉悬市 → 辉悬市 in 新乡市) is the best guess,
        # unless it leaves less than a name (新乡市 is not 新乡 + 市).
        best = min(
            (reading for reading in readings if len(reading.rest) >= MIN_SHORT),
            key=lambda reading: len(reading.rest),
            default=readings[0],
        )
        if city_full is None and best.city is not None:
            city_full = best.city
        chars = set(best.rest)
        words = [Word.of(word) for word in {t, best.rest}]
        indexes: set[int] = set()
        for char in chars:
            indexes |= self._by_char.get(char, set())
        # Cheapest first: a lower bound of the distance (the longer name less the characters in
        # common), so that the edit distance is computed only while it can still make the list.
        bounded: list[tuple[bool, int, int, str, int]] = []
        for index in indexes:
            county = self._counties[index]
            full, short = self._words[index]
            bound = min(word.bound(name) for word in words for name in (full, short))
            shared = len(chars & full.chars)
            bounded.append((county.city != city_full, bound, -shared, county.code, index))
        bounded.sort()
        scored: list[tuple[bool, int, int, str, int]] = []  # the best ``limit`` so far
        for elsewhere, bound, minus_shared, code, index in bounded:
            if len(scored) >= limit and (elsewhere, bound, minus_shared, code) > scored[-1][:4]:
                break  # sorted by the bound: no later county can make the list
            names = self._names[index]
            distance = min(levenshtein(word.text, name) for word in words for name in names)
            bisect.insort(scored, (elsewhere, distance, minus_shared, code, index))
            del scored[limit:]
        return [self._counties[item[4]] for item in scored]
