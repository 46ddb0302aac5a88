"""``git``: clone a repository with the git CLI (input only).

Fields: ``repo``, ``revision``, ``depth``, ``fetch[]``, ``singleBranch`` + ``branch``,
``disableSubmodules``, ``insecureIgnoreHostKey``, ``insecureSkipTLS``, ``usernameSecret`` +
``passwordSecret`` (HTTPS, handed to git through ``GIT_ASKPASS`` and the environment, never the
command line) and ``sshPrivateKeySecret`` (a 0600 key file in a private temporary directory).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from argoctl.artifacts.drivers.base import JSON, BaseDriver, DriverOptions
from argoctl.artifacts.errors import ArtifactError, Redactor

_ASKPASS = """#!/bin/sh
case "$1" in
  Username*|username*) printf '%s\\n' "$ARGOCTL_GIT_USERNAME" ;;
  *) printf '%s\\n' "$ARGOCTL_GIT_PASSWORD" ;;
esac
"""


class GitDriver(BaseDriver):
    kind = "git"

    def __init__(self, redactor: Redactor, options: DriverOptions) -> None:
        self._redactor = redactor
        self._timeout = max(options.read_timeout * 10, 60.0)

    def load(self, location: JSON, dest: Path) -> None:
        repo = str(location.get("repo") or "")
        if not repo:
            raise ArtifactError("git location needs a repo")
        if location.get("singleBranch") and not location.get("branch"):
            raise ArtifactError("single branch mode without a branch specified")
        if shutil.which("git") is None:
            raise ArtifactError("git artifacts need the git command, which is not on PATH")
        with tempfile.TemporaryDirectory(prefix="argoctl-git-") as private:
            env = self._environment(location, Path(private))
            self._run(["clone", *self._clone_flags(location), "--", repo, str(dest)], env, "clone")
            self._after_clone(location, dest, env)

    def _after_clone(self, location: JSON, dest: Path, env: dict[str, str]) -> None:
        depth = _depth(location)
        fetch = [str(spec) for spec in location.get("fetch") or ()]
        if fetch:
            extra = [f"--depth={depth}"] if depth else []
            self._run(["-C", str(dest), "fetch", "--quiet", *extra, "origin", *fetch], env, "fetch")
        revision = str(location.get("revision") or "")
        if revision:
            commit = self._resolve(dest, revision, env)
            if commit is None:
                self._fetch_more(dest, revision, env)
                commit = self._resolve(dest, revision, env)
            if commit is None:
                raise ArtifactError(f"failed to resolve revision {revision!r}")
            self._run(["-C", str(dest), "-c", "advice.detachedHead=false", "checkout", "--quiet", commit],
                      env, "checkout")
        if not location.get("disableSubmodules"):
            self._run(["-C", str(dest), "submodule", "update", "--quiet", "--init", "--recursive"],
                      env, "update submodules")

    def _clone_flags(self, location: JSON) -> list[str]:
        flags = ["--quiet"]
        depth = _depth(location)
        if depth:
            flags.append(f"--depth={depth}")
        if location.get("singleBranch"):
            flags += ["--single-branch", "--branch", str(location["branch"])]
        elif depth:
            flags.append("--no-single-branch")  # --depth alone would imply one branch
        return flags

    def _fetch_more(self, dest: Path, revision: str, env: dict[str, str]) -> None:
        shallow = (dest / ".git" / "shallow").exists()
        args = ["-C", str(dest), "fetch", "--quiet", "--tags", *(["--unshallow"] if shallow else []),
                "origin", "+refs/heads/*:refs/remotes/origin/*"]
        self._run(args, env, "fetch")
        if self._resolve(dest, revision, env) is None:  # a commit no branch reaches: ask for it
            result = self._git(["-C", str(dest), "fetch", "--quiet", "origin", revision], env)
            if result.returncode == 0:
                self._git(["-C", str(dest), "update-ref", "refs/argoctl/wanted", "FETCH_HEAD"], env)

    def _resolve(self, dest: Path, revision: str, env: dict[str, str]) -> str | None:
        for candidate in (revision, f"origin/{revision}", "refs/argoctl/wanted"):
            result = self._git(["-C", str(dest), "rev-parse", "--verify", "--quiet",
                                f"{candidate}^{{commit}}"], env)
            if result.returncode == 0 and result.stdout.strip():
                if candidate == "refs/argoctl/wanted" and not result.stdout.startswith(revision):
                    continue
                return result.stdout.strip()
        return None

    def _environment(self, location: JSON, private: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "ARGOCTL_GIT_"))}
        env["GIT_TERMINAL_PROMPT"] = "0"
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        if location.get("insecureSkipTLS"):
            env["GIT_SSL_NO_VERIFY"] = "true"
        if location.get("usernameSecret") or location.get("passwordSecret"):
            askpass = private / "askpass.sh"
            askpass.write_text(_ASKPASS)
            askpass.chmod(0o700)
            env["GIT_ASKPASS"] = str(askpass)
            if location.get("usernameSecret"):
                env["ARGOCTL_GIT_USERNAME"] = self._redactor.get(location["usernameSecret"], what="git username")
            if location.get("passwordSecret"):
                env["ARGOCTL_GIT_PASSWORD"] = self._redactor.get(location["passwordSecret"], what="git password")
        ssh = ["ssh", "-o", "BatchMode=yes"]
        if location.get("sshPrivateKeySecret"):
            key = private / "id_key"
            key.write_text(self._redactor.get(location["sshPrivateKeySecret"], what="git ssh key").rstrip() + "\n")
            key.chmod(0o600)
            ssh += ["-i", str(key), "-o", "IdentitiesOnly=yes"]
        if location.get("insecureIgnoreHostKey"):
            ssh += ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null"]
        env["GIT_SSH_COMMAND"] = " ".join(ssh)
        return env

    def _git(self, args: Sequence[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
        try:
            return subprocess.run(["git", *args], env=env, capture_output=True, text=True,
                                  timeout=self._timeout, stdin=subprocess.DEVNULL, check=False)
        except subprocess.TimeoutExpired:
            raise ArtifactError(f"git {args[0] if args else ''} timed out after {self._timeout:.0f}s") from None

    def _run(self, args: Sequence[str], env: dict[str, str], what: str) -> None:
        result = self._git(args, env)
        if result.returncode != 0:
            lines = [ln for ln in (result.stderr or result.stdout).strip().splitlines() if ln.strip()]
            reason = lines[-1] if lines else f"git exited with {result.returncode}"
            raise ArtifactError(self._redactor.redact(f"failed to {what}: {reason}"))


def _depth(location: JSON) -> int:
    try:
        return max(int(location.get("depth") or 0), 0)
    except (TypeError, ValueError):
        raise ArtifactError(f"git depth must be a number, got {location.get('depth')!r}") from None
