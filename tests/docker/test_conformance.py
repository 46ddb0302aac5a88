"""The conformance corpus in docker mode: the real CLI with ``ARGOCTL_BACKEND=docker`` on the test
engine (``tests.containerengine``: Podman's Docker API with the offline-built images), one fresh
namespace per case, its containers removed afterwards.

A case runs when every image it needs is one the test engine has and every other need is met
(the local harness's capabilities plus what real containers add: memory limits, sidecars and
daemons on a real network, the images' own shells). Most cases are marked ``slow`` (each runs
real containers); ``CI_CASES`` is the representative subset that runs by default.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from tests.conformance.corpus import LOCAL_CAPABILITIES, WHY, Case, load_cases
from tests.conformance.expectations import problems_over_attempts
from tests.conformance.runner import Runner
from tests.containerengine import ContainerEngine
from tests.containerengine.images import IMAGES as BUILT

CASES = load_cases()
TAGS = [tag for _, _, _, tags in BUILT.values() for tag in tags]
IMAGES = frozenset(TAGS) | frozenset(tag.removesuffix(":latest") for tag in TAGS)
DOCKER_CAPABILITIES = LOCAL_CAPABILITIES | {"resource-limits", "unsafe-local", "sidecar-networking",
                                            "daemon-networking"}
# cases that run in the default (CI) selection: one or two of each kind of thing the backend does
CI_CASES = frozenset({
    "fn-hello-world", "ex-scripts-python", "ex-artifact-passing", "ex-init-container", "ex-volumes-pvc",
    "fn-stop-terminate-2--stop", "ex-container-set-template-sequence-workflow", "go-fn-script-as-non-root",
    "xf-oom-kill",
})  # engine features (DAGs, retries, hooks...) are the same in every mode: local mode covers them
# cases docker mode does not pass yet: case id -> reason
KNOWN_DOCKER_GAPS: dict[str, str] = {}


def docker_blocker(case: Case) -> str:
    """Why docker mode cannot run ``case``, or ""."""
    missing = []
    for need in case.expect.get("needs") or []:
        if need.startswith("image:"):
            if need[6:] not in IMAGES:
                missing.append(f"image {need[6:]} (not built by tests.containerengine: no registry here)")
        elif need not in DOCKER_CAPABILITIES:
            missing.append(WHY.get(need, need))
    return "needs " + "; ".join(missing) if missing else ""


def _param(case: Case) -> object:
    marks: list[pytest.MarkDecorator] = [pytest.mark.conformance]
    blocker = docker_blocker(case)
    if blocker:
        marks.append(pytest.mark.xfail(reason=blocker, run=False, strict=True))
    elif case.id in KNOWN_DOCKER_GAPS:
        marks.append(pytest.mark.xfail(reason=KNOWN_DOCKER_GAPS[case.id], strict=True))
    if case.slow or case.id not in CI_CASES:
        marks.append(pytest.mark.slow)
    return pytest.param(case, id=case.id, marks=marks)


class DockerRunner(Runner):
    """The local harness's runner, pointed at the test engine, in a namespace of its own."""

    def __init__(self, case: Case, work: Path, engine: ContainerEngine) -> None:
        super().__init__(case, work)
        self.namespace = "d-" + hashlib.sha256(f"{case.id}/{work}".encode()).hexdigest()[:12]
        self.env.update({"ARGOCTL_BACKEND": "docker", "DOCKER_HOST": engine.url,
                         "ARGOCTL_NAMESPACE": self.namespace})


@pytest.mark.skipif(not CASES, reason="../shared/conformance is not beside the repository")
@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_docker_mode(case: Case, tmp_path: Path, container_engine: ContainerEngine) -> None:
    runners: list[DockerRunner] = []

    def run(work: Path) -> object:
        runner = DockerRunner(case, work, container_engine)
        runners.append(runner)
        return runner.run()

    try:
        problems = problems_over_attempts(case, tmp_path, run)  # type: ignore[arg-type]
    finally:
        for runner in runners:
            container_engine.remove_all(f"io.argoctl.namespace={runner.namespace}")
    assert not problems, "\n".join(problems)
