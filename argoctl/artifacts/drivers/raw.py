"""``raw``: inline data written to the artifact path (input only)."""

from __future__ import annotations

from pathlib import Path

from argoctl.artifacts.drivers.base import JSON, BaseDriver


class RawDriver(BaseDriver):
    kind = "raw"

    def load(self, location: JSON, dest: Path) -> None:
        data = location.get("data")
        dest.write_text("" if data is None else str(data), encoding="utf-8")

    def exists(self, location: JSON) -> bool:
        return True
