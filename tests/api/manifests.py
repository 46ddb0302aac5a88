"""Small workflows for the API tests (plain dicts: what a notebook would build)."""

from __future__ import annotations

from typing import Any

JSON = dict[str, Any]


def echo(message: str = "x") -> JSON:
    """One step echoing ``msg``; its output parameter ``said`` is the message."""
    return {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"generateName": "echo-"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "msg", "value": message}]},
            "templates": [{
                "name": "main",
                "inputs": {"parameters": [{"name": "msg"}]},
                "outputs": {"parameters": [{"name": "said", "value": "{{inputs.parameters.msg}}"}]},
                "container": {"image": "alpine", "command": ["sh", "-c", "echo said {{inputs.parameters.msg}}"]},
            }],
        },
    }


def flaky() -> JSON:
    """Steps ``first`` (fine) then ``flaky``: exits with the workflow parameter ``code`` (default 3)."""
    return {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"generateName": "flaky-"},
        "spec": {
            "entrypoint": "main",
            "arguments": {"parameters": [{"name": "code", "value": "3"}]},
            "templates": [
                {"name": "main", "steps": [[{"name": "first", "template": "say"}], [{"name": "flaky", "template": "flaky"}]]},
                {"name": "say", "container": {"image": "alpine", "command": ["sh", "-c", "echo first"]}},
                {"name": "flaky", "container": {"image": "alpine", "command": [
                    "sh", "-c", "echo exit {{workflow.parameters.code}}; exit {{workflow.parameters.code}}"]}},
            ],
        },
    }


def sleeper() -> JSON:
    return {
        "apiVersion": "argoproj.io/v1alpha1", "kind": "Workflow",
        "metadata": {"generateName": "sleeper-"},
        "spec": {"entrypoint": "main",
                 "templates": [{"name": "main", "container": {"image": "alpine", "command": ["sleep", "300"]}}]},
    }
