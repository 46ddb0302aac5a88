"""Helpers for validation tests: manifests written inline, problems compared as text."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable

import pytest

from argoctl.parse import parse_documents
from argoctl.validate import ObjectSource, validate_document

ProblemsOf = Callable[..., list[str]]


def problems_of(
    text: str,
    *,
    templates: Iterable[str] = (),
    arguments: dict[str, str] | None = None,
    require_arguments: bool = False,
    no_source: bool = False,
    strict: bool = True,
) -> list[str]:
    """``str(problem)`` for every problem of every document in ``text`` (file ``wf.yaml``).

    ``templates`` are manifests of (Cluster)WorkflowTemplates that ``templateRef`` may use.
    """
    documents = parse_documents(textwrap.dedent(text), "wf.yaml")
    stored = [doc.obj for source in templates for doc in parse_documents(textwrap.dedent(source), "t.yaml")]
    source = None if no_source else ObjectSource(stored)
    found: list[str] = []
    for document in documents:
        problems = validate_document(
            document, source=source, arguments=arguments, require_arguments=require_arguments, strict=strict
        )
        found.extend(str(problem) for problem in problems)
    return found


@pytest.fixture(name="problems")
def problems_fixture() -> ProblemsOf:
    return problems_of
