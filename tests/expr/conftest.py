"""Make the vector tables importable from the test modules of this folder."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from argoctl.sources import using_system

sys.path.insert(0, str(Path(__file__).parent))


@pytest.fixture(autouse=True)
def _real_clock_and_randomness() -> Iterator[None]:
    """``now()``, ``rand*``, ``uuidv4`` need an injected source: these tests get the system's."""
    with using_system():
        yield
