"""Record UUIDs: version 7 (RFC 9562), ordered by the time they were made.

Every record carries a UUID besides its id (``RecordBase.uuid``, unique). A random UUID
(version 4) lands anywhere in that unique index, so each new record touches a random page of
it; a version-7 UUID starts with the Unix time in milliseconds, so new records go to the end
of the index like their ids do (on SQLite and PostgreSQL alike). Importing 100,000 parcels
spent ~0.4 s less in the inserts (the audit log indexes the record's UUID too).

Layout (RFC 9562 §5.7, with the counter of §6.2 method 1): 48 bits of Unix milliseconds, the
version 7, 12 bits ``rand_a`` and the first 30 bits of ``rand_b`` holding a 42-bit counter, the
variant bits 10, then 32 random bits. The counter starts at a random value below 2**41 in each
new millisecond and counts up within one and across the UUIDs of a batch, so the UUIDs one
process makes are strictly increasing even when many are made in the same millisecond; when
the clock goes back (or the counter runs out), the last millisecond is kept and counted on.
UUIDs of different processes (clerks sharing a PostgreSQL ledger) interleave by time and stay
unique by their random bits.
"""

from __future__ import annotations

import os
import threading
import time

_COUNTER_BITS = 42
_LOW_BITS = 30  # the counter's part in rand_b
_SEED_LIMIT = 1 << (_COUNTER_BITS - 1)  # a fresh counter leaves room to count up
_COUNTER_LIMIT = 1 << _COUNTER_BITS

_lock = threading.Lock()
_last_ms = 0
_next_counter = 0


def _claim(count: int) -> tuple[int, int]:
    """(milliseconds, first counter) for ``count`` UUIDs, so that they follow every UUID this
    process made before."""
    global _last_ms, _next_counter
    with _lock:
        now = time.time_ns() // 1_000_000
        if now > _last_ms:
            ms = now
            counter = int.from_bytes(os.urandom(6), "big") % _SEED_LIMIT
        else:  # the same millisecond, or the clock went back: count on
            ms, counter = _last_ms, _next_counter
        if counter + count > _COUNTER_LIMIT:  # run out: the next millisecond, a new count
            ms += 1
            counter = 0
        _last_ms, _next_counter = ms, counter + count
    return ms, counter


def new_uuids(count: int) -> list[str]:
    """``count`` new version-7 UUIDs as text (``str(uuid.UUID(...))`` form), increasing."""
    if count <= 0:
        return []
    ms, first = _claim(count)
    if count > _COUNTER_LIMIT:
        raise ValueError(f"{count} UUIDs at once")
    stamp = f"{ms:012x}"
    head = f"{stamp[:8]}-{stamp[8:]}-7"  # time_high, time_mid, then the version
    tails = os.urandom(4 * count).hex()  # the last 32 bits, random
    low_mask = (1 << _LOW_BITS) - 1
    made = []
    for i in range(count):
        counter = first + i
        # The counter's low 30 bits under the variant bits 10: the first 32 bits of rand_b.
        low = f"{0x80000000 | (counter & low_mask):08x}"
        made.append(f"{head}{counter >> _LOW_BITS:03x}-{low[:4]}-{low[4:]}{tails[8 * i : 8 * i + 8]}")
    return made


def new_uuid() -> str:
    """One new version-7 UUID as text."""
    return new_uuids(1)[0]
