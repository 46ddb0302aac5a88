"""Session-wide set-up shared by every test package.

Compiled modules for every Python the tests start. The suite starts thousands of interpreters
(CLI commands, detached drivers, local pods' shims, hera files), each importing a good part of
argoctl. Where ``PYTHONDONTWRITEBYTECODE`` is set (this VM's shell sets it), none of them could
keep its compiled modules, so each compiled argoctl again from source: about 0.35 s of CPU per
process on the 2-core machine, most of a CLI command's cost. The controlling pytest process
(before xdist starts its workers, which inherit the environment) points ``PYTHONPYCACHEPREFIX``
at a private directory made for this session and removed after it, and lets children write
there; the source tree is never written. A ``PYTHONPYCACHEPREFIX`` the caller set is kept.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

_OWNED = "_ARGOCTL_TESTS_PYCACHE"  # set to the directory this session made (and must remove)


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("PYTHONPYCACHEPREFIX") or os.environ.get(_OWNED):
        return  # the caller chose one, or this is an xdist worker of a session that made one
    directory = tempfile.mkdtemp(prefix="argoctl-tests-pycache-")
    os.environ["PYTHONPYCACHEPREFIX"] = directory
    os.environ[_OWNED] = directory
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)


def pytest_unconfigure(config: pytest.Config) -> None:
    directory = os.environ.get(_OWNED)
    if directory and not hasattr(config, "workerinput"):  # only the process that made it
        shutil.rmtree(directory, ignore_errors=True)
