"""Pictures as numbers for ``image`` events: grids over the input plane and planes packed into bytes.

A plane of W×H values travels as W·H unsigned bytes (0 ↦ lo, 255 ↦ hi), base64
encoded, row 0 first; see docs/api.md "Events".
"""
from __future__ import annotations

import base64
from typing import Sequence

import numpy as np
import torch
from torch import Tensor


def grid_points(size: int, extent: Sequence[float], device: torch.device | str = "cpu") -> Tensor:
    """The centres of a size×size grid of cells over extent (x1min, x1max, x2min, x2max), shape (size², 2).

    Row-major with row 0 at x2max, so the picture is drawn top to bottom as the plane is seen.
    """
    x1min, x1max, x2min, x2max = extent
    offsets = (torch.arange(size, dtype=torch.float32, device=device) + 0.5) / size
    x1 = x1min + offsets * (x1max - x1min)
    x2 = x2max - offsets * (x2max - x2min)
    rows, columns = torch.meshgrid(x2, x1, indexing="ij")
    return torch.stack([columns.reshape(-1), rows.reshape(-1)], dim=1)


def plane_bytes(values: np.ndarray, lo: float, hi: float) -> bytes:
    """Values mapped linearly from [lo, hi] to 0..255 and clipped; not-a-number draws as lo."""
    scale = 255.0 / (hi - lo) if hi > lo else 0.0
    levels = np.nan_to_num((values.astype(np.float64) - lo) * scale, nan=0.0, posinf=255.0, neginf=0.0)
    return np.clip(np.rint(levels), 0, 255).astype(np.uint8).tobytes()


def encode_planes(planes: np.ndarray, lo: float, hi: float) -> str:
    """Planes (C, H·W) one after another as base64 bytes."""
    return base64.b64encode(plane_bytes(planes.reshape(-1), lo, hi)).decode("ascii")


def to_host(tensors: Sequence[Tensor]) -> list[np.ndarray]:
    """Copy several device tensors to the host with one transfer; each comes back as float32 in its shape."""
    if not tensors:
        return []
    flat = torch.cat([t.detach().float().reshape(-1) for t in tensors]).cpu().numpy()
    pieces, at = [], 0
    for t in tensors:
        pieces.append(flat[at : at + t.numel()].reshape(tuple(t.shape)))
        at += t.numel()
    return pieces
