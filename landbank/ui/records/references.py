"""The regions, parks and projects a record refers to, by name, in the order clerks expect
(pinyin): what the reference editors and the filter lists offer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QCollator, QLocale
from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.store.queries import fetch_page, load_names

_COLLATOR = QCollator(QLocale(QLocale.Language.Chinese, QLocale.Country.China))


def pinyin_key(name: str) -> Any:
    """Sort key putting Chinese names in pinyin order, as clerks expect."""
    return _COLLATOR.sortKey(name)


@dataclass(frozen=True)
class References:
    """Regions, parks and projects to choose from, by name, sorted as clerks expect (pinyin)."""

    regions: list[tuple[int, str]] = field(default_factory=list)
    region_kinds: dict[int, str] = field(default_factory=dict)
    parks: list[tuple[int, str, int]] = field(default_factory=list)  # id, name, region id
    projects: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def load(cls, session: Session) -> References:
        names = load_names(session)
        rows = fetch_page(session, RecordKind.REGION, limit=1_000_000)
        return cls(
            regions=sorted(names.regions.items(), key=lambda r: pinyin_key(r[1])),
            region_kinds={int(r["id"]): str(r["kind"]) for r in rows},
            parks=sorted(
                ((pid, name, names.park_region[pid]) for pid, name in names.parks.items()),
                key=lambda p: pinyin_key(p[1]),
            ),
            projects=sorted(names.projects.items(), key=lambda p: pinyin_key(p[1])),
        )

    def region_id(self, name: str) -> int | None:
        name = name.strip()
        return next((rid for rid, rname in self.regions if rname == name), None)

    def region_name(self, region_id: int | None) -> str:
        return next((n for rid, n in self.regions if rid == region_id), "")
