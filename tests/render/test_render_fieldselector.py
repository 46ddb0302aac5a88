"""Node field selectors (argoctl.model.fieldselector): parsing, escapes, matching."""

from __future__ import annotations

from typing import Any

import pytest

from argoctl.errors import UsageError
from argoctl.model.fieldselector import (
    Requirement,
    node_fields,
    node_matches,
    parse_node_field_selector,
)

from .builders import Wf

NAME = "sel-wf"


def nodes() -> dict[str, dict[str, Any]]:
    w = Wf(NAME)
    return {
        "approve": w.node(f"{NAME}[0].approve", "Suspend", boundary=NAME, template="approve", phase="Running",
                          inputs={"parameters": [{"name": "env", "value": "prod"}, {"name": "n", "value": 3}]}),
        "ref": w.node(f"{NAME}[0].deploy", "Pod", boundary=NAME, template_ref=("lib", "deploy-tmpl"),
                      phase="Failed"),
        "plain": w.node(f"{NAME}[1].notify", "Pod", boundary=NAME, template="notify", phase="Succeeded"),
    }


def test_parse_operators_and_order() -> None:
    assert parse_node_field_selector("displayName=a,phase!=Failed,templateName==t") == [
        Requirement("displayName", "=", "a"),
        Requirement("phase", "!=", "Failed"),
        Requirement("templateName", "==", "t"),
    ]
    assert parse_node_field_selector("") == []
    assert parse_node_field_selector("a=1,,b=2") == [Requirement("a", "=", "1"), Requirement("b", "=", "2")]


def test_escapes_in_values() -> None:
    [req] = parse_node_field_selector(r"inputs.parameters.q.value=a\,b\=c\\d")
    assert req == Requirement("inputs.parameters.q.value", "=", "a,b=c\\d")
    assert str(req) == r"inputs.parameters.q.value=a\,b\=c\\d"
    assert parse_node_field_selector("name=") == [Requirement("name", "=", "")]


@pytest.mark.parametrize(("text", "fragment"), [
    ("displayName", "cannot understand 'displayName'"),
    ("a=b=c", "unescaped '='"),
    ("a=b,c", "cannot understand 'c'"),
    (r"a=b\x", "invalid escape sequence"),
    ("a=b\\", "lone backslash"),
])
def test_bad_selectors_are_usage_errors(text: str, fragment: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_node_field_selector(text)
    assert fragment in caught.value.message
    assert repr(text) in caught.value.message


def test_node_fields() -> None:
    found = nodes()
    assert node_fields(found["approve"]) == {
        "displayName": "approve", "templateName": "approve", "phase": "Running",
        "name": f"{NAME}[0].approve", "id": found["approve"]["id"],
        "inputs.parameters.env.value": "prod", "inputs.parameters.n.value": "3",
    }
    ref = node_fields(found["ref"])
    assert ref["templateName"] == "deploy-tmpl"
    assert ref["templateRef.name"] == "lib"
    assert ref["templateRef.template"] == "deploy-tmpl"


@pytest.mark.parametrize(("selector", "expected"), [
    ("displayName=approve", {"approve"}),
    ("displayName==approve", {"approve"}),
    ("displayName!=approve", {"ref", "plain"}),
    ("phase=Running,displayName=approve", {"approve"}),
    ("phase=Running,displayName=notify", set()),
    ("templateName=deploy-tmpl", {"ref"}),
    ("templateRef.name=lib", {"ref"}),
    ("templateRef.template=deploy-tmpl", {"ref"}),
    ("templateRef.name!=lib", {"approve", "plain"}),  # a missing field reads as ""
    ("inputs.parameters.env.value=prod", {"approve"}),
    ("inputs.parameters.n.value=3", {"approve"}),
    ("unknownField=x", set()),
    ("unknownField!=x", {"approve", "ref", "plain"}),
    ("name=sel-wf[1].notify", {"plain"}),
    ("", {"approve", "ref", "plain"}),
])
def test_matching(selector: str, expected: set[str]) -> None:
    requirements = parse_node_field_selector(selector)
    assert {key for key, node in nodes().items() if node_matches(node, requirements)} == expected


def test_match_by_id() -> None:
    found = nodes()
    requirements = parse_node_field_selector(f"id={found['plain']['id']}")
    assert [key for key, node in found.items() if node_matches(node, requirements)] == ["plain"]
