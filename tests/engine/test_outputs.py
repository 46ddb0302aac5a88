"""Output parameters, globalName, steps/DAG template outputs, loop aggregation, result capture."""

from __future__ import annotations

from typing import Any

import pytest

from tests.engine.harness import FAIL, N, Pod, arg, check_nodes, check_workflow, drive, outputs, param, xfail


def test_output_parameter_from_path_loses_one_trailing_newline() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, template: out}]]
    """, {"*.a": Pod(params={"v": "line\n\n"})})
    assert param(run.node("wf[0].a"), "v") == "line\n"
    assert outputs(run.node("wf[0].a"))["exitCode"] == "0"


def test_global_name_exports_to_status_outputs_and_later_steps() -> None:
    run = drive("""
    templates:
    - name: main
      steps:
      - - {name: a, template: g}
      - - name: b
          template: p
          arguments: {parameters: [{name: msg, value: "{{workflow.outputs.parameters.answer}}"}]}
    - name: g
      outputs: {parameters: [{name: v, globalName: answer, valueFrom: {path: /tmp/v}}]}
      container: {image: alpine}
    """, {"*.a": Pod(params={"v": "42"})})
    check_workflow(run, "Succeeded")
    assert run.status()["outputs"] == {"parameters": [{"name": "answer", "value": "42"}]}
    assert arg(run.node("wf[1].b")) == "42"


STEPS_OUTPUTS = """
templates:
- name: main
  steps:
  - - {name: a, template: out}
  - - {name: b, template: out, when: "false"}
  outputs:
    parameters:
    - {name: from-a, valueFrom: {parameter: "{{steps.a.outputs.parameters.v}}"}}
    - {name: expr, valueFrom: {expression: "steps.a.outputs.parameters.v + '!'"}}
    - {name: skipped, valueFrom: {parameter: "{{steps.b.outputs.parameters.v}}", default: fallback}}
"""

DAG_OUTPUTS = """
templates:
- name: main
  dag:
    tasks:
    - {name: flip, template: s}
    - {name: heads, template: s, depends: flip, when: "{{tasks.flip.outputs.result}} == heads"}
    - {name: tails, template: s, depends: flip, when: "{{tasks.flip.outputs.result}} == tails"}
  outputs:
    parameters:
    - name: stepresult
      valueFrom:
        expression: "tasks['flip'].outputs.result == 'heads' ? tasks.heads.outputs.result : tasks.tails.outputs.result"
"""


def test_steps_template_outputs_parameter_expression_and_skipped_default() -> None:
    run = drive(STEPS_OUTPUTS, {"*.a": Pod(params={"v": "A"})})
    check_workflow(run, "Succeeded")
    root = run.node("wf")
    assert root.outputs == {"parameters": [{"name": "from-a", "value": "A"}, {"name": "expr", "value": "A!"},
                                           {"name": "skipped", "value": "fallback"}]}


@pytest.mark.parametrize(("flip", "expected"), [("heads", "it was heads"), ("tails", "it was tails")])
def test_dag_outputs_expression_conditional(flip: str, expected: str) -> None:
    run = drive(DAG_OUTPUTS, {"wf.flip": Pod(stdout=flip + "\n"), "wf.heads": Pod(stdout="it was heads"),
                              "wf.tails": Pod(stdout="it was tails")})
    check_workflow(run, "Succeeded")
    assert run.node("wf").outputs == {"parameters": [{"name": "stepresult", "value": expected}]}


AGGREGATE = """
templates:
- name: main
  steps:
  - - name: L
      template: {producer}
      arguments: {{parameters: [{{name: msg, value: "{{{{item}}}}"}}]}}
      withItems: [x, y, z]
      continueOn: {{failed: true}}
  - - name: use
      template: p
      arguments: {{parameters: [{{name: msg, value: "{{{{steps.L.outputs.{what}}}}}"}}]}}
- name: gen
  inputs: {{parameters: [{{name: msg}}]}}
  outputs: {{parameters: [{{name: v, valueFrom: {{path: /tmp/v}}}}, {{name: w, valueFrom: {{path: /tmp/w}}}}]}}
  container: {{image: alpine}}
