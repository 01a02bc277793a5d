"""Builds the torch module that a checked specification describes."""
from __future__ import annotations

from typing import Any

from torch import nn

from .check import Node, check
from .limits import DEFAULT_LIMITS, Limits
from .modules import HELPERS


def build_net(spec: Any, limits: Limits = DEFAULT_LIMITS) -> nn.Module:
    """Checks the specification (raising NetError) and builds it as an nn.Sequential.

    The module takes (N, *shape) float tensors, or (N, T) integer token ids for a
    "long" input; layer i of the specification is module i of the Sequential.
    """
    return nn.Sequential(*(module(node) for node in check(spec, 1, limits).nodes))


def module(node: Node) -> nn.Module:
    """One checked layer (or block, with everything inside it) as a torch module."""
    entry = node.entry
    if entry.nested is not None:
        parts = [nn.Sequential(*(module(n) for n in stack)) for stack in node.stacks]
        extra = {"projection": module(node.projection)} if node.projection is not None else {}
        return HELPERS[entry.wrapper](*parts, **extra)
    made = HELPERS[entry.name] if entry.name in HELPERS else getattr(nn, entry.name)  # OneHot is LayerLab's own
    layer = made(**entry.torch_args(node.args, node.in_shape))
    return HELPERS[entry.wrapper](layer) if entry.wrapper else layer
