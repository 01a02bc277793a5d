"""The short jobs a CNN run answers, and the arguments each takes (jobs.py answers them).

An image is a test picture by its index, or a drawing: rows of grey levels 0 to
255 (white on black, as MNIST is), at most 64 × 64, fitted to the network's input.
"""
from __future__ import annotations

from typing import Annotated

import pydantic
from pydantic import Field

MAX_DRAWING_SIDE = 64
Row = Annotated[list[Annotated[float, Field(ge=0, le=255)]], Field(min_length=1, max_length=MAX_DRAWING_SIDE)]


class ImageArgs(pydantic.BaseModel):
    """One picture: ``index`` of a test picture, or ``drawing``."""

    model_config = pydantic.ConfigDict(extra="forbid")
    index: int | None = Field(None, ge=0, le=1_000_000, description="A test picture, by its place in the test split.")
    drawing: list[Row] | None = Field(None, min_length=1, max_length=MAX_DRAWING_SIDE,
                                      description="Rows of grey levels 0-255, white on black.")

    @pydantic.model_validator(mode="after")
    def _one_picture(self) -> "ImageArgs":
        if (self.index is None) == (self.drawing is None):
            raise ValueError("give either index (a test picture) or drawing (rows of grey levels), one of them")
        if self.drawing is not None and len({len(row) for row in self.drawing}) != 1:
            raise ValueError("every row of the drawing must have the same number of pixels")
        return self


class PredictArgs(ImageArgs):
    """The class probabilities and every convolution's feature maps for one picture."""


class SaliencyArgs(ImageArgs):
    """How much each pixel moves the score of a class (the predicted one unless ``target`` says)."""

    target: int | None = Field(None, ge=0, le=1000, description="The class whose score is explained; default the predicted one.")


class VisualizeArgs(pydantic.BaseModel):
    """Pictures that excite each output unit most, by gradient ascent on the input."""

    model_config = pydantic.ConfigDict(extra="forbid")
    classes: list[int] | None = Field(None, max_length=100, description="Which classes; default all.")
    steps: int = Field(60, ge=1, le=500, description="Gradient steps for each picture.")


class ExamplesArgs(pydantic.BaseModel):
    """Test pictures of one cell of the confusion matrix: true class ``true`` answered as ``predicted``."""

    model_config = pydantic.ConfigDict(extra="forbid")
    true: int = Field(ge=0, le=1000)
    predicted: int = Field(ge=0, le=1000)
    limit: int = Field(24, ge=1, le=100)


JOBS: dict[str, type[pydantic.BaseModel]] = {
    "predict": PredictArgs, "saliency": SaliencyArgs, "visualize": VisualizeArgs, "examples": ExamplesArgs,
}
