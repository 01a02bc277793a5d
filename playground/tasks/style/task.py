"""The Style page's task: neural style transfer (Gatys et al.), the picture itself being what is optimised.

Run it without the web site:

    from playground.tasks.style import StyleTask
    from playground.tasks.base import RunContext
    StyleTask().run(StyleTask.Config(size=64, iterations=20), RunContext(emit=print))

Events (docs/api.md, "Style events"): a log line naming the feature network; the
content and style pictures once; ``metric`` ``{"split": "loss", "content", "style",
"tv", "total"}`` every iteration (read from the device in bursts, at each picture or
every half second); the picture as it forms (``image`` "result", WebP) every
``picture_every`` iterations; and at the end the result at full size as a PNG
(``image`` "final", with ``download``), also when the run is stopped early.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import numpy as np
import pydantic
import torch
from torch import Tensor

from playground.tasks.base import RunContext, Stopped, Task, emitted_together, finite
from playground.tasks.style import inputs
from playground.tasks.style.builtin import BUILTINS
from playground.tasks.style.config import StyleConfig
from playground.tasks.style.estimate import estimate, refusal
from playground.tasks.style.lessons import LESSONS
from playground.tasks.style.losses import Objective
from playground.tasks.style.vgg import (FALLBACK_WIDTH, FEATURE_LAYERS, LAYERS, FeatureNetwork, feature_network,
                                        vgg19_spec, weights_available)

NETWORK_SCALES = {"imagenet": 1.0, "random": FALLBACK_WIDTH}  # each network's channels, as a share of VGG-19's
READ_EVERY_SECONDS = 0.5  # the longest the losses wait on the device before they are read and sent
FRAME_SIDE = 256  # pictures sent while the result forms are at most this big; the final one is full size
NETWORK_WORDS = {
    "imagenet": "VGG-19 with ImageNet weights",
    "random": ("an offline stand-in: VGG-19's shape with random filters, because the VGG-19 weights are not on "
               "this server (./manage.py fetch_weights vgg19). It transfers colour and texture, not brush strokes"),
}


class StyleControls(pydantic.BaseModel):
    """What may change while the picture forms: how much each loss counts."""

    model_config = pydantic.ConfigDict(extra="forbid")
    content_weight: float | None = pydantic.Field(None, ge=0, le=1e6)
    style_weight: float | None = pydantic.Field(None, ge=0, le=1e6)
    tv_weight: float | None = pydantic.Field(None, ge=0, le=1e6)


class Transfer:
    """One style transfer set up and ready to step: the network, the targets, the image and its optimiser."""

    def __init__(self, config: StyleConfig, network: FeatureNetwork, content: np.ndarray, styles: list[np.ndarray],
                 device: torch.device):
        self.config = config
        self.content_rgb = inputs.to_tensor(content, device)
        style_tensors = [inputs.to_tensor(style, device) for style in styles]
        if config.preserve_colour:
            style_tensors = [inputs.matched_luminance(s, self.content_rgb) for s in style_tensors]
            target_content = inputs.luminance(self.content_rgb)
        else:
            target_content = self.content_rgb
        blend = [1.0] if len(styles) == 1 else [1 - config.blend, config.blend]
        self.objective = Objective(network, target_content, style_tensors, blend, config.content_layers,
                                   config.layer_weights(), config.content_weight, config.style_weight, config.tv_weight)
        if config.init == "content":
            start = target_content.clone()
        else:
            generator = torch.Generator(device="cpu").manual_seed(config.seed)
            start = torch.rand(target_content.shape, generator=generator).to(device)
        self.image = start.contiguous().requires_grad_(True)
        self.optimizer = make_optimizer(config, self.image)

    def step(self) -> Tensor:
        """One optimiser step; the losses (content, style, tv, total) of the image before it, on the device."""
        found: list[Tensor] = []

        def closure() -> Tensor:
            self.optimizer.zero_grad(set_to_none=True)
            total, parts = self.objective(self.image)
            total.backward()
            found[:] = [*parts, total]
            return total

        self.optimizer.step(closure)
        with torch.no_grad():
            self.image.clamp_(0, 1)
        return torch.stack([value.detach() for value in found])

    def result(self) -> Tensor:
        """The picture as it stands, in colour (the content's colours where they are preserved)."""
        with torch.no_grad():
            image = self.image.detach()
            return inputs.with_colour_of(image, self.content_rgb) if self.config.preserve_colour else image.clone()


def make_optimizer(config: StyleConfig, image: Tensor) -> torch.optim.Optimizer:
    if config.optimizer == "adam":
        return torch.optim.Adam([image], lr=config.learning_rate)
    # One L-BFGS iteration per step (one evaluation, no line search, as in PyTorch's tutorial), so every
    # iteration is reported and can be stopped; the history lives in the optimiser's state between steps.
    return torch.optim.LBFGS([image], lr=1, max_iter=1, history_size=20)


def frame(pixels: np.ndarray) -> np.ndarray:
    """A picture shrunk to at most FRAME_SIDE on its longer side, for the frames sent while it forms."""
    from PIL import Image

    image = Image.fromarray(pixels)
    if max(image.size) > FRAME_SIDE:
        image.thumbnail((FRAME_SIDE, FRAME_SIDE), Image.Resampling.LANCZOS)
    return np.asarray(image)


class StyleTask(Task):
    """Paint the content picture in the style picture's manner by optimising the picture itself."""

    name = "style"
    title = "Style: neural style transfer"
    Config = StyleConfig
    Controls = StyleControls

    @staticmethod
    def catalogue() -> dict[str, Any]:
        """The built-in pictures, VGG-19's layers (for the page's picture of it) and the lessons."""
        return {
            "lessons": LESSONS,
            "pictures": {name: {"title": b.title, "role": b.role, "description": b.description}
                         for name, b in BUILTINS.items()},
            "layers": [{"index": layer.index, "name": layer.name, "type": layer.type, "channels": layer.channels,
                        "scale": layer.scale} for layer in LAYERS],
            "feature_layers": {name: layer.index for name, layer in FEATURE_LAYERS.items()},
            "spec": vgg19_spec(),
        }

    @classmethod
    def preview(cls, config: StyleConfig | dict[str, Any], data_dir: Path | None = None,
                uploads_dir: Path | None = None) -> dict[str, Any]:
        """What a run with this configuration would need with either network: memory and time, before it starts."""
        config = cls.Config.model_validate(config)
        return {"estimates": {network: estimate(config, scale=scale) for network, scale in NETWORK_SCALES.items()}}

    @classmethod
    def needs(cls, config: StyleConfig, memory_budget: int, data_dir: Path | None) -> dict[str, Any]:
        """What a run needs on this server (whose weights are in ``data_dir``), and why it cannot have it, if so."""
        network = "imagenet" if weights_available(data_dir) else "random"
        scale = NETWORK_SCALES[network]
        return {"network": network, "estimate": estimate(config, scale=scale), "memory_budget": memory_budget,
                "refusal": refusal(config, memory_budget, scale)}

    def run(self, config: StyleConfig | dict[str, Any], ctx: RunContext) -> None:
        config = self.Config.model_validate(config)
        device = torch.device(ctx.device)
        source = {name: inputs.source_image(name, ctx.upload)
                  for name in {config.content, config.style, *([config.style_b] if config.style_b else [])}}
        content, wh = inputs.content_and_size(source[config.content], config.size)
        styles = [inputs.style_pixels(source[name], wh) for name in [config.style, *([config.style_b] if config.style_b else [])]]
        network = feature_network(ctx.data_dir, device, config.last_layer, config.seed)
        ctx.emit("log", {"level": "info" if network.weights == "imagenet" else "warning",
                         "message": f"Features: {NETWORK_WORDS[network.weights]}.", "network": network.weights})
        with emitted_together(ctx.emit):
            ctx.picture("content", frame(content), 0, format="webp", caption="The content picture")
            for number, style in enumerate(styles, start=1):
                ctx.picture(f"style{'' if number == 1 else number}", frame(style), 0, format="webp",
                            caption="The style picture" if number == 1 else "The second style picture")
        transfer = Transfer(config, network, content, styles, device)
        try:
            self._optimise(config, transfer, ctx)
        except Stopped:
            self._final(transfer, ctx, "stopped")
            raise
        self._final(transfer, ctx, "finished")

    def _optimise(self, config: StyleConfig, transfer: Transfer, ctx: RunContext) -> None:
        pending: list[tuple[int, Tensor]] = []
        read_at = time.monotonic()
        for iteration in range(1, config.iterations + 1):
            try:
                changes = ctx.control.check()
            except Stopped:
                self._send_losses(pending, ctx)
                raise
            for name, value in changes.items():
                if value is not None and name.endswith("_weight"):
                    transfer.objective.weights[name.removesuffix("_weight")] = float(value)
            pending.append((iteration, transfer.step()))
            picture = iteration % config.picture_every == 0 or iteration == config.iterations
            if picture or iteration == 1 or time.monotonic() - read_at >= READ_EVERY_SECONDS:
                with emitted_together(ctx.emit):
                    self._send_losses(pending, ctx)
                    if picture:
                        pixels = inputs.to_pixels(transfer.result())
                        ctx.picture("result", frame(pixels), iteration, format="webp", quality=80,
                                    iteration=iteration, caption=f"The picture after {iteration} iterations")
                pending.clear()
                read_at = time.monotonic()

    @staticmethod
    def _send_losses(pending: list[tuple[int, Tensor]], ctx: RunContext) -> None:
        """Every pending iteration's losses, read from the device at once."""
        if not pending:
            return
        rows = torch.stack([row for _, row in pending]).tolist()  # one synchronisation for them all
        for (iteration, _), row in zip(pending, rows):
            content, style, tv, total = (finite(v) for v in row)
            ctx.emit("metric", {"split": "loss", "content": content, "style": style, "tv": tv, "total": total}, iteration)

    @staticmethod
    def _final(transfer: Transfer, ctx: RunContext, how: str) -> None:
        pixels = inputs.to_pixels(transfer.result())
        height, width = pixels.shape[:2]
        ctx.picture("final", pixels, None, format="png", download=f"style-{width}x{height}.png", state=how,
                    caption=f"The result, {width} × {height} pixels")
