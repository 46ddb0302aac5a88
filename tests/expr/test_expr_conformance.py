"""Every expression in the public conformance manifests parses, and evaluates without internal errors.

Walks ``../shared/conformance/cases/*/*.yaml`` for ``when``, ``depends``, ``expression``,
``successCondition`` fields and ``{{= }}`` tags (skipped if the corpus is not beside the repo).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from argoctl.errors import ExpressionError
from argoctl.expr import depends_task_names, evaluate_depends, evaluate_when, substitute, validate_depends
from argoctl.expr.exprlang import compile_program

CASES = Path(__file__).resolve().parents[3] / "shared" / "conformance" / "cases"
pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not CASES.is_dir(), reason="conformance corpus not available"),
]
_TAG_RE = re.compile(r"\{\{=(.*?)\}\}", re.S)
_SIMPLE_RE = re.compile(r"\{\{[^=][^}]*\}\}")


def _walk(node: Any) -> Iterator[tuple[str, str]]:
    if isinstance(node, dict):
        for key, value in node.items():
            if isinstance(value, str):
                yield str(key), value
            else:
                yield from _walk(value)
    elif isinstance(node, list):
        for item in node:
            if isinstance(item, str):
                yield "", item
            else:
                yield from _walk(item)


def _fields() -> list[tuple[str, str, str]]:
    found: list[tuple[str, str, str]] = []
    if not CASES.is_dir():
        return found
    for path in sorted(CASES.glob("*/*.yaml")):
        try:
            documents = list(yaml.safe_load_all(path.read_text()))
        except yaml.YAMLError:
            continue
        for document in documents:
            for key, value in _walk(document):
                found.append((path.parent.name, key, value))
    return found


FIELDS = _fields()
WHENS = sorted({v for _, k, v in FIELDS if k == "when"})
DEPENDS = sorted({v for _, k, v in FIELDS if k == "depends"})
EXPRESSIONS = sorted({v for _, k, v in FIELDS if k in ("expression", "successCondition") and "{{" not in v})
TAGS = sorted({m.group(1) for _, _, v in FIELDS for m in _TAG_RE.finditer(v)})


def test_the_corpus_has_expressions() -> None:
    assert len(WHENS) > 10 and len(DEPENDS) > 10 and len(TAGS) > 5 and len(EXPRESSIONS) > 5


@pytest.mark.parametrize("tag", TAGS)
def test_expression_tags_compile(tag: str) -> None:
    compile_program(tag)


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_hook_retry_and_condition_expressions_compile(expression: str) -> None:
    compile_program(expression)


@pytest.mark.parametrize("depends", DEPENDS)
def test_depends_validate_and_evaluate(depends: str) -> None:
    validate_depends(depends)
    names = depends_task_names(depends)
    assert names
    assert isinstance(evaluate_depends(depends, {name: {"Succeeded": True} for name in names}), bool)


@pytest.mark.parametrize("when", WHENS)
def test_when_evaluates_after_substitution(when: str) -> None:
    text = _SIMPLE_RE.sub("x", when)
    try:
        text = substitute(text, {})
        if "{{" not in text:
            assert isinstance(evaluate_when(text), bool)
    except ExpressionError as exc:
        assert not exc.message.startswith("internal error"), exc.message
