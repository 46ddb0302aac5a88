"""The upstream Argo manifests in ../shared/conformance, run in local mode through the CLI.

Every case whose needs the local backend provides must pass; every other case is an explicit
xfail naming the missing capability. Counts are written to conformance-results.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.corpus import Case, load_cases
from tests.conformance.expectations import check
from tests.conformance.runner import Runner

CASES = load_cases()
KNOWN_GAPS: dict[str, str] = {}


def _param(case: Case) -> object:
    marks: list[pytest.MarkDecorator] = [pytest.mark.conformance]
    blocker = case.local_blocker()
    if blocker:
        marks.append(pytest.mark.xfail(reason=blocker, run=False, strict=True))
    elif case.id in KNOWN_GAPS:
        marks.append(pytest.mark.xfail(reason=KNOWN_GAPS[case.id], strict=True))
    if case.slow:
        marks.append(pytest.mark.slow)
    return pytest.param(case, id=case.id, marks=marks)


@pytest.mark.skipif(not CASES, reason="../shared/conformance is not beside the repository")
@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_local(case: Case, tmp_path: Path) -> None:
    problems: list[str] = []
    for attempt in range(case.attempts):
        work = tmp_path / f"run{attempt}"
        work.mkdir()
        problems = check(case.expect, Runner(case, work).run())
        if not problems:
            return
    assert not problems, "\n".join(problems)
