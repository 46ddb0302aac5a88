"""Label selectors: parsing, printing, matching and errors."""

from __future__ import annotations

import pytest

from argoctl.errors import UsageError
from argoctl.stores.selectors import Requirement, Selector, as_selector, parse

LABELS = {"app": "web", "tier": "gold", "workflows.argoproj.io/phase": "Failed", "size": "7", "empty": ""}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", True),
        ("app=web", True),
        ("app==web", True),
        ("app=db", False),
        ("app!=db", True),
        ("app!=web", False),
        ("missing!=x", True),  # != matches an absent key, as in Kubernetes
        ("app in (db,web)", True),
        ("app in (db)", False),
        ("app notin (db, cache)", True),
        ("missing notin (x)", True),
        ("missing in (x)", False),
        ("tier", True),
        ("missing", False),
        ("!missing", True),
        ("!tier", False),
        ("workflows.argoproj.io/phase in (Failed,Error)", True),
        ("size>5", True),
        ("size<5", False),
        ("app>5", False),  # not an integer: no match
        ("empty=", True),
        ("app=web, tier=gold ,  !missing", True),
        ("app=web,tier=silver", False),
    ],
)
def test_matching(text: str, expected: bool) -> None:
    assert parse(text).matches(LABELS) is expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("app web", "expected an operator"),
        ("app=web,", "expected a requirement after ','"),
        ("app in (a", "unclosed '('"),
        ("app in ()", "invalid label value ')'"),
        ("app in (a b)", "expected ',' or ')'"),
        ("app in a", "expected '(' after in/notin"),
        ("=web", "invalid label key '='"),
        ("app=web=x", "expected ','"),
        ("size>big", "needs an integer"),
        ("app=we$b", "unexpected character '$'"),
        ("-app=x", "invalid label key '-app'"),
        ("!", "expected a label key"),
    ],
)
def test_errors_name_the_position_and_reason(text: str, reason: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse(text)
    assert reason in caught.value.message
    assert "at position" in caught.value.message
    assert "k=v" in caught.value.hint


def test_round_trip_through_str() -> None:
    text = "app=web,tier!=x,env in (a,b),env notin (c),k,!j,n>3"
    assert str(parse(text)) == text
    assert parse(str(parse(text))) == parse(text)


def test_as_selector_accepts_what_callers_hold() -> None:
    assert as_selector(None) == Selector()
    assert as_selector({"b": "2", "a": "1"}) == Selector((Requirement("a", "=", ("1",)), Requirement("b", "=", ("2",))))
    assert as_selector("a=1") == parse("a=1")
    selector = parse("a")
    assert as_selector(selector) is selector
    assert Selector().matches(None)
    assert not parse("a").matches(None)
