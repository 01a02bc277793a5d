"""Convolution and pooling: local windows slid over a sequence or an image."""
from __future__ import annotations

import math

from .args import Bool, Int, IntPair
from .errors import Refusal
from .layer_type import LayerType
from .shapes import conv_size, expand, numel, pool_size, span
from .words import dims, typed, what

_NEEDS = {1: "a channels × length input", 2: "a channels × height × width volume"}


def _needs(s, n: int) -> None:
    if len(s) != n + 1:
        raise Refusal(f"needs {_NEEDS[n]} but receives {what(s)}")


def _too_big(a, sizes, padding) -> Refusal:
    """Why the window does not fit, in the words of the (N − F + 2P)/S + 1 rule."""
    where = f"its {dims(sizes)} input" if len(sizes) > 1 else f"its input of length {sizes[0]}"
    k, d = a["kernel_size"], a.get("dilation", 1)
    if d == 1:
        return Refusal(f"kernel_size {typed(k)} is larger than {where} (with padding {typed(padding)})")
    n = len(sizes)
    spans = tuple(span(kk, dd) for kk, dd in zip(expand(k, n), expand(d, n)))
    return Refusal(f"kernel_size {typed(k)} with dilation {typed(d)} spans {dims(spans)}, "
                   f"more than {where} (with padding {typed(padding)})")


def _conv_shape(n: int):
    def shape(a, s):
        _needs(s, n)
        channels, sizes = s[0], s[1:]
        groups = a["groups"]
        if channels % groups:
            raise Refusal(f"groups {groups} does not divide its {channels} input channels")
        if a["out_channels"] % groups:
            raise Refusal(f"groups {groups} does not divide out_channels {a['out_channels']}")
        stride = expand(a["stride"], n)
        if a["padding"] == "same":
            if stride != (1,) * n:
                raise Refusal("padding 'same' needs stride 1; give a number of pixels instead")
            return (a["out_channels"],) + sizes
        padding = 0 if a["padding"] == "valid" else a["padding"]
        out = tuple(conv_size(*w) for w in zip(sizes, expand(a["kernel_size"], n), stride,
                                                  expand(padding, n), expand(a["dilation"], n)))
        if None in out:
            raise _too_big(a, sizes, padding)
        return (a["out_channels"],) + out
    return shape


def _conv_params(a, s):
    weights = a["out_channels"] * (s[0] // a["groups"]) * math.prod(expand(a["kernel_size"], len(s) - 1))
    return weights + a["out_channels"] * a["bias"]


def _conv_macs(a, s, out):
    return numel(out) * (s[0] // a["groups"]) * math.prod(expand(a["kernel_size"], len(s) - 1))


def _conv(name: str, n: int, description: str) -> LayerType:
    size = Int if n == 1 else IntPair  # torch takes pairs for 2-d windows
    return LayerType(
        name, "conv", description,
        (Int("out_channels", 1, 2048, size=True), size("kernel_size", 1, 15), size("stride", 1, 15, 1),
         size("padding", 0, 15, 0, choices=("same", "valid")), size("dilation", 1, 8, 1),
         Int("groups", 1, 2048, 1), Bool("bias", True)),
        shape=_conv_shape(n), params=_conv_params, macs=_conv_macs,
        torch_args=lambda a, s: {"in_channels": s[0], **a},
        inferred=("in_channels",),
    )


def _pool_check(a):
    # ATen checks the plain kernel here, not its dilated span, on the path that keeps gradients
    if any(p > k // 2 for k, p in zip(expand(a["kernel_size"], 2), expand(a["padding"], 2))):
        raise Refusal(f"padding {typed(a['padding'])} is more than half of kernel_size {typed(a['kernel_size'])}")


def _pool_shape(a, s):
    _needs(s, 2)
    stride = a["stride"] if a["stride"] is not None else a["kernel_size"]
    out = tuple(pool_size(n, k, st, p, d, a["ceil_mode"]) for n, k, st, p, d in zip(
        s[1:], expand(a["kernel_size"], 2), expand(stride, 2), expand(a["padding"], 2),
        expand(a.get("dilation", 1), 2)))
    if None in out:
        raise _too_big(a, s[1:], a["padding"])
    return (s[0],) + out


def _adaptive_shape(a, s):
    _needs(s, 2)
    return (s[0],) + expand(a["output_size"], 2)


_WINDOW = (IntPair("kernel_size", 1, 15), IntPair("stride", 1, 15, nullable=True, help="defaults to kernel_size"),
           IntPair("padding", 0, 7, 0))

LAYERS = (
    _conv("Conv1d", 1, "Slides learned filters along a sequence; each makes one output channel."),
    _conv("Conv2d", 2, "Slides learned filters over an image; each makes one feature map."),
    LayerType(
        "MaxPool2d", "pool", "Keeps the largest value of each window, shrinking the feature maps.",
        _WINDOW + (IntPair("dilation", 1, 8, 1), Bool("ceil_mode", False)),
        shape=_pool_shape, check=_pool_check,
    ),
    LayerType(
        "AvgPool2d", "pool", "Averages each window, shrinking the feature maps.",
        _WINDOW + (Bool("ceil_mode", False), Bool("count_include_pad", True)),
        shape=_pool_shape, check=_pool_check,
    ),
    LayerType(
        "AdaptiveAvgPool2d", "pool", "Averages each feature map down to a fixed size, whatever the input size.",
        (IntPair("output_size", 1, 1024),),
        shape=_adaptive_shape,
    ),
)
