"""A task's configuration as a request gives it: validated, and the network it describes checked.

Both the task routes (``api.py``) and the run routes (``run_api.py``) read
configurations; this is the one place that turns one into a 400 naming each problem.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings

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


def check_net(task, config) -> int | None:
    """The network a config describes must be one that can be built; returns its parameter count."""
    spec = task.net_spec(config) if hasattr(task, "net_spec") else None
    if spec is not None:
        try:
            return nets.inspect_net(spec)["total_params"]
        except nets.NetError as exc:
            raise ApiError(400, errors=[{"path": f"config.net.{e['path']}".rstrip("."), "message": e["message"]} for e in exc.errors]) from None
    return None


def check_fits(task, config) -> None:
    """A task that knows what a run needs before it starts (``needs``) may say it would not fit this server."""
    needs = task.needs(config, settings.LAYERLAB_RUN_MEMORY, settings.DATA_DIR) if hasattr(task, "needs") else {}
    if needs.get("refusal"):
        raise ApiError(400, "config.size", needs["refusal"])
