"""The pod-mode wrapper never changes which programs the user's command finds (issue 14, item 8).

The wrapper runs on the helper's BusyBox; BusyBox's shell would run its own applet for ``sh`` or
``date`` whatever the image's PATH holds. The wrapper is run here as in a pod, under BusyBox, with
an "image" directory first on the PATH holding its own ``date``.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from argoctl.backends.kube import helper

BUSYBOX = shutil.which("busybox")
pytestmark = pytest.mark.skipif(BUSYBOX is None, reason="busybox is not installed")


def _run(tmp_path: Path, *argv: str) -> subprocess.CompletedProcess[str]:
    image_bin = tmp_path / "image-bin"
    image_bin.mkdir(exist_ok=True)
    date = image_bin / "date"
    date.write_text('#!/bin/sh\necho "image date $*"\n')
    date.chmod(0o755)
    (tmp_path / "helper" / "ctr").mkdir(parents=True, exist_ok=True)
    env = {"PATH": f"{image_bin}:/usr/bin:/bin", "ARGOCTL_DIR": str(tmp_path / "helper")}
    assert BUSYBOX is not None
    return subprocess.run([BUSYBOX, "sh", "-c", helper.WRAPPER_SCRIPT, "argoctl", *argv], env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("argv", [["date", "+%N"], ["sh", "-c", "date +%N"]])
def test_the_command_finds_the_images_programs(tmp_path: Path, argv: list[str]) -> None:
    done = _run(tmp_path, *argv)
    assert (done.returncode, done.stdout) == (0, "image date +%N\n"), done.stderr


def test_a_program_missing_from_the_path_is_not_found(tmp_path: Path) -> None:
    done = _run(tmp_path, "no-such-program-anywhere")
    assert done.returncode == 127
    assert 'exec: "no-such-program-anywhere": executable file not found in $PATH' in done.stderr


def test_the_helper_tools_are_not_on_the_path() -> None:
    assert helper.HELPER_BIN not in helper.WRAPPER_SCRIPT.replace("$b/", "")
    assert "PATH=" not in helper.WRAPPER_SCRIPT


def test_var_references_reach_the_kubelet_as_written() -> None:
    """Kubernetes expands ``$(VAR)`` in command, args and env values itself: argoctl passes them on
    untouched, wrapped (outputs) or not."""
    from argoctl.backends.kube.podspec import build_pod
    from argoctl.model.pods import PodRequest

    env = [{"name": "FOO", "value": "$(HOME)-$$(BAR)"}]
    for outputs in ({}, {"outputs": {"parameters": [{"name": "p", "valueFrom": {"path": "/tmp/p"}}]}}):
        request = PodRequest(workflow_name="wf", workflow_uid="u", namespace="argo", node_id="n", node_name="wf.s",
                             pod_name="wf-s", template={"name": "s", **outputs, "container": {
                                 "image": "alpine", "command": ["echo", "$(FOO)"], "args": ["$$(FOO)", "$(HOME)"],
                                 "env": env}})
        [main] = [c for c in build_pod(request)["spec"]["containers"] if c["name"] == "main"]
        assert [*main["command"], *main.get("args", [])][-4:] == ["echo", "$(FOO)", "$$(FOO)", "$(HOME)"]
        assert {"name": "FOO", "value": "$(HOME)-$$(BAR)"} in main["env"]
