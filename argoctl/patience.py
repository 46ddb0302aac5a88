"""How long this process rides out transient faults of the services it talks to.

A command (``get``, ``list``, ``submit``...) gives up after a few seconds of 5xx, 429, resets or
timeouts: the user is waiting and can try again. A driver (``wait``, ``submit --wait``, the
detached driver) holds a workflow's lease and is its only caller: giving up would leave the
workflow Running with nobody to drive it, so while ``driving()`` is active every retrying caller
(the Kubernetes client, the S3 bucket) keeps trying for minutes, with capped exponential back-off.

``ARGOCTL_DRIVER_PATIENCE`` (seconds, default 600) sets how long a driver keeps trying.
``announce`` prints one ``notice:`` line on stderr per outage, once it has lasted a moment.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

PATIENCE_ENV = "ARGOCTL_DRIVER_PATIENCE"
DEFAULT_DRIVER_PATIENCE = 600.0
ANNOUNCE_AFTER = 2.0  # seconds of retrying before the notice: single blips stay silent


class Backoff(NamedTuple):
    """Capped exponential back-off bounded by ``attempts`` (None: unbounded) and ``patience``
    (seconds spent waiting between tries; 0: unbounded)."""

    attempts: int | None = 5  # tries in all, the first included
    base_delay: float = 0.2
    max_delay: float = 5.0
    max_retry_after: float = 10.0
    patience: float = 0.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.max_retry_after)
        import random  # here: a command that never retries need not import it

        return min(self.max_delay, self.base_delay * 2.0 ** min(attempt, 30)) * random.uniform(0.8, 1.2)

    def gives_up(self, attempt: int, waited: float) -> bool:
        """True when try number ``attempt`` (0-based) was the last one."""
        if self.attempts is not None and attempt >= self.attempts - 1:
            return True
        return self.patience > 0 and waited >= self.patience


COMMAND = Backoff()


def driver_backoff() -> Backoff:
    """A driver's: unbounded tries for ``ARGOCTL_DRIVER_PATIENCE`` seconds, 15 s apart at most."""
    raw = os.environ.get(PATIENCE_ENV, "").strip()
    try:
        seconds = float(raw) if raw else DEFAULT_DRIVER_PATIENCE
    except ValueError:
        seconds = DEFAULT_DRIVER_PATIENCE
    return Backoff(attempts=None, base_delay=0.2, max_delay=15.0, max_retry_after=60.0, patience=max(seconds, 1.0))


_lock = threading.Lock()
_driving = 0
_announced: dict[str, int] = {}  # target -> announced outages still going on


@contextmanager
def driving() -> Iterator[None]:
    """While active (in any thread of this process), retrying callers use ``driver_backoff()``."""
    global _driving
    with _lock:
        _driving += 1
    try:
        yield
    finally:
        with _lock:
            _driving -= 1


def is_driving() -> bool:
    with _lock:
        return _driving > 0


def current() -> Backoff:
    return driver_backoff() if is_driving() else COMMAND


class Outage:
    """One caller's run of failed tries; announces itself once on stderr."""

    def __init__(self, what: str, policy: Backoff) -> None:
        self.what = what
        self.policy = policy
        self.started = time.monotonic()
        self.waited = 0.0  # the sum of back-off delays (what a recorded, not slept, sleep adds up)
        self.announced = False

    def wait_for(self, delay: float, reason: str) -> None:
        self.waited += delay
        if self.announced or not self.policy.patience or self.waited < ANNOUNCE_AFTER:
            return  # a command's few seconds of retrying are not worth a line
        self.announced = True
        with _lock:  # several threads in one outage: the first one says it
            first = _announced.get(self.what, 0) == 0
            _announced[self.what] = _announced.get(self.what, 0) + 1
        if first:
            announce(f"{self.what} is failing ({_short(reason)}); retrying for up to {_duration(self.policy.patience)}")

    def end(self) -> None:
        """The caller got through (or gave up): the outage is over for it."""
        if self.announced:
            self.announced = False
            with _lock:
                _announced[self.what] -= 1

    def elapsed(self) -> float:
        return max(self.waited, time.monotonic() - self.started)


def announce(text: str) -> None:
    try:
        sys.stderr.write(f"notice: {text}\n")
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stderr must not end the driver
        pass


def _short(reason: str) -> str:
    line = reason.strip().splitlines()[0] if reason.strip() else "no answer"
    return line if len(line) <= 160 else line[:157] + "..."


def _duration(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 60}m{whole % 60:02d}s" if whole >= 60 else f"{whole}s"
