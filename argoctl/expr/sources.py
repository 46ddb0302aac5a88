"""Where expression functions get the time and randomness: injected, never read from the world.

``now()``, sprig's ``now``/``ago``/``date`` defaults, ``rand*``, ``shuffle``, ``uuidv4`` and
``randBytes`` ask ``current()`` for the ``Sources`` the caller installed with ``using(...)``: the
engine installs its step's ``now`` and the ``EngineEnv``'s random source, the backends install the
real ones (``argoctl.sources``), tests install fixed ones (``fixed(...)``). With none installed those
functions fail with a clear error instead of reading the wall clock: this package stays pure.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from argoctl.errors import ExpressionError


class Randomness(Protocol):
    """A source of uniform random bytes (the one thing every random function is built on)."""

    def bytes(self, count: int) -> bytes: ...


@dataclass(frozen=True)
class Sources:
    """The clock and the random source expression functions may use."""

    now: Callable[[], datetime]
    random: Randomness

    def below(self, bound: int) -> int:
        """A uniform integer in ``[0, bound)`` (rejection sampling, no modulo bias); ``bound > 0``."""
        bits = max(bound - 1, 1).bit_length()
        size = (bits + 7) // 8
        while True:
            value = int.from_bytes(self.random.bytes(size), "big") & ((1 << bits) - 1)
            if value < bound:
                return value

    def choice(self, items: str) -> str:
        return items[self.below(len(items))]

    def shuffled(self, items: str) -> list[str]:
        """Fisher-Yates over a copy of ``items``."""
        out = list(items)
        for i in range(len(out) - 1, 0, -1):
            j = self.below(i + 1)
            out[i], out[j] = out[j], out[i]
        return out

    def uuid4(self) -> str:
        """A random (version 4, RFC 4122 variant) UUID in its canonical text form."""
        raw = bytearray(self.random.bytes(16))
        raw[6] = (raw[6] & 0x0F) | 0x40
        raw[8] = (raw[8] & 0x3F) | 0x80
        text = raw.hex()
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


@dataclass
class SeededRandom:
    """Deterministic bytes (SHA-256 of seed and counter): for ``simulate`` and tests, never secrets."""

    seed: int = 0
    _counter: int = 0

    def bytes(self, count: int) -> bytes:
        import hashlib  # here: loading OpenSSL costs every command a few ms at start-up

        out = b""
        while len(out) < count:
            block = hashlib.sha256(f"{self.seed}:{self._counter}".encode()).digest()
            self._counter += 1
            out += block
        return out[:count]


class LazySeededRandom:
    """A ``SeededRandom`` seeded by the CRC-32 of ``seed_text()``, made on the first draw: most
    engine steps draw nothing, and building the text (a time's ISO form) is the step's cost."""

    def __init__(self, seed_text: Callable[[], str]) -> None:
        self._seed_text = seed_text
        self._random: SeededRandom | None = None

    def bytes(self, count: int) -> bytes:
        if self._random is None:
            self._random = SeededRandom(zlib.crc32(self._seed_text().encode()))
        return self._random.bytes(count)


_CURRENT: ContextVar[Sources | None] = ContextVar("argoctl_expr_sources", default=None)


def fixed(at: datetime, seed: int = 0) -> Sources:
    """A frozen clock at ``at`` and deterministic randomness."""
    return Sources(now=lambda: at, random=SeededRandom(seed))


class using:
    """Install ``sources`` for the expression functions evaluated inside the ``with`` block (a
    class rather than a ``contextmanager`` generator: the engine enters it once per step)."""

    __slots__ = ("_sources", "_token")

    def __init__(self, sources: Sources) -> None:
        self._sources = sources

    def __enter__(self) -> Sources:
        self._token = _CURRENT.set(self._sources)
        return self._sources

    def __exit__(self, *exc: object) -> None:
        _CURRENT.reset(self._token)


def current() -> Sources:
    sources = _CURRENT.get()
    if sources is None:
        raise ExpressionError("no clock or random source was supplied to this expression evaluation "
                               "(the caller must install one with argoctl.expr.sources.using)")
    return sources
