"""``argoctl.testing`` as a user enables it: ``pytest_plugins`` in their conftest, the
``argoctl_client`` fixture in their test (a separate pytest process on a user's project)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.api.manifests import echo

USER_TEST = '''
import os
import argoctl

WORKFLOW = {workflow!r}


def test_my_pipeline(argoctl_client):
    run = argoctl_client.submit(WORKFLOW, parameters={{"msg": "from-a-user-test"}}, wait=True)
    assert run.outputs.parameters["said"] == "from-a-user-test"
    assert os.environ["ARGOCTL_HOME"].startswith(os.environ["PYTEST_TMP"])
    assert [r.name for r in argoctl.Client().list()] == [run.name]  # the same isolated home
'''


def test_a_user_project_enables_the_plugin(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (project / "conftest.py").write_text('pytest_plugins = ["argoctl.testing"]\n')
    (project / "test_pipeline.py").write_text(USER_TEST.format(workflow=echo()))
    env = {k: v for k, v in os.environ.items() if not k.startswith("ARGOCTL_")}
    env["PYTEST_TMP"] = str(tmp_path / "basetemp")
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:xdist",
                             "--basetemp", env["PYTEST_TMP"], str(project)],
                            cwd=project, env=env, capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0 and "1 passed" in result.stdout, result.stdout[-3000:] + result.stderr[-2000:]
