"""Strict manifests (argo's ``--strict``, the default): unknown fields anywhere are problems.

The field table is generated from Argo's JSON schema; a test here fails when it drifts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from argoctl.parse import load_documents
from argoctl.validate import schema_gen
from argoctl.validate.strict import unknown_field_problems
from tests.validate.conftest import ProblemsOf

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "conformance" / "cases"

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: typo-
spec:
  entrypoint: main
  templates:
  - name: main
    container:
      image: alpine
      command: [echo]
"""


def _with(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new)


@pytest.mark.skipif(not schema_gen.DEFAULT_SCHEMA.is_file(), reason="../shared/reference is not beside the repository")
def test_generated_table_matches_argos_schema() -> None:
    """``python -m argoctl.validate.schema_gen --write`` after a schema update; never edit by hand."""
    expected = schema_gen.render(schema_gen.DEFAULT_SCHEMA.read_text(encoding="utf-8"))
    assert schema_gen.TABLE.read_text(encoding="utf-8") == expected, "run python -m argoctl.validate.schema_gen --write"
    assert schema_gen.main([]) == 0


def test_a_typo_in_a_container_is_named_with_a_suggestion(problems: ProblemsOf) -> None:
    assert problems(_with(WORKFLOW, "command: [echo]", "comand: [echo]")) == [
        'wf.yaml:11: spec.templates[0].container: unknown field "comand", did you mean "command"?',
    ]


def test_a_misspelt_entrypoint_names_the_typo_not_only_the_missing_field(problems: ProblemsOf) -> None:
    assert problems(_with(WORKFLOW, "entrypoint: main", "entrypont: main")) == [
        "wf.yaml:5: spec.entrypoint: spec.entrypoint is required",
        'wf.yaml:6: spec: unknown field "entrypont", did you mean "entrypoint"?',
    ]


def test_strict_false_accepts_unknown_fields(problems: ProblemsOf) -> None:
    assert problems(_with(WORKFLOW, "command: [echo]", "comand: [echo]"), strict=False) == []


def test_embedded_kubernetes_types_are_checked_all_the_way_down(problems: ProblemsOf) -> None:
    text = WORKFLOW + """\
      securityContext: {runAsUser: 1, runAsUsr: 2}
      resources: {limits: {cpu: 1, memory: 1Gi, nvidia.com/gpu: 1}}
    volumes:
    - {name: v, emptyDir: {}, hostPth: {path: /x}}
    affinity:
      nodeAffinity:
        requiredDuringSchedulingIgnoredDuringExecution:
          nodeSelectorTerms: [{matchExpressions: [{key: a, operator: In, valuez: [b]}]}]
    nodeSelector: {any.key/at-all: x}
    metadata: {labels: {a: b}, annotations: {c: d}}
    retryStrategy: {limit: 2, backoff: {duration: 1s, factor: 2}}
"""
    assert problems(text) == [
        'wf.yaml:12: spec.templates[0].container.securityContext: unknown field "runAsUsr", did you mean '
        '"runAsUser"?',
        'wf.yaml:15: spec.templates[0].volumes[0]: unknown field "hostPth", did you mean "hostPath"?',
        "wf.yaml:19: spec.templates[0].affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution."
        'nodeSelectorTerms[0].matchExpressions[0]: unknown field "valuez", did you mean "values"?',
    ]


def test_free_form_values_and_maps_are_not_looked_into(problems: ProblemsOf) -> None:
    text = _with(WORKFLOW, "  templates:\n", """\
  arguments:
    parameters: [{name: p, value: {any: [thing]}}]
  templates:
  - name: loop
    steps:
    - - name: s
        template: res
        withItems: [{whatever: 1, nested: {deep: true}}]
  - name: res
    resource:
      action: create
      manifest: |
        apiVersion: v1
        kind: ConfigMap
        unknownAtAll: yes
""")
    assert [p for p in problems(text) if "unknown field" in p] == []


def test_fields_match_ignoring_case_as_gos_decoder_does(problems: ProblemsOf) -> None:
    assert problems(_with(WORKFLOW, "command: [echo]", "Command: [echo]")) == []


