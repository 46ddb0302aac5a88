"""The upstream Argo conformance corpus, read in place from ``../shared/conformance``."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argoctl.backends.images import ImageTable

REPO = Path(__file__).resolve().parents[2]
JSON = dict[str, Any]

# needs (other than images) the local backend provides
LOCAL_CAPABILITIES = frozenset({"interaction", "volumes", "pvc", "tty", "artifact-repo"})
WHY = {
    "artifact-repo": "an artifact repository",
    "k8s-api": "the Kubernetes API (resource templates, kubectl in pods, controllers for created objects)",
    "k8s-rbac": "particular service-account permissions",
    "k8s-crd": "third-party CRDs",
    "k8s-scheduling": "a real scheduler (node selectors, resource claims)",
    "network": "outbound internet",
    "external-service": "a third-party service or cloud credentials",
    "volumes": "pod volumes shared between containers and steps",
    "pvc": "PersistentVolumeClaims",
    "daemon-networking": "reaching daemon pods by IP",
    "sidecar-networking": "sidecars reachable on 127.0.0.1",
    "preexisting-objects": "Secrets/ConfigMaps that are not part of the case",
    "database": "the controller's SQL database (database-backed locks)",
    "executor-plugin": "executor plugins",
    "artifact-plugin": "an artifact driver plugin",
    "tty": "a TTY inside the container",
    "windows": "a Windows node",
    "resource-limits": "enforced container memory limits",
    "unsafe-local": "a real container runtime (never run as a host process)",
}


def corpus_dir() -> Path:
    override = os.environ.get("ARGOCTL_CONFORMANCE_DIR")
    return Path(override) if override else REPO.parent / "shared" / "conformance"


@dataclass(frozen=True)
class Case:
    id: str
    directory: Path
    expect: JSON

    @property
    def slow(self) -> bool:
        return bool(self.expect.get("slow"))

    @property
    def attempts(self) -> int:
        """How many runs may be tried. The outcome of a case flagged nondeterministic or flaky, or
        whose manifests draw random numbers (``random.choice``, ``$RANDOM``, ``Math.random``), is a
        coin flip: a step failing 2 times in 3 under ``retryStrategy.limit: 10`` still fails ~1% of
        runs. Such a case passes when any of three runs meets the expectation."""
        flaky = self.expect.get("nondeterministic") or self.expect.get("no_test_label") == "flaky"
        return 3 if flaky or self.draws_random_numbers else 1

    @property
    def draws_random_numbers(self) -> bool:
        return any("random" in path.read_text(errors="replace").lower()
                   for path in self.directory.rglob("*") if path.suffix in (".yaml", ".yml", ".json")
                   and path.name != "expect.json")

    def local_blocker(self, table: ImageTable | None = None) -> str:
        """Why the local backend cannot run this case, or "" when it can."""
        table = table or ImageTable()
        missing = []
        for need in self.expect.get("needs") or []:
            if need.startswith("image:"):
                entry = table.lookup(need[6:])
                if entry is None or entry.refuse:
                    missing.append(f"image {need[6:]} (not emulated)")
            elif need not in LOCAL_CAPABILITIES:
                missing.append(WHY.get(need, need))
        return "needs " + "; ".join(missing) if missing else ""


def load_cases() -> list[Case]:
    root = corpus_dir()
    cases_dir = root / "cases"
    if not cases_dir.is_dir():
        return []
    cases = []
    for directory in sorted(p for p in cases_dir.iterdir() if p.is_dir()):
        expect_file = directory / "expect.json"
        if expect_file.exists():
            cases.append(Case(directory.name, directory, json.loads(expect_file.read_text())))
    return cases


def case_param(case: Case, blocker: str, known_gaps: dict[str, str], *marks: Any) -> Any:
    """``case`` as a pytest param: a strict xfail naming ``blocker`` (not run) or its known gap."""
    import pytest

    applied = [pytest.mark.conformance, *marks]
    if blocker:
        applied.append(pytest.mark.xfail(reason=blocker, run=False, strict=True))
    elif case.id in known_gaps:
        applied.append(pytest.mark.xfail(reason=known_gaps[case.id], strict=True))
    if case.slow:
        applied.append(pytest.mark.slow)
    return pytest.param(case, id=case.id, marks=applied)
