"""The layer registry: every layer type a network may use, keyed by its torch.nn name.

The palette, validation, shape inference, building, export and JSON Schema all read
this one mapping. Adding a type is one ``LayerType`` entry in the module of its kind.
"""
from __future__ import annotations

from . import layers_activation, layers_block, layers_conv, layers_dense, layers_norm, layers_recurrent
from .layer_type import LayerType

LAYERS: dict[str, LayerType] = {
    entry.name: entry
    for module in (layers_dense, layers_conv, layers_norm, layers_recurrent, layers_activation, layers_block)
    for entry in module.LAYERS
}
