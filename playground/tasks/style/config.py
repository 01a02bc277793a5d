"""The Style page's configuration: one flat pydantic model that is the page state, the API body and the saved config.

Pictures are named by a built-in's name (``builtin.py``) or an upload (``"upload:12"``,
kind ``image``). Layers are VGG-19's convolutions by their names in Gatys et al.
(``conv4_2``; the feature is taken after the convolution's ReLU). Losses are relative
(each layer's error over its target's size, see ``losses.py``), so the weights mean the
same at every size and with either network.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator
from pydantic_core import PydanticCustomError

from playground.data.uploads import reference_id
from playground.tasks.base import TaskConfig
from playground.tasks.style.builtin import BUILTINS
from playground.tasks.style.vgg import FEATURE_LAYERS

LayerName = Literal[tuple(FEATURE_LAYERS)]  # type: ignore[valid-type]
MAX_SEED = 2**32 - 1
MIN_SIZE, MAX_SIZE = 32, 1024
PICTURE = ("A built-in picture (" + ", ".join(BUILTINS) + ") or one you uploaded as upload:<id>.")


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("style_config", message)


def _picture(value: Any) -> Any:
    if isinstance(value, str) and (value in BUILTINS or reference_id(value) is not None):
        return value
    raise _refuse(f"{value!r} is neither a built-in picture ({', '.join(BUILTINS)}) nor an upload (upload:<id>).")


class StyleConfig(TaskConfig):
    """Everything one style transfer needs; the defaults paint the lighthouse in swirls in a minute on a CPU."""

    content: str = Field("lighthouse", description="The picture whose content is kept. " + PICTURE)
    style: str = Field("swirls", description="The picture whose style is painted in. " + PICTURE)
    style_b: str | None = Field(None, description="A second style to blend with the first, or none. " + PICTURE)
    blend: float = Field(0.5, ge=0, le=1, description="How much of the second style: 0 is all the first, 1 all the second.")

    size: int = Field(192, ge=MIN_SIZE, le=MAX_SIZE, description="Pixels on the result's longer side.")
    content_layers: list[LayerName] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["conv4_2"], max_length=len(FEATURE_LAYERS),
        description="Layers whose activations the result must share with the content picture.",
    )
    style_layers: list[LayerName] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["conv1_1", "conv2_1", "conv3_1", "conv4_1", "conv5_1"], max_length=len(FEATURE_LAYERS),
        description="Layers whose Gram matrices (which features fire together) the result must share with the style picture.",
    )
    style_layer_weights: list[Annotated[float, Field(ge=0, le=100)]] | None = Field(
        None, max_length=len(FEATURE_LAYERS),
        description="Weight of each style layer, in the order of style_layers; none for equal weights.",
    )
    content_weight: float = Field(1.0, ge=0, le=1e6, description="How much keeping the content counts.")
    style_weight: float = Field(1000.0, ge=0, le=1e6, description="How much matching the style counts.")
    tv_weight: float = Field(1.0, ge=0, le=1e6, description="How much smoothness (total variation) counts: it removes speckle.")

    init: Literal["content", "noise"] = Field("content", description="Start from the content picture or from noise.")
    optimizer: Literal["lbfgs", "adam"] = Field("lbfgs", description="L-BFGS (few, long steps) or Adam (many small ones).")
    learning_rate: float = Field(0.02, gt=0, le=1, description="Adam's step size, in pixel values (0 to 1); L-BFGS needs none.")
    iterations: int = Field(150, ge=1, le=2000, description="Optimiser steps.")
    preserve_colour: bool = Field(False, description="Transfer the style's light and dark only and keep the content's colours.")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the starting noise (and of the offline network's filters).")
    picture_every: int = Field(10, ge=1, le=2000, description="Iterations between pictures of the result as it forms.")

    @field_validator("content", "style")
    @classmethod
    def _known_picture(cls, value: Any) -> Any:
        return _picture(value)

    @field_validator("style_b")
    @classmethod
    def _known_second_picture(cls, value: Any) -> Any:
        return None if value is None else _picture(value)

    @field_validator("content_layers", "style_layers")
    @classmethod
    def _layers_once_each(cls, layers: list[str], info: ValidationInfo) -> list[str]:
        repeated = sorted({name for name in layers if layers.count(name) > 1})
        if repeated:
            raise _refuse(f"Each layer may be chosen once in {info.field_name}; repeated: {', '.join(repeated)}.")
        return layers

    @model_validator(mode="after")
    def _something_to_match(self) -> "StyleConfig":
        if not self.content_layers and not self.style_layers:
            raise _refuse("Choose at least one content layer or one style layer: with neither, nothing shapes the picture.")
        if self.style_layer_weights is not None and len(self.style_layer_weights) != len(self.style_layers):
            raise _refuse(f"style_layer_weights has {len(self.style_layer_weights)} weights for "
                          f"{len(self.style_layers)} style layers; give one per layer, or none.")
        return self

    def layer_weights(self) -> dict[str, float]:
        """Each style layer's weight (equal when none are given)."""
        weights = self.style_layer_weights or [1.0] * len(self.style_layers)
        return dict(zip(self.style_layers, weights))

    @property
    def last_layer(self) -> int:
        """Index in VGG-19's features of the deepest layer used: the network is built up to it only."""
        return max(FEATURE_LAYERS[name].index for name in [*self.content_layers, *self.style_layers])
