"""Normalisation (BatchNorm, LayerNorm) and regularisation (Dropout) layers."""
from __future__ import annotations

from .args import Bool, Float
from .errors import Refusal
from .layer_type import LayerType
from .shapes import numel
from .words import what


def _bn1d_shape(a, s):
    if len(s) == 3:
        raise Refusal(f"receives {what(s)}; use BatchNorm2d for images")
    return s


def _bn2d_shape(a, s):
    if len(s) != 3:
        raise Refusal(f"needs a channels × height × width volume but receives {what(s)}; use BatchNorm1d")
    return s


def _dropout2d_shape(a, s):
    if len(s) != 3:
        raise Refusal(f"needs a channels × height × width volume but receives {what(s)}; use Dropout")
    return s


def _normalized(s):
    """What LayerNorm normalises over: the features (last dimension), or a whole volume."""
    return s if len(s) == 3 else s[-1:]


def _batch_norm(name: str, shape, description: str) -> LayerType:
    return LayerType(
        name, "norm", description,
        (Float("eps", 0, 1, 1e-5, above_min=True), Float("momentum", 0, 1, 0.1), Bool("affine", True)),
        shape=shape,
        params=lambda a, s: 2 * s[0] * a["affine"],
        macs=lambda a, s, out: numel(out),  # one scale-and-shift per value
        torch_args=lambda a, s: {"num_features": s[0], **a},
        inferred=("num_features",),
    )


LAYERS = (
    _batch_norm("BatchNorm1d", _bn1d_shape,
                "Normalises each feature (or channel of a sequence) over the batch, then scales and shifts it."),
    _batch_norm("BatchNorm2d", _bn2d_shape,
                "Normalises each channel of an image over the batch, then scales and shifts it."),
    LayerType(
        "LayerNorm", "norm",
        "Normalises each example over its features (the last dimension, or the whole volume).",
        (Float("eps", 0, 1, 1e-5, above_min=True), Bool("elementwise_affine", True), Bool("bias", True)),
        params=lambda a, s: numel(_normalized(s)) * a["elementwise_affine"] * (1 + a["bias"]),
        macs=lambda a, s, out: numel(out),
        torch_args=lambda a, s: {"normalized_shape": list(_normalized(s)), **a},
        inferred=("normalized_shape",),
    ),
    LayerType(
        "Dropout", "regularisation", "While training, zeroes each value with probability p (and scales the rest).",
        (Float("p", 0, 1, 0.5),),
    ),
    LayerType(
        "Dropout2d", "regularisation", "While training, zeroes whole channels of an image with probability p.",
        (Float("p", 0, 1, 0.5),),
        shape=_dropout2d_shape,
    ),
)
