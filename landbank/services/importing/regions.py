"""The county a ledger row means, as clerks name it: 辉县 is 辉县市, a typo is no new county.

:class:`RegionResolver` turns the text of a 县区 cell into a :class:`RegionRef` — a region of the
ledger, or one to create — or refuses it with the reason (a :class:`FieldError`, reported as the
row's error with its column and value):

1. a name the ledger holds is that region;
2. otherwise the gazetteer of China's county-level divisions (:mod:`landbank.domain.gazetteer.lookup`)
   reads short, full and prefixed forms ("辉县", "原阳", "新乡市辉县市"), preferring the ledger's
   city; a form other than the ledger's name is listed as recognised (辉县 → 辉县市);
3. a county the ledger does not hold yet is created on the ledger's first import (it has no
   regions), or when the clerk asks (``create``); otherwise the row is refused, saying how to
   ask. A name that is no county is refused naming the nearest ones — never created by typo
   (with ``create``, a name of a region-like form such as "平原示范区" or "新乡市本级" may be);
4. the rows of a national or provincial publication (中国土地市场网) are placed by the city they
   name: those outside the ledger's city are skipped and counted (:meth:`outside_city`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session, col

from landbank.domain.enums import RegionKind
from landbank.domain.gazetteer.distance import levenshtein
from landbank.domain.gazetteer.lookup import Gazetteer
from landbank.domain.gazetteer.table import County
from landbank.domain.ledger_words import region_kind, region_name
from landbank.domain.units import normalise_text
from landbank.domain.validation import FieldError
from landbank.services.importing.gazetteer_data import gazetteer
from landbank.services.importing.landchina import RegionRef
from landbank.store.models import Region

# The region a project list's rows belong to when they name no county: the city bureau's own
# leads, handed to a county later (by editing the project's 承办县区).
CITY_LEADS = "市级（待分配）"
# Names a city ledger uses for regions that are not counties of the gazetteer.
_REGION_LIKE = ("区", "县", "市", "旗", "本级", "待分配）")


@dataclass(frozen=True)
class CreateHint:
    """How the interface tells a clerk to allow new counties (CLI option, wizard tick)."""

    text: str = "如确需新建，请勾选“新建县区”"


class RegionResolver:
    """Region cells of one import → :class:`RegionRef` (see the module doc)."""

    def __init__(
        self,
        session: Session,
        *,
        create: bool = False,
        hint: CreateHint = CreateHint(),
        names: Gazetteer | None = None,
    ) -> None:
        rows = session.execute(
            select(col(Region.name), col(Region.kind), col(Region.city))
        ).all()
        self.gazetteer = names or gazetteer()
        self.known: dict[str, RegionRef] = {
            name: RegionRef(name, _kind(kind), city) for name, kind, city in rows
        }
        # The ledger's first import creates the counties its file names.
        self.first_import = not rows
        self.create = create
        self.hint = hint
        self.city = self._ledger_city([city for _n, _k, city in rows], [n for n, _k, _c in rows])
        self.province = self._province(self.city)
        self.recognised: dict[str, str] = {}  # text as written → the ledger's name
        self._cache: dict[str, RegionRef | FieldError] = {}

    # ------------------------------------------------------------ the ledger's city

    def _ledger_city(self, cities: list[str | None], names: list[str]) -> str | None:
        """The city every region of the ledger that says so belongs to (as the export's title
        reads it), else the one all its counties belong to by the gazetteer; ``None`` for an
        empty ledger or one spanning several cities (a national ledger has no outside)."""
        said = {normalise_text(c) for c in cities if c and c.strip()}
        if said:
            return said.pop() if len(said) == 1 else None
        found = Counter(
            matches[0].city for n in names if len(matches := self.gazetteer.by_name(n)) == 1
        )
        return found.most_common(1)[0][0] if len(found) == 1 else None

    def _province(self, city: str | None) -> str | None:
        if city is None:
            return None
        counties = self.gazetteer.counties_of(city)
        return counties[0].province if counties else None

    def adopt_city(self, county: str) -> None:
        """A ledger without a city (the first import) takes the city of ``county`` (the county
        the clerk chose for the file), so short names are read within it."""
        if self.city is not None:
            return
        matches = self.gazetteer.by_name(county)
        if len(matches) == 1:
            self.city = matches[0].city
            self.province = matches[0].province

    # ------------------------------------------------------------ cells

    def ref(self, text: str) -> RegionRef:
        """The region a 县区 cell names; raises :class:`FieldError` with the reason."""
        found = self._cache.get(text)
        if found is None:
            try:
                found = self._resolve(text)
            except FieldError as exc:
                found = exc
            self._cache[text] = found
        if isinstance(found, FieldError):
            raise found
        return found

    def _resolve(self, text: str) -> RegionRef:
        name = normalise_text(text)
        if not name:
            raise FieldError("县区为空")
        if name in self.known:
            return self.known[name]
        stripped = region_name(name)  # "河南省新乡市辉县市" → "辉县市"
        if stripped in self.known:
            return self._recognised(text, self.known[stripped])
        match = self.gazetteer.resolve(name, city=self.city, province=self.province)
        if match.county is not None:
            return self._county(text, match.county)
        if match.how == "ambiguous":
            options = "、".join(f"{c.city}{c.name}" for c in match.candidates[:4])
            raise FieldError(f"可能是多个县区（{options}），请写全称或带上所属市")
        own = self._ledger_short_form(name)
        if own is not None:
            return self._recognised(text, own)
        if self.create and stripped.endswith(_REGION_LIKE) and len(stripped) >= 3:
            return RegionRef(stripped, region_kind(stripped), self.city)
        nearest = self._nearest(name, match.candidates)
        hint = f"，最接近的是：{'、'.join(nearest)}" if nearest else ""
        raise FieldError(f"不是可识别的县区名称{hint}")

    def _recognised(self, text: str, ref: RegionRef) -> RegionRef:
        if normalise_text(text) != ref.name:
            self.recognised.setdefault(" ".join(text.split()), ref.name)
        return ref

    def _county(self, text: str, county: County) -> RegionRef:
        known = self.known.get(county.name)
        if known is not None:
            return self._recognised(text, known)
        if not (self.first_import or self.create):
            where = f"（{county.city}）" if county.city != self.city else ""
            raise FieldError(f"县区“{county.name}”{where}尚未在台账中。{self.hint.text}")
        ref = RegionRef(county.name, county.kind, county.city)
        return self._recognised(text, ref)

    def _ledger_short_form(self, name: str) -> RegionRef | None:
        """A region of the ledger the gazetteer does not know, named without its suffix
        ("平原示范" for 平原示范区): only when exactly one fits."""
        fits = [ref for full, ref in self.known.items() if full != name and full.startswith(name)
                and len(full) - len(name) <= 2 and len(name) >= 2]
        return fits[0] if len(fits) == 1 else None

    def _nearest(self, name: str, candidates: tuple[County, ...]) -> list[str]:
        shown: list[str] = []
        own = sorted(self.known, key=lambda n: levenshtein(name, n))
        for full in own[:3]:
            if levenshtein(name, full) <= max(2, len(name) // 2):
                shown.append(full)
        for county in candidates:
            if county.name not in shown:
                shown.append(county.name if county.city == self.city else f"{county.city}{county.name}")
        return shown[:3]

    # ------------------------------------------------------------ national files

    def outside_city(self, ref: RegionRef) -> bool:
        """Whether a row of a national publication placed in ``ref`` lies outside the ledger's
        city (never for a ledger without a city)."""
        if self.city is None:
            return False
        if ref.name in self.known:
            return False
        city = ref.city
        if not city:
            matches = self.gazetteer.by_name(ref.name)
            city = matches[0].city if len(matches) == 1 else None
        if not city:
            return False
        return _same_city(city, self.city) is False

    def place(self, ref: RegionRef) -> RegionRef:
        """A region a national publication names (行政区 with the city of 地区): the ledger's
        own, a county of the gazetteer, or — the publication's names being no typos, though
        some are older than the gazetteer (平安县, 53团) or the city's own level (…市本级) — the
        name as published, where new regions may be created. Raises :class:`FieldError`."""
        if ref.name in self.known:
            return self.known[ref.name]
        if ref.kind is not RegionKind.CITY and not ref.name.endswith("本级"):
            match = self.gazetteer.resolve(ref.name, city=ref.city or self.city, province=None)
            if match.county is not None:
                return self._county(ref.name, match.county)
        if self.first_import or self.create:
            return ref
        raise FieldError(f"县区“{ref.name}”尚未在台账中。{self.hint.text}")


def _kind(value: str) -> RegionKind:
    try:
        return RegionKind(value)
    except ValueError:
        return RegionKind.COUNTY


def _same_city(a: str, b: str) -> bool:
    a, b = normalise_text(a), normalise_text(b)
    return a == b or a.removesuffix("市") == b.removesuffix("市")
