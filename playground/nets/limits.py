"""How big a network one person may ask the server to inspect, build or train."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """Bounds checked on every specification; a teacher's assignment may tighten them."""

    max_layers: int = 64  # counting the layers inside blocks
    max_params: int = 25_000_000
    max_activation_bytes: int = 512 * 2**20  # every layer's float32 output, for the whole batch
    max_dim: int = 4096  # largest typed size: an input shape entry, out_features, hidden_size...
    max_input_elements: int = 3 * 512 * 512
    max_depth: int = 4  # blocks inside blocks
    max_batch_size: int = 4096


DEFAULT_LIMITS = Limits()
