"""The upstream Argo manifests in ../shared/conformance, run in local mode through the CLI.

Every case whose needs the local backend provides must pass; every other case is an explicit
xfail naming the missing capability. Counts are written to conformance-results.json.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.corpus import Case, case_param, load_cases
from tests.conformance.expectations import problems_over_attempts
from tests.conformance.runner import Runner

CASES = load_cases()
KNOWN_GAPS: dict[str, str] = {}


def _param(case: Case) -> object:
    return case_param(case, case.local_blocker(), KNOWN_GAPS)


@pytest.mark.skipif(not CASES, reason="../shared/conformance is not beside the repository")
@pytest.mark.parametrize("case", [_param(c) for c in CASES])
def test_local(case: Case, tmp_path: Path) -> None:
    problems = problems_over_attempts(case, tmp_path, lambda work: Runner(case, work).run())
    assert not problems, "\n".join(problems)
