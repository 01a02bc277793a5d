"""Glyphs: a built-in set of 28 × 28 grey pictures of the ten digits, made by the code, so the CNN page works offline.

Each digit is drawn once per stroke width with the font Pillow carries inside
it, then every example is that drawing under its own random affine map
(rotation, scale, shear, shift), a smooth elastic warp, a random brightness and
pixel noise. The warps run as one ``grid_sample`` per chunk, so the default
12,000 + 2,000 examples take about a second on a CPU. The same seed gives the
same pictures everywhere.

Shifted and warped digits are what a convolutional network handles and a flat
MLP does not: it has to learn each digit again at each place. LeNet-5 clearly
beats an MLP of the same size on this set in the same epochs (tests/cnn).

    images, labels = make_glyphs(1000, seed=1)  # uint8 (1000, 1, 28, 28), int64 (1000,)
"""
from __future__ import annotations

import functools
import hashlib
import math
import os
import zipfile
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw, ImageFont

SIDE = 28
CLASSES = tuple("0123456789")
DRAW_SIDE = 64  # the drawings the warps read from
WORK_SIDE = 56  # warped at twice the size, then averaged down: smooth edges, no aliasing
STROKES = (0, 1, 2)
TRAIN_SEED, TEST_SEED = 2024, 7
CHUNK = 2000


@functools.lru_cache(maxsize=1)
def drawings() -> torch.Tensor:
    """Every digit at every stroke width, white on black, float (classes, strokes, 64, 64) in [0, 1]."""
    font = ImageFont.load_default(size=44)
    planes = np.zeros((len(CLASSES), len(STROKES), DRAW_SIDE, DRAW_SIDE), np.float32)
    for c, character in enumerate(CLASSES):
        for s, stroke in enumerate(STROKES):
            image = Image.new("L", (DRAW_SIDE, DRAW_SIDE))
            ImageDraw.Draw(image).text((DRAW_SIDE / 2, DRAW_SIDE / 2), character, fill=255, font=font, anchor="mm",
                                       stroke_width=stroke, stroke_fill=255)
            planes[c, s] = np.asarray(image, np.float32) / 255
    return torch.from_numpy(planes)


def _affine(n: int, generator: torch.Generator) -> torch.Tensor:
    """n random maps from output to drawing coordinates (n, 2, 3): rotation ±18°, scale, shear, shift."""
    u = torch.rand(n, 6, generator=generator) * 2 - 1
    angle = u[:, 0] * math.radians(18)
    scale = 0.95 + 0.15 * u[:, 1]  # the part of the drawing read: the digit fills about 2/3 of the side
    shear = 0.25 * u[:, 2]
    aspect = 1 + 0.12 * u[:, 3]
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.zeros(n, 2, 3)
    theta[:, 0, 0] = scale * aspect * cos
    theta[:, 0, 1] = scale * (-sin + shear * cos)
    theta[:, 1, 0] = scale * aspect * sin
    theta[:, 1, 1] = scale * (cos + shear * sin)
    theta[:, 0, 2] = 0.3 * u[:, 4]
    theta[:, 1, 2] = 0.3 * u[:, 5]
    return theta


def _elastic(n: int, generator: torch.Generator, strength: float = 0.05) -> torch.Tensor:
    """Smooth random displacements (n, 56, 56, 2): a coarse random field, upsampled."""
    coarse = (torch.rand(n, 2, 4, 4, generator=generator) * 2 - 1) * strength
    return F.interpolate(coarse, size=(WORK_SIDE, WORK_SIDE), mode="bicubic", align_corners=True).permute(0, 2, 3, 1)


def _chunk(labels: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    n = len(labels)
    strokes = torch.randint(0, len(STROKES), (n,), generator=generator)
    source = drawings()[labels, strokes].unsqueeze(1)  # (n, 1, 64, 64)
    grid = F.affine_grid(_affine(n, generator), [n, 1, WORK_SIDE, WORK_SIDE], align_corners=False)
    warped = F.grid_sample(source, grid + _elastic(n, generator), mode="bilinear", padding_mode="zeros",
                           align_corners=False)
    pictures = F.avg_pool2d(warped, 2)  # (n, 1, 28, 28)
    brightness = 0.65 + 0.35 * torch.rand(n, 1, 1, 1, generator=generator)
    noise = 0.08 * torch.randn(pictures.shape, generator=generator)
    return ((pictures * brightness + noise).clamp(0, 1) * 255).round().to(torch.uint8)


def make_glyphs(count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """count pictures uint8 (count, 1, 28, 28), the classes in turn, and their labels int64 (count,)."""
    generator = torch.Generator().manual_seed(seed)
    labels = torch.arange(count) % len(CLASSES)
    labels = labels[torch.randperm(count, generator=generator)]
    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # these small kernels only wait for one another on a busy machine's other cores
    try:
        parts = [_chunk(labels[at : at + CHUNK], generator) for at in range(0, count, CHUNK)]
    finally:
        torch.set_num_threads(threads)
    images = torch.cat(parts) if parts else torch.zeros(0, 1, SIDE, SIDE, dtype=torch.uint8)
    return images.numpy(), labels.numpy().astype(np.int64)


@functools.lru_cache(maxsize=2)
def glyph_split(split: str, count: int, cache_dir: Path | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The train or test split of the built-in set (different seeds: no picture is in both).

    Drawn once and kept in ``cache_dir``: each run trains in a new process, and
    drawing 12,000 pictures took 1 to 5 s there before its first step.
    """
    seed = TRAIN_SEED if split == "train" else TEST_SEED
    if cache_dir is None:
        return make_glyphs(count, seed)
    path = Path(cache_dir) / f"glyphs-{split}-{count}-{recipe()}.npz"
    try:
        with np.load(path) as saved:
            return saved["images"], saved["labels"]
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        pass  # not made yet, or cut short: draw it again
    images, labels = make_glyphs(count, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(temporary, "wb") as out:
        np.savez(out, images=images, labels=labels)
    os.replace(temporary, path)  # two runs drawing at once each write a whole file
    return images, labels


@functools.lru_cache(maxsize=1)
def recipe() -> str:
    """What the pictures depend on (this code, PyTorch's random numbers, Pillow's font), as a short hash."""
    import PIL

    source = Path(__file__).read_bytes() + f"{torch.__version__} {PIL.__version__}".encode()
    return hashlib.sha256(source).hexdigest()[:12]
