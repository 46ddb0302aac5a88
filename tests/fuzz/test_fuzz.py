"""Fuzz: malformed manifests through ``lint`` and ``submit --dry-run`` (in-process, fast).

For every generated case: no traceback and no "internal error", an exit code in the documented
set (0 ok, 1 workflow failed, 2 bad input, 3 cluster/store), and lint and submit agree (submit
rejects only what lint rejects, apart from argument values, which only submit requires, as with
argo). 500 cases in the default run, 10,000 in the slow suite (``-m slow``).
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from tests.fuzz.generator import Case, make_case, seed_documents
from tests.fuzz.harness import DOCUMENTED_EXIT_CODES, call, only_submit_problems

SEEDS = seed_documents()


@pytest.fixture(autouse=True)
def isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ARGOCTL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("ARGOCTL_BACKEND", "local")
    monkeypatch.setenv("ARGOCTL_MAX_LOOP_ITEMS", "1000")  # the cap is exercised with small lists
    for name in ("KUBECONFIG", "ARGOCTL_STORE", "ARGOCTL_NAMESPACE"):
        monkeypatch.delenv(name, raising=False)


def check(case: Case, work: Path) -> tuple[list[str], str]:
    """Failures of one case (empty when it behaves), and how it ended (for the figures)."""
    path = work / f"case-{case.seed}.yaml"
    path.write_text(case.text)
    lint = call("lint", str(path))
    submit = call("submit", "--dry-run", "-o", "name", str(path))
    label = f"seed {case.seed} ({case.origin}: {', '.join(case.mutations)})"
    failures = [f"{label}: {which}: {line}" for which, result in (("lint", lint), ("submit", submit))
                for line in result.internal_errors()]
    for which, result in (("lint", lint), ("submit", submit)):
        if result.code not in DOCUMENTED_EXIT_CODES:
            failures.append(f"{label}: {which} exited {result.code}")
    if lint.code == 0 and submit.code != 0 and not only_submit_problems(submit):
        failures.append(f"{label}: lint passed but submit failed: {submit.stderr.strip()[:500]}")
    if lint.code != 0 and submit.code == 0:
        failures.append(f"{label}: submit accepted what lint rejected: {lint.stderr.strip()[:500]}")
    outcome = "both rejected" if lint.code and submit.code else "both accepted" if not submit.code else "submit only"
    return failures, outcome


def run_cases(first: int, count: int, work: Path) -> tuple[list[str], Counter[str], float]:
    failures: list[str] = []
    outcomes: Counter[str] = Counter()
    start = time.process_time()
    for seed in range(first, first + count):
        found, outcome = check(make_case(seed, SEEDS), work)
        failures += found
        outcomes[outcome] += 1
    return failures, outcomes, time.process_time() - start


def test_there_are_seeds() -> None:
    assert len(SEEDS) >= 2


SHORT_CASES, SHORT_CHUNKS = 500, 10


# seeds 0-499 in ten chunks: xdist spreads them over its workers, and no one test runs for minutes
# on a loaded machine (the 500 in one test took 255 s at load 14, close to the 300 s hang guard)
@pytest.mark.parametrize("chunk", range(SHORT_CHUNKS))
def test_fuzz_short(chunk: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    size = SHORT_CASES // SHORT_CHUNKS
    failures, outcomes, seconds = run_cases(chunk * size, size, tmp_path)
    with capsys.disabled():
        print(f"\nfuzz: cases {chunk * size}-{chunk * size + size - 1}, {dict(outcomes)}, {seconds:.1f} s CPU")
    assert failures == [], "\n".join(failures[:50])


@pytest.mark.slow
@pytest.mark.timeout(3600)  # about 9 minutes of CPU
def test_fuzz_long(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    failures, outcomes, seconds = run_cases(100_000, 10_000, tmp_path)
    with capsys.disabled():
        print(f"\nfuzz: 10,000 cases, {dict(outcomes)}, {seconds:.1f} s CPU")
    assert failures == [], "\n".join(failures[:50])
