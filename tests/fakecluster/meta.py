"""Small helpers shared by the server and the kubelet: clock formats, uids, random suffixes."""

from __future__ import annotations

import datetime as dt
import random
import time
import uuid

_SUFFIX_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"


def rfc3339(ts: float | None = None) -> str:
    """Second-precision UTC time as Kubernetes writes metav1.Time."""
    moment = dt.datetime.fromtimestamp(time.time() if ts is None else ts, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def rfc3339_nano(ts: float) -> str:
    """Nanosecond-style UTC time as the kubelet prefixes log lines with ``timestamps=true``."""
    moment = dt.datetime.fromtimestamp(ts, tz=dt.UTC)
    nanos = round((ts - int(ts)) * 1e9) % 1_000_000_000
    return moment.strftime("%Y-%m-%dT%H:%M:%S") + f".{nanos:09d}Z"


def parse_rfc3339(text: str) -> float:
    cleaned = text.replace("Z", "+00:00")
    return dt.datetime.fromisoformat(cleaned).timestamp()


def new_uid() -> str:
    return str(uuid.uuid4())


def random_suffix(length: int = 5) -> str:
    return "".join(random.choice(_SUFFIX_ALPHABET) for _ in range(length))
