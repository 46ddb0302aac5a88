"""The runtime gives the engine the system's randomness (the engine never reads it itself)."""

from __future__ import annotations

from pathlib import Path

from argoctl.expr.sources import using
from argoctl.runtime.environment import snapshot
from argoctl.sources import SYSTEM, SYSTEM_RANDOM, using_system, utcnow
from argoctl.stores.local import LocalStore


def test_the_snapshot_carries_the_system_random_source(tmp_path: Path) -> None:
    env = snapshot(LocalStore(tmp_path))
    assert env.random is SYSTEM_RANDOM
    assert env.node_ids == {}


def test_the_system_sources_are_real() -> None:
    assert SYSTEM_RANDOM.bytes(16) != SYSTEM_RANDOM.bytes(16)
    before = utcnow()
    with using_system() as installed, using(installed):
        assert installed is SYSTEM and before <= installed.now() <= utcnow()
