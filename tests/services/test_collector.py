"""The cycle collector rests during an import and is back on afterwards."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from landbank.services.collector import collector_paused


@pytest.fixture(autouse=True)
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_inside_and_on_again_after() -> None:
    with collector_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_on_again_after_an_error() -> None:
    with pytest.raises(RuntimeError), collector_paused():
        raise RuntimeError("import failed")
    assert gc.isenabled()


def test_the_outermost_pause_turns_it_back_on() -> None:
    with collector_paused():
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_by_someone_else_stays_off() -> None:
    gc.disable()
    with collector_paused():
        assert not gc.isenabled()
    assert not gc.isenabled()


def test_what_was_made_meanwhile_is_old_afterwards_and_still_collectable() -> None:
    class Node:
        other: object = None

    with collector_paused():
        rows = [[i, str(i)] for i in range(1000)]
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle made while paused
    assert gc.get_count()[0] < 100  # the young generation does not hold the 1,000 rows
    assert gc.is_tracked(rows[0])
    del a, b
    assert gc.collect() >= 2  # a full collection still finds the cycle
