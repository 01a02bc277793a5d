"""Blocks that hold layers of their own: residual connections and parallel branches."""
from __future__ import annotations

from .args import Arg
from .errors import Refusal
from .layer_type import LayerType
from .shapes import projection_stride
from .words import dims, what


def _residual(s, outs):
    """Adds the input back; a bias-free projection (W_s x in the ResNet paper) matches shapes."""
    (out,) = outs
    if out == s:
        return out, None
    if len(out) != len(s):
        raise Refusal(f"its layers turn {what(s)} into {what(out)}, which cannot be added back to "
                      "the input; keep the same kind of shape inside a residual block")
    if len(s) == 1 or (len(s) == 2 and s[0] == out[0]):
        return out, {"type": "Linear", "out_features": out[-1], "bias": False}
    strides = tuple(projection_stride(n, m) for n, m in zip(s[1:], out[1:]))
    if None in strides:
        raise Refusal(f"its layers turn {dims(s)} into {dims(out)}; a 1 × 1 projection of the input "
                      "can change the channels and shrink the size by a whole stride, but not this")
    stride = strides[0] if len(set(strides)) == 1 else strides
    kind = "Conv2d" if len(s) == 3 else "Conv1d"
    return out, {"type": kind, "out_channels": out[0], "kernel_size": 1, "stride": stride, "bias": False}


def _parallel(s, outs):
    """Concatenates along dimension 1 with the batch: channels of a volume, features of a vector."""
    first = outs[0]
    for b, out in enumerate(outs[1:], start=2):
        if len(out) != len(first) or out[1:] != first[1:]:
            raise Refusal(f"branch {b} gives {what(out)} but branch 1 gives {what(first)}; "
                          "to join them, every size but the first (the channels) must agree")
    return (sum(out[0] for out in outs),) + first[1:], None


LAYERS = (
    LayerType(
        "Residual", "block", "Adds the block's input to its layers' output (a skip connection, as in ResNet).",
        (Arg("layers", "layers", required=True, min=1, max=None),),
        combine=_residual, wrapper="Residual",
    ),
    LayerType(
        "Parallel", "block", "Runs branches side by side on the same input and joins their outputs "
                             "along the channels (as in GoogLeNet's Inception).",
        (Arg("branches", "branches", required=True, min=2, max=8),),
        combine=_parallel, wrapper="Parallel",
    ),
)