- name: sgen
  inputs: {{parameters: [{{name: msg}}]}}
  outputs: {{parameters: [{{name: v, valueFrom: {{path: /tmp/v}}}}, {{name: w, valueFrom: {{path: /tmp/w}}}}]}}
  script: {{image: python, command: [python], source: "print('text')"}}
"""


def agg(what: str, producer: str = "gen") -> str:
    return AGGREGATE.format(what=what, producer=producer)


FILES = {"*(0:x)": Pod(params={"v": "1", "w": "a"}, stdout="1\n"),
         "*(1:y)": Pod(params={"v": "2", "w": "b"}, stdout='{"k": "v"}'),
         "*(2:z)": Pod(params={"v": "3", "w": "c"}, stdout="[3]")}

# (spec, pods, value the consumer receives)
AGGREGATION: list[Any] = [
    pytest.param(agg("parameters.v"), FILES, '["1","2","3"]', id="parameter-values-list"),
    pytest.param(agg("parameters"), FILES, '[{"v":"1","w":"a"},{"v":"2","w":"b"},{"v":"3","w":"c"}]',
                 id="parameters-list-of-maps"),
    pytest.param(agg("result"), FILES, '[1,{"k":"v"},[3]]', id="results-parsed-as-json"),
    pytest.param(agg("parameters.v"), {**FILES, "*(1:y)": FAIL}, '["1","3"]', id="only-succeeded-children"),
    pytest.param(agg("parameters.v"), {"*(0:x)": Pod(params={"v": '{"a":1}', "w": "a"}),
                                       "*(1:y)": Pod(params={"v": "[2]", "w": "b"}),
                                       "*(2:z)": Pod(params={"v": '{"c":3}', "w": "c"})},
                 '[{"a":1},[2],{"c":3}]', id="json-values-embedded"),
    pytest.param(agg("parameters.v"), {"*(0:x)": Pod(params={"v": '{"a":1}', "w": "a"}),
                                       "*(1:y)": Pod(params={"v": "plain", "w": "b"}),
                                       "*(2:z)": Pod(params={"v": "3", "w": "c"})},
                 '["{\\"a\\":1}","plain","3"]', id="mixed-values-stay-strings"),
    pytest.param(agg("parameters.v", "sgen"), {"*": Pod(params={"v": "1", "w": "a"}, stdout="text\n")},
                 '["1","1","1"]', id="unreferenced-script-text-result-is-not-aggregated"),
]


@pytest.mark.parametrize(("spec", "pods", "value"), AGGREGATION)
def test_loop_aggregation_table(spec: str, pods: dict[str, Pod], value: str) -> None:
    run = drive(spec, pods)
    check_workflow(run, "Succeeded")
    assert arg(run.node("wf[1].use")) == value


def test_dag_aggregation_of_task_group() -> None:
    run = drive("""
    templates:
    - name: main
      dag:
        tasks:
        - name: L
          template: gen
          arguments: {parameters: [{name: msg, value: "{{item}}"}]}
          withItems: [x, y]
        - name: use
          depends: L
          template: p
          arguments: {parameters: [{name: msg, value: "{{tasks.L.outputs.parameters.v}}"}]}
    - name: gen
      inputs: {parameters: [{name: msg}]}
      outputs: {parameters: [{name: v, valueFrom: {path: /tmp/v}}]}
      container: {image: alpine}
    """, {"*(0:x)": Pod(params={"v": "p"}), "*(1:y)": Pod(params={"v": "q"})})
    assert arg(run.node("wf.use")) == '["p","q"]'


def test_non_json_loop_result_errors_the_workflow() -> None:
    """processAggregateNodeOutputs fails on a non-JSON result; executeTemplate marks the node Error."""
    run = drive(agg("result"), {"*": Pod(params={"v": "1", "w": "a"}, stdout="not json")})
    assert run.maybe("wf[1].use") is None
    assert run.node("wf").phase == "Error"
    check_workflow(run, "Error")


def capture(producer: str, consumer_ref: str, kind: str = "steps") -> str:
    if kind == "steps":
        return f"""
