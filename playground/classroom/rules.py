"""An assignment's constraints checked against a configuration (no Django): each breach is a sentence.

The server checks a submitted run's own stored configuration, never what a browser says.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from playground import nets
from playground.tasks import TASKS


@dataclass(frozen=True)
class Rules:
    task: str
    config: dict[str, Any]  # the assignment's starting configuration, normalised
    locked: list[str] = field(default_factory=list)
    allowed_layers: list[str] = field(default_factory=list)
    max_params: int | None = None
    max_epochs: int | None = None


def shown(value: Any) -> str:
    text = repr(value) if isinstance(value, str) else str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def layer_types(layers: list[dict[str, Any]], path: str = "") -> list[tuple[str, str]]:
    """(path, type) of every layer, blocks' insides included."""
    found = []
    for i, layer in enumerate(layers):
        here = f"{path}{i}"
        found.append((here, str(layer.get("type"))))
        found += layer_types(layer.get("layers", []), f"{here}.layers.")
        for b, branch in enumerate(layer.get("branches", [])):
            found += layer_types(branch, f"{here}.branches.{b}.")
    return found


def breaches(rules: Rules, config: dict[str, Any]) -> list[dict[str, str]]:
    """Every way the configuration breaks the rules, as {path, message}; empty when it keeps them."""
    out: list[dict[str, str]] = []
    for name in rules.locked:
        if config.get(name) != rules.config.get(name):
            out.append({"path": f"config.{name}", "message":
                        f"{name} is locked at {shown(rules.config.get(name))} in this assignment, but this run used {shown(config.get(name))}"})
    if rules.max_epochs is not None and isinstance(config.get("epochs"), int) and config["epochs"] > rules.max_epochs:
        out.append({"path": "config.epochs", "message":
                    f"this run trains {config['epochs']} epochs; the assignment allows at most {rules.max_epochs}"})
    task = TASKS.get(rules.task)
    if task is None or not hasattr(task, "net_spec") or not (rules.allowed_layers or rules.max_params is not None):
        return out
    spec = task.net_spec(task.Config.model_validate(config))
    if rules.allowed_layers:
        for path, kind in layer_types(spec.get("layers", [])):
            if kind not in rules.allowed_layers:
                out.append({"path": f"config.net.{path}", "message":
                            f"layer {int(path.split('.')[0]) + 1} ({kind}) is not allowed in this assignment; "
                            f"use {', '.join(rules.allowed_layers)}"})
    if rules.max_params is not None:
        total = nets.inspect_net(spec)["total_params"]
        if total > rules.max_params:
            out.append({"path": "config.net", "message":
                        f"this network has {total:,} parameters, over the assignment's budget of {rules.max_params:,}"})
    return out
