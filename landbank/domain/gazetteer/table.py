"""The table of China's county-level divisions (民政部 list): :class:`County`, the table's text
(:func:`parse_counties_tsv`) and :class:`CountyTable`, the counties indexed by full and short
name, city and province with the plain look-ups. :class:`landbank.domain.gazetteer.Gazetteer`
reads clerks' names with these indexes."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from landbank.domain.enums import RegionKind
from landbank.domain.gazetteer.distance import Word
from landbank.domain.gazetteer.names import short_city_name, short_county_name
from landbank.domain.units import normalise_text


@dataclass(frozen=True)
class County:
    """One county-level division: 6-digit 民政部 code, full name, its city and province.

    ``city`` is the prefecture-level city; for the districts of a 直辖市 the 直辖市 itself, for
    a county under its province directly (济源市, 仙桃市) the province.
    """

    code: str
    name: str
    city: str
    province: str

    @property
    def kind(self) -> RegionKind:
        return RegionKind.DISTRICT if self.name.endswith("区") else RegionKind.COUNTY

    @property
    def short(self) -> str:
        return short_county_name(self.name)


def parse_counties_tsv(text: str) -> list[County]:
    """Counties from the TSV text (header ``code name city province`` first, then one a line)."""
    lines = text.splitlines()
    if not lines or lines[0].lstrip("\ufeff").split("\t")[:4] != [
        "code",
        "name",
        "city",
        "province",
    ]:
        raise ValueError("counties table: the first line must be code, name, city, province")
    counties: list[County] = []
    for number, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if len(cells) != 4 or not all(cells):
            raise ValueError(f"counties table, line {number}: expected 4 columns: {line!r}")
        counties.append(County(*cells))
    return counties


class CountyTable:
    """Every county-level division, indexed by full and short name, city and province."""

    def __init__(self, counties: Iterable[County]) -> None:
        self._counties = tuple(sorted(counties, key=lambda county: county.code))
        self._by_full: dict[str, list[County]] = {}
        self._by_short: dict[str, list[County]] = {}
        self._by_city: dict[str, list[County]] = {}
        self._provinces_of_city: dict[str, set[str]] = {}
        self._by_char: dict[str, set[int]] = {}  # character of a short name → county indexes
        self._names: list[tuple[str, str]] = []  # full and short name, by county index
        self._words: list[tuple[Word, Word]] = []  # the same, for the distance bound
        # Full and short names of cities and provinces → the full names they stand for.
        self._city_names: dict[str, set[str]] = {}
        self._province_names: dict[str, set[str]] = {}
        for index, county in enumerate(self._counties):
            self._by_full.setdefault(county.name, []).append(county)
            self._by_short.setdefault(county.short, []).append(county)
            self._by_city.setdefault(county.city, []).append(county)
            self._provinces_of_city.setdefault(county.city, set()).add(county.province)
            for char in county.short:
                self._by_char.setdefault(char, set()).add(index)
            self._names.append((county.name, county.short))
            self._words.append((Word.of(county.name), Word.of(county.short)))
            for name in (county.city, short_city_name(county.city)):
                self._city_names.setdefault(name, set()).add(county.city)
            for name in (county.province, short_city_name(county.province)):
                self._province_names.setdefault(name, set()).add(county.province)
        # A short name may stand for the county only when no city or province has it as name.
        self._place_names = set(self._city_names) | set(self._province_names)
        # 城区, 郊区, 矿区, 东区, 西区: in a title only right after their city's name.
        self._generic = {
            name
            for name, found in self._by_full.items()
            if found[0].short == name and name.endswith("区")
        }
        self._full_lengths = sorted({len(name) for name in self._by_full}, reverse=True)
        self._short_lengths = sorted({len(name) for name in self._by_short}, reverse=True)
        self._city_lengths = sorted({len(name) for name in self._city_names}, reverse=True)
        self._province_lengths = sorted({len(name) for name in self._province_names}, reverse=True)

    def __len__(self) -> int:
        return len(self._counties)

    def __iter__(self) -> Iterator[County]:
        return iter(self._counties)

    # -- look-ups -------------------------------------------------------------------------

    def cities(self) -> set[str]:
        """Every city named in the table (直辖市 and provinces for their direct counties)."""
        return set(self._by_city)

    def city_name(self, text: str | None) -> str | None:
        """The city's full name for its full or short name (新乡 → 新乡市), None if unknown."""
        if text is None:
            return None
        found = self._city_names.get(normalise_text(text), set())
        return next(iter(found)) if len(found) == 1 else None

    def province_name(self, text: str | None) -> str | None:
        """The province's full name for its full or short name (河南 → 河南省)."""
        if text is None:
            return None
        found = self._province_names.get(normalise_text(text), set())
        return next(iter(found)) if len(found) == 1 else None

    def counties_of(self, city: str) -> list[County]:
        """The counties of a city (full or short name), by code; [] for an unknown city."""
        full = self.city_name(city)
        return list(self._by_city.get(full, [])) if full else []

    def by_name(self, name: str) -> list[County]:
        """Counties whose full or short name is ``name``, by code."""
        text = normalise_text(name)
        found = {*self._by_full.get(text, []), *self._by_short.get(text, [])}
        return sorted(found, key=lambda county: county.code)
