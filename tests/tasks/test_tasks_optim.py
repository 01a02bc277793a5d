"""Optimisers from settings: the registry, two parameter groups, and weight decay on every kind of weight only."""
import pytest
import torch
from torch import nn

from playground.tasks.optim import (
    DECAYED, NOT_DECAYED, OPTIMIZERS, OptimizerSettings, apply_settings, make_optimizer, parameter_groups, weights,
)


class EveryKind(nn.Module):
    """One of each layer whose parameters weight decay must or must not reach."""

    def __init__(self) -> None:
        super().__init__()
        self.embedding = nn.Embedding(10, 4)
        self.lstm = nn.LSTM(4, 6, num_layers=2, proj_size=3)
        self.gru = nn.GRU(3, 5)
        self.rnn = nn.RNNCell(5, 5)
        self.conv = nn.Conv2d(1, 2, 3)
        self.conv1d = nn.Conv1d(2, 2, 3, bias=False)
        self.batch_norm = nn.BatchNorm2d(2)
        self.layer_norm = nn.LayerNorm(5)
        self.attention = nn.MultiheadAttention(4, 2)
        self.prelu = nn.PReLU()
        self.linear = nn.Linear(5, 2)


def names(model: nn.Module, parameters: list[nn.Parameter]) -> set[str]:
    by_id = {id(p): name for name, p in model.named_parameters()}
    return {by_id[id(p)] for p in parameters}


def test_decay_reaches_every_weight_matrix_and_kernel_but_no_bias_or_normalisation():
    model = EveryKind()
    decayed, others = parameter_groups(model)
    assert names(model, decayed) == {
        "embedding.weight",
        "lstm.weight_ih_l0", "lstm.weight_hh_l0", "lstm.weight_hr_l0", "lstm.weight_ih_l1", "lstm.weight_hh_l1", "lstm.weight_hr_l1",
        "gru.weight_ih_l0", "gru.weight_hh_l0",
        "rnn.weight_ih", "rnn.weight_hh",
        "conv.weight", "conv1d.weight",
        "attention.in_proj_weight", "attention.out_proj.weight",
        "linear.weight",
    }
    assert all("bias" in name or "norm" in name or name == "prelu.weight" for name in names(model, others))
    assert {"batch_norm.weight", "layer_norm.weight", "lstm.bias_hh_l1", "conv.bias"} <= names(model, others)
    assert len(decayed) + len(others) == len(list(model.parameters()))


def test_groups_keep_the_model_order_so_basics_checkpoints_still_load():
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    decayed, others = parameter_groups(model)
    assert decayed == [model[0].weight, model[2].weight] and others == [model[0].bias, model[2].bias]
    assert weights(model) == decayed


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_each_optimiser_decays_the_weights_and_leaves_the_biases(name):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv1d(1, 2, 3), nn.Flatten(), nn.Linear(8, 2))
    optimizer = make_optimizer(model, OptimizerSettings(name, learning_rate=0.1, weight_decay=0.5, momentum=0.9))
    assert isinstance(optimizer, OPTIMIZERS[name].make)
    before = [p.detach().clone() for p in model.parameters()]
    for _ in range(3):  # a zero loss: only the decay moves anything
        optimizer.zero_grad()
        (model(torch.randn(4, 1, 6)) * 0).sum().backward()
        optimizer.step()
    conv_weight, conv_bias, linear_weight, linear_bias = (p.detach() for p in model.parameters())
    assert conv_weight.abs().sum() < before[0].abs().sum() and linear_weight.abs().sum() < before[2].abs().sum()
    assert torch.equal(conv_bias, before[1]) and torch.equal(linear_bias, before[3])


def test_settings_reach_the_groups_and_come_back_after_loading_a_state():
    model = nn.Sequential(nn.Linear(2, 2))
    optimizer = make_optimizer(model, OptimizerSettings("sgd", learning_rate=0.1, weight_decay=0.01, momentum=0.9))
    groups = optimizer.param_groups
    assert [g["lr"] for g in groups] == [0.1, 0.1] and [g["momentum"] for g in groups] == [0.9, 0.9]
    assert (groups[DECAYED]["weight_decay"], groups[NOT_DECAYED]["weight_decay"]) == (0.01, 0.0)
    apply_settings(optimizer, OptimizerSettings("sgd", learning_rate=0.5, weight_decay=0.2))
    assert [(g["lr"], g["weight_decay"], g["momentum"]) for g in groups] == [(0.5, 0.2, 0.0), (0.5, 0.0, 0.0)]


def test_a_model_without_biases_still_gets_both_groups():
    optimizer = make_optimizer(nn.Linear(2, 2, bias=False), OptimizerSettings("adamw", weight_decay=0.1))
    assert [len(g["params"]) for g in optimizer.param_groups] == [1, 0]


def test_an_unknown_optimiser_names_the_known_ones():
    with pytest.raises(ValueError, match="sgd, adam, adamw"):
        OptimizerSettings("rmsprop")
