"""Workflow-level rules: names, entrypoint, arguments, exit handler, hooks, pod GC, kinds."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

ProblemsOf = Callable[..., list[str]]  # the ``problems`` fixture (conftest.py)

HEAD = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: wf\nspec:\n"  # spec body at line 6
ECHO = "  - name: echo\n    container: {image: alpine}\n"


def wf(*parts: str, head: str = HEAD) -> str:
    """``head`` followed by the parts, each re-indented under ``spec:``."""
    return head + "".join(textwrap.indent(textwrap.dedent(part), "  ") for part in parts)


def test_valid_workflow_has_no_problems(problems: ProblemsOf) -> None:
    assert problems(wf("  entrypoint: echo\n  templates:\n" + ECHO)) == []


def test_entrypoint_is_required(problems: ProblemsOf) -> None:
    assert problems(wf("  templates:\n" + ECHO)) == [
        "wf.yaml:5: spec.entrypoint: spec.entrypoint is required",
    ]


def test_entrypoint_must_name_a_template(problems: ProblemsOf) -> None:
    assert problems(wf("  entrypoint: nope\n  templates:\n" + ECHO)) == [
        "wf.yaml:6: spec.entrypoint: template name 'nope' undefined",
    ]


def test_workflow_template_may_omit_entrypoint(problems: ProblemsOf) -> None:
    head = HEAD.replace("kind: Workflow", "kind: WorkflowTemplate")
    assert problems(wf("  templates:\n" + ECHO, head=head)) == []


def test_workflow_name_at_most_63_characters(problems: ProblemsOf) -> None:
    name = "a" * 70
    head = HEAD.replace("name: wf", f"name: {name}")
    assert problems(wf("  entrypoint: echo\n  templates:\n" + ECHO, head=head)) == [
        f'wf.yaml:4: metadata.name: workflow name "{name}" must not be more than 63 characters long (currently 70)',
    ]


def test_workflow_name_must_be_dns_1123(problems: ProblemsOf) -> None:
    head = HEAD.replace("name: wf", "name: My_Flow")
    found = problems(wf("  entrypoint: echo\n  templates:\n" + ECHO, head=head))
    assert len(found) == 1
    assert found[0].startswith(
        'wf.yaml:4: metadata.name: Invalid value: "My_Flow": a lowercase RFC 1123 subdomain must consist of'
    )


def test_generate_name_is_not_checked_like_upstream_fixtures_need(problems: ProblemsOf) -> None:
    head = HEAD.replace("name: wf", "generateName: dag-hang-failFast-")
    assert problems(wf("  entrypoint: echo\n  templates:\n" + ECHO, head=head)) == []


def test_template_names_well_formed_unique_and_present(problems: ProblemsOf) -> None:
    long_name = "a" * 129
    body = f"""\
      entrypoint: echo
      templates:
      - name: echo
        container: {{image: alpine}}
      - name: bad_name
        container: {{image: alpine}}
      - name: echo
        container: {{image: alpine}}
      - container: {{image: alpine}}
      - name: {long_name}
        container: {{image: alpine}}
    """
    assert problems(wf(body)) == [
        "wf.yaml:10: spec.templates[1].name: spec.templates[1].name: 'bad_name' is invalid: name must consist of "
        "alpha-numeric characters or '-', and must start with an alpha-numeric character (e.g. My-name1-2, 123-NAME)",
        "wf.yaml:12: spec.templates[2].name: spec.templates[2].name 'echo' is not unique",
        "wf.yaml:14: spec.templates[3].name: spec.templates[3].name is required",
        f"wf.yaml:15: spec.templates[4].name: spec.templates[4].name: '{long_name}' is invalid: "
        "must be no more than 128 characters",
    ]


def test_exactly_one_template_type(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: main
      templates:
      - name: main
        container: {image: alpine}
        script: {image: alpine, source: "true"}
      - name: nothing
        inputs: {}
    """
    choices = "choose one of: container, containerSet, steps, script, resource, dag, suspend, template, template ref"
    assert problems(wf(body)) == [
        f"wf.yaml:8: spec.templates[0]: templates.main multiple template types specified. {choices}",
        f"wf.yaml:11: spec.templates[1]: templates.nothing template type unspecified. {choices}",
    ]


