"""Every upstream manifest in ../shared/conformance lints clean, except the invalid ones.

The corpus is read in place. Templates referenced with ``templateRef``/``workflowTemplateRef``
come from each case's prereqs. A case with ``validation_error: true`` must give a problem whose
text, as the controller would word it (``invalid spec: <problem>``), contains the expected
``message_contains``.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from argoctl.parse import ARGO_KINDS, Document, load_documents
from argoctl.validate import ObjectSource, validate_document

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "cases"
CASE_IDS = sorted(path.name for path in CASES.iterdir()) if CASES.is_dir() else []

pytestmark = [
    pytest.mark.conformance,
    pytest.mark.skipif(not CASE_IDS, reason=f"conformance corpus not found at {CASES}"),
]


def _load(case: Path, entry: dict[str, Any]) -> list[Document]:
    default_kind = entry.get("kind") if entry.get("implicit_kind") else None
    return load_documents(str(case / entry["file"]), default_kind=default_kind)


def _case(case_id: str) -> tuple[dict[str, Any], list[Document], list[Document]]:
    case = CASES / case_id
    expect = json.loads((case / "expect.json").read_text())
    workflow_documents = _load(case, expect["submit"])
    prerequisites = [
        document
        for entry in expect.get("prerequisites") or []
        if not entry.get("same_file_as_workflow")
        for document in _load(case, entry)
    ]
    return expect, workflow_documents, prerequisites


@pytest.mark.parametrize("case_id", CASE_IDS)
def test_case_lints_as_upstream_expects(case_id: str) -> None:
    expect, workflow_documents, prerequisites = _case(case_id)
    source = ObjectSource(document.obj for document in workflow_documents + prerequisites)
    strict = _strict(expect)
    found = [
        problem
        for document in workflow_documents
        if document.kind in ARGO_KINDS
        for problem in validate_document(document, source=source, require_arguments=False, strict=strict)
    ]
    prerequisite_problems = [
        problem for document in prerequisites for problem in validate_document(document, source=source)
    ]
    if not expect.get("validation_error"):
        assert [str(p) for p in found + prerequisite_problems] == []
        return
    expected = expect["message_contains"]
    assert found, f"{case_id} is invalid upstream but linted clean"
    assert any(expected in f"invalid spec: {problem.message}" for problem in found), [str(p) for p in found]


def _submitted_valid(case_id: str) -> bool:
    expect = _case(case_id)[0]
    return not expect.get("validation_error") and expect["submit"]["mode"] == "submit"


@pytest.mark.parametrize("case_id", [c for c in CASE_IDS if _submitted_valid(c)])
def test_case_passes_submit_time_validation(case_id: str) -> None:
    """What ``submit`` checks (valid cases submitted from a file): argument values required, the
    submitted object only. Invalid cases are covered above; --from cases by the CLI tests."""
    expect, workflow_documents, prerequisites = _case(case_id)
    source = ObjectSource(document.obj for document in workflow_documents + prerequisites)
    submitted = [d for d in workflow_documents if d.kind == expect["submit"]["kind"]]
    assert submitted
    strict = _strict(expect)
    assert [str(p) for d in submitted for p in validate_document(d, source=source, strict=strict)] == []


def _strict(expect: dict[str, Any]) -> bool:
    """Inline Go fixtures (``implicit_kind``) are decoded leniently upstream, so they are linted
    as ``--strict=false`` would (one of them puts ``hooks`` on a template, which argo v4's schema
    does not have); every other manifest is linted strictly, as ``argo lint`` does."""
    return not expect["submit"].get("implicit_kind")


HAND_CHECKED = {
    "xf-empty-parameter-steps": [
        "empty-parameter-steps.yaml:11: spec.templates[0].steps[0][0]: templates.abc.steps[0].a templates.whalesay "
        "inputs.parameters.message was not supplied",
    ],
    "xf-input-artifact-not-optional": [
        "input-artifact-not-optional.yaml:8: spec.entrypoint: templates.http-artifact-example "
        "inputs.artifacts.kubectl was not supplied",
    ],
    "go-fn-workflow-template-ref-with-exit-handler-error": [
        "workflow.yaml:5: spec.workflowTemplateRef: templates.exit-handler template type unspecified. choose one "
        "of: container, containerSet, steps, script, resource, dag, suspend, template, template ref",
    ],
}


@pytest.mark.parametrize("case_id", sorted(HAND_CHECKED))
def test_invalid_cases_point_at_the_right_line(case_id: str) -> None:
    _, workflow_documents, prerequisites = _case(case_id)
    source = ObjectSource(document.obj for document in workflow_documents + prerequisites)
    found = [
        str(problem).removeprefix(f"{CASES / case_id}/")
        for document in workflow_documents
        for problem in validate_document(document, source=source)
    ]
    assert found == HAND_CHECKED[case_id]


def test_prerequisite_problems_point_into_the_prerequisite_file() -> None:
    _, _, prerequisites = _case("go-fn-workflow-template-ref-with-exit-handler-error")
    found = [str(problem).removeprefix(f"{CASES}/") for d in prerequisites for problem in validate_document(d)]
    assert found == [
        "go-fn-workflow-template-ref-with-exit-handler-error/prereqs/workflowtemplate.yaml:12: spec.templates[1]: "
        "templates.exit-handler template type unspecified. choose one of: container, containerSet, steps, script, "
        "resource, dag, suspend, template, template ref",
        # the case's point: templateRef is not a field of a template (strict lint names it)
        "go-fn-workflow-template-ref-with-exit-handler-error/prereqs/workflowtemplate.yaml:13: spec.templates[1]: "
        'unknown field "templateRef"',
    ]


MUTATIONS: list[Any] = [
    None, "", "x", "{{", "{{steps.", "{{tasks.a}}", 0, -1, 1.5, True, [], {}, [None], {"a": None}, ["x"], [[]], [{}],
    {"name": None}, {"name": {"a": 1}},
]


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            found += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found += _paths(item, (*path, index))
    return found


def test_damaged_manifests_give_problems_never_exceptions() -> None:
    """Any value in any field: validation reports, it does not crash (fixed seed, fast)."""
    documents = [document for case_id in CASE_IDS for document in _case(case_id)[1]]
    source = ObjectSource(document.obj for document in documents)
    chooser = random.Random(20240607)
    for _ in range(600):
        original = chooser.choice(documents)
        damaged = copy.deepcopy(original.obj)
        for _ in range(chooser.randint(1, 4)):
            path = chooser.choice(_paths(damaged)[1:])
            parent = damaged
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = copy.deepcopy(chooser.choice(MUTATIONS))
        problems = validate_document(Document(damaged, "f.yaml", 0, original.lines), source=source)
        assert all(problem.file == "f.yaml" and problem.line >= 1 for problem in problems)
