"""The real clock and randomness, supplied to the pure layers by the impure ones.

``argoctl.engine`` and ``argoctl.expr`` never read the wall clock or a random source themselves
(tests/test_layers.py checks it): the runtime hands the engine ``SYSTEM_RANDOM`` through
``EngineEnv.random`` and its clock through ``step(now=...)``; the backends evaluate data-template
expressions inside ``using_system()``.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from argoctl.expr.sources import Sources, using


class SystemRandom:
    """The operating system's random bytes (what Go's crypto/rand and sprig use)."""

    def bytes(self, count: int) -> bytes:
        return os.urandom(count)


SYSTEM_RANDOM = SystemRandom()


def utcnow() -> datetime:
    return datetime.now(UTC)


SYSTEM = Sources(now=utcnow, random=SYSTEM_RANDOM)


@contextmanager
def using_system() -> Iterator[Sources]:
    """Expression functions inside the block read the real clock and random source."""
    with using(SYSTEM) as installed:
        yield installed
