"""tests/conftest.py: the Pythons the tests start share one bytecode cache outside the source tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_children_cache_compiled_modules_outside_the_source_tree() -> None:
    prefix = os.environ.get("PYTHONPYCACHEPREFIX")
    assert prefix and Path(prefix).is_dir()
    assert not Path(prefix).resolve().is_relative_to(REPO)
    code = "import sys; print(sys.pycache_prefix, sys.dont_write_bytecode)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == [prefix, "False" if os.environ.get("_ARGOCTL_TESTS_PYCACHE") else
                                   str(bool(os.environ.get("PYTHONDONTWRITEBYTECODE")))]
