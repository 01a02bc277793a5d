"""A small sample of each generated dataset, for the Basics page's dataset thumbnails.

The samples are the same for every visitor, so the page carries them in its HTML instead
of asking `POST /api/tasks/basics/preview` once per dataset on every load.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from playground.tasks import TASKS

SAMPLE_POINTS = 150  # train and test together: enough to see a 48-pixel thumbnail's shape


def rounded(point: list[float]) -> list[float]:
    """A point to one decimal (under half a pixel on a thumbnail), its label to two."""
    x1, x2, label = point
    return [round(x1, 1), round(x2, 1), round(label, 2)]


@lru_cache(maxsize=None)
def dataset_samples(task_name: str) -> dict[str, list[list[float]]]:
    """Each dataset of the task's catalogue that the task generates, as noise-free points."""
    task = TASKS[task_name]
    preview = getattr(task, "preview", None)
    if preview is None:
        return {}
    samples: dict[str, list[list[float]]] = {}
    for name, about in task.catalogue().get("datasets", {}).items():
        if not about.get("problem"):  # custom points: the visitor gives them
            continue
        config: dict[str, Any] = {**task.default_config(), "dataset": name, "problem": about["problem"], "noise": 0, "n_points": SAMPLE_POINTS}
        points = preview(config)
        samples[name] = [rounded(p) for p in points["train"] + points["test"]]
    return samples


THUMBNAIL_SIDE = 96


@lru_cache(maxsize=None)
def style_thumbnails() -> dict[str, str]:
    """Each built-in picture of the Style page as a small WebP data URL, for its picture choices."""
    from playground.tasks.picture_files import data_url, encode
    from playground.tasks.style.builtin import BUILTINS, builtin_image

    side = (THUMBNAIL_SIDE, THUMBNAIL_SIDE)
    return {name: data_url(encode(builtin_image(name, side), "webp", 80), "webp") for name in BUILTINS}
