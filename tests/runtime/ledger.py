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
