"""The sites as NumPy columns (:class:`SiteTable`), with what does not depend on the project
(out for good, locked, not yet 净地) computed once for every match against them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

from landbank.domain.enums import FactoryStatus, ParcelReadiness, ParcelStatus, RecordKind
from landbank.domain.site_facts import Site
from landbank.domain.standards.table import StandardRow

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]
IntArray = npt.NDArray[np.int64]

_READINESS_RANK = {r.value: i for i, r in enumerate(ParcelReadiness)}
_NET_LAND_RANK = _READINESS_RANK[ParcelReadiness.NET_LAND.value]


def _floats(values: Iterable[float | None]) -> FloatArray:
    return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)


def _positive(values: Iterable[float | None]) -> FloatArray:
    """NaN for a blank or 0 (a threshold of 0 sets nothing)."""
    return np.array([float(v) if v else np.nan for v in values], dtype=np.float64)


def _ints(values: Iterable[int | None]) -> IntArray:
    return np.array([-1 if v is None else int(v) for v in values], dtype=np.int64)


def _ordinals(values: Iterable[date | None]) -> IntArray:
    return np.array([0 if v is None else v.toordinal() for v in values], dtype=np.int64)


class SiteTable:
    """The sites as columns, built once and matched against many projects."""

    def __init__(self, sites: Sequence[Site], standards: Iterable[StandardRow] = ()) -> None:
        self.sites = list(sites)
        s = self.sites
        # The 标准地 table (its rows by name) and each site's place, a distinct (county, park).
        self.standard_rows: tuple[StandardRow, ...] = tuple(standards)
        self.standard_cache: dict[Any, Any] = {}  # per project industry, shared with parts
        self.is_parcel: BoolArray = np.array([x.kind is RecordKind.PARCEL for x in s], dtype=bool)
        self.area = _floats(x.area for x in s)
        self.region = _ints(x.region_id for x in s)
        self.park = _ints(x.park_id for x in s)
        self.site_id = _ints(x.id for x in s)
        self.parcel_available: BoolArray = np.array(
            [x.status == ParcelStatus.AVAILABLE.value for x in s], dtype=bool
        )
        self.parcel_locked: BoolArray = np.array(
            [x.status == ParcelStatus.RESERVED.value for x in s], dtype=bool
        )
        self.under_construction: BoolArray = np.array(
            [x.status == FactoryStatus.UNDER_CONSTRUCTION.value for x in s], dtype=bool
        )
        self.readiness = np.array(
            [_READINESS_RANK.get(x.readiness or "", _NET_LAND_RANK) for x in s], dtype=np.int64
        )
        self.reserved_for = _ints(x.reserved_project_id for x in s)
        self.reserved_until = _ordinals(x.reserved_until for x in s)
        self.ready_date = _ordinals(x.ready_date for x in s)
        self.ceiling = _floats(x.ceiling_height_m for x in s)
        self.load = _floats(x.floor_load_kn_m2 for x in s)
        self.power = _floats(x.power_kva for x in s)
        # The parcel's own 标准地 thresholds, its override of the table (a 0 sets no floor and
        # no 容积率上限; a 绿地率 of 0 is a ceiling): see landbank.domain.matching.standard.
        self.own_intensity = _positive(x.min_intensity_wan_per_mu for x in s)
        self.own_tax = _positive(x.min_tax_per_mu_wan for x in s)
        self.own_far_min = _positive(x.far_min for x in s)
        self.own_far_max = _positive(x.far_max for x in s)
        self.own_green = _floats(x.green_ratio_pct for x in s)
        self.price_per_unit = _floats(
            x.price_wan / x.area if x.price_wan is not None and x.area > 0 else None for x in s
        )
        self.rent = _floats(x.rent_yuan_m2_month for x in s)
        # What does not depend on the project: out for good, and the sites with a lock.
        self.not_offered: BoolArray = np.where(
            self.is_parcel, ~(self.parcel_available | self.parcel_locked), self.area <= 0
        )
        self.has_lock: BoolArray = (self.reserved_for >= 0) | (self.is_parcel & self.parcel_locked)
        self.not_net: BoolArray = self.is_parcel & (self.readiness < _NET_LAND_RANK)
        keys = self.region * (1 << 32) + (self.park + 1)
        firsts, place = np.unique(keys, return_index=True, return_inverse=True)[1:]
        self.place: IntArray = place.astype(np.int64).reshape(-1)
        self.places: list[tuple[str, str | None]] = [
            (s[i].region_name, s[i].park_name or None) for i in firsts.tolist()
        ]
        industries = sorted({x.target_industry or "" for x in s})
        self.industries = industries
        index = {name: i for i, name in enumerate(industries)}
        self.industry = np.array([index[x.target_industry or ""] for x in s], dtype=np.int64)

    def __len__(self) -> int:
        return len(self.area)

    def park_order(self) -> IntArray:
        """Buildings in parks, by park and largest first (the order combinations are tried
        in); computed once."""
        if "_park_order" not in self.__dict__:
            in_park = np.flatnonzero(~self.is_parcel & (self.park >= 0))
            self.__dict__["_park_order"] = in_park[
                np.lexsort((-self.area[in_park], self.park[in_park]))
            ]
        order: IntArray = self.__dict__["_park_order"]
        return order

    def only(self, kind: RecordKind) -> SiteTable:
        """The parcels or the buildings alone (kept: a project wanting one kind of site skips
        the arrays of the other)."""
        cache: dict[RecordKind, SiteTable] = self.__dict__.setdefault("_parts", {})
        if kind not in cache:
            idx = np.flatnonzero(self.is_parcel == (kind is RecordKind.PARCEL))
            part = self.take(idx)
            part.sites = [self.sites[i] for i in idx]
            cache[kind] = part
        return cache[kind]

    def take(self, idx: IntArray, columns: Iterable[str] | None = None) -> SiteTable:
        """The rows ``idx`` as a table of their own (arrays only — all, or ``columns``;
        ``sites`` is not kept)."""
        part = SiteTable.__new__(SiteTable)
        part.sites = []
        part.industries = self.industries
        part.standard_rows = self.standard_rows
        part.standard_cache = self.standard_cache
        part.places = self.places
        names = columns if columns is not None else [
            name
            for name, value in vars(self).items()
            if isinstance(value, np.ndarray) and not name.startswith("_")
        ]
        for name in names:
            setattr(part, name, getattr(self, name)[idx])
        return part
