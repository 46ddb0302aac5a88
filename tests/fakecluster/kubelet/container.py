"""One run of one container as a host process group: start, capture stdout and stderr into the
log, wait, kill, and read the termination message."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import IO

from tests.fakecluster.kubelet.logstore import ContainerLog
from tests.fakecluster.kubelet.sandbox import Launch

MESSAGE_LIMIT = 4096
FALLBACK_LINES = 80
FALLBACK_BYTES = 2048
START_ERROR_CODE = 128
_RUNTIME_PREFIX = ("failed to create containerd task: failed to create shim task: OCI runtime create failed: "
                   "runc create failed: unable to start container process: ")


class ContainerProcess:
    def __init__(self, launch: Launch, log: ContainerLog, start_error_file: Path, termination_file: Path) -> None:
        self.launch = launch
        self.log = log
        self.start_error_file = start_error_file
        self.termination_file = termination_file
        self.started_at = 0.0
        self.finished_at = 0.0
        self.forced_reason = ""  # e.g. OOMKilled, set before a kill by a fault
        self._process: subprocess.Popen[bytes] | None = None
        self._readers: list[threading.Thread] = []

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process else None

    def start(self) -> str:
        """Start the process; returns a StartError message, or "" when it runs."""
        self.started_at = time.time()
        if self.launch.start_error:
            self.finished_at = self.started_at
            self.log.close()
            return _RUNTIME_PREFIX + self.launch.start_error + ": unknown"
        try:
            self._process = subprocess.Popen(
                self.launch.argv, env=self.launch.env, cwd=self.launch.cwd, stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
            )
        except OSError as error:
            self.finished_at = time.time()
            self.log.close()
            return _RUNTIME_PREFIX + str(error) + ": unknown"
        for stream in (self._process.stdout, self._process.stderr):
            assert stream is not None
            reader = threading.Thread(target=self._capture, args=(stream,), daemon=True)
            reader.start()
            self._readers.append(reader)
        return ""

    def _capture(self, stream: IO[bytes]) -> None:
        for line in iter(stream.readline, b""):
            self.log.append(line)
        stream.close()

    def wait(self) -> tuple[int, str]:
        """Block until the process exits; returns (exit code, StartError message or "")."""
        assert self._process is not None
        code = self._process.wait()
        self.kill(signal.SIGKILL)  # the container's other processes end with it
        for reader in self._readers:
            reader.join(timeout=2)
        self.finished_at = time.time()
        self.log.close()
        exit_code = 128 - code if code < 0 else code
        if exit_code == START_ERROR_CODE and self._read_start_error():
            return exit_code, _RUNTIME_PREFIX + self._read_start_error() + ": unknown"
        return exit_code, ""

    def kill(self, sig: int) -> None:
        if self._process is None:
            return
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._process.pid, sig)

    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def _read_start_error(self) -> str:
        try:
            return self.start_error_file.read_text(errors="replace").strip()
        except OSError:
            return ""

    def termination_message(self, exit_code: int, fallback_to_logs: bool) -> str:
        """The file's content (at most 4096 bytes); with FallbackToLogsOnError and a failure and
        an empty file, the end of the log."""
        try:
            with open(self.termination_file, "rb") as handle:
                content = handle.read(MESSAGE_LIMIT)
        except OSError:
            content = b""
        if not content and fallback_to_logs and exit_code != 0:
            return self.log.tail_text(FALLBACK_LINES, FALLBACK_BYTES)
        return content.decode(errors="replace")
