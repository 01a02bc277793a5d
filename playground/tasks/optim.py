"""Optimisers every task builds the same way: one registry, two parameter groups, weight decay on weights only.

    settings = OptimizerSettings("sgd", learning_rate=0.1, momentum=0.9, weight_decay=5e-4)
    optimizer = make_optimizer(model, settings)

Group 0 holds the weights that weight decay shrinks: the matrices and kernels of
Linear, convolution, recurrent (``weight_ih``/``weight_hh``) and embedding layers.
Group 1 holds the rest: biases and normalisation layers' scales and shifts, which
decay would only pull away from what they must be (a LayerNorm's scale towards 0).
For Adam and SGD the decay is L2 added to the gradient; AdamW decouples it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import torch
from torch import nn

DECAYED, NOT_DECAYED = 0, 1  # the parameter groups' places in every optimiser made here


@dataclass(frozen=True)
class OptimizerKind:
    """One entry of the registry: the torch class and a sentence a student reads."""

    make: type[torch.optim.Optimizer]
    description: str


OPTIMIZERS: dict[str, OptimizerKind] = {
    "sgd": OptimizerKind(torch.optim.SGD, "Stochastic gradient descent; with momentum it keeps part of its last step."),
    "adam": OptimizerKind(torch.optim.Adam, "Adam: a step for each weight, scaled by its recent gradients; decay acts as L2."),
    "adamw": OptimizerKind(torch.optim.AdamW, "AdamW: Adam whose weight decay shrinks the weights directly, not through the gradient."),
}
OptimizerName = Literal["sgd", "adam", "adamw"]  # pydantic field type for a task's configuration

NORMALISATION_LAYERS = (nn.modules.batchnorm._NormBase, nn.LayerNorm, nn.GroupNorm, nn.RMSNorm)
WEIGHT_LAYERS = (nn.Linear, nn.Bilinear, nn.modules.conv._ConvNd, nn.Embedding, nn.EmbeddingBag)
RECURRENT_LAYERS = (nn.RNNBase, nn.RNNCellBase)


@dataclass(frozen=True)
class OptimizerSettings:
    """What a task's configuration says about its optimiser."""

    name: str = "adam"
    learning_rate: float = 1e-3
    weight_decay: float = 0.0
    momentum: float = 0.0  # SGD only; 0.9 is the usual choice with momentum

    def __post_init__(self) -> None:
        if self.name not in OPTIMIZERS:
            raise ValueError(f"Unknown optimiser {self.name!r}; known: {', '.join(OPTIMIZERS)}.")


def decays(module: nn.Module, name: str, parameter: nn.Parameter) -> bool:
    """Whether weight decay should shrink this parameter of this module (its own, not a child's)."""
    if isinstance(module, NORMALISATION_LAYERS) or "bias" in name:
        return False
    if isinstance(module, WEIGHT_LAYERS):
        return name == "weight"
    if isinstance(module, RECURRENT_LAYERS):
        return name.startswith("weight_")  # weight_ih_l0, weight_hh_l0, weight_hr_l0 (LSTM projection)
    return parameter.dim() >= 2  # other matrices (attention's in_proj_weight); never scales or slopes


def parameter_groups(model: nn.Module) -> tuple[list[nn.Parameter], list[nn.Parameter]]:
    """The model's parameters as (decayed, not decayed), each in ``model.parameters()`` order."""
    decayed_ids = {
        id(parameter)
        for module in model.modules()
        for name, parameter in module.named_parameters(recurse=False)
        if decays(module, name, parameter)
    }
    decayed, others = [], []
    for parameter in model.parameters():
        (decayed if id(parameter) in decayed_ids else others).append(parameter)
    return decayed, others


def weights(model: nn.Module) -> list[nn.Parameter]:
    """The parameters weight decay reaches (for an L1 penalty, or gradient norms per layer)."""
    return parameter_groups(model)[0]


def make_optimizer(model: nn.Module, settings: OptimizerSettings) -> torch.optim.Optimizer:
    """The optimiser of settings over the model's two groups; both groups exist even when one is empty."""
    decayed, others = parameter_groups(model)
    optimizer = OPTIMIZERS[settings.name].make([{"params": decayed}, {"params": others}], lr=settings.learning_rate)
    apply_settings(optimizer, settings)
    return optimizer


def apply_settings(optimizer: torch.optim.Optimizer, settings: OptimizerSettings) -> None:
    """Learning rate, decay and momentum from settings (also after loading a checkpoint's optimiser state)."""
    for index, group in enumerate(optimizer.param_groups):
        group["lr"] = settings.learning_rate
        group["weight_decay"] = settings.weight_decay if index == DECAYED else 0.0
        if "momentum" in group:
            group["momentum"] = settings.momentum
