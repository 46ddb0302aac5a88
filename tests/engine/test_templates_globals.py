"""templateRef / workflowTemplateRef resolution, templateDefaults, podSpecPatch, global variables."""

from __future__ import annotations

import json
from typing import Any

import pytest

from argoctl.engine.simulate import new_workflow
from argoctl.engine.types import EngineEnv
from argoctl.model.ids import pod_name
from tests.engine.harness import T0, WF, N, check_nodes, check_workflow, drive, load, manifest

LIB = load("""
entrypoint: pair
arguments: {parameters: [{name: who, value: lib}, {name: extra, value: from-template}]}
templates:
- name: hello
  inputs: {parameters: [{name: msg, default: hi}]}
  container: {image: alpine, args: ["{{inputs.parameters.msg}}", "{{workflow.parameters.who}}"]}
- name: pair
  steps: [[{name: one, template: hello}]]
""")
ENV = EngineEnv(workflow_templates={"namespaced/lib": LIB, "cluster/clib": LIB})

REF = """
arguments: {{parameters: [{{name: who, value: me}}]}}
templates:
- name: main
  steps:
  - - name: a
      templateRef: {{name: {name}, template: pair{cluster}}}
"""


@pytest.mark.parametrize(("name", "cluster", "scope"), [
    ("lib", "", "namespaced/lib"), ("clib", ", clusterScope: true", "cluster/clib"),
])
def test_template_ref_resolution(name: str, cluster: str, scope: str) -> None:
    run = drive(REF.format(name=name, cluster=cluster), env=ENV)
    check_workflow(run, "Succeeded")
    a = run.node("wf[0].a")
    assert (a.type, a.template_ref) == ("Steps", {"name": name, "template": "pair", **(
        {"clusterScope": True} if cluster else {})})
    one = run.node("wf[0].a[0].one")
    assert (one.template_name, one.template_scope) == ("hello", scope)
    assert run.node("wf[0].a[0]").template_scope == scope
    assert set(run.state.stored_templates) == {f"{scope}/pair"}
    assert run.request("wf[0].a[0].one").template["container"]["args"] == ["hi", "me"]


def test_template_ref_pod_name_uses_the_referenced_template() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, templateRef: {name: lib, template: hello}}]]
    """, env=ENV)
    assert run.request("wf[0].a").pod_name == pod_name(WF, "wf[0].a", "hello")
    assert run.node("wf[0].a").template_ref == {"name": "lib", "template": "hello"}


def test_missing_template_ref_errors_the_step() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, templateRef: {name: nope, template: hello}}]]
    """, env=ENV)
    check_nodes(run, {"wf[0].a": N("Skipped", "Error", 'WorkflowTemplate.argoproj.io "nope" not found')})
    check_workflow(run, "Failed")


def test_local_template_scope_names_the_workflow() -> None:
    run = drive(REF.format(name="lib", cluster=""), env=ENV)
    assert run.node("wf").template_scope == "local/wf"
    assert run.node("wf[0].a").template_scope == "local/wf"


def test_workflow_template_ref_with_stored_spec() -> None:
    body = manifest({"workflowTemplateRef": {"name": "lib"},
                     "arguments": {"parameters": [{"name": "who", "value": "caller"}]}})
    state = new_workflow(body, name=WF).with_(stored_workflow_template_spec=LIB)
    run = drive({}, env=ENV, state=state)
    check_workflow(run, "Succeeded")
    assert run.node("wf").template_name == "pair"
    assert run.request("wf[0].one").template["container"]["args"] == ["hi", "caller"]
    assert run.state.stored_workflow_template_spec == LIB
    assert run.status()["storedWorkflowTemplateSpec"] == LIB


def test_workflow_template_ref_resolved_from_env() -> None:
    run = drive({"workflowTemplateRef": {"name": "lib"}}, env=ENV)
    check_workflow(run, "Succeeded")
    assert run.state.stored_workflow_template_spec == LIB


def test_template_defaults_merge_by_type() -> None:
    run = drive("""
    templateDefaults:
      timeout: 30s
      metadata: {labels: {team: data}}
      container: {imagePullPolicy: Always, env: [{name: FROM, value: defaults}]}
    templates:
    - name: main
      steps: [[{name: a, template: c}, {name: b, template: s}, {name: own, template: own}]]
    - name: own
      metadata: {labels: {team: mine}}
      container: {image: alpine, imagePullPolicy: Never}
    """)
    a, b, own = (run.request(f"wf[0].{n}").template for n in ("a", "b", "own"))
    assert a["container"]["imagePullPolicy"] == "Always"
    assert a["container"]["env"] == [{"name": "FROM", "value": "defaults"}]
    assert a["container"]["image"] == "alpine"
    assert a["timeout"] == "30s" and a["metadata"] == {"labels": {"team": "data"}}
    assert "container" not in b and b["metadata"] == {"labels": {"team": "data"}}
    assert own["container"]["imagePullPolicy"] == "Never"
    assert own["metadata"] == {"labels": {"team": "mine"}}
    assert run.request("wf[0].a").deadline == "2024-01-01T00:00:30Z"


