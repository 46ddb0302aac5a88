"""The crash-safety tests' workflow: three steps that each append their name to a ledger file on
the host (a hostPath volume), so a test can count how often every step ran."""

from __future__ import annotations

from pathlib import Path

_WORKFLOW = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: {name}
spec:
  entrypoint: main
  volumes:
    - name: ledger
      hostPath: {{path: {ledger}}}
  templates:
    - name: main
      steps:
        - - {{name: one, template: mark, arguments: {{parameters: [{{name: id, value: one}}]}}}}
        - - {{name: two, template: mark, arguments: {{parameters: [{{name: id, value: two}}]}}}}
        - - {{name: three, template: mark, arguments: {{parameters: [{{name: id, value: three}}]}}}}
    - name: mark
      inputs: {{parameters: [{{name: id}}]}}
      container:
        image: alpine:3.23
        command: [sh, -c]
        args: ["echo {{{{inputs.parameters.id}}}} >> /ledger/runs; sleep {sleep}; exit {code}"]
        volumeMounts: [{{name: ledger, mountPath: /ledger}}]
"""


def ledger_workflow(name: str, ledger: Path | str, *, sleep: float = 1.5, code: int = 0) -> str:
    """The manifest; each step runs ``sleep`` seconds and exits ``code``; the ledger is
    ``<ledger>/runs``."""
    return _WORKFLOW.format(name=name, ledger=ledger, sleep=sleep, code=code)


# The kill matrix's workflow: twelve steps (steps, a DAG, a loop, a retried step, passed outputs).
# Each execution appends one line to the ledger; the retried step fails its first attempt only
# (a marker on the ledger volume says it already failed), so a finished run's ledger is exactly
# ``TWELVE_STEP_LEDGER``: anything run twice, skipped or given a wrong input shows there.
_TWELVE = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  name: {name}
spec:
  entrypoint: main
  volumes:
    - name: ledger
      hostPath: {{path: {ledger}}}
  templates:
    - name: main
      steps:
        - - {{name: a, template: mark, arguments: {{parameters: [{{name: id, value: a}}]}}}}
        - - name: b
            template: mark
            arguments: {{parameters: [{{name: id, value: "b:{{{{steps.a.outputs.parameters.out}}}}"}}]}}
          - {{name: c, template: mark, arguments: {{parameters: [{{name: id, value: c}}]}}}}
        - - name: loop
            template: mark
            arguments: {{parameters: [{{name: id, value: "l{{{{item}}}}"}}]}}
            withItems: [1, 2, 3]
        - - {{name: flaky, template: flaky}}
        - - {{name: graph, template: graph}}
        - - name: end
            template: mark
            arguments:
              parameters: [{{name: id, value: "end:{{{{steps.graph.outputs.parameters.joined}}}}"}}]
    - name: graph
      dag:
        tasks:
          - {{name: x, template: mark, arguments: {{parameters: [{{name: id, value: x}}]}}}}
          - name: y
            depends: x
            template: mark
            arguments: {{parameters: [{{name: id, value: "y:{{{{tasks.x.outputs.parameters.out}}}}"}}]}}
          - {{name: z, depends: x, template: mark, arguments: {{parameters: [{{name: id, value: z}}]}}}}
          - name: w
            depends: y && z
            template: mark
            arguments:
              parameters:
                - name: id
                  value: "w:{{{{tasks.y.outputs.parameters.out}}}}+{{{{tasks.z.outputs.parameters.out}}}}"
      outputs:
        parameters:
          - name: joined
            valueFrom: {{parameter: "{{{{tasks.w.outputs.parameters.out}}}}"}}
    - name: mark
      inputs: {{parameters: [{{name: id}}]}}
      outputs:
        parameters:
          - name: out
            valueFrom: {{path: /tmp/out}}
      container:
        image: alpine:3.23
        command: [sh, -c]
        args: ["echo '{{{{inputs.parameters.id}}}}' >> /ledger/runs; echo -n 'out-{{{{inputs.parameters.id}}}}' > /tmp/out; sleep {sleep}"]
        volumeMounts: [{{name: ledger, mountPath: /ledger}}]
    - name: flaky
      retryStrategy: {{limit: 2, retryPolicy: Always}}
      container:
        image: alpine:3.23
        command: [sh, -c]
        args: ["echo f >> /ledger/runs; sleep {sleep}; if [ -e /ledger/failed-once ]; then exit 0; fi; touch /ledger/failed-once; exit 1"]
        volumeMounts: [{{name: ledger, mountPath: /ledger}}]
"""

TWELVE_STEP_LEDGER = sorted([
    "a", "b:out-a", "c", "l1", "l2", "l3", "f", "f", "x", "y:out-x", "z", "w:out-y:out-x+out-z",
    "end:out-w:out-y:out-x+out-z",
])


def twelve_step_workflow(name: str, ledger: Path | str, *, sleep: float = 0.2) -> str:
    """Twelve steps (thirteen executions: the retried step runs twice); ledger ``<ledger>/runs``."""
    return _TWELVE.format(name=name, ledger=ledger, sleep=sleep)
