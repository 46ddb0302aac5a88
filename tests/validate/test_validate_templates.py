"""Template-level rules: leaf kinds, deadlines, parallelism, inputs, outputs, variables."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

ProblemsOf = Callable[..., list[str]]  # the ``problems`` fixture (conftest.py)

# Templates start at line 8; the entrypoint is always "main".
HEAD = (
    "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata:\n  name: wf\nspec:\n"
    "  entrypoint: main\n  templates:\n"
)


def templates(body: str) -> str:
    return HEAD + textwrap.indent(textwrap.dedent(body), "  ")


def test_deadline_only_on_leaf_templates_and_well_formed(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      activeDeadlineSeconds: 10
      steps:
      - - {name: a, template: negative}
        - {name: b, template: word}
        - {name: c, template: variable}
    - name: negative
      activeDeadlineSeconds: -1
      container: {image: alpine}
    - name: word
      activeDeadlineSeconds: soon
      container: {image: alpine}
    - name: variable
      activeDeadlineSeconds: "{{workflow.parameters.deadline}}"
      container: {image: alpine}
    """
    assert problems(templates(body)) == [
        "wf.yaml:9: spec.templates[0].activeDeadlineSeconds: templates.main.activeDeadlineSeconds is only "
        "valid for leaf templates",
        "wf.yaml:15: spec.templates[1].activeDeadlineSeconds: templates.negative.activeDeadlineSeconds must be a "
        "positive integer > 0 or an argo variable",
        "wf.yaml:18: spec.templates[2].activeDeadlineSeconds: templates.word.activeDeadlineSeconds must be a "
        "positive integer > 0 or an argo variable",
        "wf.yaml:21: spec.templates[3].activeDeadlineSeconds: templates.variable: failed to resolve "
        "{{workflow.parameters.deadline}}",
    ]


