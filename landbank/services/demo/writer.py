"""What every part of the demo city writes with: the session, the demo year and user, the ids
of the regions and parks created so far, and :meth:`DemoWriter.create`, which saves one record
through :func:`landbank.services.records.saving.create_record` (validated and audited like a
clerk's input, source “演示数据”) and counts it."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from sqlmodel import Session

from landbank.domain.enums import RecordKind
from landbank.services.demo.random_values import DemoRandom
from landbank.services.records.saving import create_record

SOURCE = "演示数据"


class DemoWriter(DemoRandom):
    def __init__(
        self, session: Session, rng: random.Random, year: int, as_of: date, user: str
    ) -> None:
        super().__init__(rng, as_of)
        self.session = session
        self.year = year
        self.user = user
        self.counts: dict[RecordKind, int] = dict.fromkeys(RecordKind, 0)
        self.region_ids: dict[str, int] = {}
        self.park_ids: dict[str, int] = {}
        self.supervision_seq = 0  # the 电子监管号 of supplied parcels, city-wide

    def create(self, kind: RecordKind, values: dict[str, Any]) -> int:
        record = create_record(self.session, kind, values, user=self.user, source=SOURCE)
        self.counts[kind] += 1
        assert record.id is not None
        return record.id