templates:
- name: main
  steps:
  - - {{name: a, template: {producer}}}
  - - {{name: b, template: p, arguments: {{parameters: [{{name: msg, value: "{consumer_ref}"}}]}}}}
"""
    return f"""
templates:
- name: main
  dag:
    tasks:
    - {{name: a, template: {producer}}}
    - {{name: b, template: p, depends: a, arguments: {{parameters: [{{name: msg, value: "{consumer_ref}"}}]}}}}
"""


RETRY_TEMPLATE = """- name: r
  retryStrategy: {limit: 1}
  container: {image: alpine}
"""

LOOP_CAPTURE = """
templates:
- name: main
  dag:
    tasks:
    - {name: L, template: c, withItems: [x], when: "'{{item}}' != ''"}
    - {name: b, template: p, depends: L, arguments: {parameters: [{name: msg, value: "{{tasks.L.outputs.result}}"}]}}
"""

# (spec, node, capture expected)
CAPTURE: list[Any] = [
    pytest.param(capture("c", "{{steps.a.outputs.result}}"), "wf[0].a", True, id="container-referenced"),
    pytest.param(capture("c", "none"), "wf[0].a", False, id="container-not-referenced"),
    pytest.param(capture("c", "{{=steps['a'].outputs.result}}"), "wf[0].a", True, id="expression-index-form"),
    pytest.param(capture("c", "{{tasks.a.outputs.result}}", "dag"), "wf.a", True, id="dag-referenced"),
    pytest.param(capture("c", "{{tasks.a.outputs.parameters.x}}", "dag"), "wf.a", False, id="dag-other-output"),
    pytest.param(capture("s", "{{steps.a.outputs.result}}"), "wf[0].a", True, id="script-referenced"),
    pytest.param(capture("s", "none"), "wf[0].a", False, id="script-not-referenced"),
    pytest.param(capture("r", "{{steps.a.outputs.result}}") + RETRY_TEMPLATE, "wf[0].a(0)", True,
                 id="retry-attempt-referenced-by-step-name"),
    pytest.param(LOOP_CAPTURE, "wf.L(0:x)", True, id="loop-child-referenced-by-task-name"),
    pytest.param("entrypoint: s", "wf", False, id="entrypoint-pod-never-captures", marks=xfail(
        "deliberate, documented in pods.execute_pod: a pod entrypoint captures stdout; Argo's "
        "includeScriptOutput returns false when boundaryID is empty")),
]


@pytest.mark.parametrize(("spec", "node", "wanted"), CAPTURE)
def test_result_capture_rule(spec: str, node: str, wanted: bool) -> None:
    run = drive(spec, {"*": Pod(stdout="out\n")})
    request = run.request(node)
    assert request.capture_result is wanted
    assert dict(request.env)["ARGO_INCLUDE_SCRIPT_OUTPUT"] == ("true" if wanted else "false")
    result = (run.node(node).outputs or {}).get("result")
    assert result == ("out" if wanted else None)


def test_steps_template_global_output() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, template: out}]]
      outputs:
        parameters:
        - {name: r, globalName: final, valueFrom: {parameter: "{{steps.a.outputs.parameters.v}}"}}
    """, {"wf[0].a": Pod(params={"v": "done"})})
    assert run.status()["outputs"] == {"parameters": [{"name": "final", "value": "done"}]}
    assert run.node("wf").outputs == {"parameters": [{"name": "r", "globalName": "final", "value": "done"}]}


def test_result_reaches_consumer() -> None:
    run = drive(capture("c", "{{steps.a.outputs.result}}"), {"*.a": Pod(stdout="hello\n")})
    assert arg(run.node("wf[1].b")) == "hello"