def test_parallelism_only_on_steps_and_dag(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      parallelism: 2
      container: {image: alpine}
    """
    assert problems(templates(body)) == [
        "wf.yaml:9: spec.templates[0].parallelism: templates.main.parallelism is only valid for steps and dag templates",
    ]


def test_timeouts(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      timeout: 1m
      steps:
      - - {name: a, template: leaf}
    - name: leaf
      timeout: "30"
      container: {image: alpine}
    """
    assert problems(templates(body)) == [
        "wf.yaml:9: spec.templates[0].timeout: Steps template doesn't support timeout field",
        "wf.yaml:13: spec.templates[1].timeout: leaf has invalid duration format in timeout",
    ]


def test_images_required_unless_template_defaults_give_one(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - {name: a, template: container}
        - {name: b, template: script}
    - name: container
      container: {command: ["true"]}
    - name: script
      script: {source: "true"}
    """
    assert problems(templates(body)) == [
        "wf.yaml:13: spec.templates[1].container: templates.container.container.image may not be empty",
        "wf.yaml:15: spec.templates[2].script: templates.script.script.image may not be empty",
    ]
    with_defaults = HEAD.replace("  templates:\n", "  templateDefaults:\n    container: {image: alpine}\n  templates:\n")
    found = problems(with_defaults + textwrap.indent(textwrap.dedent(body), "  "))
    assert found == ["wf.yaml:17: spec.templates[2].script: templates.script.script.image may not be empty"]


def test_mount_paths_may_not_collide(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      inputs:
        artifacts:
        - {name: data, path: /work, raw: {data: x}}
      container:
        image: alpine
        volumeMounts:
        - {name: a, mountPath: /work}
        - {name: b, mountPath: /work}
    """
    assert problems(templates(body)) == [
        "wf.yaml:11: spec.templates[0].inputs.artifacts[0].path: templates.main.inputs.artifacts[0].path '/work' "
        "already mounted in container.volumeMounts.b",
        "wf.yaml:16: spec.templates[0].container.volumeMounts[1].mountPath: templates.main.container.volumeMounts[1]"
        ".mountPath '/work' already mounted in container.volumeMounts.a",
    ]


def test_resource_templates(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - {name: a, template: action}
        - {name: b, template: nothing}
        - {name: c, template: broken}
        - {name: d, template: fine}
    - name: action
      resource: {action: explode, manifest: "a: 1"}
    - name: nothing
      resource: {action: create}
    - name: broken
      resource:
        action: apply
        manifest: "a: [1"
    - name: fine
      resource:
        action: create
        manifest: |
          metadata:
            name: {{workflow.name}}-cm
            labels: {x: {{=sprig.lower('A')}}}
    """
    assert problems(templates(body)) == [
        "wf.yaml:15: spec.templates[1].resource.action: templates.action.resource.action must be one of: get, "
        "create, apply, delete, replace, patch",
        "wf.yaml:17: spec.templates[2].resource: either templates.nothing.resource.manifest or "
        "templates.nothing.resource.manifestFrom must be specified",
        "wf.yaml:21: spec.templates[3].resource.manifest: templates.broken.resource.manifest must be a valid yaml",
    ]


def test_container_set_rules(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      outputs:
        parameters:
        - name: out
          valueFrom: {path: /tmp/out}
      containerSet:
        containers:
        - {name: a, image: alpine, dependencies: [b]}
        - {name: b, image: alpine, dependencies: [a, c]}
        - {name: wait, image: alpine}
    """
    assert problems(templates(body)) == [
        "wf.yaml:13: spec.templates[0].containerSet: templates.main.containerSet.containers dependency cycle "
        "detected: b->a->b",
        "wf.yaml:14: spec.templates[0].containerSet.containers: templates.main.containerSet.containers must have a "
        'container named "main" for input or output',
        "wf.yaml:16: spec.templates[0].containerSet.containers[1].dependencies: templates.main.containerSet"
        ".containers.b dependency 'c' not defined",
        'wf.yaml:17: spec.templates[0].containerSet.containers[2].name: templates.main.containerSet.containers: '
        '"wait" is a reserved Argo container name',
    ]


def test_reserved_sidecar_names_and_unnamed_init_containers(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      initContainers:
      - {image: alpine}
      sidecars:
      - {name: supervisor, image: alpine}
      container: {image: alpine}
    """
    assert problems(templates(body)) == [
        "wf.yaml:10: spec.templates[0].initContainers[0]: initContainers must all have container name",
        'wf.yaml:12: spec.templates[0].sidecars[0].name: templates.main.sidecars: "supervisor" is a reserved '
        "Argo container name",
    ]


def test_input_rules(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      inputs:
        parameters:
        - name: "bad name"
          value: x
        artifacts:
        - {name: art, path: /tmp/a, from: "{{workflow.name}}", optional: true}
        - {name: repo, git: {revision: main}, optional: true}
      steps:
      - - {name: a, template: leaf}
    - name: leaf
      container: {image: alpine}
    """
    assert problems(templates(body)) == [
        "wf.yaml:11: spec.templates[0].inputs.parameters[0].name: templates.main.inputs.parameters[0].name: "
        "'bad name' is invalid: Parameter/Artifact name must consist of alpha-numeric characters, '_' or '-' "
        "e.g. my_param_1, MY-PARAM-1",
        "wf.yaml:14: spec.templates[0].inputs.artifacts[0].path: templates.main.inputs.artifacts.art.path only "
        "valid in container/script templates",
        "wf.yaml:14: spec.templates[0].inputs.artifacts[0].from: templates.main.inputs.artifacts.art.from not "
        "valid in inputs",
        "wf.yaml:15: spec.templates[0].inputs.artifacts[1].git: templates.main.inputs.artifacts.repo.git.repo is "
        "required",
    ]


def test_output_parameter_rules(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      container: {image: alpine}
      outputs:
        parameters:
        - {name: both, value: x, valueFrom: {path: /a}}
        - {name: neither}
        - {name: empty, valueFrom: {default: x}}
        - {name: many, valueFrom: {path: /a, expression: "1"}}
        - {name: wrong-kind, valueFrom: {parameter: x}}
        - {name: global, value: x, globalName: "bad global"}
        - {name: fine, valueFrom: {path: /tmp/fine}}
    """
    ref = "templates.main.outputs.parameters"
    assert problems(templates(body)) == [
        f"wf.yaml:12: spec.templates[0].outputs.parameters[0]: {ref}.both has both valueFrom and value specified, "
        "choose one",
        f"wf.yaml:13: spec.templates[0].outputs.parameters[1]: {ref}.neither does not have valueFrom or value specified",
        "wf.yaml:14: spec.templates[0].outputs.parameters[2]: valueFrom type unspecified. choose one of: path, "
        "jqFilter, jsonPath, parameter, raw, expression",
        "wf.yaml:15: spec.templates[0].outputs.parameters[3]: multiple valueFrom types specified. choose one of: "
        "path, jqFilter, jsonPath, parameter, raw",
        f"wf.yaml:16: spec.templates[0].outputs.parameters[4]: {ref}.wrong-kind.path must be specified for "
        "Container templates",
        f"wf.yaml:17: spec.templates[0].outputs.parameters[5].globalName: {ref}.global.globalName: "
        "Parameter/Artifact name must consist of alpha-numeric characters, '_' or '-' e.g. my_param_1, MY-PARAM-1",
    ]


def test_output_sources_per_template_kind(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      steps:
      - - {name: a, template: resource}
      outputs:
        parameters:
        - {name: p, valueFrom: {path: /a}}
        - {name: q, valueFrom: {parameter: "{{steps.a.outputs.parameters.x}}", expression: "1"}}
        - {name: r, valueFrom: {Parameter: "{{steps.a.outputs.parameters.x}}"}}
        artifacts:
        - {name: art, path: /tmp/art}
    - name: resource
      resource: {action: get}
      outputs:
        parameters:
        - {name: x, valueFrom: {path: /a}}
    """
    ref = "templates.main.outputs"
    assert problems(templates(body)) == [
        f"wf.yaml:13: spec.templates[0].outputs.parameters[0]: {ref}.parameters.p.parameter or expression must be "
        "specified for Steps templates",
        # Argo counts parameter+expression as two sources before its per-kind check.
        "wf.yaml:14: spec.templates[0].outputs.parameters[1]: multiple valueFrom types specified. choose one of: "
        "path, jqFilter, jsonPath, parameter, raw",
        f"wf.yaml:17: spec.templates[0].outputs.artifacts[0].path: {ref}.artifacts.art.path only valid in "
        "container/script templates",
        "wf.yaml:22: spec.templates[1].outputs.parameters[0]: templates.resource.outputs.parameters.x .jqFilter or "
        "jsonPath must be specified for Resource templates",
    ]


def test_retry_policy_and_metrics(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      retryStrategy: {limit: 2, retryPolicy: Sometimes}
      container: {image: alpine}
      metrics:
        prometheus:
        - {name: "bad.name", help: h, counter: {value: "1"}}
        - {name: no_help, counter: {value: "1"}}
    """
    assert problems(templates(body)) == [
        "wf.yaml:9: spec.templates[0].retryStrategy.retryPolicy: Sometimes is not a valid RetryPolicy",
        "wf.yaml:13: spec.templates[0].metrics.prometheus[0].name: templates.main metric name 'bad.name' is "
        "invalid. Metric names must contain alphanumeric characters or '_'",
        "wf.yaml:14: spec.templates[0].metrics.prometheus[1]: templates.main metric 'no_help' must contain a help "
        "string under 'help: ' field",
    ]


def test_variables_in_leaf_templates(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      retryStrategy: {limit: 1}
      inputs:
        parameters:
        - {name: known, default: x}
        artifacts:
        - {name: data, path: /data, optional: true}
      container:
        image: alpine
        args:
        - "{{inputs.parameters.known}} {{inputs.artifacts.data.path}} {{pod.name}} {{retries}}"
        - "{{workflow.name}} {{workflow.creationTimestamp.Y}} {{ workflow.uid }} {{node.name}}"
        - "{{=inputs.parameters.anything}} {{custom.tag}} {{item}} {{outputs.parameters.x.path}}"
        - "{{inputs.parameters.unknown}}"
        - "{{ workflow.parameters.missing }} {{steps.x.outputs.result}}"
        - "{{item.key}}"
    """
    assert problems(templates(body)) == [
        "wf.yaml:21: spec.templates[0].container.args[3]: templates.main: failed to resolve "
        "{{inputs.parameters.unknown}}",
        "wf.yaml:22: spec.templates[0].container.args[4]: templates.main: failed to resolve "
        "{{ workflow.parameters.missing }}",
        "wf.yaml:22: spec.templates[0].container.args[4]: templates.main: failed to resolve "
        "{{steps.x.outputs.result}}",
        "wf.yaml:23: spec.templates[0].container.args[5]: templates.main: failed to resolve {{item.key}}",
    ]


def test_variables_in_a_workflow_template_may_use_any_workflow_parameter(problems: ProblemsOf) -> None:
    body = """\
    - name: main
      container:
        image: alpine
        args: ["{{workflow.parameters.from-the-caller}}", "{{workflow.labels.team}}"]
    """
    head = HEAD.replace("kind: Workflow", "kind: WorkflowTemplate").replace("  name: wf", "  name: wf\n  labels: {team: a}")
    assert problems(head + textwrap.indent(textwrap.dedent(body), "  ")) == []
    assert problems(templates(body)) == [
        "wf.yaml:11: spec.templates[0].container.args[0]: templates.main: failed to resolve "
        "{{workflow.parameters.from-the-caller}}",
        "wf.yaml:11: spec.templates[0].container.args[1]: templates.main: failed to resolve {{workflow.labels.team}}",
    ]
