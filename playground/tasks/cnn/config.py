"""The CNN page's configuration: a dataset, a network specification, and how to train it.

The network is a specification as ``/api/nets/inspect`` takes it; its input shape
must be the dataset's picture shape and its output one score per class (checked
here for the named sets, and when the data is loaded for an upload, whose shape
is the chosen ``image_size`` and whose classes are its folders).
"""
from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from playground import nets
from playground.data.image_sets import SETS
from playground.data.uploads import reference_id
from playground.tasks.base import TaskConfig
from playground.tasks.cnn.lessons import NETS
from playground.tasks.optim import OptimizerName
from playground.tasks.schedules import ScheduleName

AUGMENTATIONS = ("crop", "flip", "rotate")
MAX_SEED = 2**32 - 1


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("cnn_config", message)


class CnnConfig(TaskConfig):
    """One CNN run; the defaults train LeNet-5 on the built-in glyphs for 3 epochs (under a minute on a CPU)."""

    dataset: str = Field("glyphs", description="glyphs (built in), mnist, fashion-mnist, cifar-10, or upload:<id> "
                                               "for a zip of one folder of pictures per class.")
    image_size: int = Field(32, ge=8, le=64, description="Uploaded pictures are fitted to this many pixels a side.")
    train_examples: int | None = Field(None, ge=10, le=60_000, description="Train on the first this many training "
                                                                          "pictures only; none for all.")
    test_examples: int | None = Field(None, ge=10, le=10_000, description="Test on the first this many test "
                                                                         "pictures only; none for all.")
    net: dict[str, Any] = Field(default_factory=lambda: NETS["lenet5"], validate_default=True,
                                description="The network specification (as for /api/nets/inspect).")
    epochs: int = Field(3, ge=1, le=100, description="Passes over the training pictures.")
    batch_size: int = Field(64, ge=1, le=1024, description="Pictures per gradient step.")
    optimizer: OptimizerName = Field("adam", description="sgd (with momentum), adam or adamw.")
    learning_rate: float = Field(0.002, gt=0, le=10, description="Step size of the optimiser (the schedule's peak).")
    momentum: float = Field(0.9, ge=0, lt=1, description="SGD's momentum: the part of its last step it keeps.")
    schedule: ScheduleName = Field("constant", description="How the learning rate changes over the run: "
                                                           "constant, step, cosine or one_cycle.")
    weight_decay: float = Field(0.0, ge=0, le=0.1, description="Shrinks the weights a little at every step.")
    label_smoothing: float = Field(0.0, ge=0, le=0.5, description="Part of each target spread over the other classes.")
    augment: list[Literal[AUGMENTATIONS]] = Field(  # type: ignore[valid-type]
        default_factory=list, max_length=3,
        description="Random changes to each training batch: crop (shift by up to an eighth), flip (mirror), "
                    "rotate (up to 10°).")
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the initial weights, the batch order and the "
                                                         "augmentation.")
    report_every: int = Field(50, ge=1, le=100_000, description="Optimiser steps between training loss reports.")
    misclassified: int = Field(16, ge=0, le=64, description="How many of the worst test mistakes to show.")

    @field_validator("dataset")
    @classmethod
    def _known_dataset(cls, dataset: str) -> str:
        if dataset not in SETS and reference_id(dataset) is None:
            raise _refuse(f"{dataset!r} is not a dataset here; choose {', '.join(SETS)} or an upload (upload:<id>).")
        return dataset

    @field_validator("augment")
    @classmethod
    def _augment_once_each(cls, augment: list[str]) -> list[str]:
        if len(set(augment)) != len(augment):
            raise _refuse("Name each augmentation once.")
        return augment

    @field_validator("net")
    @classmethod
    def _net_fits_dataset(cls, net: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        try:
            report = nets.inspect_net(net)
        except nets.NetError:
            return net  # the API names each layer's problem itself (check_net); a run would refuse it too
        dataset = info.data.get("dataset")
        size = info.data.get("image_size", 32)
        shape = list(SETS[dataset].shape) if dataset in SETS else [3, size, size] if dataset else None
        if shape is not None and report["input_shape"] != shape:
            raise _refuse(f"The network's input is {' × '.join(map(str, report['input_shape']))} but the "
                          f"{dataset} pictures are {' × '.join(map(str, shape))}; set the input shape to {shape}.")
        classes = len(SETS[dataset].classes) if dataset in SETS else None
        if report["output_shape"] != [classes] and classes is not None:
            raise _refuse(f"The network ends with {' × '.join(map(str, report['output_shape']))} values but "
                          f"{dataset} has {classes} classes; end with a Linear layer of {classes} outputs.")
        return net
