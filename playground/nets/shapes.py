"""Shape arithmetic, exactly as PyTorch does it. Shapes never include the batch."""
from __future__ import annotations

import math
from typing import Any

Shape = tuple[int, ...]


def numel(shape: Shape) -> int:
    """How many numbers a tensor of this shape holds."""
    return math.prod(shape)


def expand(value: Any, n: int) -> tuple:
    """An int (or 'same'/'valid') repeated n times; a tuple stays as it is."""
    return tuple(value) if isinstance(value, tuple) else (value,) * n


def span(kernel: int, dilation: int) -> int:
    """How far a dilated kernel reaches: dilation 2 spreads a 3-wide kernel over 5."""
    return dilation * (kernel - 1) + 1


def conv_size(n: int, kernel: int, stride: int, padding: int, dilation: int) -> int | None:
    """(N − F + 2P)/S + 1, rounded down, with F the dilated span; None when F does not fit."""
    room = n + 2 * padding - span(kernel, dilation)
    return None if room < 0 else room // stride + 1


def pool_size(n: int, kernel: int, stride: int, padding: int, dilation: int, ceil_mode: bool) -> int | None:
    """A pooling window count, as ATen's pooling_output_shape; None when nothing fits."""
    room = n + 2 * padding - span(kernel, dilation) + (stride - 1 if ceil_mode else 0)
    out = room // stride + 1  # floor division rounds toward −∞, like ATen's div_rtn
    if ceil_mode and (out - 1) * stride >= n + padding:
        out -= 1  # the last window must start inside the input or its left padding
    return out if out >= 1 else None


def projection_stride(n: int, m: int) -> int | None:
    """The stride that makes a 1 × 1 convolution turn size n into m, if one does."""
    for stride in range(1, n + 1):
        if (n - 1) // stride + 1 == m:
            return stride
        if (n - 1) // stride + 1 < m:
            return None
    return None
