"""DAG templates: task names, dependencies, cycles, depends, targets and ancestry."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

ProblemsOf = Callable[..., list[str]]  # the ``problems`` fixture (conftest.py)

# The DAG template is spec.templates[0] ("main", line 8); its tasks start at line 11.
HEAD = (
    "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: wf\nspec:\n"
    "  entrypoint: main\n  templates:\n  - name: main\n    dag:\n      tasks:\n"
)
TAIL = """\
  - name: echo
    inputs:
      parameters:
      - {name: message, default: hi}
    container:
      image: alpine
      args: ["{{inputs.parameters.message}}"]
    outputs:
      parameters:
      - {name: said, valueFrom: {path: /tmp/said}}
"""


def dag(tasks: str, extra: str = "") -> str:
    return HEAD + textwrap.indent(textwrap.dedent(tasks), "      ") + extra + TAIL


def test_valid_dag_has_no_problems(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo}
    - name: b
      depends: "a.Succeeded || a.Failed"
      template: echo
      arguments: {parameters: [{name: message, value: "{{tasks.a.outputs.parameters.said}} {{tasks.a.status}}"}]}
    - {name: c, dependencies: [], template: echo}
    """
    assert problems(dag(tasks)) == []


def test_dag_needs_tasks(problems: ProblemsOf) -> None:
    text = HEAD.replace("    dag:\n      tasks:\n", "    dag:\n      tasks: []\n") + TAIL
    assert problems(text) == ["wf.yaml:9: spec.templates[0].dag: templates.main must have at least one task"]


def test_task_names(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo}
    - {name: a, template: echo}
    - {name: b_c, template: echo}
    - {template: echo}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:12: spec.templates[0].dag.tasks[1].name: templates.main.tasks[1].name 'a' is not unique",
        "wf.yaml:13: spec.templates[0].dag.tasks[2].name: templates.main.tasks[2].name: 'b_c' is invalid: name "
        "must consist of alpha-numeric characters or '-', and must start with an alpha-numeric character "
        "(e.g. My-name1-2, 123-NAME)",
        "wf.yaml:14: spec.templates[0].dag.tasks[3].name: templates.main.tasks[3].name is required",
    ]


def test_names_may_not_start_with_a_digit_when_dependencies_are_used(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: 5a, template: echo}
    - {name: b, depends: 5a, template: echo}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:11: spec.templates[0].dag.tasks[0].name: templates.main.tasks.5a name cannot begin with a digit "
        "when using either 'depends' or 'dependencies'",
    ]


def test_depends_and_dependencies_do_not_mix_nor_continue_on_with_depends(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo, continueOn: {failed: true}}
    - {name: b, dependencies: [a], template: echo}
    - {name: c, depends: a, template: echo}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:11: spec.templates[0].dag.tasks[0].continueOn: templates.main cannot use 'continueOn' when using "
        "'depends'. Instead use 'dep-task.Failed'/'dep-task.Errored'",
        "wf.yaml:12: spec.templates[0].dag.tasks[1].dependencies: templates.main cannot use both 'depends' and "
        "'dependencies' in the same DAG template",
    ]


def test_dependencies_must_be_defined(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, dependencies: [ghost], template: echo}
    - {name: b, template: echo}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:11: spec.templates[0].dag.tasks[0].dependencies: templates.main.tasks.a dependency 'ghost' not "
        "defined",
    ]


def test_cycles_are_named(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, dependencies: [c], template: echo}
    - {name: b, dependencies: [a], template: echo}
    - {name: c, dependencies: [b], template: echo}
    - {name: d, dependencies: [d], template: echo}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:10: spec.templates[0].dag.tasks: templates.main.tasks dependency cycle detected: c->b->a->c",
    ]


def test_self_dependency_is_a_cycle(problems: ProblemsOf) -> None:
    assert problems(dag("- {name: d, dependencies: [d], template: echo}\n")) == [
        "wf.yaml:10: spec.templates[0].dag.tasks: templates.main.tasks dependency cycle detected: d->d",
    ]


