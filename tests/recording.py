"""A recorder of a task's events, as the run engine would keep them, for the task tests."""
from __future__ import annotations

import json
from typing import Any

from playground.tasks.base import EVENT_TYPES


class Recorder:
    """Collects events as the run engine would, refusing any that JSON could not carry."""

    def __init__(self) -> None:
        self.events: list[dict[str, Any]] = []

    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None:
        assert type in EVENT_TYPES, type
        json.dumps(data, allow_nan=False)  # NaN or infinity would raise here
        self.events.append({"type": type, "data": data, "step": step})

    def kinds(self) -> list[str]:
        """One word per event: the metric's split or the picture's/table's name."""
        return [e["data"].get("split") or e["data"].get("name") or e["type"] for e in self.events]

    def named(self, name: str) -> list[dict[str, Any]]:
        return [e["data"] for e in self.events if e["data"].get("name") == name]

    def metrics(self, split: str) -> list[dict[str, Any]]:
        return [e["data"] for e in self.events if e["type"] == "metric" and e["data"]["split"] == split]
