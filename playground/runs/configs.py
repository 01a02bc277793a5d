"""A task's configuration as a request gives it: validated, and the network it describes checked.

Both the task routes (``api.py``) and the run routes (``run_api.py``) read
configurations; this is the one place that turns one into a 400 naming each problem.
"""
from __future__ import annotations

from typing import Any

from playground import nets
from playground.runs.errors import ApiError, pydantic_errors


def parse_config(task, raw: dict[str, Any]):
    """A task's config from its JSON form, with every problem named (paths start with config.)."""
    import pydantic

    try:
        config = task.Config.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise ApiError(400, errors=pydantic_errors(exc.errors(), prefix="config")) from None
    check_net(task, config)
    return config


def check_net(task, config) -> None:
    """The network a config describes must be one that can be built."""
    spec = task.net_spec(config) if hasattr(task, "net_spec") else None
    if spec is not None:
        try:
            nets.inspect_net(spec)
        except nets.NetError as exc:
            raise ApiError(400, errors=[{"path": f"config.net.{e['path']}".rstrip("."), "message": e["message"]} for e in exc.errors]) from None
