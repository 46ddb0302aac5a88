"""Probes: a local pod is contained like a pod (issue 14, items 1-4 and 7).

Each probe runs a real step in namespace mode (unshare) and checks what it could reach: host
processes, the driver, the host's /tmp through /proc, argoctl's store, the user's credentials,
/dev/shm and /run, links followed when outputs are read, ``$(VAR)`` expansion, secrets.
"""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from argoctl.backends.base import PodUpdate
from argoctl.backends.images import ImageTable
from argoctl.backends.local.backend import LocalBackend
from argoctl.stores.local import LocalStore

from .conftest import REPO, SANDBOXES, run_pod, run_pods_as_a_user

pytestmark = pytest.mark.skipif(not any(SANDBOXES.values()), reason="no namespaces on this machine")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An ``ARGOCTL_HOME`` holding a Secret, and a user home with credentials."""
    store_home = tmp_path / "argoctl-home"
    LocalStore(store_home, "default").put_object("Secret", {
        "apiVersion": "v1", "kind": "Secret", "metadata": {"name": "creds", "namespace": "default"},
        "data": {"password": base64.b64encode(b"s3cr3t-value").decode()}, "stringData": {"user": "alice"},
    })
    user = tmp_path / "user"
    (user / ".kube").mkdir(parents=True)
    (user / ".kube" / "config").write_text("kube-credentials\n")
    monkeypatch.setenv("ARGOCTL_HOME", str(store_home))
    monkeypatch.setenv("HOME", str(user))
    return store_home


@pytest.fixture(params=["unshare", "bwrap"])
def sandbox(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    if not SANDBOXES[name]:
        pytest.skip(f"{name} cannot make namespaces on this machine")
    return name


@pytest.fixture
def local(tmp_path: Path, home: Path, sandbox: str) -> Iterator[LocalBackend]:
    backend = LocalBackend(home / "run", images=ImageTable(), notices=lambda _: None, sandbox=sandbox,
                           kill_grace=0.5)
    yield backend
    backend.close()


def _sh(local: LocalBackend, script: str, **template: object) -> PodUpdate:
    container = {"image": "alpine", "command": ["sh", "-c", script], **template.pop("container", {})}  # type: ignore[dict-item]
    return run_pod(local, {"container": container, **template}, capture_result=True)


def _result(update: PodUpdate) -> str:
    assert update.outputs is not None, update.message
    return str(update.outputs.get("result", ""))


def test_a_step_sees_only_its_own_processes_and_cannot_signal_the_driver_or_the_shim(local: LocalBackend) -> None:
    update = _sh(local, f"ls /proc | grep -c '^[0-9]'; kill -0 {os.getpid()} 2>/dev/null && echo driver; "
                        "kill -TERM 1 2>/dev/null && echo shim; echo end")
    lines = _result(update).splitlines()
    assert int(lines[0]) <= 5  # the shim (and bwrap's init), the shell, ls and grep
    assert lines[1:] == ["end"]


def test_a_step_cannot_write_the_host_tmp_through_proc_root(local: LocalBackend) -> None:
    name = f"argoctl-probe-{secrets.token_hex(6)}"
    update = _sh(local, f"for p in /proc/[0-9]*; do echo x > $p/root/tmp/{name}; done 2>/dev/null; "
                        f"echo x > /tmp/{name}; echo end")
    assert update.phase == "Succeeded"
    assert not Path("/tmp", name).exists()


def test_a_step_cannot_read_the_store_the_home_or_the_project(local: LocalBackend, home: Path) -> None:
    user = Path(os.environ["HOME"])
    paths = [home, home / "namespaces", user / ".kube" / "config", REPO / "README.md", REPO / "argoctl"]
    update = _sh(local, " ".join(f"test -e {p} && echo {p};" for p in paths) + " echo end")
    assert _result(update) == "end"


def test_dev_shm_run_and_tmp_are_private(local: LocalBackend) -> None:
    name = f"argoctl-probe-{secrets.token_hex(6)}"
    update = _sh(local, f"echo x > /dev/shm/{name} && echo x > /run/{name} && echo x > /tmp/{name} && "
                        "test -c /dev/null && test -c /dev/urandom && echo ok")
    assert _result(update) == "ok"
    for directory in ("/dev/shm", "/run", "/tmp"):
        assert not Path(directory, name).exists()


def test_steps_run_without_host_privileges(local: LocalBackend) -> None:
    update = _sh(local, "id -u; grep -E '^(CapEff|CapBnd|NoNewPrivs)' /proc/self/status | tr -s '\\t' ' '; "
                        "cat /proc/self/uid_map | tr -s ' ' ' '; mount -t tmpfs none /mnt 2>/dev/null && echo mounted")
    lines = _result(update).splitlines()
    assert lines[0] == "0"  # root inside its own user namespace...
    assert lines[1:4] == ["CapEff: 0000000000000000", "CapBnd: 0000000000000000", "NoNewPrivs: 1"]
    if os.geteuid() == 0:
        assert lines[4].split()[:2] == ["0", "65534"]  # ...which is an unprivileged uid on the host
    assert "mounted" not in lines


def test_privileges_need_the_explicit_opt_in(local: LocalBackend, monkeypatch: pytest.MonkeyPatch) -> None:
    context = {"container": {"securityContext": {"privileged": True}}}
    refused = _sh(local, "echo ran", **context)
    assert refused.phase == "Error"
    assert "ARGOCTL_ALLOW_PRIVILEGED=1" in refused.message
    monkeypatch.setenv("ARGOCTL_ALLOW_PRIVILEGED", "1")
    allowed = run_pod(local, {"container": {"image": "alpine", "securityContext": {"privileged": True},
                                            "command": ["sh", "-c", "grep CapEff /proc/self/status"]}},
                      name="privileged", capture_result=True)
    assert allowed.phase == "Succeeded"
    assert _result(allowed) != "CapEff:\t0000000000000000"


def test_outputs_through_links_resolve_inside_the_pod(local: LocalBackend, home: Path) -> None:
    host_file = home / "host-only.txt"
    host_file.write_text("host content\n")
    outputs = {"parameters": [
        {"name": "direct", "valueFrom": {"path": "/tmp/direct", "default": "none"}},
        {"name": "parent", "valueFrom": {"path": "/tmp/up/x", "default": "none"}},
        {"name": "proc", "valueFrom": {"path": "/tmp/proc", "default": "none"}},
        {"name": "inside", "valueFrom": {"path": "/tmp/inside"}},
    ]}
    script = (f"ln -s {host_file} /tmp/direct; ln -s ../../../../../../{home} /tmp/up; "
              "ln -s /proc/1/environ /tmp/proc; echo pod > /etc-copy; ln -s /etc-copy /tmp/inside")
    update = run_pod(local, {"container": {"image": "alpine", "command": ["sh", "-c", script]}, "outputs": outputs})
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None
    values = {p["name"]: p["value"] for p in update.outputs["parameters"]}
    assert values == {"direct": "none", "parent": "none", "proc": "none", "inside": "pod"}


def test_var_references_expand_only_declared_variables(local: LocalBackend) -> None:
    env = [{"name": "FOO", "value": "bar"}, {"name": "BOTH", "value": "$(FOO)-$(LATER)-$(HOME)-$$(FOO)"},
           {"name": "LATER", "value": "later"}]
    update = run_pod(local, {"container": {
        "image": "alpine", "command": ["sh", "-c"], "env": env,
        "args": ["echo '$(HOME) $(FOO) $$(FOO) $(PATH)'; echo \"$BOTH\""],
    }}, capture_result=True)
    assert _result(update).splitlines() == ["$(HOME) bar $(FOO) $(PATH)", "bar-$(LATER)-$(HOME)-$(FOO)"]


def test_secrets_come_from_the_local_store(local: LocalBackend, home: Path) -> None:
    update = run_pod(local, {
        "volumes": [{"name": "creds", "secret": {"secretName": "creds", "defaultMode": 0o400}}],
        "container": {
            "image": "alpine", "command": ["sh", "-c"],
            "args": ['echo "$PASSWORD $CREDS_user"; cat /secret/password; echo; cat /secret/user; echo; '
                     "touch /secret/new 2>/dev/null && echo writable"],
            "env": [{"name": "PASSWORD", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "password"}}}],
            "envFrom": [{"secretRef": {"name": "creds"}, "prefix": "CREDS_"}],
            "volumeMounts": [{"name": "creds", "mountPath": "/secret"}],
        },
    }, capture_result=True)
    assert _result(update).splitlines() == ["s3cr3t-value alice", "s3cr3t-value", "alice"]
    pod_dir = home / "run" / "wf-step"
    for left in pod_dir.rglob("*"):  # the plan and the secret files went with the pod
        if left.is_file() and left.suffix not in (".log", ".stdout", ".tlog", ".json"):
            continue
        if left.name not in ("main.log", "main.stdout", "main.tlog", "status.json", "outputs.json"):
            assert b"s3cr3t-value" not in left.read_bytes(), left


def test_a_missing_secret_fails_the_pod_before_it_runs(local: LocalBackend) -> None:
    update = run_pod(local, {"container": {
        "image": "alpine", "command": ["true"],
        "env": [{"name": "X", "valueFrom": {"secretKeyRef": {"name": "absent", "key": "k"}}}],
    }})
    assert (update.phase, update.message) == ("Error", 'CreateContainerConfigError: secret "absent" not found')


def test_a_finished_pod_leaves_only_its_logs_and_status(local: LocalBackend, home: Path) -> None:
    update = _sh(local, "echo hi > /mnt/f; echo done", volumes=[{"name": "v", "emptyDir": {}}],
                 container={"volumeMounts": [{"name": "v", "mountPath": "/v"}]})
    assert _result(update) == "done"
    left = sorted(p.name for p in (home / "run" / "wf-step").iterdir())
    assert "root" not in left and "volumes" not in left and "plan.json" not in left
    assert "main.log" in left and "status.json" in left


def test_output_artifacts_through_links_never_carry_host_files(home: Path, sandbox: str) -> None:
    from argoctl.artifacts import RepositoryArtifactIO, default_local_repository
    from argoctl.artifacts.secrets import StoreSecrets

    host_file = home / "host-only.txt"
    host_file.write_text("host content\n")
    artifact_io = RepositoryArtifactIO(default_local_repository(home), get_secret=StoreSecrets(str(home), "default"))
    local = LocalBackend(home / "run", images=ImageTable(), notices=lambda _: None, sandbox=sandbox,
                         artifact_io=artifact_io)
    script = (f"ln -s {host_file} /tmp/file-link; mkdir /tmp/dir; echo pod > /tmp/dir/own; "
              f"ln -s {host_file} /tmp/dir/inner-link; ln -s {home} /tmp/dir-link")
    update = run_pod(local, {
        "container": {"image": "alpine", "command": ["sh", "-c", script]},
        "outputs": {"artifacts": [
            {"name": "file-link", "path": "/tmp/file-link", "optional": True},
            {"name": "dir", "path": "/tmp/dir"},
            {"name": "dir-link", "path": "/tmp/dir-link", "optional": True},
        ]},
    })
    local.close()
    assert update.phase == "Succeeded", update.message
    assert update.outputs is not None
    assert [a["name"] for a in update.outputs["artifacts"]] == ["dir"]
    stored = [p for p in (home / "artifacts").rglob("*") if p.is_file()]
    assert stored
    for path in stored:
        data = path.read_bytes()
        if path.suffix in (".tgz", ".gz"):
            import gzip

            data = gzip.decompress(data)
        assert b"host content" not in data, path


def test_run_as_user_is_the_steps_uid_in_its_namespace(local: LocalBackend) -> None:
    update = _sh(local, "id -u; id -g; echo x > /tmp/f && echo y > /data && echo wrote; grep CapEff /proc/self/status",
                 securityContext={"runAsUser": 1000, "runAsGroup": 2000})
    assert _result(update).splitlines() == ["1000", "2000", "wrote", "CapEff:\t0000000000000000"]


def test_input_artifacts_belong_to_the_steps_user(home: Path, sandbox: str) -> None:
    from .test_local_artifacts import FolderArtifactIO

    store = home / "store"
    store.mkdir()
    (store / "in-key").write_text("payload\n")
    local = LocalBackend(home / "run", images=ImageTable(), notices=lambda _: None, sandbox=sandbox,
                         artifact_io=FolderArtifactIO(store))
    update = run_pod(local, {
        "inputs": {"artifacts": [{"name": "in", "path": "/work/in/data.txt", "key": "in-key"}]},
        "container": {"image": "alpine", "command": ["sh", "-c",
                                                     "echo more >> /work/in/data.txt && touch /work/in/new && cat /work/in/data.txt"]},
    }, capture_result=True)
    local.close()
    assert _result(update) == "payload\nmore"


def test_processes_a_step_leaves_behind_end_with_it(local: LocalBackend) -> None:
    token = f"31.{secrets.randbelow(10**8):08d}"
    update = _sh(local, f"setsid sleep {token} & echo started")
    assert _result(update) == "started"
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = entry.joinpath("cmdline").read_bytes()
            except OSError:
                continue
            assert cmdline != f"sleep\0{token}\0".encode()


@pytest.mark.skipif(os.geteuid() != 0 or not Path("/usr/bin/setpriv").exists(), reason="needs root and setpriv")
def test_an_unprivileged_user_gets_the_same_containment() -> None:
    """argoctl run by a normal user: the shim's user namespace maps root to that user."""
    script = ("grep -E '^(CapEff|NoNewPrivs)' /proc/self/status | tr -s '\\t' ' '; ls /proc | grep -c '^[0-9]'; "
              f"test -e {REPO}/README.md && echo project; echo x > /tmp/f && echo end")
    done, _ = run_pods_as_a_user(script)
    assert done.stdout.strip().splitlines()[-1:] == [
        "Succeeded 'CapEff: 0000000000000000\\nNoNewPrivs: 1\\n4\\nend'"], done.stdout + done.stderr


def test_the_shim_collects_orphans_as_pid_1(local: LocalBackend) -> None:
    update = _sh(local, "for i in $(seq 20); do (sleep 0.01 &); done; sleep 1; ps -o stat | grep -c '^Z'; echo end")
    assert _result(update).splitlines() == ["0", "end"]
