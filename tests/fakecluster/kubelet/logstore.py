"""A container run's log: stdout and stderr lines with their arrival times, readable with the
options of ``pods/log`` (tailLines, sinceSeconds/sinceTime, timestamps, limitBytes, follow)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tests.fakecluster.meta import rfc3339_nano


@dataclass(frozen=True)
class LogOptions:
    tail_lines: int | None = None
    since: float | None = None  # epoch seconds
    timestamps: bool = False
    limit_bytes: int | None = None


class ContainerLog:
    def __init__(self) -> None:
        self._records: list[tuple[float, bytes]] = []
        self._closed = False
        self._changed = threading.Condition()

    def append(self, line: bytes, at: float | None = None) -> None:
        with self._changed:
            self._records.append((time.time() if at is None else at, line))
            self._changed.notify_all()

    def close(self) -> None:
        with self._changed:
            self._closed = True
            self._changed.notify_all()

    @property
    def closed(self) -> bool:
        return self._closed

    def text(self) -> str:
        with self._changed:
            return b"".join(line for _, line in self._records).decode(errors="replace")

    def tail_text(self, max_lines: int, max_bytes: int) -> str:
        """The last lines (for FallbackToLogsOnError)."""
        with self._changed:
            data = b"".join(line for _, line in self._records[-max_lines:])
        return data[-max_bytes:].decode(errors="replace")

    def _select(self, options: LogOptions, records: list[tuple[float, bytes]]) -> list[tuple[float, bytes]]:
        if options.since is not None:
            records = [r for r in records if r[0] >= options.since]
        if options.tail_lines is not None:
            records = records[-options.tail_lines:] if options.tail_lines > 0 else []
        return records

    @staticmethod
    def _render(record: tuple[float, bytes], timestamps: bool) -> bytes:
        return (rfc3339_nano(record[0]).encode() + b" " + record[1]) if timestamps else record[1]

    def read(self, options: LogOptions) -> bytes:
        with self._changed:
            records = self._select(options, list(self._records))
        data = b"".join(self._render(r, options.timestamps) for r in records)
        return data[: options.limit_bytes] if options.limit_bytes is not None else data

    def follow(self, options: LogOptions, alive: Callable[[], bool]) -> Iterator[bytes]:
        """Yield the selected lines, then new ones as they come, until the run ends or the
        reader goes away (``alive`` false)."""
        with self._changed:
            records = self._select(options, list(self._records))
            position = len(self._records)
        sent = 0
        for record in records:
            chunk = self._render(record, options.timestamps)
            yield from self._limited(chunk, sent, options.limit_bytes)
            sent += len(chunk)
        while alive():
            with self._changed:
                if position >= len(self._records):
                    if self._closed:
                        return
                    self._changed.wait(0.25)
                    continue
                fresh = self._records[position:]
                position = len(self._records)
            for record in fresh:
                chunk = self._render(record, options.timestamps)
                yield from self._limited(chunk, sent, options.limit_bytes)
                sent += len(chunk)
                if options.limit_bytes is not None and sent >= options.limit_bytes:
                    return

    @staticmethod
    def _limited(chunk: bytes, sent: int, limit: int | None) -> Iterator[bytes]:
        if limit is None:
            yield chunk
        elif sent < limit:
            yield chunk[: limit - sent]