def test_depends_results_and_syntax(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo}
    - {name: b, depends: "a.Succeded", template: echo}
    - {name: c, depends: "a && (b ||", template: echo}
    - {name: d, depends: "a.AnySucceeded", template: echo}
    - {name: e, depends: "a + b", template: echo}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:12: spec.templates[0].dag.tasks[1].depends: templates.main.tasks.b task result 'Succeded' for "
        "task 'a' is invalid",
        "wf.yaml:13: spec.templates[0].dag.tasks[2].depends: templates.main.tasks.c depends 'a && (b ||' is "
        "invalid: expected a task name but found end of expression",
        "wf.yaml:14: spec.templates[0].dag.tasks[3].depends: templates.main.tasks.d dependency 'a' uses an "
        "items-based condition such as .AnySucceeded or .AllFailed but does not contain any items",
        "wf.yaml:15: spec.templates[0].dag.tasks[4].depends: templates.main.tasks.e depends 'a + b' is invalid: "
        "unexpected '+' at position 3",
    ]


def test_items_based_results_on_a_loop_are_fine(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo, withItems: [1, 2]}
    - {name: b, depends: "a.AnySucceeded || a.AllFailed", template: echo}
    """
    assert problems(dag(tasks)) == []


def test_targets_must_be_tasks(problems: ProblemsOf) -> None:
    text = HEAD.replace("    dag:\n", "    dag:\n      target: a ghost {{workflow.parameters.t}}\n")
    text += "      - {name: a, template: echo}\n" + TAIL
    assert problems(text) == [
        "wf.yaml:10: spec.templates[0].dag.target: templates.main.targets failed to resolve "
        "{{workflow.parameters.t}}",
        "wf.yaml:10: spec.templates[0].dag.target: templates.main.targets: target 'ghost' is not defined",
    ]


def test_status_only_of_ancestors_outputs_of_any_task(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo}
    - {name: b, template: echo}
    - name: c
      depends: a
      template: echo
      arguments:
        parameters:
        - {name: message, value: "{{tasks.a.status}} {{tasks.b.status}} {{tasks.b.outputs.parameters.said}}"}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:18: spec.templates[0].dag.tasks[2].arguments.parameters[0].value: templates.main.tasks.c failed "
        "to resolve {{tasks.b.status}}",
    ]


def test_argument_references_need_an_ancestor(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo}
    - name: b
      template: echo
      arguments:
        parameters:
        - {name: message, value: "{{tasks.a.outputs.parameters.said}}"}
        artifacts:
        - {name: data, from: "{{tasks.a.outputs.artifacts.out}}"}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:16: spec.templates[0].dag.tasks[1].arguments.parameters[0].value: templates.main.tasks.b missing "
        "dependency 'a' for parameter 'message'",
        "wf.yaml:18: spec.templates[0].dag.tasks[1].arguments.artifacts[0].from: templates.main.tasks.b failed to "
        "resolve {{tasks.a.outputs.artifacts.out}}",
        "wf.yaml:18: spec.templates[0].dag.tasks[1].arguments.artifacts[0].from: templates.main.tasks.b missing "
        "dependency 'a' for artifact 'data'",
    ]


def test_tasks_supply_inputs_and_call_known_templates(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: nope}
    - {name: b, template: strict}
    """
    strict = """\
  - name: strict
    inputs: {parameters: [{name: needed}]}
    container: {image: alpine}
"""
    assert problems(dag(tasks, strict)) == [
        "wf.yaml:11: spec.templates[0].dag.tasks[0]: templates.main.tasks.a template name 'nope' undefined",
        "wf.yaml:12: spec.templates[0].dag.tasks[1]: templates.main.tasks.b templates.strict "
        "inputs.parameters.needed was not supplied",
    ]


def test_loop_outputs_are_aggregated_for_ancestors(problems: ProblemsOf) -> None:
    tasks = """\
    - {name: a, template: echo, withParam: "[1, 2]", arguments: {parameters: [{name: message, value: "{{item.x}}"}]}}
    - name: b
      depends: a
      template: echo
      arguments: {parameters: [{name: message, value: "{{tasks.a.outputs.parameters}}"}]}
    - name: c
      template: echo
      arguments: {parameters: [{name: message, value: "{{tasks.a.outputs.parameters}}"}]}
    """
    assert problems(dag(tasks)) == [
        "wf.yaml:18: spec.templates[0].dag.tasks[2].arguments.parameters[0].value: templates.main.tasks.c missing "
        "dependency 'a' for parameter 'message'",
    ]
