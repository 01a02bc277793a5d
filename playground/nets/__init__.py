"""The network specification: one JSON document describes a stack of layers.

Plain Python and PyTorch (no Django). ``inspect_net`` checks a specification and
reports each layer's shape and cost, ``build_net`` makes the torch module,
``export_script`` writes it as a standalone script, and ``layer_palette`` and
``spec_json_schema`` describe what may be written. All of them read one registry of
layer types (registry.py), keyed by their torch.nn names.
"""
from .build import build_net
from .check import inspect_net
from .errors import NetError
from .export import export_script
from .limits import DEFAULT_LIMITS, Limits
from .palette import layer_palette, spec_json_schema
from .registry import LAYERS

__all__ = ["DEFAULT_LIMITS", "LAYERS", "Limits", "NetError", "build_net", "export_script",
           "inspect_net", "layer_palette", "spec_json_schema"]
