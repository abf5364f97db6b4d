"""China's county-level divisions (民政部 list) and how clerks name them.

A :class:`Gazetteer` recognises a county in a ledger cell (:meth:`Gazetteer.resolve`: 辉县市,
辉县, 新乡市辉县市, 河南新乡辉县) or in a sheet's title row (:meth:`Gazetteer.find_in_title`).
Pure: the table is parsed from text (:func:`parse_counties_tsv`); reading the file is the job of
:mod:`landbank.services.importing.gazetteer_data`.

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
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

from landbank.domain.enums import RegionKind
from landbank.domain.units import normalise_text

# The 55 minorities and 汉, without the trailing 族 (autonomous names drop it at times:
# 塔什库尔干塔吉克自治县, 木垒哈萨克自治县).
_ETHNIC_NAMES = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 高山 "
    "拉祜 水 东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 "
    "怒 乌孜别克 俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺"
)
_ETHNIC_GROUPS = _ETHNIC_NAMES.split()
# Longest first; one-character names only with 族 (白, 水, 京 end ordinary names too).
_ETHNIC_FORMS = tuple(
    sorted(
        [group + "族" for group in _ETHNIC_GROUPS]
        + [group for group in _ETHNIC_GROUPS if len(group) > 1],
        key=len,
        reverse=True,
    )
)
_COUNTY_SUFFIXES = ("自治县", "自治旗", "特区", "新区", "矿区", "县", "市", "区", "旗")
_CITY_SUFFIXES = ("自治州", "地区", "盟", "市")
_PROVINCE_SUFFIXES = ("自治区", "省", "市")
_SPECIAL_SHORT = {"神农架林区": "神农架"}  # 林区 is its kind; 万柏林区, 碑林区 keep their 林
MIN_SHORT = 2

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


def _strip_suffix(name: str, suffixes: tuple[str, ...]) -> tuple[str, str]:
    """(base, suffix) for the first suffix that leaves at least two characters."""
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) - len(suffix) >= MIN_SHORT:
            return name[: -len(suffix)], suffix
    return name, ""


def _strip_ethnic(base: str) -> str:
    """长阳土家族 → 长阳, 积石山保安族东乡族撒拉族 → 积石山, 鄂温克族 → 鄂温克."""
    changed = True
    while changed:
        changed = False
        for form in _ETHNIC_FORMS:
            if base.endswith(form) and len(base) - len(form) >= MIN_SHORT:
                base = base[: -len(form)]
                changed = True
                break
    if base.endswith("族") and len(base) > MIN_SHORT:
        base = base[:-1]
    return base


@cache
def short_county_name(name: str) -> str:
    """辉县市 → 辉县, 长阳土家族自治县 → 长阳, 管城回族区 → 管城; never under two characters."""
    if name in _SPECIAL_SHORT:
        return _SPECIAL_SHORT[name]
    base, suffix = _strip_suffix(name, _COUNTY_SUFFIXES)
    if suffix.startswith("自治") or base.endswith("族"):
        base = _strip_ethnic(base)
    return base


@cache
def short_city_name(name: str) -> str:
    """新乡市 → 新乡, 恩施土家族苗族自治州 → 恩施, 大兴安岭地区 → 大兴安岭, 河南省 → 河南,
    广西壮族自治区 → 广西."""
    base, suffix = _strip_suffix(name, _CITY_SUFFIXES)
    if not suffix:
        base, suffix = _strip_suffix(name, _PROVINCE_SUFFIXES)
    if suffix.startswith("自治") or base.endswith("族"):
        base = _strip_ethnic(base)
    return base


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


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insertions, deletions, substitutions)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            )
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class _Word:
    """A name with its characters, for a quick lower bound of the edit distance."""

    text: str
    chars: frozenset[str]
    repeats: bool  # a character twice (峰峰矿区): the set undercounts the characters in common

    @classmethod
    def of(cls, text: str) -> _Word:
        chars = frozenset(text)
        return cls(text, chars, len(chars) < len(text))

    def bound(self, other: _Word) -> int:
        """At most ``levenshtein(self.text, other.text)``: the longer length less the characters
        in common."""
        common_chars = self.chars & other.chars
        if self.repeats or other.repeats:
            common = sum(min(self.text.count(c), other.text.count(c)) for c in common_chars)
        else:
            common = len(common_chars)
        return max(len(self.text), len(other.text)) - common


@dataclass(frozen=True)
class _Reading:
    """One way to split a text: a province and/or city written before a county's name."""

    province: str | None
    city: str | None
    rest: str


class Gazetteer:
    """Every county-level division, indexed by full and short name, city and province."""

    def __init__(self, counties: Iterable[County]) -> None:
        self._counties = tuple(sorted(counties, key=lambda county: county.code))
        self._by_full: dict[str, list[County]] = {}
        self._by_short: dict[str, list[County]] = {}
        self._by_city: dict[str, list[County]] = {}
        self._provinces_of_city: dict[str, set[str]] = {}
        self._by_char: dict[str, set[int]] = {}  # character of a short name → county indexes
        self._names: list[tuple[str, str]] = []  # full and short name, by county index
        self._words: list[tuple[_Word, _Word]] = []  # the same, for the distance bound
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
            self._words.append((_Word.of(county.name), _Word.of(county.short)))
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
        words = [_Word.of(word) for word in {t, best.rest}]
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

    # -- titles ---------------------------------------------------------------------------

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
