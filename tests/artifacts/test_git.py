"""The git driver (git CLI) against repositories on local disk."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from argoctl.artifacts import ArtifactError, RepositoryArtifactIO
from tests.artifacts.conftest import FAST, PodFS, inputs, make_request

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
SECRETS = {("git-cred", "user"): "gituser", ("git-cred", "password"): "gitpass-7788",
           ("git-cred", "ssh"): "-----BEGIN OPENSSH PRIVATE KEY-----\nnot-a-real-key\n-----END OPENSSH PRIVATE KEY-----"}


def git(cwd: Path, *args: str) -> str:
    result = subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", "-c", "init.defaultBranch=main",
                             "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True,
                            text=True)
    return result.stdout.strip()


@pytest.fixture(scope="module")
def origin(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    repo = tmp_path_factory.mktemp("origin")
    git(repo, "init", "-q")
    (repo / "file.txt").write_text("v1\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "one")
    first = git(repo, "rev-parse", "HEAD")
    git(repo, "tag", "v1")
    (repo / "file.txt").write_text("v2\n")
    git(repo, "commit", "-qam", "two")
    git(repo, "checkout", "-qb", "feature")
    (repo / "file.txt").write_text("feature\n")
    git(repo, "commit", "-qam", "three")
    git(repo, "checkout", "-q", "main")
    return {"url": f"file://{repo}", "first": first}


@pytest.fixture
def io() -> RepositoryArtifactIO:
    return RepositoryArtifactIO(None, get_secret=lambda name, key: SECRETS[(name, key)], options=FAST)


def load(io: RepositoryArtifactIO, pod: PodFS, **git_fields: Any) -> Path:
    io.load_inputs(make_request(inputs({"name": "src", "path": "/src", "git": git_fields})), pod)
    return pod.path("/src")


@pytest.mark.parametrize(("revision", "expected"), [
    (None, "v2\n"), ("v1", "v1\n"), ("feature", "feature\n"), ("first", "v1\n"),
])
def test_clone_and_revision(io: RepositoryArtifactIO, origin: dict[str, str], consumer: PodFS,
                            revision: str | None, expected: str) -> None:
    fields = {"repo": origin["url"]}
    if revision:
        fields["revision"] = origin["first"] if revision == "first" else revision
    src = load(io, consumer, **fields)
    assert (src / "file.txt").read_text() == expected


def test_shallow_clone_still_reaches_an_old_revision(io: RepositoryArtifactIO, origin: dict[str, str],
                                                      consumer: PodFS) -> None:
    src = load(io, consumer, repo=origin["url"], depth=1, revision=origin["first"])
    assert (src / "file.txt").read_text() == "v1\n"


def test_single_branch(io: RepositoryArtifactIO, origin: dict[str, str], consumer: PodFS) -> None:
    src = load(io, consumer, repo=origin["url"], singleBranch=True, branch="feature", depth=1)
    assert (src / "file.txt").read_text() == "feature\n"
    branches = subprocess.run(["git", "-C", str(src), "branch", "-r"], capture_output=True, text=True).stdout
    assert "origin/main" not in branches
    with pytest.raises(ArtifactError, match="single branch mode without a branch specified"):
        load(io, consumer, repo=origin["url"], singleBranch=True)


def test_bad_repo_and_bad_revision(io: RepositoryArtifactIO, origin: dict[str, str], tmp_path: Path,
                                   consumer: PodFS) -> None:
    with pytest.raises(ArtifactError) as info:
        load(io, consumer, repo=f"file://{tmp_path}/nope.git")
    assert info.value.message.startswith("artifact src failed to load (git file://")
    assert "failed to clone" in info.value.message
    with pytest.raises(ArtifactError, match="failed to resolve revision 'no-such-ref'"):
        load(io, consumer, repo=origin["url"], revision="no-such-ref")
    assert not consumer.path("/src").exists()


def test_credentials_go_through_the_environment_not_the_command_line(
        io: RepositoryArtifactIO, origin: dict[str, str], consumer: PodFS, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[list[str], dict[str, str]]] = []
    real_run = subprocess.run

    def spy(args: list[str], **kwargs: Any) -> Any:
        env = dict(kwargs.get("env") or {})
        seen.append((list(args), env))
        if "GIT_ASKPASS" in env:
            askpass = Path(env["GIT_ASKPASS"])
            assert askpass.stat().st_mode & 0o777 == 0o700
        key_file = next((a for a in env.get("GIT_SSH_COMMAND", "").split() if a.endswith("id_key")), None)
        if key_file:
            assert Path(key_file).stat().st_mode & 0o777 == 0o600
        return real_run(args, **kwargs)

    monkeypatch.setattr(subprocess, "run", spy)
    load(io, consumer, repo=origin["url"], usernameSecret={"name": "git-cred", "key": "user"},
         passwordSecret={"name": "git-cred", "key": "password"}, sshPrivateKeySecret={"name": "git-cred", "key": "ssh"},
         insecureIgnoreHostKey=True)
    assert seen
    for args, env in seen:
        assert "gitpass-7788" not in " ".join(args)
        assert env["ARGOCTL_GIT_PASSWORD"] == "gitpass-7788" and env["GIT_TERMINAL_PROMPT"] == "0"
        assert "StrictHostKeyChecking=no" in env["GIT_SSH_COMMAND"]
    key_file = next(a for a in seen[0][1]["GIT_SSH_COMMAND"].split() if a.endswith("id_key"))
    assert not Path(key_file).exists()  # the private directory is gone


def test_failing_clone_redacts_secrets(io: RepositoryArtifactIO, consumer: PodFS) -> None:
    with pytest.raises(ArtifactError) as info:
        load(io, consumer, repo="file:///nonexistent/gitpass-7788.git",
             passwordSecret={"name": "git-cred", "key": "password"})
    assert "gitpass-7788" not in info.value.message
