"""Bounded input at lint and submit: loop sizes written in the manifest, depends nesting."""

from __future__ import annotations

import pytest

from argoctl.parse import limits
from tests.validate.conftest import ProblemsOf

LOOP = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: loop-}
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: many
        template: t
        LOOP
  - name: t
    container: {image: alpine}
"""


@pytest.mark.parametrize(("loop", "kind", "count"), [
    ('withSequence: {count: "100000000"}', "withSequence", "100,000,000"),
    ("withSequence: {start: 5, end: 200010}", "withSequence", "200,006"),
    ("withItems: [" + ",".join(["1"] * 100_001) + "]", "withItems", "100,001"),
    ("withParam: '[" + ",".join(["1"] * 100_001) + "]'", "withParam", "100,001"),
])
def test_a_written_out_loop_over_the_cap_is_a_problem(problems: ProblemsOf, loop: str, kind: str,
                                                      count: str) -> None:
    assert problems(LOOP.replace("LOOP", loop)) == [
        f"wf.yaml:9: spec.templates[0].steps[0][0]: templates.main.steps[0].many {kind} expands to {count} items, "
        "more than the limit of 100,000 (set ARGOCTL_MAX_LOOP_ITEMS to change it)",
    ]


@pytest.mark.parametrize("loop", [
    'withSequence: {count: "{{workflow.parameters.n}}"}',  # known at run time only
    'withSequence: {count: "100000"}',
    "withParam: '{{steps.x.outputs.result}}'",
    "withParam: not json",
])
def test_loops_within_the_cap_or_not_yet_known_pass(problems: ProblemsOf, loop: str) -> None:
    text = LOOP.replace("LOOP", loop).replace("  entrypoint: main\n", "  entrypoint: main\n  arguments: "
                                               "{parameters: [{name: n, value: '9'}]}\n")
    assert [p for p in problems(text) if "expands to" in p] == []


def test_the_cap_is_configurable(problems: ProblemsOf, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(limits.LOOP_ITEMS_ENV, "2")
    found = problems(LOOP.replace("LOOP", "withItems: [a, b, c]"))
    assert found and found[0].endswith("withItems expands to 3 items, more than the limit of 2 "
                                       "(set ARGOCTL_MAX_LOOP_ITEMS to change it)")


DAG = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: deep-}
spec:
  entrypoint: main
  templates:
  - name: main
    dag:
      tasks:
      - {name: a, template: t}
      - {name: b, template: t, depends: "DEPENDS"}
  - name: t
    container: {image: alpine}
"""


@pytest.mark.parametrize("depth", [51, 400, 5000])
def test_deeply_nested_depends_is_a_problem_not_a_crash(problems: ProblemsOf, depth: int) -> None:
    found = problems(DAG.replace("DEPENDS", "(" * depth + "a" + ")" * depth))
    assert len(found) == 1
    assert "nested too deeply (more than 50 levels of '(' and '!')" in found[0]


def test_depends_within_the_nesting_limit_passes(problems: ProblemsOf) -> None:
    assert problems(DAG.replace("DEPENDS", "(" * 50 + "a" + ")" * 50)) == []
    assert problems(DAG.replace("DEPENDS", "!" * 49 + "a.Failed")) == []


def test_a_very_deep_chain_of_template_calls_is_a_problem_not_a_crash(problems: ProblemsOf) -> None:
    templates = "".join(f"  - name: t{i}\n    steps: [[{{name: s, template: t{i + 1}}}]]\n" for i in range(600))
    text = ("apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: chain}\nspec:\n"
            "  entrypoint: t0\n  templates:\n" + templates + "  - name: t600\n    container: {image: alpine}\n")
    found = problems(text)
    assert found == ["wf.yaml:4: spec: templates call each other too deeply to validate "
                     "(Argo stops a workflow at 100 nested template calls)"]
