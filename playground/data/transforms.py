"""Per-batch transforms applied on the device, so datasets can stay there in their compact form.

Images are kept as uint8 (a quarter of float32's memory: CIFAR-10's 50,000 training
images are 150 MB, not 614 MB) and turned into normalised floats one batch at a
time. Augmentations work on the raw batch, before normalisation, as torchvision's
usual order does (padding is black), and draw their random numbers from the
generator they are given (the training loop's, seeded per epoch), so a run and
its continuation from a checkpoint see the same augmented batches.

    split = Split(images_uint8, labels, transform=Normalize(0.1307, 0.3081),
                  augment=Augment(crop_padding=4, flip=True))
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence

import torch
import torch.nn.functional as F
from torch import Tensor


class Transform(Protocol):
    def __call__(self, x: Tensor) -> Tensor: ...


class Augmentation(Protocol):
    def __call__(self, x: Tensor, generator: torch.Generator) -> Tensor: ...


class Normalize:
    """Raw values to floats: ``(x * scale - mean) / std`` per channel (dimension 1 of an image batch).

    ``scale`` 1/255 takes uint8 pixels to [0, 1] first. Mean and std are one
    number, or one per channel.
    """

    def __init__(self, mean: float | Sequence[float] = 0.0, std: float | Sequence[float] = 1.0, scale: float = 1 / 255) -> None:
        self.scale = scale
        self.mean = torch.tensor(mean, dtype=torch.float32)
        self.std = torch.tensor(std, dtype=torch.float32)
        if (self.std <= 0).any():
            raise ValueError("A standard deviation must be above zero.")
        self._on: tuple[torch.device, Tensor, Tensor] | None = None

    def _constants(self, x: Tensor) -> tuple[Tensor, Tensor]:
        """Mean and 1/std on x's device, shaped to broadcast over (N, C, ...), made once per device."""
        if self._on is None or self._on[0] != x.device:
            shape = (1, -1) + (1,) * (x.dim() - 2) if self.mean.dim() else ()
            self._on = (x.device, self.mean.reshape(shape).to(x.device), (1 / self.std).reshape(shape).to(x.device))
        return self._on[1], self._on[2]

    def __call__(self, x: Tensor) -> Tensor:
        mean, inverse_std = self._constants(x)
        return (x.float() * self.scale - mean) * inverse_std


@dataclass(frozen=True)
class Augment:
    """Random small rotations, random crops of a zero-padded batch and random horizontal flips, one draw per image.

    Works on (N, C, H, W) batches of any dtype; the output has the input's shape
    (and dtype, except that a rotated batch comes out as floats in the same units).
    """

    crop_padding: int = 0  # pad each side by this much, then crop back to H×W at a random place
    flip: bool = False  # mirror left to right with probability 1/2
    rotation: float = 0.0  # turn by a random angle of at most this many degrees either way

    def __call__(self, x: Tensor, generator: torch.Generator) -> Tensor:
        if self.rotation:
            x = random_rotation(x, self.rotation, generator)
        if self.crop_padding:
            x = random_crop(x, self.crop_padding, generator)
        if self.flip:
            x = random_flip(x, generator)
        return x


def random_crop(x: Tensor, padding: int, generator: torch.Generator) -> Tensor:
    """Each image padded by ``padding`` zeros on every side and cropped back to its size at a random offset."""
    n, channels, height, width = x.shape
    padded = F.pad(x, (padding, padding, padding, padding))
    offsets = torch.randint(0, 2 * padding + 1, (2, n, 1), device=x.device, generator=generator)
    rows = offsets[0] + torch.arange(height, device=x.device)  # (N, H)
    columns = offsets[1] + torch.arange(width, device=x.device)  # (N, W)
    images = torch.arange(n, device=x.device).view(n, 1, 1, 1)
    planes = torch.arange(channels, device=x.device).view(1, channels, 1, 1)
    return padded[images, planes, rows.view(n, 1, height, 1), columns.view(n, 1, 1, width)]


def random_flip(x: Tensor, generator: torch.Generator) -> Tensor:
    """Each image mirrored left to right with probability 1/2."""
    flip = torch.rand(len(x), device=x.device, generator=generator) < 0.5
    return torch.where(flip.view(-1, *([1] * (x.dim() - 1))), x.flip(-1), x)


def random_rotation(x: Tensor, degrees: float, generator: torch.Generator) -> Tensor:
    """Each image turned about its centre by a uniform random angle in [-degrees, degrees]; corners fill with zeros.

    One ``affine_grid`` and one bilinear ``grid_sample`` for the whole batch, on its device.
    """
    n = len(x)
    angles = (torch.rand(n, device=x.device, generator=generator) * 2 - 1) * (degrees * torch.pi / 180)
    cos, sin, zero = torch.cos(angles), torch.sin(angles), torch.zeros_like(angles)
    theta = torch.stack([torch.stack([cos, -sin, zero], 1), torch.stack([sin, cos, zero], 1)], 1)
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x.float(), grid, mode="bilinear", padding_mode="zeros", align_corners=False)
