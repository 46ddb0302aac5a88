"""How every benchmark reports: the machine's load around its figures, and its goal with a verdict.

A figure means little without the load it was measured under (the development machine is shared),
so a benchmark prints ``load_line("start")`` before measuring and ``load_line("end")`` after, then
one ``goal_line`` per goal, last. The goal lines keep one shape, ``goal: WHAT: MEASURED ok|MISS``,
so a reader (or a smoke test) finds them with one pattern.
"""

from __future__ import annotations

import os
import re

GOAL = re.compile(r"^goal: (?P<what>.+): (?P<measured>\S.*) (?P<verdict>ok|MISS)$")
LOAD = re.compile(r"^load average at (?P<when>start|end): [\d.]+ [\d.]+ [\d.]+ \(1, 5, 15 min; \d+ CPUs\)$")


def load_line(when: str) -> str:
    """``load average at WHEN: 1m 5m 15m (1, 5, 15 min; N CPUs)``."""
    one, five, fifteen = os.getloadavg()
    return f"load average at {when}: {one:.2f} {five:.2f} {fifteen:.2f} (1, 5, 15 min; {os.cpu_count() or 1} CPUs)"


def goal_line(what: str, measured: str, ok: bool) -> str:
    """``goal: WHAT: MEASURED ok`` (or ``MISS``)."""
    return f"goal: {what}: {measured} {'ok' if ok else 'MISS'}"
