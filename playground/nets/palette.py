"""The layer palette and the JSON Schema of a specification, both read from the registry."""
from __future__ import annotations

from typing import Any

from .inputs import MAX_VOCAB
from .limits import DEFAULT_LIMITS
from .registry import LAYERS


def layer_palette() -> list[dict[str, Any]]:
    """Every layer type with its category, one-line description and arguments, for the builder and docs.

    An argument's ``type`` is int, float, bool, choice, int_or_pair (a number or a list
    of two), layers or branches (a block's nested lists). For int kinds, ``choices`` are
    words accepted besides numbers (a convolution's padding takes 'same' and 'valid').
    ``inferred`` names the torch arguments worked out from the input, never typed.
    """
    return [{"type": e.name, "description": e.description, "category": e.category,
             "args": [a.palette() for a in e.args], "inferred": list(e.inferred)}
            for e in LAYERS.values()]


def spec_json_schema() -> dict[str, Any]:
    """A JSON Schema (2020-12) of a network specification, for the API docs."""
    layers = [{
        "title": e.name,
        "description": e.description,
        "type": "object",
        "properties": {"type": {"const": e.name}, **{a.name: a.schema() for a in e.args}},
        "required": ["type", *(a.name for a in e.args if a.required)],
        "additionalProperties": False,
    } for e in LAYERS.values()]
    size = {"type": "integer", "minimum": 1, "maximum": DEFAULT_LIMITS.max_dim}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "LayerLab network",
        "description": "A stack of layers named as in torch.nn; input sizes are worked out, never typed.",
        "type": "object",
        "properties": {
            "version": {"const": 1, "default": 1},
            "input": {
                "type": "object",
                "properties": {
                    "shape": {"type": "array", "items": size, "minItems": 1, "maxItems": 3,
                              "description": "one example's shape, without the batch: [1, 28, 28], [64]"},
                    "dtype": {"enum": ["float", "long"], "default": "float",
                              "description": "long: token ids, read by an Embedding layer"},
                    "vocab_size": {"type": "integer", "minimum": 1, "maximum": MAX_VOCAB},
                },
                "required": ["shape"],
                "additionalProperties": False,
            },
            "layers": {"$ref": "#/$defs/layers"},
        },
        "required": ["input", "layers"],
        "additionalProperties": False,
        "$defs": {"layers": {"type": "array", "minItems": 1, "items": {"oneOf": layers}}},
    }
