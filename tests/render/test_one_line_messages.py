"""``status.message`` stays one line: the engine keeps an error's first line (not its hint), and the
list table shows a stored multi-line message (from an older version) as one cell."""

from __future__ import annotations

from datetime import UTC, datetime

from argoctl.engine.operation import one_line
from argoctl.errors import UsageError
from argoctl.render import render_list

NOW = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)


def test_the_engine_keeps_the_message_and_drops_the_hint() -> None:
    rendered = UsageError("bad parameter x", hint="give -p x=VALUE").render()
    assert "\n" in rendered and one_line(rendered) == "bad parameter x"
    assert one_line("Invalid 'when' expression 'a b': bad\n  | a b\n  | ..^") == "Invalid 'when' expression 'a b': bad"
    assert one_line("plain") == "plain"


def _wf(name: str, message: str) -> dict[str, object]:
    return {"metadata": {"name": name, "creationTimestamp": "2024-05-01T11:00:00Z"},
            "status": {"phase": "Failed", "startedAt": "2024-05-01T11:00:00Z",
                       "finishedAt": "2024-05-01T11:01:00Z", "message": message}}


def test_a_multi_line_message_is_one_table_cell() -> None:
    text = render_list([_wf("a", "broke\n  hint: fix it"), _wf("b", "ok")], now=NOW)
    lines = text.splitlines()
    assert len(lines) == 3
    assert lines[1].split()[-4:] == ["broke", "hint:", "fix", "it"] or lines[2].split()[-4:] == [
        "broke", "hint:", "fix", "it"]
