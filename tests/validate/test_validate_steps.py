"""Steps templates: names, calls, supplied inputs, loops and what each step may reference."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

ProblemsOf = Callable[..., list[str]]  # the ``problems`` fixture (conftest.py)

# Templates start at line 8; "main" is the entrypoint and "echo" takes one input.
HEAD = (
    "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: wf\nspec:\n"
    "  entrypoint: main\n  templates:\n"
)
ECHO = """\
- name: echo
  inputs:
    parameters:
    - name: message
  container:
    image: alpine
    args: ["{{inputs.parameters.message}}"]
  outputs:
    parameters:
    - {name: said, valueFrom: {path: /tmp/said}}
"""


def steps(body: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(body) + ECHO, "  ")


def test_valid_steps_have_no_problems(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - name: first
          template: echo
          arguments: {parameters: [{name: message, value: hi}]}
      - - name: second
          template: echo
          arguments: {parameters: [{name: message, value: "{{steps.first.outputs.parameters.said}}"}]}
    """
    assert problems(steps(body)) == []


def test_the_conformance_message_for_a_step_that_supplies_nothing(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - name: a
          template: echo
          arguments:
            parameters:
    """
    assert problems(steps(body)) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a templates.echo "
        "inputs.parameters.message was not supplied",
    ]


def test_step_names_required_unique_and_well_formed(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - {template: echo, arguments: {parameters: [{name: message, value: a}]}}
        - {name: a, template: echo, arguments: {parameters: [{name: message, value: a}]}}
      - - {name: a, template: echo, arguments: {parameters: [{name: message, value: a}]}}
        - {name: "-bad", template: echo, arguments: {parameters: [{name: message, value: a}]}}
    """
    assert problems(steps(body)) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].name is required",
        "wf.yaml:12: spec.templates[0].steps[1][0].name: templates.main.steps[1].name 'a' is not unique",
        "wf.yaml:13: spec.templates[0].steps[1][1].name: templates.main.steps[1].name '-bad' is invalid: name "
        "must consist of alpha-numeric characters or '-', and must start with an alpha-numeric character "
        "(e.g. My-name1-2, 123-NAME)",
    ]


def test_unknown_step_fields_are_rejected_like_argo(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - name: a
          template: echo
          dependencies: [b]
          arguments: {parameters: [{name: message, value: a}]}
    """
    assert problems(steps(body)) == ['wf.yaml:12: spec.templates[0].steps[0][0].dependencies: json: unknown field "dependencies"']


def test_step_group_must_be_a_list(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - name: a
        template: echo
    """
    assert problems(steps(body)) == [
        "wf.yaml:10: spec.templates[0].steps[0]: templates.main.steps[0] must be a list of steps (each group is "
        "a list: '- - name: ...')",
    ]


def test_called_templates_must_exist(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - {name: a, template: nope}
        - {name: b}
        - {name: c, template: echo, templateRef: {name: lib, template: x}}
    """
    assert problems(steps(body)) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a template name 'nope' undefined",
        "wf.yaml:11: spec.templates[0].steps[0][1]: templates.main.steps[0].b failed to get a template",
        "wf.yaml:12: spec.templates[0].steps[0][2]: templates.main.steps[0].c template name cannot be specified "
        "with templateRef",
    ]


def test_step_argument_parameters_need_a_value(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - name: a
          template: echo
          arguments:
            parameters:
            - name: message
    """
    assert problems(steps(body)) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a templates.echo "
        "inputs.parameters.message was not supplied",
        "wf.yaml:14: spec.templates[0].steps[0][0].arguments.parameters[0]: templates.main.steps[0].a.arguments"
        ".message.value or templates.main.steps[0].a.arguments.message.valueFrom is required",
    ]


def test_steps_may_only_use_outputs_of_earlier_steps(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - name: a
          template: echo
          arguments: {parameters: [{name: message, value: "{{steps.b.outputs.parameters.said}}"}]}
      - - name: b
          template: echo
          arguments: {parameters: [{name: message, value: "{{steps.a.outputs.result}} {{steps.a.status}}"}]}
        - name: c
          template: inner
          arguments: {parameters: [{name: message, value: "{{steps.b.outputs.parameters.nope}}"}]}
      - - name: d
          template: echo
          arguments: {parameters: [{name: message, value: "{{steps.c.outputs.result}}"}]}
    - name: inner
      inputs: {parameters: [{name: message}]}
      steps:
      - - name: x
          template: echo
          arguments: {parameters: [{name: message, value: "{{inputs.parameters.message}}"}]}
    """
    assert problems(steps(body)) == [
        "wf.yaml:12: spec.templates[0].steps[0][0].arguments.parameters[0].value: templates.main.steps failed to "
        "resolve {{steps.b.outputs.parameters.said}}",
        "wf.yaml:18: spec.templates[0].steps[1][1].arguments.parameters[0].value: templates.main.steps failed to "
        "resolve {{steps.b.outputs.parameters.nope}}",
        "wf.yaml:21: spec.templates[0].steps[2][0].arguments.parameters[0].value: templates.main.steps failed to "
        "resolve {{steps.c.outputs.result}}",
    ]


def test_loops_define_item_variables(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - name: maps
          template: echo
          arguments: {parameters: [{name: message, value: "{{item.os}} {{item.version}}"}]}
          withItems: [{os: debian}, {os: alpine}]
        - name: param
          template: echo
          arguments: {parameters: [{name: message, value: "{{item.anything}}"}]}
          withParam: "[1, 2]"
        - name: sequence
          template: echo
          arguments: {parameters: [{name: message, value: "{{item}}"}]}
          withSequence: {count: "3", end: "5"}
        - name: both
          template: echo
          arguments: {parameters: [{name: message, value: "{{item}}"}]}
          withItems: [a]
          withParam: "[1]"
      - - name: after
          template: echo
          arguments: {parameters: [{name: message, value: "{{steps.maps.outputs.parameters}}"}]}
    """
    assert problems(steps(body)) == [
        "wf.yaml:12: spec.templates[0].steps[0][0].arguments.parameters[0].value: templates.main.steps failed to "
        "resolve {{item.version}}",
        "wf.yaml:18: spec.templates[0].steps[0][2]: templates.main.steps[0].sequence only one of count or end can "
        "be defined in withSequence",
        "wf.yaml:22: spec.templates[0].steps[0][3]: templates.main.steps[0].both only one of withItems, withParam, "
        "withSequence can be specified",
    ]


def test_hooks_and_exit_handlers_of_steps(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - name: a
          template: echo
          arguments: {parameters: [{name: message, value: a}]}
          onExit: missing
          hooks:
            running:
              template: echo
              arguments: {parameters: [{name: message, value: "{{steps.a.status}}"}]}
            exit:
              template: echo
              arguments: {parameters: [{name: message, value: "{{steps.a.outputs.parameters.said}}"}]}
    """
    assert problems(steps(body)) == [
        "wf.yaml:13: spec.templates[0].steps[0][0].onExit: templates.main.steps[0].a.onExit template name "
        "'missing' undefined",
        "wf.yaml:15: spec.templates[0].steps[0][0].hooks.running: templates.main.steps[0].a.running Expression "
        "required",
    ]
