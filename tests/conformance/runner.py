"""Run one conformance case through the real CLI (``python -m argoctl``), as the outside check does."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.conformance.corpus import REPO, Case

JSON = dict[str, Any]
STEP_TIMEOUT = 240.0


@dataclass
class Outcome:
    workflow: JSON | None = None
    rejected: bool = False
    rc: int = 0
    stderr: str = ""
    logs: str = ""
    notes: list[str] = field(default_factory=list)


class Runner:
    def __init__(self, case: Case, work: Path) -> None:
        self.case = case
        self.work = work
        self.env = dict(os.environ)
        self.env.update({
            "ARGOCTL_HOME": str(work / "home"), "ARGOCTL_BACKEND": "local", "NO_COLOR": "1",
            "ARGOCTL_NAMESPACE": "argo",
            "PATH": f"{REPO / 'tests' / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}",
        })

    def cli(self, *args: str, timeout: float = STEP_TIMEOUT) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "argoctl", *args], env=self.env, cwd=self.work,
                              capture_output=True, text=True, timeout=timeout, check=False)

    def _documents(self, path: Path) -> list[JSON]:
        return [d for d in yaml.safe_load_all(path.read_text()) if d]

    def _write(self, name: str, docs: list[JSON]) -> str:
        target = self.work / name
        target.write_text(yaml.safe_dump_all(docs, sort_keys=False))
        return str(target)

    def apply_prerequisites(self) -> None:
        for pre in self.case.expect.get("prerequisites") or []:
            if pre.get("same_file_as_workflow"):
                source = self.case.directory / self.case.expect["submit"]["file"]
                docs = [d for d in self._documents(source)
                        if (d.get("metadata") or {}).get("name") == pre.get("name") and d.get("kind") == pre.get("kind")]
                path = self._write(f"prereq-{pre.get('name')}.yaml", docs)
            else:
                source = self.case.directory / pre["file"]
                docs = self._documents(source)
                if any("kind" not in d for d in docs):
                    for doc in docs:
                        doc.setdefault("apiVersion", "argoproj.io/v1alpha1")
                        doc.setdefault("kind", pre.get("kind"))
                    path = self._write(f"prereq-{source.name}", docs)
                else:
                    path = str(source)
            result = self.cli("apply", "-f", path)
            if result.returncode != 0:
                raise RuntimeError(f"apply {path} failed: {result.stderr.strip()}")

    def _submit_document(self) -> str:
        submit = self.case.expect["submit"]
        source = self.case.directory / submit["file"]
        docs = self._documents(source)
        wanted = submit.get("name", "")
        if len(docs) > 1:
            docs = [d for d in docs if d.get("kind", submit["kind"]) == submit["kind"] and
                    wanted in ((d.get("metadata") or {}).get("name"), (d.get("metadata") or {}).get("generateName"))] or docs[:1]
        for doc in docs:
            if submit.get("implicit_kind") or "kind" not in doc:
                doc.setdefault("apiVersion", "argoproj.io/v1alpha1")
                doc.setdefault("kind", submit["kind"])
        return self._write(f"submit-{self.case.id}.yaml", docs[:1])

    def submit_args(self) -> list[str]:
        submit = self.case.expect["submit"]
        path = self._submit_document()
        if submit.get("mode") == "submit-from":
            result = self.cli("apply", "-f", path)
            if result.returncode != 0:
                raise RuntimeError(f"apply {path} failed: {result.stderr.strip()}")
            doc = self._documents(Path(path))[0]
            return ["submit", "--from", f"{submit['kind'].lower()}/{doc['metadata']['name']}"]
        # inline Go fixtures are decoded leniently upstream (one has a field argo v4 lacks)
        return ["submit", path, *(["--strict=false"] if submit.get("implicit_kind") else [])]

    def run(self) -> Outcome:
        self.apply_prerequisites()
        args = self.submit_args()
        interactions = self.case.expect.get("interaction") or []
        if not interactions:
            result = self.cli(*args, "--wait", "-o", "json")
            outcome = Outcome(rc=result.returncode, stderr=result.stderr)
            if result.returncode == 2:
                outcome.rejected = True
                return outcome
            outcome.workflow = json.loads(result.stdout) if result.stdout.strip() else None
        else:
            outcome = self._interactive(args, interactions)
        if outcome.workflow and self.case.expect.get("logs_contain"):
            logs = self.cli("logs", outcome.workflow["metadata"]["name"])
            outcome.logs = logs.stdout
        return outcome

    def get(self, name: str) -> JSON:
        result = self.cli("get", name, "-o", "json")
        return json.loads(result.stdout) if result.returncode == 0 and result.stdout.strip() else {}

    def _interactive(self, args: list[str], interactions: list[JSON]) -> Outcome:
        result = self.cli(*args, "-o", "name")
        if result.returncode != 0:
            return Outcome(rc=result.returncode, stderr=result.stderr, rejected=result.returncode == 2)
        name = result.stdout.strip()
        outcome = Outcome()
        for interaction in interactions:
            self._await(name, str(interaction.get("when", "")), outcome)
            self._act(name, interaction, outcome)
        waited = self.cli("wait", name)
        outcome.rc, outcome.stderr = waited.returncode, waited.stderr
        outcome.workflow = self.get(name)
        return outcome

    def _await(self, name: str, when: str, outcome: Outcome) -> None:
        node = re.search(r'node "([^"]+)"', when)
        phase = re.search(r"\bis (Running|Succeeded|Failed|Pending)", when)
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            wf = self.get(name)
            nodes = list(((wf.get("status") or {}).get("nodes") or {}).values())
            if (wf.get("status") or {}).get("finishedAt"):
                outcome.notes.append(f"workflow finished before: {when}")
                return
            if _condition(nodes, node.group(1) if node else "", phase.group(1) if phase else "Running",
                          "onExit handler is running" in when):
                return
            time.sleep(0.2)
        outcome.notes.append(f"timed out waiting for: {when}")

    def _act(self, name: str, interaction: JSON, outcome: Outcome) -> None:
        action = interaction.get("action")
        if action == "set-output-and-resume":
            notes = str(interaction.get("notes", ""))
            for key, value in re.findall(r"--output-parameter[ =](\w[\w-]*)=(\S+)", notes):
                self.cli("node", "set", name, "--output-parameter", f"{key}={value.rstrip(');,')}",
                         "--node-field-selector", f"displayName={_node_in(interaction)}")
            action = "resume"
        result = self.cli(str(action), name)
        if result.returncode != 0:
            outcome.notes.append(f"{action} failed: {result.stderr.strip()}")


def _node_in(interaction: JSON) -> str:
    match = re.search(r'node "([^"]+)"', str(interaction.get("when", "")))
    return match.group(1) if match else ""


def _condition(nodes: list[JSON], display: str, phase: str, on_exit_running: bool) -> bool:
    if display:
        hit = any(n.get("displayName") == display and n.get("phase") == phase for n in nodes)
    else:
        hit = any(n.get("type") == "Pod" and n.get("phase") == phase for n in nodes)
    if on_exit_running:
        hit = hit and any(str(n.get("displayName", "")).endswith(".onExit") and n.get("phase") in ("Pending", "Running")
                          for n in nodes)
    return hit
