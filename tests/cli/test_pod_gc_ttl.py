"""podGC and ttlStrategy in local mode, through the CLI: finished pods' directories go as the
strategy says (their logs stay readable, archived in the store), and a workflow whose TTL is over
is deleted by its driver or by the next `list`/`get`."""

from __future__ import annotations

import json

from tests.cli.conftest import Cli

TWO_STEPS = """
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {{name: {name}}}
spec:
  entrypoint: main
  {extra}
  templates:
  - name: main
    steps:
    - - {{name: keep, template: say, arguments: {{parameters: [{{name: keep, value: "yes"}}]}}}}
    - - {{name: drop, template: say, arguments: {{parameters: [{{name: keep, value: "no"}}]}}}}
  - name: say
    inputs: {{parameters: [{{name: keep}}]}}
    metadata: {{labels: {{keep: "{{{{inputs.parameters.keep}}}}"}}}}
    container: {{image: busybox, command: [echo, "keep={{{{inputs.parameters.keep}}}}"]}}
"""


def _pods(cli: Cli) -> set[str]:
    root = cli.home / "namespaces" / "default" / "pods"
    return {p.name for p in root.iterdir() if not p.name.startswith(".")} if root.is_dir() else set()


def test_pod_gc_with_a_label_selector_removes_matching_pods_only(cli: Cli) -> None:
    extra = "podGC: {strategy: OnPodCompletion, labelSelector: {matchLabels: {keep: 'no'}}}"
    cli.ok("submit", cli.write("wf.yaml", TWO_STEPS.format(name="gc", extra=extra)), "--wait")
    pods = {n["displayName"]: n["id"] for n in cli.workflow("gc")["status"]["nodes"].values() if n["type"] == "Pod"}
    left = _pods(cli)
    assert len(left) == 1 and next(iter(left)).startswith("gc-say-")  # the 'keep: yes' pod
    logs = cli.ok("logs", "gc")
    assert "keep=yes" in logs and "keep=no" in logs  # archived logs outlive the pods
    assert set(pods) == {"keep", "drop"}


def test_on_workflow_success_keeps_the_pods_of_a_failed_workflow(cli: Cli) -> None:
    failing = TWO_STEPS.format(name="bad", extra="podGC: {strategy: OnWorkflowSuccess}").replace(
        'command: [echo, "keep={{inputs.parameters.keep}}"]', "command: [sh, -c, 'exit 1']")
    result = cli("submit", cli.write("bad.yaml", failing), "--wait")
    assert result.returncode == 1
    assert len(_pods(cli)) == 1  # the first step failed, so its pod stays for inspection
    cli.ok("submit", cli.write("ok.yaml", TWO_STEPS.format(name="ok", extra="podGC: {strategy: OnWorkflowSuccess}")),
           "--wait")
    assert len(_pods(cli)) == 1  # the succeeded workflow's two pods are gone


def test_ttl_zero_deletes_the_workflow_when_it_completes(cli: Cli) -> None:
    extra = "ttlStrategy: {secondsAfterCompletion: 0}"
    out = cli.ok("submit", cli.write("wf.yaml", TWO_STEPS.format(name="brief", extra=extra)), "--wait", "-o", "name")
    assert out.strip() == "brief"
    assert cli("get", "brief").returncode != 0
    assert json.loads(cli.ok("list", "-o", "json")) == []


def test_an_expired_workflow_is_deleted_by_the_next_list(cli: Cli) -> None:
    extra = "ttlStrategy: {secondsAfterSuccess: 1, secondsAfterFailure: 3600}"
    cli.ok("submit", cli.write("wf.yaml", TWO_STEPS.format(name="short", extra=extra)), "--wait")
    # no `get` first: on a loaded machine the second may already be over, and get deletes it too
    cli.until(lambda: "short" not in cli.ok("list", "-o", "name"), "the TTL to pass and list to delete it")
    assert cli("get", "short").returncode != 0


def test_deleting_a_workflow_removes_its_pods_only(cli: Cli) -> None:
    """As Kubernetes' garbage collector removes a deleted Argo workflow's pods (their owner is gone)."""
    cli.ok("submit", cli.write("a.yaml", TWO_STEPS.format(name="gone", extra="")), "--wait")
    cli.ok("submit", cli.write("b.yaml", TWO_STEPS.format(name="kept", extra="")), "--wait")
    assert len(_pods(cli)) == 4
    cli.ok("delete", "gone")
    left = _pods(cli)
    assert len(left) == 2 and all(name.startswith("kept-") for name in left)


def test_a_workflow_deleted_by_its_ttl_leaves_no_pods(cli: Cli) -> None:
    cli.ok("submit", cli.write("wf.yaml", TWO_STEPS.format(name="brief", extra="ttlStrategy: {secondsAfterCompletion: 0}")),
           "--wait")
    assert _pods(cli) == set()
