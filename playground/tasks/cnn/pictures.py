"""What the CNN page draws: grids of small pictures (filters, feature maps, examples) as uint8 arrays.

Every function takes numbers on the host and gives uint8 (H, W) or (H, W, 3)
pixels for ``RunContext.picture`` or, in a job's answer, ``inline``.
"""
from __future__ import annotations

import math

import numpy as np

from playground.tasks.picture_files import data_url, encode

GAP = 1


def inline(pixels: np.ndarray) -> str:
    """A small picture as a data: URL, for a job's answer."""
    return data_url(encode(pixels), "png")


def scaled(values: np.ndarray, symmetric: bool = False) -> np.ndarray:
    """Floats to 0..255 by their own range; ``symmetric``: 0 is mid-grey and the largest size is black or white."""
    values = np.nan_to_num(values.astype(np.float32))
    if symmetric:
        top = float(np.abs(values).max()) or 1.0
        return np.clip(np.rint(values / top * 127.5 + 127.5), 0, 255).astype(np.uint8)
    low, high = float(values.min()), float(values.max())
    return np.clip(np.rint((values - low) / ((high - low) or 1.0) * 255), 0, 255).astype(np.uint8)


def picture_of(image: np.ndarray) -> np.ndarray:
    """One stored picture (C, H, W) uint8 as pixels: grey (H, W) or colour (H, W, 3)."""
    return image[0] if image.shape[0] == 1 else np.ascontiguousarray(image[:3].transpose(1, 2, 0))


def enlarge(pixels: np.ndarray, factor: int) -> np.ndarray:
    """Each pixel a factor × factor square (sharp, not blurred)."""
    return pixels.repeat(factor, 0).repeat(factor, 1) if factor > 1 else pixels


def grid(tiles: list[np.ndarray], columns: int | None = None, factor: int = 1, background: int = 40) -> np.ndarray:
    """Same-sized tiles (H, W) or (H, W, 3) in rows, ``factor`` times enlarged, a thin gap between them."""
    if not tiles:
        return np.zeros((1, 1), np.uint8)
    columns = columns or math.ceil(math.sqrt(len(tiles)))
    rows = math.ceil(len(tiles) / columns)
    tile = enlarge(tiles[0], factor)
    height, width = tile.shape[:2]
    shape = (rows * (height + GAP) - GAP, columns * (width + GAP) - GAP) + tile.shape[2:]
    out = np.full(shape, background, np.uint8)
    for index, picture in enumerate(tiles):
        row, column = divmod(index, columns)
        out[row * (height + GAP): row * (height + GAP) + height,
            column * (width + GAP): column * (width + GAP) + width] = enlarge(picture, factor)
    return out


def filter_tiles(weight: np.ndarray) -> list[np.ndarray]:
    """A convolution's kernels (out, in, k, k) as pictures: colour for 3 input channels, else their mean, grey."""
    tiles = []
    for kernel in weight:
        if kernel.shape[0] == 3:
            tiles.append(scaled(kernel.transpose(1, 2, 0), symmetric=True))
        else:
            tiles.append(scaled(kernel.mean(0), symmetric=True))
    return tiles


def filters_picture(weight: np.ndarray, most: int = 64) -> np.ndarray:
    """The first layer's filters as one grid, each enlarged to about 30 pixels."""
    kernel = weight.shape[-1]
    return grid(filter_tiles(weight[:most]), columns=min(8, len(weight[:most])), factor=max(1, 30 // kernel))


def maps_picture(maps: np.ndarray, most: int = 32) -> np.ndarray:
    """A layer's feature maps (C, H, W), each by its own range, as one grid about 56 pixels a map."""
    tiles = [scaled(plane) for plane in maps[:most]]
    return grid(tiles, columns=min(8, len(tiles)), factor=max(1, 56 // max(maps.shape[-1], 1)))
