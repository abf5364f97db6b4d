"""Record UUIDs: version 7, time-ordered, increasing within a process, unique."""

from __future__ import annotations

import time
import uuid

import pytest

import landbank.store.uuids as uuids
from landbank.store.uuids import new_uuid, new_uuids


def _millis(text: str) -> int:
    return uuid.UUID(text).int >> 80


def test_new_uuids_are_version_7_in_canonical_text() -> None:
    before = time.time_ns() // 1_000_000
    made = new_uuids(2000)
    after = time.time_ns() // 1_000_000
    assert len(set(made)) == 2000
    for text_uuid in made:
        parsed = uuid.UUID(text_uuid)
        assert str(parsed) == text_uuid
        assert (parsed.version, parsed.variant) == (7, uuid.RFC_4122)
        # RFC 9562: the first 48 bits are the Unix time in milliseconds.
        assert before <= _millis(text_uuid) <= after + 1
    assert new_uuids(0) == []


def test_uuids_increase_within_a_batch_and_across_calls() -> None:
    made = new_uuids(500) + [new_uuid() for _ in range(500)] + new_uuids(500)
    assert made == sorted(made)
    assert len(set(made)) == len(made)
    # Text order is the order of the 128-bit values (what an index on the column sorts by).
    assert [uuid.UUID(u).int for u in made] == sorted(uuid.UUID(u).int for u in made)


def test_a_clock_going_back_keeps_the_order(monkeypatch: pytest.MonkeyPatch) -> None:
    first = new_uuids(3)
    now = time.time_ns()
    monkeypatch.setattr(uuids.time, "time_ns", lambda: now - 60_000_000_000)  # a minute back
    later = new_uuids(3)
    assert first + later == sorted(first + later)
    assert _millis(later[0]) >= _millis(first[-1])


def test_a_counter_run_out_moves_to_the_next_millisecond(monkeypatch: pytest.MonkeyPatch) -> None:
    frozen = time.time_ns() + 10_000_000_000  # ahead of every UUID made so far
    monkeypatch.setattr(uuids.time, "time_ns", lambda: frozen)
    first = new_uuids(2)
    monkeypatch.setattr(uuids, "_next_counter", uuids._COUNTER_LIMIT - 1)
    rest = new_uuids(4)
    assert first + rest == sorted(first + rest)
    assert _millis(rest[0]) == _millis(first[0]) + 1
