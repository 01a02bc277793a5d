"""The pictures a style run starts from: built-in or uploaded, at the run's size, and their colours.

The result has the content picture's proportions with ``size`` pixels on its longer
side; each style picture is scaled to cover the same size and its centre cropped.
For colour preservation (Gatys et al., "Preserving colour in neural artistic style
transfer") the transfer works on luminance alone: the style's luminance is matched to
the content's mean and spread, and the result's luminance is put back together with
the content's colour (YIQ's I and Q).
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import torch
from PIL import Image
from torch import Tensor

from playground.data.images import fit, load_rgb
from playground.tasks.base import TaskFailure
from playground.tasks.style.builtin import BUILTINS, drawn

# Pixels an uploaded picture may have: the upload limit's default, checked again here before decoding.
MAX_PIXELS = 4096 * 4096
RGB_TO_YIQ = torch.tensor([[0.299, 0.587, 0.114], [0.596, -0.274, -0.322], [0.211, -0.523, 0.312]])
YIQ_TO_RGB = torch.linalg.inv(RGB_TO_YIQ)


def source_image(name: str, upload: Callable[[str], Path]) -> Image.Image:
    """A built-in picture, or an upload decoded (upright, RGB) with its header checked first."""
    if name in BUILTINS:
        return drawn(name)
    path = upload(name)
    try:
        with open(path, "rb") as source:
            return Image.fromarray(load_rgb(source, name, MAX_PIXELS))
    except ValueError as error:  # FileRefused: the file changed since it was checked
        raise TaskFailure(str(error)) from None


def result_size(image: Image.Image, size: int) -> tuple[int, int]:
    """(width, height) with ``size`` on the longer side and the picture's proportions."""
    width, height = image.size
    scale = size / max(width, height)
    return max(16, round(width * scale)), max(16, round(height * scale))


def content_and_size(image: Image.Image, size: int) -> tuple[np.ndarray, tuple[int, int]]:
    wh = result_size(image, size)
    return np.asarray(image.resize(wh, Image.Resampling.LANCZOS), dtype=np.uint8), wh


def style_pixels(image: Image.Image, wh: tuple[int, int]) -> np.ndarray:
    return np.asarray(fit(image, wh), dtype=np.uint8)


def to_tensor(pixels: np.ndarray, device: torch.device) -> Tensor:
    """uint8 (H, W, 3) -> float (1, 3, H, W) in [0, 1] on the device."""
    return (torch.from_numpy(np.array(pixels, dtype=np.uint8)).to(device).permute(2, 0, 1).unsqueeze(0).float() / 255).contiguous()


def to_pixels(image: Tensor) -> np.ndarray:
    """float (1, 3, H, W) in [0, 1] -> uint8 (H, W, 3) on the host."""
    return (image[0].clamp(0, 1).permute(1, 2, 0) * 255).round().to(torch.uint8).cpu().numpy()


def yiq(image: Tensor) -> Tensor:
    return torch.einsum("ij,njhw->nihw", RGB_TO_YIQ.to(image.device), image)


def rgb(image_yiq: Tensor) -> Tensor:
    return torch.einsum("ij,njhw->nihw", YIQ_TO_RGB.to(image_yiq.device), image_yiq).clamp(0, 1)


def luminance(image: Tensor) -> Tensor:
    """The picture's luminance as a grey picture (1, 3, H, W)."""
    return yiq(image)[:, :1].expand(-1, 3, -1, -1).contiguous()


def matched_luminance(style: Tensor, content: Tensor) -> Tensor:
    """The style's luminance with the content's mean and spread, as a grey picture."""
    s, c = yiq(style)[:, :1], yiq(content)[:, :1]
    matched = (s - s.mean()) / s.std().clamp_min(1e-6) * c.std() + c.mean()
    return matched.clamp(0, 1).expand(-1, 3, -1, -1).contiguous()


def with_colour_of(grey: Tensor, content: Tensor) -> Tensor:
    """The luminance of ``grey`` with the colour of ``content``."""
    mixed = yiq(content)
    mixed[:, :1] = yiq(grey)[:, :1]
    return rgb(mixed)
