"""A small named world of specifications for the nets tests, and the tools to run them.

Each spec is a network a learner could build; together they use every layer type.
``observe`` runs the built module with hooks so a test can hold inspection against
what PyTorch really does.
"""
from __future__ import annotations

import copy

import torch

from playground.nets import build_net


def conv(out, k, **kw):
    return {"type": "Conv2d", "out_channels": out, "kernel_size": k, **kw}


LENET = {"version": 1, "input": {"shape": [1, 28, 28]}, "layers": [
    conv(6, 5, padding=2), {"type": "Tanh"}, {"type": "MaxPool2d", "kernel_size": 2},
    conv(16, 5), {"type": "Tanh"}, {"type": "MaxPool2d", "kernel_size": 2},
    {"type": "Flatten"},
    {"type": "Linear", "out_features": 120}, {"type": "Tanh"},
    {"type": "Linear", "out_features": 84}, {"type": "Tanh"},
    {"type": "Linear", "out_features": 10}]}

TINY_RESNET = {"input": {"shape": [3, 16, 16]}, "layers": [
    conv(8, 3, padding=1), {"type": "BatchNorm2d"}, {"type": "ReLU"},
    {"type": "Residual", "layers": [conv(8, 3, padding=1), {"type": "BatchNorm2d"}, {"type": "ReLU"},
                                    conv(8, 3, padding="same")]},
    {"type": "Residual", "layers": [conv(16, 3, stride=2, padding=1), {"type": "ReLU"}, conv(16, 3, padding=1)]},
    {"type": "AdaptiveAvgPool2d", "output_size": 1}, {"type": "Flatten"},
    {"type": "Linear", "out_features": 10}]}

INCEPTION = {"input": {"shape": [3, 12, 12]}, "layers": [
    {"type": "Parallel", "branches": [
        [conv(4, 1)],
        [conv(4, 1), {"type": "ReLU"}, conv(6, 3, padding=1)],
        [{"type": "MaxPool2d", "kernel_size": 3, "stride": 1, "padding": 1}, conv(2, 1)],
        []]},
    {"type": "AvgPool2d", "kernel_size": 2}, {"type": "Dropout2d", "p": 0.2}, {"type": "Flatten"},
    {"type": "Linear", "out_features": 5}, {"type": "Softmax", "dim": 1}]}

CHAR_LSTM = {"input": {"shape": [20], "dtype": "long", "vocab_size": 30}, "layers": [
    {"type": "Embedding", "embedding_dim": 8},
    {"type": "LSTM", "hidden_size": 16, "num_layers": 2, "dropout": 0.1},
    {"type": "Linear", "out_features": 30}]}

ONE_HOT_RNN = {"input": {"shape": [16], "dtype": "long", "vocab_size": 11}, "layers": [
    {"type": "OneHot"}, {"type": "RNN", "hidden_size": 12}, {"type": "Linear", "out_features": 11}]}

BIGRU = {"input": {"shape": [12], "dtype": "long", "vocab_size": 10}, "layers": [
    {"type": "Embedding", "num_embeddings": 12, "embedding_dim": 6, "padding_idx": 0},
    {"type": "GRU", "hidden_size": 8, "bidirectional": True}, {"type": "LayerNorm"},
    {"type": "RNN", "hidden_size": 5, "nonlinearity": "relu", "bias": False},
    {"type": "Flatten"}, {"type": "Linear", "out_features": 3}]}

CONV1D = {"input": {"shape": [2, 32]}, "layers": [
    {"type": "Conv1d", "out_channels": 4, "kernel_size": 5, "padding": "same"}, {"type": "ReLU"},
    {"type": "Conv1d", "out_channels": 8, "kernel_size": 3, "stride": 2, "dilation": 2, "groups": 2},
    {"type": "BatchNorm1d"}, {"type": "ELU", "alpha": 0.5}, {"type": "Flatten"},
    {"type": "Linear", "out_features": 6},
    {"type": "Residual", "layers": [{"type": "Linear", "out_features": 6}, {"type": "GELU", "approximate": "tanh"}]},
    {"type": "Residual", "layers": [{"type": "Linear", "out_features": 3}]},
    {"type": "Sigmoid"}]}

MLP = {"input": {"shape": [20]}, "layers": [
    {"type": "Linear", "out_features": 32}, {"type": "BatchNorm1d", "momentum": 0.2},
    {"type": "LeakyReLU", "negative_slope": 0.2}, {"type": "Dropout", "p": 0.3},
    {"type": "Linear", "out_features": 16, "bias": False}, {"type": "SiLU"},
    {"type": "LayerNorm", "eps": 1e-3}, {"type": "Linear", "out_features": 4}, {"type": "Softmax"}]}

