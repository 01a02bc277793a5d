"""One split of a dataset (train or test), held whole on the training device, and how batches come out of it.

Inputs stay in their stored form (uint8 images, float features); ``transform``
turns a slice of them into what the model eats (normalised floats) and
``augment`` changes training batches at random before that. Both run on the
device, one batch at a time; evaluation uses the transform alone.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from playground.data.transforms import Augmentation, Transform


@dataclass
class Split:
    """Inputs and targets of one split, both on the training device."""

    x: Tensor
    y: Tensor
    transform: Transform | None = None
    augment: Augmentation | None = None

    def __len__(self) -> int:
        return len(self.x)

    def inputs(self, x: Tensor) -> Tensor:
        """Stored inputs (a slice of ``self.x``) as the model takes them."""
        return self.transform(x) if self.transform is not None else x

    def training_batch(self, indices: Tensor, generator: torch.Generator) -> tuple[Tensor, Tensor]:
        """The examples at indices, augmented with generator's random numbers, then transformed."""
        x = self.x[indices]
        if self.augment is not None:
            x = self.augment(x, generator)
        return self.inputs(x), self.y[indices]
