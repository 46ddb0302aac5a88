"""The namespace-wide critical section drivers step in when their workflows use
synchronization (``runtime.locks.critical_section``) excludes a second driver in every store."""

from __future__ import annotations

import pytest

from argoctl.runtime import locks
from tests.stores.conftest import NOW, StoreFactory


class Blocked(Exception):
    pass


def test_a_second_driver_waits_until_the_first_leaves(store_factory: StoreFactory) -> None:
    first, second = store_factory(), store_factory()
    waits: list[str] = []

    def give_up(_seconds: float) -> None:
        raise Blocked

    inner = locks.critical_section(second, "driver-b", on_wait=lambda: waits.append("b"),
                                   clock=lambda: NOW, sleep=give_up)
    with locks.critical_section(first, "driver-a", clock=lambda: NOW), pytest.raises(Blocked), inner:
        pytest.fail("two drivers inside the critical section")
    assert waits == ["b"]
    with locks.critical_section(second, "driver-b", clock=lambda: NOW, sleep=give_up):
        assert second.get_lease(locks.SECTION) is not None
    assert first.get_lease(locks.SECTION) is None


def test_a_dead_drivers_section_expires(store_factory: StoreFactory) -> None:
    store = store_factory()
    store.acquire_lease(locks.SECTION, "dead-driver", locks.SECTION_TTL, NOW)
    later = NOW + locks.SECTION_TTL + 1
    with locks.critical_section(store, "driver-b", clock=lambda: later, sleep=lambda _s: pytest.fail("waited")):
        lease = store.get_lease(locks.SECTION)
        assert lease is not None and lease.holder == "driver-b"


def test_a_section_held_by_a_crashed_driver_of_this_machine_is_taken_at_once(store_factory: StoreFactory) -> None:
    store = store_factory()
    store.acquire_lease(locks.SECTION, "host:999999", locks.SECTION_TTL, NOW)
    with locks.critical_section(store, "driver-b", is_dead=lambda holder: holder == "host:999999",
                                clock=lambda: NOW, sleep=lambda _s: pytest.fail("waited")):
        lease = store.get_lease(locks.SECTION)
        assert lease is not None and lease.holder == "driver-b"
