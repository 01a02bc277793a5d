"""Writes a specification as a standalone PyTorch script.

The script needs only torch. ``python net.py`` builds the network, prints its
parameter count and passes a random batch through it, printing the output shape.
Each layer is written from the registry's ``torch_args``, as build.py builds it.
"""
from __future__ import annotations

import inspect
from typing import Any

from .check import Node, check
from .limits import DEFAULT_LIMITS, Limits
from .modules import HELPERS
from .words import dims

_HEADER = '''"""A network exported from LayerLab: {summary}.

Run it with `python net.py`: it builds the network, prints its parameter count and
passes a random batch of two examples through it. It needs only PyTorch.
"""
import torch
from torch import nn
'''

_MAIN = '''

if __name__ == "__main__":
    torch.manual_seed(0)
    net = make_net()
    print("parameters:", sum(p.numel() for p in net.parameters()))
    x = {example}
    net.eval()
    with torch.no_grad():
        print("output shape:", list(net(x).shape))
'''


def export_script(spec: Any, limits: Limits = DEFAULT_LIMITS) -> str:
    """The specification as a runnable Python script (raises NetError if it does not check)."""
    net = check(spec, 1, limits)
    used: set[str] = set()
    layers = [line for node in net.nodes for line in _lines(node, " " * 8, used)]
    shape, out = (", ".join(map(str, s)) for s in (net.input_shape, net.nodes[-1].out_shape))
    if net.vocab_size is None:
        summary, example = f"(N, {shape}) floats in, (N, {out}) out", f"torch.randn(2, {shape})"
    else:
        summary = f"(N, {shape}) token ids below {net.vocab_size} in, (N, {out}) out"
        example = f"torch.randint(0, {net.vocab_size}, (2, {shape}))"
    helpers = [inspect.getsource(cls) for name, cls in HELPERS.items() if name in used]
    return "\n\n".join([
        _HEADER.format(summary=summary),
        *helpers,
        "def make_net():\n"
        f'    """Builds the network: {summary}."""\n'
        "    return nn.Sequential(\n" + "\n".join(layers) + "\n    )\n",
    ]) + _MAIN.format(example=example)


def _lines(node: Node, pad: str, used: set[str]) -> list[str]:
    """The source of one layer (or block) as an argument line of an enclosing nn.Sequential."""
    note = f"  # -> {dims(node.out_shape)}"
    entry = node.entry
    if entry.nested is None:
        return [f"{pad}{_call(node, used)},{note}"]
    used.add(entry.wrapper)
    lines = [f"{pad}{entry.wrapper}({note}"]
    for stack in node.stacks:
        inner = [line for n in stack for line in _lines(n, pad + " " * 8, used)]
        lines += [f"{pad}    nn.Sequential(", *inner, f"{pad}    ),"] if inner else [f"{pad}    nn.Sequential(),"]
    if node.projection is not None:
        lines.append(f"{pad}    projection={_call(node.projection, used)},")
    return lines + [f"{pad}),"]


def _call(node: Node, used: set[str]) -> str:
    """nn.Conv2d(in_channels=1, out_channels=6, ...), leaving out arguments at their defaults."""
    entry = node.entry
    kwargs = entry.torch_args(node.args, node.in_shape)
    shown = ", ".join(f"{key}={value!r}" for key, value in kwargs.items() if _shown(entry, key, value))
    if entry.name in HELPERS:  # a layer of LayerLab's own (OneHot): its class is written into the script
        used.add(entry.name)
        call = f"{entry.name}({shown})"
    else:
        call = f"nn.{entry.name}({shown})"
    if entry.wrapper:
        used.add(entry.wrapper)
        call = f"{entry.wrapper}({call})"
    return call


def _shown(entry, key: str, value: Any) -> bool:
    arg = entry.arg(key)
    if arg is None or arg.explicit:
        return True
    return not (type(value) is type(arg.default) and value == arg.default)