WINDOWS = {"input": {"shape": [3, 9, 9]}, "layers": [
    conv(6, [3, 2], stride=[2, 1], padding=[1, 0], dilation=[1, 2]),
    {"type": "MaxPool2d", "kernel_size": 2, "stride": 1, "dilation": 2, "ceil_mode": True},
    {"type": "AvgPool2d", "kernel_size": 3, "stride": 2, "padding": 1, "ceil_mode": True,
     "count_include_pad": False},
    conv(6, 1, padding="valid", groups=3, bias=False), {"type": "LayerNorm", "bias": False},
    {"type": "Flatten", "start_dim": 1, "end_dim": 2}, {"type": "Linear", "out_features": 4},
    {"type": "Flatten"}, {"type": "Linear", "out_features": 2}]}

SEQUENCE_RESIDUALS = {"input": {"shape": [4, 10]}, "layers": [
    {"type": "Residual", "layers": [{"type": "Conv1d", "out_channels": 6, "kernel_size": 3,
                                     "stride": 2, "padding": 1}]},
    {"type": "Residual", "layers": [{"type": "Linear", "out_features": 3}]},
    {"type": "Flatten"}, {"type": "Linear", "out_features": 2}]}

NESTED = {"input": {"shape": [4, 8, 8]}, "layers": [
    {"type": "Residual", "layers": [
        {"type": "Parallel", "branches": [[conv(2, 3, padding=1)], [conv(2, 1)]]}, {"type": "ReLU"}]},
    {"type": "Parallel", "branches": [
        [{"type": "Residual", "layers": [conv(3, 3, stride=2, padding=1)]}],
        [{"type": "MaxPool2d", "kernel_size": 2}]]},
    {"type": "Flatten"}, {"type": "Linear", "out_features": 2}]}

SPECS = {
    "lenet": LENET, "tiny_resnet": TINY_RESNET, "inception": INCEPTION, "char_lstm": CHAR_LSTM,
    "one_hot_rnn": ONE_HOT_RNN,
    "bigru": BIGRU, "conv1d": CONV1D, "mlp": MLP, "windows": WINDOWS,
    "sequence_residuals": SEQUENCE_RESIDUALS, "nested": NESTED,
}


def spec(name: str) -> dict:
    """A fresh copy, so a test may change it."""
    return copy.deepcopy(SPECS[name])


def example(spec: dict, batch: int) -> torch.Tensor:
    """A random batch for the spec's input: floats, or token ids below the vocab size."""
    given = spec["input"]
    if given.get("dtype") == "long":
        return torch.randint(0, given["vocab_size"], (batch, *given["shape"]))
    return torch.randn(batch, *given["shape"])


def module_at(net: torch.nn.Module, path: str) -> torch.nn.Module:
    """The built module for a report row's path: "3", "3.layers.1", "6.branches.0.2", "3.projection"."""
    parts = path.split(".")
    module, i = net[int(parts[0])], 1
    while i < len(parts):
        if parts[i] == "layers":
            module, i = module.body[int(parts[i + 1])], i + 2
        elif parts[i] == "branches":
            module, i = module.branches[int(parts[i + 1])][int(parts[i + 2])], i + 3
        else:
            assert parts[i] == "projection", path
            module, i = module.projection, i + 1
    return module


def count(module: torch.nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def observe(spec: dict, report: dict, batch: int = 2):
    """Builds the spec, runs a batch with a hook on every reported row; returns (net, shapes, output)."""
    net = build_net(spec).eval()
    seen: dict[str, tuple] = {}
    for row in report["layers"]:
        module_at(net, row["path"]).register_forward_hook(
            lambda module, args, out, path=row["path"]: seen.__setitem__(path, tuple(out.shape)))
    with torch.no_grad():
        out = net(example(spec, batch))
    return net, seen, out


def assert_matches_torch(spec: dict, report: dict, batch: int = 2) -> None:
    """Every row's output shape and parameter count, and the totals, equal the real module's."""
    net, seen, out = observe(spec, report, batch)
    for row in report["layers"]:
        assert seen.get(row["path"]) == (batch, *row["output_shape"]), row
        assert count(module_at(net, row["path"])) == row["params"], row
    assert tuple(out.shape) == (batch, *report["output_shape"])
    assert count(net) == report["total_params"] == report["trainable_params"]
    assert report["param_bytes"] == 4 * report["total_params"]
