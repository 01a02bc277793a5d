"""The torch modules LayerLab needs beyond torch.nn.

An exported script copies these classes' source, so they use only ``torch`` and
``nn`` and nothing else from this package.
"""
from __future__ import annotations

import torch
from torch import nn


class Residual(nn.Module):
    """body(x) + x, with a 1×1 projection of x where the body changes its shape."""

    def __init__(self, body, projection=None):
        super().__init__()
        self.body = body
        self.projection = projection if projection is not None else nn.Identity()

    def forward(self, x):
        return self.body(x) + self.projection(x)


class Parallel(nn.Module):
    """Runs each branch on the same input and concatenates them along dim 1 (the channels)."""

    def __init__(self, *branches):
        super().__init__()
        self.branches = nn.ModuleList(branches)

    def forward(self, x):
        return torch.cat([branch(x) for branch in self.branches], dim=1)


class SequenceOutput(nn.Module):
    """Runs a recurrent layer and keeps its output at every step, dropping the final hidden state."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        output, _hidden = self.rnn(x)
        return output


class OneHot(nn.Module):
    """Token ids (N, T) as one-hot vectors (N, T, num_classes) of floats."""

    def __init__(self, num_classes):
        super().__init__()
        self.num_classes = num_classes

    def forward(self, x):
        return nn.functional.one_hot(x, self.num_classes).float()


HELPERS = {cls.__name__: cls for cls in (Residual, Parallel, SequenceOutput, OneHot)}
