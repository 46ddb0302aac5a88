"""``argoctl VERB --help`` lists every flag argo v4 gives that verb (tests/cli/argo_flags.py),
except the few on the reasoned exclusion lists below."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from argoctl.cli.root import new_app
from tests.cli.argo_flags import ARGO_FLAGS

# global options: every verb accepts them, listed under each verb's "Global options" heading by
# the global-options work (issue 8 item 1), not as the verb's own
GLOBAL = {"--no-color", "--namespace", "-n"}
# flags another branch adds; remove an entry once that branch is merged
# argo flags argoctl leaves out on purpose, with the reason
EXCLUDED: dict[tuple[str, str], str] = {}
# argo verbs spelt differently in argoctl
SPELLING = {"node": "node set"}  # argo's ``node ACTION WORKFLOW``: ``set`` is its only action

RUNNER = CliRunner()
APP = new_app()


def _help(verb: str) -> str:
    result = RUNNER.invoke(APP, [*verb.split(), "--help"], prog_name="argoctl", env={"COLUMNS": "300"})
    assert result.exit_code == 0, result.output
    return result.output


def _listed(text: str, flag: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(flag)}(?![\w-])", text) is not None


@pytest.mark.parametrize("verb", sorted(ARGO_FLAGS))
def test_help_lists_argos_flags(verb: str) -> None:
    text = _help(SPELLING.get(verb, verb))
    missing = []
    for short, long in ARGO_FLAGS[verb]:
        if long in GLOBAL or (verb, long) in EXCLUDED:
            continue
        for flag in filter(None, (short, long)):
            if not _listed(text, flag):
                missing.append(flag)
    assert not missing, f"argoctl {verb} --help lacks argo's {', '.join(missing)}"


def test_the_data_covers_every_argoctl_verb_argo_has() -> None:
    from argoctl.cli.commands import VERBS

    argo_verbs = {v.split()[0] for v in ARGO_FLAGS}
    # apply is kubectl's verb; cron's flags are the cron verbs' tests'
    assert set(VERBS) - {"apply", "cron"} <= argo_verbs
