"""Elastic tab stops with Go ``text/tabwriter`` block semantics."""

from __future__ import annotations

from argoctl.render.tabwriter import align


def test_terminated_cells_padded_last_cell_raw() -> None:
    assert align("a\tbb\tlast\nccc\td\tx\n", padding=2) == "a    bb  last\nccc  d   x\n"


def test_empty_terminated_cells_are_padded_too() -> None:
    assert align("a\t\t\nbbbb\t\t\n", padding=2) == "a     __\nbbbb  __\n".replace("_", " ")


def test_line_with_fewer_cells_splits_column_blocks() -> None:
    text = "a\tb\tc\n" "aaaa\t\n" "a\tbbbbbb\tc\n"
    # column 1 ("b" and "bbbbbb") is interrupted by the middle line, so each block sizes itself
    assert align(text, padding=1) == "a    b c\naaaa \na    bbbbbb c\n"


def test_width_counts_code_points_like_go_runes() -> None:
    assert align("✔ x\tT\n├─✔ yy\tT\n", padding=2) == "✔ x     T\n├─✔ yy  T\n"


def test_no_trailing_newline_and_min_width() -> None:
    assert align("a\tb", padding=0, min_width=4) == "a   b"
    assert align("", padding=2) == ""
