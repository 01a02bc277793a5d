"""How much memory and time a style run needs, worked out from VGG-19's shapes before it starts.

Memory: the network's weights up to the deepest layer used, every layer's activations
(kept by the forward pass for the backward one) twice over (their gradients at the
peak of the backward pass), and the optimiser's copies of the image (L-BFGS keeps
``HISTORY`` pairs of them, Adam two). Time: three times the forward pass's
multiply-accumulates per iteration (forward, and backward to the input), at a rate
for this kind of device (``MACS_PER_SECOND``). Both are
estimates for the worst case (a square picture); the server refuses a run whose memory
does not fit the budget and names the largest size that does (``largest_size``).
"""
from __future__ import annotations

import math
from typing import Any

from playground.tasks.style.config import MAX_SIZE, MIN_SIZE, StyleConfig
from playground.tasks.style.vgg import LAYERS

HISTORY = 20  # L-BFGS's history_size (PyTorch's default of 100 would keep 100 pairs of images)
ACTIVATION_COPIES = 2.2  # activations kept for backward, their gradients at the peak, and some slack
OVERHEAD_BYTES = 64 * 2**20  # the allocator's rounding, cuDNN's workspace, the result's copies
# Multiply-accumulates per second of a style run (forward and backward), by device kind, for an "about":
# bench/style.py measured 6.4e9 on one thread of a busy 2-core VM (1.43 iterations a second at 256 px with
# the stand-in); the CPU figure assumes two threads. The CUDA figure is a guess, not yet measured.
MACS_PER_SECOND = {"cpu": 1.0e10, "cuda": 2.0e12}


def layer_costs(side_width: int, side_height: int, last_layer: int, scale: float = 1.0) -> tuple[int, int, int]:
    """(weights, activation elements, forward MACs) of VGG-19's layers 0..last_layer on a width × height picture,
    with ``scale`` times its channels (the offline stand-in has a quarter)."""
    params = activations = macs = 0
    channels, height, width = 3, side_height, side_width
    for layer in LAYERS[: last_layer + 1]:
        if layer.type == "Conv2d":
            out = max(1, round(layer.channels * scale))
            params += out * channels * 9 + out
            macs += out * channels * 9 * height * width
            channels = out
        elif layer.type == "MaxPool2d":
            height, width = height // 2, width // 2
        activations += channels * height * width
    return params, activations, macs


def estimate(config: StyleConfig, size: int | None = None, scale: float = 1.0) -> dict[str, Any]:
    """Memory in bytes and seconds per device kind for ``config`` (at ``size`` instead of its own, if given),
    with a network of ``scale`` times VGG-19's channels."""
    side = size or config.size
    params, activations, macs = layer_costs(side, side, config.last_layer, scale)
    image = 3 * side * side
    optimiser_images = 2 * HISTORY + 3 if config.optimizer == "lbfgs" else 4
    styles = 2 if config.style_b else 1
    pictures = (2 + styles) * image  # content, style(s) and the result itself
    memory = 4 * (params + ACTIVATION_COPIES * activations + (optimiser_images * image) + pictures) + OVERHEAD_BYTES
    work = 3 * macs * config.iterations + macs * (1 + styles)  # the targets are one forward pass each
    return {
        "size": side,
        "memory_bytes": int(memory),
        "seconds": {kind: round(work / rate, 1) for kind, rate in MACS_PER_SECOND.items()},
        "macs_per_iteration": 3 * macs,
    }


def largest_size(config: StyleConfig, budget_bytes: int, scale: float = 1.0) -> int | None:
    """The largest size (a multiple of 16) at which the run fits ``budget_bytes``, or None if not even the smallest does."""
    low, high = MIN_SIZE // 16, MAX_SIZE // 16
    if estimate(config, low * 16, scale)["memory_bytes"] > budget_bytes:
        return None
    while low < high:
        middle = (low + high + 1) // 2
        if estimate(config, middle * 16, scale)["memory_bytes"] <= budget_bytes:
            low = middle
        else:
            high = middle - 1
    return low * 16


def refusal(config: StyleConfig, budget_bytes: int, scale: float = 1.0) -> str | None:
    """Why the run would not fit ``budget_bytes`` of device memory, naming the size that would; None if it fits."""
    need = estimate(config, scale=scale)["memory_bytes"]
    if need <= budget_bytes:
        return None
    fits = largest_size(config, budget_bytes, scale)
    advice = (f"the largest size that fits with these settings is {fits} px" if fits
              else "choose fewer or shallower layers")
    return (f"at {config.size} px this run needs about {gigabytes(need)} of device memory, more than the "
            f"{gigabytes(budget_bytes)} a run may use on this server; {advice}")


def gigabytes(count: float) -> str:
    return f"{count / 2**30:.1f} GB" if count >= 2**30 else f"{math.ceil(count / 2**20)} MB"
