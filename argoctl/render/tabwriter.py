"""Elastic tab stops with the semantics of Go's ``text/tabwriter`` (flags 0, pad char ``' '``).

Input is text whose cells are terminated by ``\\t``; the text after a line's last tab is not part
of any column and is never padded. A column's width is computed over each *block* of consecutive
lines that all have a tab-terminated cell in that column, so a line with fewer cells splits the
blocks of the columns it lacks (``argo get`` relies on this for its onExit separator row).
Width is counted in code points (Go counts runes), ANSI escapes included, exactly as Go does.
"""

from __future__ import annotations


def align(text: str, *, padding: int, min_width: int = 0) -> str:
    """Lay ``text`` out in columns: every terminated cell padded with spaces to its block width."""
    rows = [line.split("\t") for line in text.split("\n")]
    widths: list[list[int]] = [[] for _ in rows]
    _size_column(rows, widths, 0, 0, len(rows), padding, min_width)
    out: list[str] = []
    for row, row_widths in zip(rows, widths, strict=True):
        cells = [cell.ljust(width) for cell, width in zip(row, row_widths, strict=False)]
        cells.append(row[-1])
        out.append("".join(cells))
    return "\n".join(out)


def _size_column(
    rows: list[list[str]], widths: list[list[int]], column: int, first: int, stop: int,
    padding: int, min_width: int,
) -> None:
    """Give ``column`` a width per block within rows ``first..stop``, then size the next column."""
    index = first
    while index < stop:
        if not _has_cell(rows[index], column):
            index += 1
            continue
        block_start = index
        width = min_width
        while index < stop and _has_cell(rows[index], column):
            width = max(width, len(rows[index][column]) + padding)
            index += 1
        for row_index in range(block_start, index):
            widths[row_index].append(width)
        _size_column(rows, widths, column + 1, block_start, index, padding, min_width)


def _has_cell(row: list[str], column: int) -> bool:
    """Whether ``row`` has a tab-terminated cell at ``column`` (its last cell never counts)."""
    return column < len(row) - 1
