"""Substitution, ``depends`` and identifier vectors.

Sources: Argo ``util/template/*_test.go`` (Replace, ReplaceStrict, nil coalescing, getIdentifiers),
``docs/variables.md``, ``docs/enhanced-depends-logic.md``, ``workflow/common/ancestry.go``.
"""

from __future__ import annotations

from typing import Any

V: dict[str, Any] = {
    "workflow.name": "wf-1", "inputs.parameters.message": 'say "hi"\nnow', "inputs.parameters.n": "3",
    "steps.flip.outputs.result": "heads", "tasks.A.outputs.result": "{{workflow.name}}", "item": "x",
    "item.name": "a", "steps.p.outputs.parameters.msg": None, "inputs.parameters.my-param": "7",
    "workflow.status": "Succeeded", "workflow.parameters.json": '[{"name":"a","value":"1"}]',
}

# (text, variables, strict prefixes, json mode, expected)
SUBST_VECTORS: list[tuple[str, dict[str, Any], tuple[str, ...], bool, str]] = [
    ("{{workflow.name}}", V, (), False, "wf-1"),
    ("{{ workflow.name }}", V, (), False, "wf-1"),
    ("a-{{workflow.name}}-b", V, (), False, "a-wf-1-b"),
    ("{{inputs.parameters.message}}", V, (), False, 'say "hi"\nnow'),
    ("{{inputs.parameters.message}}", V, (), True, 'say \\"hi\\"\\nnow'),
    ("{{unknown.var}}", V, (), False, "{{unknown.var}}"),
    ("{{ unknown.var }}", V, (), False, "{{ unknown.var }}"),
    ("{{steps.missing.outputs.result}}", V, ("tasks",), False, "{{steps.missing.outputs.result}}"),
    ("{{tasks.A.outputs.artifacts.x}}", V, ("tasks",), False, "{{tasks.A.outputs.artifacts.x}}"),
    ("{{tasks.A.outputs.result}}", V, (), False, "{{workflow.name}}"),  # never evaluated twice
    ("{{=tasks.A.outputs.result}}", V, (), False, "{{workflow.name}}"),
    ("{{item}}", V, (), False, "x"),
    ("{{item.name}}", V, (), False, "a"),
    ("no tags at all", V, (), False, "no tags at all"),
    ("{{workflow.name}}{{workflow.name}}", V, (), False, "wf-1wf-1"),
    ("{{a{{workflow.name}}}}", V, (), False, "{{awf-1}}"),
    ("{}{{workflow.name}}}", V, (), False, "{}wf-1}"),
    ("{{=1 + 1}}", V, (), False, "2"),
    ("{{= 1 + 1 }}", V, (), False, "2"),
    ("{{=asInt(inputs.parameters.n) * 10}}", V, (), False, "30"),
    ("{{=inputs.parameters['my-param']}}", V, (), False, "7"),
    ("{{=toJson(filter([1, 3], {# > 1}))}}", V, (), False, "[3]"),
    ("{{=[1, 2]}}", V, (), False, "[1,2]"),
    ("{{=[1, 2]}}", V, (), True, "[1,2]"),
    ("{{={a: 'x'} }}", V, (), True, '{\\"a\\":\\"x\\"}'),
    ("{{=1.5 * 2}}", V, (), False, "3"),
    ("{{=true}}", V, (), False, "true"),
    ("{{='<b>'}}", V, (), False, "<b>"),
    ("{{=['<b>']}}", V, (), False, '["\\u003cb\\u003e"]'),
    ("{{=steps.p.outputs.parameters.msg ?? 'fallback'}}", V, (), False, "fallback"),
    ("{{=steps.p.outputs.parameters.msg}}", V, (), False, "{{=steps.p.outputs.parameters.msg}}"),
    ("{{=item}}", {}, (), False, "{{=item}}"),
    ("{{=sprig.int(retries)}}", {}, (), False, "{{=sprig.int(retries)}}"),
    ("{{=workflow.status == 'Succeeded' ? 'OK' : 'KO'}}", V, (), False, "OK"),
    ("{{=workflow.status == 'Succeeded' ? 'OK' : 'KO'}}", {}, (), False,
     "{{=workflow.status == 'Succeeded' ? 'OK' : 'KO'}}"),
    ("{{=unknownThing + 1}}", V, (), False, "{{=unknownThing + 1}}"),
    ("{{=asInt('x')}}", V, (), False, "{{=asInt('x')}}"),
    ('{{=workflow.status == \\"Succeeded\\"}}', V, (), True, "true"),
    ("{{=jsonpath(workflow.parameters.json, '$[0].value')}}", V, (), False, "1"),
    ("{{=sprig.dig('status', nil, workflow)}}", {"workflow.status": "Succeeded"}, ("",), False, "Succeeded"),
    ("{{= item.optionalKey ?? 'fallback' }}", {"item": {"name": "b"}}, ("item",), False, "fallback"),
    ("{{= item['optionalKey'] ?? 'fallback' }}", {"item": {"optionalKey": "v"}}, ("item",), False, "v"),
    ("{{= item?.optionalKey ?? 'fallback' }}", {"item": {"name": "b"}}, ("item",), False, "fallback"),
    ("{{foo}}", {"foo": "bar"}, ("",), False, "bar"),
    ("{{=foo}}", {"foo": "bar"}, ("",), False, "bar"),
]

