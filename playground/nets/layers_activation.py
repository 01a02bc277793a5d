"""Activation functions: the element-wise non-linearities between layers."""
from __future__ import annotations

from .args import Choice, Float, Int
from .errors import Refusal
from .layer_type import LayerType


def _softmax_shape(a, s):
    rank = len(s) + 1  # torch counts the batch as dimension 0
    dim = a["dim"] + rank if a["dim"] < 0 else a["dim"]
    if not 0 <= dim < rank:
        raise Refusal(f"dim {a['dim']} does not exist: with the batch, its input has {rank} dimensions")
    if dim == 0:
        raise Refusal(f"dim {a['dim']} is the batch; softmax should run over each example's values (dim -1)")
    return s


def _activation(name: str, description: str, *args) -> LayerType:
    return LayerType(name, "activation", description, args)


LAYERS = (
    _activation("ReLU", "max(0, x): passes positives, zeroes negatives; trains deep stacks well."),
    _activation("LeakyReLU", "Like ReLU, but negatives keep a small slope.", Float("negative_slope", 0, 1, 0.01)),
    _activation("ELU", "Like ReLU, but negatives curve smoothly towards −alpha.", Float("alpha", 0, 10, 1.0)),
    _activation("GELU", "A smooth ReLU used in transformers: x times the chance a normal value is below x.",
                Choice("approximate", ("none", "tanh"), "none")),
    _activation("SiLU", "x · sigmoid(x), also called swish."),
    _activation("Sigmoid", "Squashes values into (0, 1); deep stacks of it learn slowly."),
    _activation("Tanh", "Squashes values into (−1, 1)."),
    LayerType("Softmax", "activation", "Turns scores into probabilities that sum to 1 along dim.",
              (Int("dim", -4, 3, -1, explicit=True),),  # explicit: torch's own default picks a dim implicitly
              shape=_softmax_shape),
)