def test_pod_spec_patch_reaches_the_pod_request() -> None:
    run = drive("""
    podSpecPatch: '{"terminationGracePeriodSeconds": 5}'
    templates:
    - name: main
      steps:
      - - name: a
          template: big
          arguments: {parameters: [{name: mem, value: 1Gi}]}
    - name: big
      inputs: {parameters: [{name: mem}]}
      podSpecPatch: '{"containers":[{"name":"main","resources":{"limits":{"memory":"{{inputs.parameters.mem}}"}}}]}'
      container: {image: alpine}
    """)
    request = run.request("wf[0].a")
    patch = json.loads(request.template["podSpecPatch"])
    assert patch["containers"][0]["resources"]["limits"]["memory"] == "1Gi"
    assert request.workflow_spec["podSpecPatch"] == '{"terminationGracePeriodSeconds": 5}'
    assert "templates" not in request.workflow_spec


GLOBALS = """
arguments:
  parameters:
  - {name: plain, value: v1}
  - {name: fromcm, valueFrom: {configMapKeyRef: {name: settings, key: colour}}}
  - {name: fallback, valueFrom: {configMapKeyRef: {name: absent, key: k}, default: dflt}}
templates:
- name: main
  steps: [[{name: a, template: show}]]
- name: show
  container:
    image: alpine
    args:
    - "{{workflow.parameters.plain}}"
    - "{{workflow.parameters.fromcm}}"
    - "{{workflow.parameters.fallback}}"
    - "{{workflow.name}}/{{workflow.namespace}}/{{workflow.mainEntrypoint}}"
    - "{{workflow.creationTimestamp}}|{{workflow.creationTimestamp.Y}}-{{workflow.creationTimestamp.m}}"
    - "{{workflow.creationTimestamp.s}}|{{workflow.creationTimestamp.RFC3339}}"
    - "{{workflow.parameters.json}}"
    - "{{=workflow.parameters.plain + '!'}}"
    - "{{workflow.unknown}}"
"""


def test_global_variables() -> None:
    run = drive(GLOBALS, env=EngineEnv(config_maps={"settings": {"colour": "blue"}}), start=T0)
    args = run.request("wf[0].a").template["container"]["args"]
    assert args[:6] == ["v1", "blue", "dflt", "wf/argo/main", "2024-01-01T00:00:00Z|2024-01", "1704067200|2024-01-01T00:00:00Z"]
    params = json.loads(args[6])
    assert params[0] == {"name": "plain", "value": "v1"}
    assert params[1]["name"] == "fromcm" and "valueFrom" in params[1]
    assert args[7:] == ["v1!", "{{workflow.unknown}}"]


@pytest.mark.parametrize(("maps", "message"), [
    ({}, "failed to set global parameters: failed to set global parameter fromcm from configmap with name "
         'settings and key colour: ConfigMap "settings" not found'),
    ({"settings": {}}, "failed to set global parameters: failed to set global parameter fromcm from configmap "
                       'with name settings and key colour: ConfigMap "settings" does not have the key "colour"'),
])
def test_missing_config_map_fails_the_workflow(maps: dict[str, Any], message: str) -> None:
    run = drive(GLOBALS, env=EngineEnv(config_maps=maps))
    check_workflow(run, "Failed", message)
    assert run.started == []


def test_input_parameter_from_config_map() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, template: t}]]
    - name: t
      inputs:
        parameters:
        - {name: x, valueFrom: {configMapKeyRef: {name: settings, key: colour}}}
        - {name: y, valueFrom: {configMapKeyRef: {name: nothere, key: k}, default: dy}}
      container: {image: alpine, args: ["{{inputs.parameters.x}}", "{{inputs.parameters.y}}"]}
    """, env=EngineEnv(config_maps={"settings": {"colour": "red"}}))
    assert run.request("wf[0].a").template["container"]["args"] == ["red", "dy"]


NODE_CONTEXT_NAMES = """
onExit: bye
templates:
- name: main
  steps:
  - - name: first
      template: show
      arguments: {parameters: [{name: v, value: "outer=[{{steps.name}}]"}]}
  - - name: inner
      template: dag
- name: dag
  dag:
    tasks:
    - {name: t, template: show, arguments: {parameters: [{name: v, value: "task"}]}}
- name: show
  inputs: {parameters: [{name: v}]}
  container: {image: alpine, args: ["{{inputs.parameters.v}} steps=[{{steps.name}}]"]}
- name: bye
  container: {image: alpine, args: ["exit steps=[{{steps.name}}]"]}
"""


def test_steps_name_is_set_for_every_holder_but_a_dag_task() -> None:
    """Argo's executeTemplate sets steps.name when the holder is a WorkflowStep: a step (its name)
    and also the entrypoint, onExit and hooks, which are ``WorkflowStep{Template: ...}`` with no
    name, so ``{{steps.name}}`` there is "" (examples/variables-showcase.yaml uses it in the
    entrypoint's step arguments). A DAG task sets tasks.name instead and leaves steps.name alone."""
    run = drive(NODE_CONTEXT_NAMES)
    check_workflow(run, "Succeeded")
    assert run.request("wf[0].first").template["container"]["args"] == ["outer=[] steps=[first]"]
    assert run.request("wf[1].inner.t").template["container"]["args"] == ["task steps=[{{steps.name}}]"]
    assert run.request("wf.onExit").template["container"]["args"] == ["exit steps=[]"]