def test_enum_argument_value_must_be_listed(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: echo
      arguments:
        parameters:
        - name: color
          value: purple
          enum: [red, blue]
        - name: size
          value: m
          enum: []
      templates:
    """
    assert problems(wf(body, ECHO)) == [
        "wf.yaml:10: spec.arguments.parameters[0].value: spec.arguments.color.value should be present in "
        "spec.arguments.color.enum list",
        "wf.yaml:14: spec.arguments.parameters[1].enum: spec.arguments.size.enum should contain at least one value",
    ]


def test_parameter_override_replaces_the_spec_value(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: echo
      arguments:
        parameters:
        - {name: color, value: purple, enum: [red, blue]}
      templates:
    """
    assert problems(wf(body, ECHO), arguments={"color": "red"}) == []
    found = problems(wf(body, ECHO), arguments={"color": "green", "extra": "x"})
    assert found == [
        "wf.yaml:9: spec.arguments.parameters[0].value: spec.arguments.color.value should be present in "
        "spec.arguments.color.enum list",
    ]


def test_argument_values_required_on_submit_but_not_for_lint(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: echo
      arguments:
        parameters:
        - name: message
      templates:
    """
    assert problems(wf(body, ECHO)) == []
    assert problems(wf(body, ECHO), require_arguments=True) == [
        "wf.yaml:9: spec.arguments.parameters[0]: spec.arguments.message.value or "
        "spec.arguments.message.valueFrom is required",
    ]
    assert problems(wf(body, ECHO), require_arguments=True, arguments={"message": "hi"}) == []


def test_argument_value_from_allows_only_some_sources(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: echo
      arguments:
        parameters:
        - name: a
          valueFrom: {path: /tmp/a}
        - name: b
          valueFrom: {configMapKeyRef: {name: cm, key: b}, default: x}
      templates:
    """
    assert problems(wf(body, ECHO)) == [
        "wf.yaml:10: spec.arguments.parameters[0].valueFrom: spec.arguments.a.valueFrom only allows: default, "
        "configMapKeyRef and supplied",
    ]


def test_argument_artifact_needs_a_source(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: echo
      arguments:
        artifacts:
        - name: data
      templates:
    """
    assert problems(wf(body, ECHO)) == [
        "wf.yaml:9: spec.arguments.artifacts[0]: spec.arguments.data.from, artifact location, or key is required",
    ]


ENTRY_WITH_INPUT = """\
  templates:
  - name: main
    inputs:
      parameters:
      - name: message
    container:
      image: alpine
      args: ["{{inputs.parameters.message}}"]
"""


def test_entrypoint_inputs_must_be_supplied(problems: ProblemsOf) -> None:
    assert problems(wf("  entrypoint: main\n" + ENTRY_WITH_INPUT)) == [
        "wf.yaml:6: spec.entrypoint: templates.main inputs.parameters.message was not supplied",
    ]
    supplied = "  entrypoint: main\n  arguments:\n    parameters:\n    - {name: message, value: hi}\n"
    assert problems(wf(supplied + ENTRY_WITH_INPUT)) == []
    defaulted = ENTRY_WITH_INPUT.replace("- name: message", "- {name: message, default: hi}")
    assert problems(wf("  entrypoint: main\n" + defaulted)) == []
    assert problems(wf("  entrypoint: main\n" + ENTRY_WITH_INPUT), arguments={"message": "x"}) == []


def test_argument_without_value_overrides_the_input_default_as_in_argo(problems: ProblemsOf) -> None:
    defaulted = ENTRY_WITH_INPUT.replace("- name: message", "- {name: message, default: hi}")
    body = "  entrypoint: main\n  arguments:\n    parameters:\n    - name: message\n" + defaulted
    assert problems(wf(body)) == [
        "wf.yaml:6: spec.entrypoint: templates.main inputs.parameters.message was not supplied",
    ]


def test_workflow_templates_are_validated_with_any_arguments(problems: ProblemsOf) -> None:
    head = HEAD.replace("kind: Workflow", "kind: WorkflowTemplate")
    assert problems(wf("  entrypoint: main\n" + ENTRY_WITH_INPUT, head=head)) == []


def test_on_exit_must_resolve_and_get_its_inputs(problems: ProblemsOf) -> None:
    assert problems(wf("  entrypoint: echo\n  onExit: nope\n  templates:\n" + ECHO)) == [
        "wf.yaml:7: spec.onExit: template name 'nope' undefined",
    ]
    body = "  entrypoint: main\n  onExit: main\n  arguments: {parameters: [{name: message, value: x}]}\n"
    assert problems(wf(body + ENTRY_WITH_INPUT)) == []


def test_hooks_other_than_exit_need_an_expression(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: echo
      hooks:
        exit:
          template: echo
        running:
          template: echo
        done:
          expression: workflow.status == "Succeeded"
          template: missing
      templates:
    """
    assert problems(wf(body, ECHO)) == [
        "wf.yaml:10: spec.hooks.running: hooks.running Expression required",
        "wf.yaml:12: spec.hooks.done: hooks.done template name 'missing' undefined",
    ]


def test_pod_gc_strategy_must_be_known(problems: ProblemsOf) -> None:
    body = "  entrypoint: echo\n  podGC:\n    strategy: Sometimes\n  templates:\n" + ECHO
    assert problems(wf(body)) == ["wf.yaml:8: spec.podGC.strategy: podGC.strategy unknown strategy 'Sometimes'"]


def test_workflow_outputs_and_failures_are_global_variables(problems: ProblemsOf) -> None:
    body = """\
      entrypoint: main
      onExit: report
      templates:
      - name: main
        container: {image: alpine}
        outputs:
          parameters:
          - name: out
            globalName: result
            valueFrom: {path: /tmp/out}
      - name: report
        container:
          image: alpine
          args: ["{{workflow.outputs.parameters.result}} {{workflow.failures}} {{workflow.status}}"]
      - name: wrong
        container:
          image: alpine
          args: ["{{workflow.outputs.parameters.other}}"]
    """
    assert problems(wf(body)) == [
        "wf.yaml:23: spec.templates[2].container.args[0]: templates.wrong: failed to resolve "
        "{{workflow.outputs.parameters.other}}",
    ]


CRON = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedule: "0 25 * * *"
  timezone: Mars/Olympus
  concurrencyPolicy: Sometimes
  workflowSpec:
    entrypoint: nope
    templates:
    - name: echo
      container: {image: alpine}
"""


def test_cron_workflow_rules(problems: ProblemsOf) -> None:
    # `schedule` (argo v3) is not in argo v4's schema: only --strict=false accepts it
    assert problems(CRON, strict=False) == [
        "wf.yaml:6: spec.schedule: cron schedule 0 25 * * * is malformed: end of range (25) above maximum (23): 25",
        'wf.yaml:7: spec.timezone: invalid timezone "Mars/Olympus": unknown time zone Mars/Olympus',
        "wf.yaml:8: spec.concurrencyPolicy: 'Sometimes' is not a valid concurrencyPolicy",
        "wf.yaml:10: spec.workflowSpec.entrypoint: cannot validate Workflow: template name 'nope' undefined",
    ]


def test_cron_workflow_needs_a_schedule_and_a_short_name(problems: ProblemsOf) -> None:
    text = CRON.replace("  name: nightly", "  name: " + "c" * 53).replace('  schedule: "0 25 * * *"\n', "")
    text = text.replace("  timezone: Mars/Olympus\n  concurrencyPolicy: Sometimes\n", "")
    text = text.replace("entrypoint: nope", "entrypoint: echo")
    assert problems(text) == [
        f'wf.yaml:4: metadata.name: cron workflow name "{"c" * 53}" must not be more than 52 characters long '
        "(currently 53)",
        "wf.yaml:5: spec: cron workflow must have at least one schedule",
    ]


def test_cron_schedules_list_and_descriptors(problems: ProblemsOf) -> None:
    text = CRON.replace('  schedule: "0 25 * * *"', '  schedules: ["*/5 * * * MON-FRI", "@daily", "@every 1h30m"]')
    text = text.replace("  timezone: Mars/Olympus\n  concurrencyPolicy: Sometimes\n", "  timezone: Europe/Paris\n")
    text = text.replace("entrypoint: nope", "entrypoint: echo")
    assert problems(text) == []


def test_other_kinds_are_not_validated(problems: ProblemsOf) -> None:
    assert problems("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: BAD_NAME}\n") == []
