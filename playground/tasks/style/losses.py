"""The three losses of style transfer (Gatys et al.), and the objective that sums them.

- content: how far the image's activations on the content layers are from the content picture's;
- style: how far its Gram matrices (which channels fire together, wherever in the picture) are
  from the style picture's, layer by layer with a weight each;
- total variation: the squared differences between neighbouring pixels, against speckle.

Each layer's error is divided by its target's mean square, so a loss of 1 means "as far as
the target is from nothing" on every layer, at every size and with either network; the
weights then say plainly how much each part counts. The targets (the content's activations
and the styles' Gram matrices) are computed once, before the first step.

    objective = Objective(network, content, [style], [1.0], config)
    total, parts = objective(image)  # parts: (content, style, tv) as 0-d tensors
"""
from __future__ import annotations

import torch
from torch import Tensor

from playground.tasks.style.vgg import FEATURE_LAYERS, FeatureNetwork


def gram(features: Tensor) -> Tensor:
    """(N, C, H, W) activations -> (N, C, C): channel co-activations averaged over the positions."""
    n, c, h, w = features.shape
    flat = features.reshape(n, c, h * w)
    return flat @ flat.transpose(1, 2) / (h * w)


def total_variation(image: Tensor) -> Tensor:
    """Mean squared difference between each pixel and its right and lower neighbours."""
    return ((image[:, :, 1:, :] - image[:, :, :-1, :]) ** 2).mean() + ((image[:, :, :, 1:] - image[:, :, :, :-1]) ** 2).mean()


class Objective:
    """The weighted sum of the three losses for one content picture and one (or a blend of) style pictures."""

    def __init__(self, network: FeatureNetwork, content: Tensor, styles: list[Tensor], blend: list[float],
                 content_layers: list[str], style_layers: dict[str, float],
                 content_weight: float, style_weight: float, tv_weight: float):
        self.network = network
        self.content_index = [FEATURE_LAYERS[name].index for name in content_layers]
        self.style_index = {FEATURE_LAYERS[name].index: weight for name, weight in style_layers.items()}
        self.indices = sorted({*self.content_index, *self.style_index})
        self.weights = {"content": content_weight, "style": style_weight, "tv": tv_weight}
        with torch.no_grad():
            found = network(content, self.indices)
            self.content_targets = {i: found[i] for i in self.content_index}
            self.grams = {i: torch.zeros(()) for i in self.style_index}
            for picture, share in zip(styles if self.style_index else [], blend):
                found = network(picture, list(self.style_index))
                for i in self.style_index:
                    self.grams[i] = self.grams[i] + share * gram(found[i])
            # Each layer's error is relative to its target's size (see the module's docstring).
            self.content_scale = {i: 1 / t.square().mean().clamp_min(1e-12) for i, t in self.content_targets.items()}
            self.style_scale = {i: 1 / g.square().mean().clamp_min(1e-12) for i, g in self.grams.items()}
        total_weight = sum(self.style_index.values()) or 1.0
        self.style_share = {i: w / total_weight for i, w in self.style_index.items()}

    def parts(self, image: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """Content, style and total-variation losses of ``image`` (1, 3, H, W) in [0, 1], unweighted."""
        found = self.network(image, self.indices)
        zero = image.new_zeros(())
        content = sum(((found[i] - t).square().mean() * self.content_scale[i]
                       for i, t in self.content_targets.items()), zero) / max(1, len(self.content_targets))
        style = sum(((gram(found[i]) - g).square().mean() * self.style_scale[i] * self.style_share[i]
                     for i, g in self.grams.items()), zero)
        return content, style, total_variation(image)

    def __call__(self, image: Tensor) -> tuple[Tensor, tuple[Tensor, Tensor, Tensor]]:
        content, style, tv = self.parts(image)
        total = self.weights["content"] * content + self.weights["style"] * style + self.weights["tv"] * tv
        return total, (content, style, tv)