SKIPPED_PRODUCER = """
templates:
- name: main
  steps:
  - - {{name: a, template: {producer}, when: "false"}}
  - - name: b
      template: q
      arguments: {{parameters: [{{name: msg, value: "{{{{steps.a.outputs.parameters.v}}}}"}}]}}
- name: q
  inputs: {{parameters: [{{name: msg, {default}}}]}}
  container: {{image: alpine, args: ["{{{{inputs.parameters.msg}}}}"]}}
- name: outd
  outputs: {{parameters: [{{name: v, valueFrom: {{path: /tmp/v, default: producer-default}}}}]}}
  container: {{image: alpine}}
"""

# (producer, consumer input default, expected consumer value or None for an error)
SKIPPED: list[Any] = [
    pytest.param("outd", "default: d", "producer-default", id="producer-default-wins"),
    pytest.param("out", "default: consumer-default", "consumer-default", id="absent-arg-dropped-consumer-default"),
    pytest.param("out", "description: none", None, id="absent-without-any-default-errors"),
]


@pytest.mark.parametrize(("producer", "default", "expected"), SKIPPED)
def test_skipped_producer_outputs(producer: str, default: str, expected: str | None) -> None:
    run = drive(SKIPPED_PRODUCER.format(producer=producer, default=default))
    check_nodes(run, {"wf[0].a": N("Skipped", "Skipped")})
    if expected is None:
        node = run.node("wf[1].b")
        assert node.phase == "Error"
        check_workflow(run, "Failed")
        return
    check_workflow(run, "Succeeded")
    assert run.request("wf[1].b").template["container"]["args"] == [expected]


def test_missing_output_file_takes_the_declared_default() -> None:
    run = drive("""
    templates:
    - name: main
      steps: [[{name: a, template: d}]]
    - name: d
      outputs: {parameters: [{name: v, valueFrom: {path: /tmp/none, default: fallback}}]}
      container: {image: alpine}
    """)
    assert param(run.node("wf[0].a"), "v") == "fallback"
    check_workflow(run, "Succeeded")


SUBPATH = """
templates:
- name: main
  steps:
  - - {name: gen, template: out}
  - - name: use
      template: consume
      arguments:
        artifacts:
        - {name: message, from: "{{steps.gen.outputs.artifacts.art}}", subPath: "{{workflow.name}}/hello.txt"}
    - name: http
      template: consume
      arguments:
        artifacts:
        - {name: message, from: "{{steps.gen.outputs.artifacts.web}}", subPath: sub/x.txt}
    - name: whole
      template: consume
      arguments:
        artifacts:
        - {name: message, from: "{{steps.gen.outputs.artifacts.art}}"}
- name: out
  container: {image: alpine}
  outputs: {artifacts: [{name: art, path: /tmp/}, {name: web, path: /tmp/w}]}
- name: consume
  inputs: {artifacts: [{name: message, path: /tmp/message}]}
  container: {image: alpine}
"""


def test_artifact_argument_subpath_is_appended_to_the_key() -> None:
    """Argo's ``resolveArtifact`` (scope.go): ``subPath`` is templated, then ``AppendToKey``
    joins it to the source artifact's key (examples/artifact-passing-subpath.yaml)."""
    produced = [{"name": "art", "path": "/tmp", "s3": {"key": "wf/pod/tmp"}},
                {"name": "web", "path": "/tmp/w", "http": {"url": "https://example.com/base/dir?x=1"}}]
    run = drive(SUBPATH, {"*.gen": Pod(artifacts=produced)})
    check_workflow(run, "Succeeded")
    use = run.node("wf[1].use").inputs["artifacts"][0]
    assert use["s3"] == {"key": "wf/pod/tmp/wf/hello.txt"}
    assert "subPath" not in use
    assert run.node("wf[1].http").inputs["artifacts"][0]["http"] == {"url": "https://example.com/base/dir/sub/x.txt?x=1"}
    assert run.node("wf[1].whole").inputs["artifacts"][0]["s3"] == {"key": "wf/pod/tmp"}
    assert run.node("wf[0].gen").outputs["artifacts"][0]["s3"] == {"key": "wf/pod/tmp"}  # the source is not changed
