"""The args memo's key follows arguments changed in place (its per-object text is checked)."""

from __future__ import annotations

from typing import Any

from argoctl.engine.args import ArgsMemo


def test_key_follows_arguments_changed_in_place() -> None:
    memo = ArgsMemo()
    tmpl: dict[str, Any] = {"name": "t", "container": {"image": "alpine"}}
    args: dict[str, Any] = {"parameters": [{"name": "x", "value": "1"}]}
    first = memo.key(tmpl, args, ({}, {}))
    assert memo.key(tmpl, args, ({}, {})) == first
    args["parameters"][0]["value"] = "2"
    second = memo.key(tmpl, args, ({}, {}))
    assert second is not None and second != first
    assert '"2"' in second[1]