def test_cron_workflows_and_templates_are_strict_too(problems: ProblemsOf) -> None:
    cron = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata: {name: c}
spec:
  schedule: "* * * * *"
  workflowSpec:
    entrypoint: main
    templates: [{name: main, container: {image: alpine}, outputz: {}}]
"""
    found = problems(cron)
    assert 'wf.yaml:5: spec: unknown field "schedule", did you mean "schedules"?' in found
    assert 'wf.yaml:8: spec.workflowSpec.templates[0]: unknown field "outputz", did you mean "outputs"?' in found


def test_steps_unknown_fields_are_reported_once(problems: ProblemsOf) -> None:
    text = _with(WORKFLOW, "    container:\n      image: alpine\n      command: [echo]\n",
                 "    steps: [[{name: a, template: b, dependencies: [x]}]]\n  - name: b\n    container: {image: alpine}\n")
    assert [p for p in problems(text) if "dependencies" in p] == [
        'wf.yaml:9: spec.templates[0].steps[0][0].dependencies: json: unknown field "dependencies"',
    ]


@pytest.mark.parametrize("metadata", ["metadata: just-a-string", "metadata: [a, b]"])
def test_metadata_that_is_not_a_mapping_is_a_problem(problems: ProblemsOf, metadata: str) -> None:
    found = problems(_with(WORKFLOW, "metadata:\n  generateName: typo-", metadata))
    assert found[0].startswith("wf.yaml:3: metadata: metadata must be a mapping, not a ")


def test_an_object_without_name_or_generate_name_is_a_problem(problems: ProblemsOf) -> None:
    assert problems(_with(WORKFLOW, "metadata:\n  generateName: typo-\n", "metadata: {}\n")) == [
        "wf.yaml:3: metadata: name or generateName is required "
        "(add metadata.generateName: my-workflow-, or pass --name to submit)",
    ]


def test_name_rules_hold_in_every_mode(problems: ProblemsOf) -> None:
    text = _with(WORKFLOW, "generateName: typo-", "name: " + "a" * 64)
    assert problems(text, strict=False) == [
        f'wf.yaml:4: metadata.name: workflow name "{"a" * 64}" must not be more than 63 characters long '
        "(currently 64)",
    ]


def _corpus_files() -> list[Path]:
    if not CASES.is_dir():
        return []
    return sorted(p for p in CASES.rglob("*") if p.suffix in (".yaml", ".yml", ".json") and p.name != "expect.json")


def _implicit_files() -> set[Path]:
    """Files the corpus marks ``implicit_kind`` (inline Go fixtures, decoded leniently upstream)."""
    found = set()
    for expect_path in CASES.glob("*/expect.json") if CASES.is_dir() else []:
        expect = json.loads(expect_path.read_text())
        for entry in [expect["submit"], *(expect.get("prerequisites") or [])]:
            if entry.get("implicit_kind"):
                found.add(expect_path.parent / entry["file"])
    return found


@pytest.mark.conformance
@pytest.mark.skipif(not CASES.is_dir(), reason="../shared/conformance is not beside the repository")
def test_every_corpus_manifest_is_clean_under_strict_lint() -> None:
    """No false unknown-field problem anywhere in the upstream corpus (manifests and prereqs)."""
    implicit = _implicit_files()
    expected_unknown = {  # the point of these upstream cases is an invalid field
        "go-fn-workflow-template-ref-with-exit-handler-error/prereqs/workflowtemplate.yaml",
        "go-fn-workflow-lifecycle-hook-with-workflow-template/workflow.yaml",  # hooks on a template
    }
    unknown: list[str] = []
    checked = 0
    for path in _corpus_files():
        kind = "Workflow" if path in implicit else None
        for document in load_documents(str(path), default_kind=kind):
            checked += 1
            if str(path.relative_to(CASES)) not in expected_unknown:
                unknown.extend(str(problem) for problem in unknown_field_problems(document))
    assert checked > 200
    assert unknown == []
