"""Count conformance outcomes (also per feature tag) and write them to conformance-results.json.

A plugin loaded with ``-p`` (pyproject addopts), not a conftest: under xdist the controller never
collects tests/conformance, so a conftest there would not see the reports of a full-suite run.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.corpus import REPO, load_cases

_OUTCOMES: dict[str, str] = {}


def _case_id(nodeid: str) -> str | None:
    if "test_conformance.py::test_local[" not in nodeid:
        return None
    return nodeid.rsplit("[", 1)[1].rstrip("]")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    case = _case_id(report.nodeid)
    if case is None:
        return
    if hasattr(report, "wasxfail"):
        _OUTCOMES[case] = "xfail" if report.skipped or report.failed else "xpass"
    elif report.when == "call":
        _OUTCOMES[case] = "pass" if report.passed else "fail"
    elif report.failed:
        _OUTCOMES[case] = "fail"


def _summary() -> dict[str, Any]:
    totals = Counter(_OUTCOMES.values())
    features = {case.id: case.expect.get("features") or [] for case in load_cases()}
    by_tag: dict[str, Counter[str]] = {}
    for case, outcome in _OUTCOMES.items():
        for tag in features.get(case, []):
            by_tag.setdefault(tag, Counter())[outcome] += 1
    return {
        "mode": "local",
        "totals": dict(sorted(totals.items())),
        "by_feature": {tag: dict(sorted(c.items())) for tag, c in sorted(by_tag.items())},
        "cases": dict(sorted(_OUTCOMES.items())),
    }


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if not _OUTCOMES or hasattr(session.config, "workerinput"):
        return
    Path(REPO / "conformance-results.json").write_text(json.dumps(_summary(), indent=2) + "\n")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _OUTCOMES:
        return
    totals = Counter(_OUTCOMES.values())
    terminalreporter.write_line(
        "conformance (local mode): "
        + ", ".join(f"{totals.get(k, 0)} {k}" for k in ("pass", "xfail", "fail", "xpass"))
        + f" of {len(_OUTCOMES)} run (details in conformance-results.json)"
    )