# (text, variables, strict prefixes, json mode, substring of the error)
SUBST_ERRORS: list[tuple[str, dict[str, Any], tuple[str, ...], bool, str]] = [
    ("{{", V, (), False, 'cannot find end tag "}}"'),
    ("{{foo}}", {}, ("",), False, "failed to resolve {{foo}}"),
    ("{{steps.missing.outputs.result}}", V, ("steps",), False, "failed to resolve {{steps.missing.outputs.result}}"),
    ("{{ steps.missing.outputs.result }}", V, ("steps",), False, "failed to resolve {{ steps.missing.outputs.result }}"),
    ("{{tasks.A.outputs.artifacts.x}}", V, ("",), False, "failed to resolve"),
    ("{{steps.p.outputs.parameters.msg}}", V, (), False, "output is an absent optional"),
    ("{{inputs.artifacts.a}}", {"inputs.artifacts.a": {"s3": {}}}, (), False, "to string"),
    ("{{=foo}}", {}, ("",), False, "failed to evaluate expression: foo is missing"),
    ("{{=steps.x.outputs.result}}", {}, ("steps",), False, "failed to evaluate expression: steps is missing"),
    ("{{=!}}", {}, (), False, "failed to evaluate expression"),
    ("{{=1 +}}", {}, (), False, "failed to evaluate expression"),
    ("{{=asInt('x')}}", {}, ("",), False, "invalid operation: int(x)"),
    ("{{=nil ?? nil}}", {}, ("",), False, "failed to evaluate expression"),
    ("{{=workflow.status == 'x'}}", {}, ("",), False, "workflow is missing"),
    ("{{={a: 'x'}}}", V, (), False, "failed to evaluate expression"),  # the first }} ends the tag
]

# (depends, results, expected)
OK = {"Succeeded": True}
FAILED = {"Failed": True}
SKIPPED = {"Skipped": True}
OMITTED = {"Omitted": True}
ERRORED = {"Errored": True}
DEPENDS_VECTORS: list[tuple[str, dict[str, dict[str, bool]], bool]] = [
    ("A", {"A": OK}, True), ("A", {"A": SKIPPED}, True), ("A", {"A": {"Daemoned": True}}, True),
    ("A", {"A": FAILED}, False), ("A", {"A": OMITTED}, False), ("A", {"A": ERRORED}, False),
    ("A && B", {"A": OK, "B": OK}, True), ("A && B", {"A": OK, "B": FAILED}, False), ("A || B", {"A": FAILED, "B": OK}, True),
    ("A.Failed", {"A": FAILED}, True), ("A.Succeeded", {"A": FAILED}, False), ("!A.Failed", {"A": OK}, True),
    ("A.Omitted", {"A": OMITTED}, True), ("A.Skipped", {"A": OMITTED}, False), ("A.Errored", {"A": ERRORED}, True),
    ("(task-2.Succeeded || task-2.Skipped) && !task-3.Failed", {"task-2": SKIPPED, "task-3": OK}, True),
    ("(task-2.Succeeded || task-2.Skipped) && !task-3.Failed", {"task-2": OK, "task-3": FAILED}, False),
    ("task-1.AnySucceeded || task-2.AllFailed", {"task-1": {"AnySucceeded": False}, "task-2": {"AllFailed": True}}, True),
    ("B.Failed && C", {"B": FAILED, "C": OK}, True), ("A && (C.Succeeded || C.Failed)", {"A": OK, "C": FAILED}, True),
    ("should-execute-2.Succeeded || should-not-execute", {"should-execute-2": FAILED, "should-not-execute": SKIPPED}, True),
    ("artifact-producer && (param-producer.Succeeded || param-producer.Skipped)",
     {"artifact-producer": OK, "param-producer": SKIPPED}, True),
    ("inner-B && inner-C", {"inner-B": OK, "inner-C": OMITTED}, False), ("P || F", {"P": OMITTED, "F": OMITTED}, False),
    ("A.Daemoned", {"A": {"Daemoned": True, "Succeeded": False}}, True),
]

# (depends, continueOn per task, expected expansion)
EXPAND_VECTORS: list[tuple[str, dict[str, dict[str, bool]], str]] = [
    ("A", {}, "(A.Succeeded || A.Skipped || A.Daemoned)"),
    ("A && B.Failed", {}, "(A.Succeeded || A.Skipped || A.Daemoned) && B.Failed"),
    ("my-task", {"my-task": {"failed": True}}, "(my-task.Succeeded || my-task.Skipped || my-task.Daemoned || my-task.Failed)"),
    ("A", {"A": {"error": True}}, "(A.Succeeded || A.Skipped || A.Daemoned || A.Errored)"),
]

# (expression, identifiers Argo checks against the environment) -- expression_template_test.go
IDENTIFIER_VECTORS: list[tuple[str, set[str]]] = [
    ("item.requiredKey", {"item", "item.requiredKey"}), ("item.optionalKey ?? 'fallback'", {"item"}),
    ("item['optionalKey'] ?? ''", {"item"}), ("item?.optionalKey", {"item"}), ("item.a?.b", {"item"}),
    ("item.requiredKey + (item.optionalKey ?? 'x')", {"item", "item.requiredKey"}),
    ("tasks.a.outputs.result ?? 'default'", {"tasks"}),
    ("asInt(inputs.parameters.x)", {"asInt", "inputs", "inputs.parameters", "inputs.parameters.x"}),
]
