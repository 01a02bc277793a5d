"""Words for a link preview of a configuration or a run: a title and a one-line description."""
from __future__ import annotations

from typing import Any

from playground import nets
from playground.tasks import TASKS

# Settings worth a word in a preview, when a task's configuration has them.
NOTED = ("dataset", "activation", "optimizer", "learning_rate", "epochs", "batch_size")


def net_report(task_name: str, config: dict[str, Any]) -> tuple[dict | None, dict | None]:
    """The network spec a configuration trains and its inspection, or (None, None)."""
    task = TASKS.get(task_name)
    if task is None or not hasattr(task, "net_spec"):
        return None, None
    try:
        spec = task.net_spec(task.Config.model_validate(config))
        return spec, nets.inspect_net(spec)
    except (ValueError, nets.NetError):
        return None, None


def describe(task_name: str, config: dict[str, Any]) -> tuple[str, str]:
    task = TASKS.get(task_name)
    title = task.title if task is not None else task_name
    words = [f"{key.replace('_', ' ')} {config[key]}" for key in NOTED if key in config]
    _, report = net_report(task_name, config)
    if report is not None:
        words.insert(0, f"{len(report['layers'])} layers, {report['total_params']:,} parameters")
    return title, "; ".join(words) or "a configuration to train"
