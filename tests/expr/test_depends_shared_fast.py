"""The shared-form shortcuts for one-task ``depends`` give what the general parse gives."""

from __future__ import annotations

import re

import pytest

from argoctl.expr import depends


@pytest.mark.parametrize("expression", [
    "t0", "a-b", "(t0.Succeeded || t0.Skipped || t0.Daemoned)", "(a-b.Succeeded || a-b.Skipped || a-b.Daemoned)",
    "(a.Succeeded || b.Skipped || a.Daemoned)", "a && b",
])
def test_shortcut_matches_general_parse(monkeypatch: pytest.MonkeyPatch, expression: str) -> None:
    depends._shared_form.cache_clear()
    fast = depends._shared_form(expression)
    depends._shared_form.cache_clear()
    never = re.compile(r"(?!)")
    monkeypatch.setattr(depends, "_BARE_TASK", never)
    monkeypatch.setattr(depends, "_ONE_DEPENDENCY", never)
    general = depends._shared_form(expression)
    depends._shared_form.cache_clear()
    assert fast == general


def test_one_dependency_evaluates_by_its_results() -> None:
    logic = "(t-1.Succeeded || t-1.Skipped || t-1.Daemoned)"
    assert depends.evaluate_depends(logic, {"t-1": {"Skipped": True}}) is True
    assert depends.evaluate_depends(logic, {"t-1": {"Failed": True}}) is False
