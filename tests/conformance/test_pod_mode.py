"""The conformance corpus in pod mode: the real CLI with ``ARGOCTL_BACKEND=kubernetes`` against
the loopback cluster (``python -m tests.fakecluster``, one per test process, with ``tests/bin``
on its PATH so that its kubelet finds ``argosay``/``cowsay``), one fresh namespace per case.

Every case the local harness runs must pass here too, except the explicit xfails below, each
with its reason. State, archive and logs live in ConfigMaps (the ConfigMap store); artifacts go
to the default local repository through the driver, as in local mode.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conformance.corpus import REPO, Case, case_param, load_cases
from tests.conformance.expectations import problems_over_attempts
from tests.conformance.runner import Runner

CASES = load_cases()
STARTUP_TIMEOUT = 60.0

# needs the pod backend cannot meet yet (on top of what the local harness already skips)
POD_BLOCKERS: dict[str, str] = {
    "k8s-api": ("the Kubernetes API beyond resource templates run by the driver (kubectl in pods, a Job "
                "controller, a Workflow controller for created Workflows, the workflow's own pod or Workflow "
                "object)"),
    "tty": "a TTY in the container (the loopback kubelet gives containers none)",
}
# resource-template cases pod mode runs: the driver does the resource action, and the loopback cluster
# grants every permission and serves any group/version/resource (so k8s-rbac and k8s-crd are met too)
RESOURCE_CASES = frozenset({
    "ex-k8s-owner-reference", "ex-k8s-set-owner-reference", "ex-resource-flags",
    "fn-resource-template--stop", "fn-resource-template--terminate",
})  # not fn-output-jqfilter-parameters: its checks need the jq output both with and without its newline
RESOURCE_NEEDS = frozenset({"k8s-api", "k8s-rbac", "k8s-crd"})
# cases the local harness runs but pod mode does not pass yet: case id -> reason
KNOWN_POD_GAPS: dict[str, str] = {
    "xf-dag-failFast-hang": (
        "generateName 'dag-hang-failFast-' has upper-case letters: not a valid ConfigMap (or Kubernetes) "
        "name, so the ConfigMap store rejects the workflow"),
}


class FakeClusterProcess:
    """``python -m tests.fakecluster`` in a subprocess, serving until ``stop``."""

    def __init__(self, directory: Path) -> None:
        self.kubeconfig = directory / "kubeconfig"
        env = dict(os.environ)
        env["PATH"] = f"{REPO / 'tests' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
        self.log = open(directory / "fakecluster.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.fakecluster", "--kubeconfig", str(self.kubeconfig)],
            cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=self.log)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if line.strip() != b"ready":
            self.stop()
            raise RuntimeError(f"the fake cluster did not start: {line!r}; see {directory / 'fakecluster.log'}")

    def create_namespace(self, name: str) -> None:
        from argoctl.kube.client import KubeClient

        client = KubeClient.from_kubeconfig(str(self.kubeconfig))
        try:
            client.create("/api/v1/namespaces", {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        finally:
            client.close()

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


@pytest.fixture(scope="session")
def pod_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeClusterProcess]:
    cluster = FakeClusterProcess(tmp_path_factory.mktemp("podmode-cluster"))
    try:
        yield cluster
    finally:
        cluster.stop()


class PodRunner(Runner):
    """The local harness's runner, pointed at the loopback cluster."""

    def __init__(self, case: Case, work: Path, cluster: FakeClusterProcess) -> None:
        super().__init__(case, work)
        namespace = "c-" + hashlib.sha256(f"{case.id}/{work.name}".encode()).hexdigest()[:12]
        cluster.create_namespace(namespace)
        self.env.update({"ARGOCTL_BACKEND": "kubernetes", "KUBECONFIG": str(cluster.kubeconfig),
                         "ARGOCTL_NAMESPACE": namespace})
        self.env.pop("ARGOCTL_STORE", None)


def pod_blocker(case: Case) -> str:
    """Why pod mode cannot run ``case`` (the local harness's reasons first), or ""."""
    if case.id in RESOURCE_CASES:
        needs = [need for need in case.expect.get("needs") or [] if need not in RESOURCE_NEEDS]
        case = dataclasses.replace(case, expect={**case.expect, "needs": needs})
    local = case.local_blocker()
    if local:
        return local
    missing = [why for need, why in POD_BLOCKERS.items() if need in (case.expect.get("needs") or [])]
    return "needs " + "; ".join(missing) if missing else ""


# The slowest pod-mode cases (15-55 s each on a loaded 2-core machine, mostly their own sleeps)
# whose subject is engine semantics, which local mode checks on the same manifests in every run:
# only ``-m slow`` runs them here. Pod-specific cases (pod GC, resource templates, timeouts enforced
# by the kubelet, artifacts, stop/terminate, security contexts) stay in the short form.
POD_MODE_SLOW = frozenset({
    "ex-parallelism-template-limit", "xf-dag-disable-failFast", "ex-recursive-for-loop",
    "ex-workflow-template-dag", "ex-parameter-aggregation-dag", "ex-data-transformations",
    "ex-intermediate-parameters", "fn-nested-dag-outputs", "ex-dag-diamond-steps",
})


def _param(case: Case) -> object:
    marks = [pytest.mark.kube, *([pytest.mark.slow] if case.id in POD_MODE_SLOW else [])]
    return case_param(case, pod_blocker(case), KNOWN_POD_GAPS, *marks)


@pytest.mark.skipif(not CASES, reason="../shared/conformance is not beside the repository")
@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_pod_mode(case: Case, tmp_path: Path, pod_cluster: FakeClusterProcess) -> None:
    problems = problems_over_attempts(case, tmp_path, lambda work: PodRunner(case, work, pod_cluster).run())
    assert not problems, "\n".join(problems)


def test_the_pod_mode_short_form_leaves_out_only_cases_local_mode_runs() -> None:
    """A case moved out of pod mode's short form must still run, unmarked, in local mode."""
    by_id = {case.id: case for case in CASES}
    assert set(by_id) >= POD_MODE_SLOW or not CASES
    for case_id in POD_MODE_SLOW & set(by_id):
        case = by_id[case_id]
        assert not case.local_blocker() and not case.slow and not pod_blocker(case), case_id
