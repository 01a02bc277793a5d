"""What the Basics page draws: the output surface, every neuron's picture and the weights.

Each picture is the network evaluated over a grid of the input plane. The grids'
features are computed once; each drawing is a few forward passes on the device and
one copy to the host.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as np
import torch
from torch import Tensor, nn

from playground.data.toy import EXTENT, feature_columns
from playground.tasks.base import Emitter, emitted_together, finite
from playground.tasks.pictures import encode_planes, grid_points, to_host

UNIT_GRID = 20  # cells per side of each neuron's thumbnail

ACTIVATION_FUNCTIONS: dict[str, Callable[[Tensor], Tensor]] = {
    "relu": torch.relu,
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "linear": lambda x: x,
}


def hidden_outputs(linears: Sequence[nn.Linear], activation: str, x: Tensor) -> list[Tensor]:
    """Each hidden layer's output (after its activation) for inputs x, first layer first."""
    act = ACTIVATION_FUNCTIONS[activation]
    outputs = []
    for linear in linears[:-1]:
        x = act(linear(x))
        outputs.append(x)
    return outputs


def _rounded(values: np.ndarray) -> list[Any]:
    """Nested lists for JSON, 5 decimals, not-finite as None."""
    if values.ndim == 1:
        return [finite(round(float(v), 5)) for v in values]
    return [_rounded(row) for row in values]


class BasicsPictures:
    """Draws one model over fixed grids of the plane; ``emit`` sends surface, units and weights events."""

    def __init__(
        self,
        model: nn.Module,
        linears: Sequence[nn.Linear],
        features: Sequence[str],
        activation: str,
        to_planes: Callable[[Tensor], Tensor],
        value_range: tuple[float, float],
        grid_size: int,
        device: torch.device,
    ) -> None:
        self.model, self.linears, self.activation = model, list(linears), activation
        self.to_planes = to_planes  # network output (N, C) -> planes (C', N) in value_range
        self.value_range = value_range
        self.grid_size = grid_size
        self.surface_inputs = feature_columns(grid_points(grid_size, EXTENT, device), features)
        self.unit_inputs = feature_columns(grid_points(UNIT_GRID, EXTENT, device), features)

    @torch.no_grad()
    def _device_values(self) -> list[Tensor]:
        self.model.eval()
        surface = self.to_planes(self.model(self.surface_inputs).float())
        units = torch.cat([self.unit_inputs, *hidden_outputs(self.linears, self.activation, self.unit_inputs)], dim=1).T
        weights = [t for linear in self.linears for t in (linear.weight, linear.bias)]
        return [surface, units, *weights]

    def events(self, epoch: int) -> list[tuple[str, dict[str, Any]]]:
        """The three pictures of this moment as (type, data) pairs."""
        surface, units, *weights = to_host(self._device_values())
        return [
            ("image", self._surface(epoch, surface)),
            ("image", self._units(epoch, units)),
            ("table", {"name": "weights", "epoch": epoch, "weights": [_rounded(w) for w in weights[0::2]],
                       "biases": [_rounded(b) for b in weights[1::2]]}),
        ]

    def emit(self, epoch: int, step: int, emit: Emitter) -> None:
        with emitted_together(emit):
            for kind, data in self.events(epoch):
                emit(kind, data, step)

    def _surface(self, epoch: int, planes: np.ndarray) -> dict[str, Any]:
        lo, hi = self.value_range
        size = self.grid_size
        return {"name": "surface", "epoch": epoch, "width": size, "height": size, "extent": list(EXTENT),
                "channels": len(planes), "min": lo, "max": hi, "values": encode_planes(planes, lo, hi)}

    def _units(self, epoch: int, planes: np.ndarray) -> dict[str, Any]:
        layer_sizes = [self.unit_inputs.shape[1]] + [linear.out_features for linear in self.linears[:-1]]
        places = [(layer, unit) for layer, size in enumerate(layer_sizes) for unit in range(size)]
        units = [self._unit(layer, unit, plane) for (layer, unit), plane in zip(places, planes)]
        return {"name": "units", "epoch": epoch, "width": UNIT_GRID, "height": UNIT_GRID,
                "extent": list(EXTENT), "units": units}

    @staticmethod
    def _unit(layer: int, unit: int, plane: np.ndarray) -> dict[str, Any]:
        # Each neuron gets its own scale, so a weak response is still visible.
        seen = plane[np.isfinite(plane)]
        lo, hi = (float(seen.min()), float(seen.max())) if seen.size else (0.0, 0.0)
        return {"layer": layer, "unit": unit, "min": lo, "max": hi, "values": encode_planes(plane, lo, hi)}
