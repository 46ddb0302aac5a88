"""``templateRef`` and ``workflowTemplateRef`` resolved through a TemplateSource."""

from __future__ import annotations

from collections.abc import Callable

ProblemsOf = Callable[..., list[str]]  # the ``problems`` fixture (conftest.py)

LIBRARY = """\
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib
spec:
  entrypoint: greet
  arguments:
    parameters:
    - {name: greeting, value: hello}
  templates:
  - name: greet
    inputs:
      parameters:
      - name: who
    container:
      image: alpine
      args: ["{{inputs.parameters.who}} {{workflow.name}}"]
    outputs:
      parameters:
      - {name: said, valueFrom: {path: /tmp/said}}
  - name: broken
    container:
      command: ["true"]
"""
CLUSTER_LIBRARY = LIBRARY.replace("kind: WorkflowTemplate", "kind: ClusterWorkflowTemplate").replace("name: lib", "name: clib")

CALLER = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: caller
spec:
  entrypoint: main
  templates:
  - name: main
    steps:
    - - name: a
        templateRef: {name: lib, template: greet}
        arguments: {parameters: [{name: who, value: world}]}
    - - name: b
        templateRef: {name: clib, template: greet, clusterScope: true}
        arguments: {parameters: [{name: who, value: "{{steps.a.outputs.parameters.said}}"}]}
"""


def test_template_refs_resolve_through_the_source(problems: ProblemsOf) -> None:
    assert problems(CALLER, templates=[LIBRARY, CLUSTER_LIBRARY]) == []


def test_missing_template_or_object_is_reported_at_the_reference(problems: ProblemsOf) -> None:
    text = CALLER.replace("template: greet}", "template: nope}", 1)
    assert problems(text, templates=[LIBRARY]) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a template reference lib.nope not found",
        "wf.yaml:13: spec.templates[0].steps[1][0]: templates.main.steps[1].b template reference clib.greet not found",
    ]


def test_reference_fields_are_required(problems: ProblemsOf) -> None:
    text = CALLER.replace("{name: lib, template: greet}", "{template: greet}").replace(
        "{name: clib, template: greet, clusterScope: true}", "{name: clib}"
    )
    assert problems(text, templates=[LIBRARY, CLUSTER_LIBRARY]) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a resource name is required",
        "wf.yaml:13: spec.templates[0].steps[1][0]: templates.main.steps[1].b template name is required",
    ]


def test_inputs_of_a_referenced_template_must_be_supplied(problems: ProblemsOf) -> None:
    text = CALLER.replace("        arguments: {parameters: [{name: who, value: world}]}\n", "")
    assert problems(text, templates=[LIBRARY, CLUSTER_LIBRARY]) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a templates.greet "
        "inputs.parameters.who was not supplied",
    ]


def test_problems_inside_a_referenced_template_point_at_the_reference(problems: ProblemsOf) -> None:
    text = CALLER.replace("{name: lib, template: greet}", "{name: lib, template: broken}").replace(
        "        arguments: {parameters: [{name: who, value: world}]}\n", ""
    )
    assert problems(text, templates=[LIBRARY, CLUSTER_LIBRARY]) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a templates.broken.container.image "
        "may not be empty",
        "wf.yaml:14: spec.templates[0].steps[1][0].arguments.parameters[0].value: templates.main.steps failed to "
        "resolve {{steps.a.outputs.parameters.said}}",
    ]


def test_a_referenced_template_sees_the_callers_globals_only(problems: ProblemsOf) -> None:
    library = LIBRARY.replace("{{workflow.name}}", "{{workflow.parameters.greeting}}")
    assert problems(CALLER, templates=[library, CLUSTER_LIBRARY]) == [
        "wf.yaml:10: spec.templates[0].steps[0][0]: templates.main.steps[0].a templates.greet: failed to resolve "
        "{{workflow.parameters.greeting}}",
    ]


def test_without_a_source_references_are_not_followed(problems: ProblemsOf) -> None:
    text = CALLER.replace("template: greet}", "template: anything}")
    assert problems(text, no_source=True) == []


def test_references_chosen_at_run_time_are_skipped(problems: ProblemsOf) -> None:
    text = CALLER.replace("{name: lib, template: greet}", '{name: lib, template: "{{workflow.name}}"}')
    assert problems(text, templates=[LIBRARY, CLUSTER_LIBRARY]) == [
        "wf.yaml:15: spec.templates[0].steps[1][0].arguments.parameters[0].value: templates.main.steps failed to "
        "resolve {{steps.a.outputs.parameters.said}}",
    ]


FROM_TEMPLATE = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: from-lib-
spec:
  arguments:
    parameters:
    - {name: extra, value: x}
  workflowTemplateRef:
    name: lib
"""


def test_workflow_template_ref_uses_the_templates_entrypoint_and_arguments(problems: ProblemsOf) -> None:
    assert problems(FROM_TEMPLATE, templates=[LIBRARY]) == [
        "wf.yaml:9: spec.workflowTemplateRef: templates.greet inputs.parameters.who was not supplied",
        "wf.yaml:9: spec.workflowTemplateRef: templates.broken templates.broken.container.image may not be empty",
    ]
    with_input = FROM_TEMPLATE.replace("{name: extra, value: x}", "{name: who, value: x}")
    assert problems(with_input, templates=[LIBRARY.replace("      command:", "      image: alpine\n      command:")]) == []


def test_workflow_template_ref_must_exist_and_excludes_templates(problems: ProblemsOf) -> None:
    text = FROM_TEMPLATE.replace("name: lib", "name: ghost") + "  templates:\n  - name: x\n    suspend: {}\n"
    assert problems(text, templates=[LIBRARY]) == [
        'wf.yaml:10: spec.workflowTemplateRef.name: workflowtemplates.argoproj.io "ghost" not found',
        "wf.yaml:11: spec.templates: Templates is invalid field in spec if workflow referred WorkflowTemplate "
        "reference",
    ]


def test_submit_from_a_template_requires_its_argument_values(problems: ProblemsOf) -> None:
    library = LIBRARY.replace("{name: greeting, value: hello}", "{name: greeting}").replace(
        "      command:", "      image: alpine\n      command:"
    )
    text = FROM_TEMPLATE.replace("{name: extra, value: x}", "{name: who, value: x}")
    assert problems(text, templates=[library]) == []
    assert problems(text, templates=[library], require_arguments=True) == [
        "wf.yaml:9: spec.workflowTemplateRef: spec.arguments.greeting.value or spec.arguments.greeting.valueFrom "
        "is required",
    ]
    assert problems(text, templates=[library], require_arguments=True, arguments={"greeting": "hi"}) == []


def test_a_template_may_reference_itself(problems: ProblemsOf) -> None:
    text = LIBRARY.replace(
        "  - name: broken\n    container:\n      command: [\"true\"]\n",
        "  - name: twice\n    steps:\n    - - name: again\n        templateRef: {name: lib, template: greet}\n",
    )
    assert problems(text) == [
        "wf.yaml:23: spec.templates[1].steps[0][0]: templates.twice.steps[0].again templates.greet "
        "inputs.parameters.who was not supplied",
    ]
