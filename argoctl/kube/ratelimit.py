"""A client-side token bucket, as client-go's: ``qps`` tokens a second, up to ``burst`` at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """``acquire()`` blocks until a token is free. ``qps <= 0`` disables the limit."""

    def __init__(self, qps: float, burst: int, *, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.qps = float(qps)
        self.burst = max(1, int(burst))
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(self.burst)
        self._stamp = clock()
        self._lock = threading.Lock()
        self.waits = 0  # how many acquisitions had to wait (for tests and benchmarks)

    def acquire(self) -> float:
        """Take one token; returns the seconds waited."""
        if self.qps <= 0:
            return 0.0
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._stamp) * self.qps)
            self._stamp = now
            self._tokens -= 1.0  # reserve now; a negative balance is the wait of those queued
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.qps
            if wait > 0:
                self.waits += 1
        if wait > 0:
            self._sleep(wait)
        return wait
