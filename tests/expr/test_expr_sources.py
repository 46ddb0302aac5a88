"""The clock and randomness expression functions are given (``argoctl.expr.sources``)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime

import pytest

from argoctl import expr
from argoctl.errors import ExpressionError
from argoctl.expr import sources as sources_module
from argoctl.expr.sources import SeededRandom, Sources, current, fixed, using

AT = datetime(2030, 5, 6, 7, 8, 9, tzinfo=UTC)


class Counting:
    """Bytes 0, 1, 2, ... (wrapping), so every draw is predictable."""

    def __init__(self) -> None:
        self.next = 0

    def bytes(self, count: int) -> bytes:
        out = bytes((self.next + i) % 256 for i in range(count))
        self.next += count
        return out


def test_now_is_the_installed_clock() -> None:
    with using(fixed(AT)):
        assert expr.evaluate("now().Unix()", {}) == int(AT.timestamp())
        assert expr.substitute("{{=sprig.date('2006-01-02', sprig.now())}}", {}) == "2030-05-06"


def test_randomness_comes_from_the_installed_source() -> None:
    with using(fixed(AT, seed=7)):
        first = expr.substitute("{{=sprig.randAlphaNum(12)}} {{=sprig.uuidv4()}} {{=sprig.randInt(3, 9)}}", {})
    with using(fixed(AT, seed=7)):
        again = expr.substitute("{{=sprig.randAlphaNum(12)}} {{=sprig.uuidv4()}} {{=sprig.randInt(3, 9)}}", {})
    with using(fixed(AT, seed=8)):
        other = expr.substitute("{{=sprig.randAlphaNum(12)}} {{=sprig.uuidv4()}} {{=sprig.randInt(3, 9)}}", {})
    assert first == again != other
    alnum, uuid, number = first.split(" ")
    assert re.fullmatch(r"[A-Za-z0-9]{12}", alnum)
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", uuid)
    assert 3 <= int(number) < 9


def test_shuffle_and_rand_bytes_draw_from_the_source() -> None:
    with using(Sources(now=lambda: AT, random=Counting())):
        assert sorted(expr.substitute("{{=sprig.shuffle('abcdef')}}", {})) == list("abcdef")
    with using(Sources(now=lambda: AT, random=Counting())):
        assert expr.substitute("{{=sprig.randBytes(3)}}", {}) == "AAEC"  # base64 of 00 01 02


def test_below_is_uniform_and_in_range() -> None:
    sources = fixed(AT, seed=1)
    counts = Counter(sources.below(6) for _ in range(6000))
    assert set(counts) == set(range(6))
    assert min(counts.values()) > 850  # 1000 expected each; a modulo bias or an off-by-one would show
    assert {sources.below(1) for _ in range(20)} == {0}


def test_seeded_random_is_deterministic_and_long() -> None:
    assert SeededRandom(3).bytes(100) == SeededRandom(3).bytes(100) != SeededRandom(4).bytes(100)
    assert len(SeededRandom().bytes(1000)) == 1000


def test_without_an_installed_source_time_and_randomness_fail_clearly() -> None:
    # the autouse fixture installed the system's sources: take them away for this check
    reset = sources_module._CURRENT.set(None)
    try:
        with pytest.raises(ExpressionError, match="no clock or random source"):
            current()
        with pytest.raises(ExpressionError, match="no clock or random source"):
            expr.evaluate("now()", {})
        assert expr.evaluate("1 + 1", {}) == 2  # everything else needs no source
    finally:
        sources_module._CURRENT.reset(reset)
