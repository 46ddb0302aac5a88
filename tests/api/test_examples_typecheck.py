"""The API examples (``tests/api/examples.py``) pass ``mypy --strict``: the API's types are what
its users rely on (``py.typed``), so a change that breaks them fails here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).with_name("examples.py")
ROOT = Path(__file__).resolve().parents[2]


def _mypy(path: Path) -> subprocess.CompletedProcess[str]:
    pytest.importorskip("mypy", reason="mypy is in the test extra")
    return subprocess.run([sys.executable, "-m", "mypy", "--strict", "--no-error-summary", str(path)],
                          cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)


def test_examples_typecheck() -> None:
    result = _mypy(EXAMPLES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_type_error_in_an_example_is_caught(tmp_path: Path) -> None:
    wrong = tmp_path / "wrong.py"
    wrong.write_text("import argoctl\n\nphase: int = argoctl.run('wf.yaml').phase\n")
    result = _mypy(wrong)
    assert result.returncode == 1 and "Incompatible types in assignment" in result.stdout, result.stdout
