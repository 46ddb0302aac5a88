"""Runs ``argoctl lint`` and ``argoctl submit --dry-run`` in this process, as the CLI would."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from argoctl.cli.main import run_typer

DOCUMENTED_EXIT_CODES = frozenset({0, 1, 2, 3})
# What submit needs and lint (like argo lint) does not: a value for every workflow argument.
SUBMIT_ONLY = (".value or ", ".value is required")


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str

    def internal_errors(self) -> list[str]:
        text = self.stdout + self.stderr
        return [line for line in text.splitlines() if "internal error" in line or "Traceback" in line]


def call(*args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            run_typer(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return Result(code, out.getvalue(), err.getvalue())


def only_submit_problems(result: Result) -> bool:
    """Every problem submit reported is one that lint leaves to submit time."""
    lines = [line for line in result.stderr.splitlines() if line and not line.startswith(("error: invalid spec", "  "))]
    return bool(lines) and all(any(mark in line for mark in SUBMIT_ONLY) for line in lines)
