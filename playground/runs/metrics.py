"""What a run's metric events add up to: the latest value of each split's fields, and its loss curves."""
from __future__ import annotations

from typing import Any

from playground.runs.models import Event

# The last metric events read for a run's latest values: enough to hold one of each split.
TAIL = 12


def latest_metrics(run_id: int) -> dict[str, dict[str, float]]:
    """{"train": {"loss": 0.1, "accuracy": 0.97, "epoch": 100}, "test": {...}}: each split's latest numbers."""
    latest: dict[str, dict[str, float]] = {}
    rows = Event.objects.filter(run_id=run_id, type="metric").order_by("-seq").values_list("data", "step")[:TAIL]
    for data, step in rows:
        split = str(data.get("split", ""))
        if not split or split in latest:
            continue
        values = {k: v for k, v in data.items() if isinstance(v, (int, float)) and not isinstance(v, bool)}
        if step is not None:
            values.setdefault("step", step)
        latest[split] = values
    return latest


def metric_value(latest: dict[str, dict[str, float]], metric: str) -> float | None:
    """A "split.field" metric ("test.accuracy") read from latest_metrics, or None when the run has none."""
    split, _, field = metric.partition(".")
    value = latest.get(split, {}).get(field)
    return float(value) if value is not None else None


def key_metric(latest: dict[str, dict[str, float]]) -> dict[str, Any] | None:
    """The one number a list shows for a run: test accuracy, else test loss, else train loss."""
    for name in ("test.accuracy", "val.accuracy", "test.loss", "val.loss", "train.loss"):
        value = metric_value(latest, name)
        if value is not None:
            return {"name": name, "value": value}
    return None


def loss_curves(run_id: int, limit: int = 5000) -> dict[str, list[tuple[float, float]]]:
    """Each split's (epoch or step, loss) points, in order."""
    curves: dict[str, list[tuple[float, float]]] = {}
    rows = Event.objects.filter(run_id=run_id, type="metric").order_by("seq").values_list("data", "step")[:limit]
    for data, step in rows:
        loss = data.get("loss")
        if not isinstance(loss, (int, float)) or isinstance(loss, bool):
            continue
        x = data.get("epoch", step)
        curves.setdefault(str(data.get("split", "")), []).append((float(x if x is not None else 0), float(loss)))
    return curves
