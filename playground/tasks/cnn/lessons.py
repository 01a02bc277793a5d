"""The CNN page's presets: six networks, from an MLP to a small GoogLeNet, each with its idea and its size.

Every network here is written for the built-in 28 × 28 grey set; the page swaps
the input shape and the output count for another set's, and the Linear layers
work out their own input sizes, so the same stacks also fit 32 × 32 colour
pictures. Parameter counts in the sentences are computed, not typed.
"""
from __future__ import annotations

from typing import Any

from playground.nets import inspect_net

INPUT = {"shape": [1, 28, 28]}


def conv(out: int, kernel: int, padding: int = 0, stride: int = 1) -> dict[str, Any]:
    return {"type": "Conv2d", "out_channels": out, "kernel_size": kernel, "padding": padding, "stride": stride}


def pool(kernel: int = 2, kind: str = "MaxPool2d") -> dict[str, Any]:
    return {"type": kind, "kernel_size": kernel}


def linear(out: int) -> dict[str, Any]:
    return {"type": "Linear", "out_features": out}


RELU = {"type": "ReLU"}
FLAT = {"type": "Flatten"}


def net(*layers: dict[str, Any]) -> dict[str, Any]:
    return {"version": 1, "input": dict(INPUT), "layers": list(layers)}


def conv_bn(out: int, kernel: int = 3, stride: int = 1) -> list[dict[str, Any]]:
    return [{**conv(out, kernel, kernel // 2, stride), "bias": False}, {"type": "BatchNorm2d"}, RELU]


def residual(out: int, stride: int = 1) -> dict[str, Any]:
    body = [*conv_bn(out, 3, stride), {**conv(out, 3, 1), "bias": False}, {"type": "BatchNorm2d"}]
    return {"type": "Residual", "layers": body}


def inception(c1: int, c3: int, c5: int, cp: int) -> dict[str, Any]:
    return {"type": "Parallel", "branches": [
        [conv(c1, 1), RELU],
        [conv(c3 // 2, 1), RELU, conv(c3, 3, 1), RELU],
        [conv(c5 // 2, 1), RELU, conv(c5, 5, 2), RELU],
        [{"type": "MaxPool2d", "kernel_size": 3, "stride": 1, "padding": 1}, conv(cp, 1), RELU],
    ]}


NETS: dict[str, dict[str, Any]] = {
    "mlp": net(FLAT, linear(256), RELU, linear(128), RELU, linear(10)),
    "lenet5": net(conv(6, 5, 2), RELU, pool(), conv(16, 5), RELU, pool(), FLAT, linear(120), RELU, linear(84), RELU,
                  linear(10)),
    "alexnet": net(conv(32, 5, 2), RELU, pool(), conv(64, 3, 1), RELU, pool(), conv(96, 3, 1), RELU,
                   conv(96, 3, 1), RELU, conv(64, 3, 1), RELU, pool(), FLAT, {"type": "Dropout", "p": 0.5},
                   linear(256), RELU, {"type": "Dropout", "p": 0.5}, linear(10)),
    "vgg": net(conv(16, 3, 1), RELU, conv(16, 3, 1), RELU, pool(), conv(32, 3, 1), RELU, conv(32, 3, 1), RELU,
               conv(32, 3, 1), RELU, pool(), FLAT, linear(128), RELU, linear(10)),
    "resnet": net(*conv_bn(16), residual(16), RELU, residual(32, 2), RELU, residual(64, 2), RELU,
                  {"type": "AdaptiveAvgPool2d", "output_size": 1}, FLAT, linear(10)),
    "googlenet": net(conv(32, 3, 1), RELU, pool(), inception(16, 24, 8, 8), pool(), inception(24, 32, 16, 8),
                     {"type": "AdaptiveAvgPool2d", "output_size": 1}, FLAT, linear(10)),
}


def params(name: str) -> int:
    return inspect_net(NETS[name])["total_params"]


def vgg_arithmetic(channels: int = 32) -> str:
    three = 3 * (3 * 3 * channels * channels)
    seven = 7 * 7 * channels * channels
    return (f"Three 3 × 3 convolutions of {channels} channels see a 7 × 7 window, like one 7 × 7 convolution, "
            f"with {three:,} weights instead of {seven:,} (27C² against 49C²) and two more ReLUs.")


IDEAS = {
    "mlp": ("MLP baseline", "Flattens the picture and treats every pixel as unrelated to its neighbours; "
                            "a digit moved by two pixels is a new pattern to it."),
    "lenet5": ("LeNet-5", "LeCun's 1998 network (with today's ReLU and max pooling): two 5 × 5 convolutions "
                          "share their weights over the whole picture, so a stroke is found wherever it is."),
    "alexnet": ("Small AlexNet", "AlexNet's shape in small: wide early filters, then a stack of 3 × 3 convolutions, "
                                 "ReLU everywhere and dropout in the classifier."),
    "vgg": ("Small VGG", "Only 3 × 3 convolutions, stacked. " + vgg_arithmetic()),
    "resnet": ("Small ResNet", "Residual blocks add their input back to their output, so gradients reach the first "
                               "layers and depth stops hurting; batch norm after every convolution."),
    "googlenet": ("Small GoogLeNet", "Inception blocks run 1 × 1, 3 × 3, 5 × 5 convolutions and a pool side by side "
                                     "and join their channels; 1 × 1 convolutions keep them cheap."),
}

TRAINING = {
    "mlp": {"optimizer": "adam", "learning_rate": 0.001},
    "lenet5": {"optimizer": "adam", "learning_rate": 0.002},
    "alexnet": {"optimizer": "adam", "learning_rate": 0.001},
    "vgg": {"optimizer": "adam", "learning_rate": 0.001},
    "resnet": {"optimizer": "sgd", "learning_rate": 0.05, "schedule": "one_cycle", "weight_decay": 0.0005},
    "googlenet": {"optimizer": "adam", "learning_rate": 0.002},
}


def preset(name: str, **config: Any) -> dict[str, Any]:
    label, idea = IDEAS[name]
    return {"id": name, "label": label, "description": f"{idea} {params(name):,} parameters.",
            "params": params(name), "config": {"net": NETS[name], **TRAINING[name], **config}}


def lessons() -> list[dict[str, Any]]:
    def text(*names: str) -> str:
        return " ".join(f"{IDEAS[n][0]}: {IDEAS[n][1]} ({params(n):,} parameters.)" for n in names)

    return [
        {"title": "Convolution against a flat network", "presets": [preset("mlp"), preset("lenet5")],
         "explanation": text("mlp", "lenet5") + " Train both for the same epochs and overlay their curves."},
        {"title": "Deeper stacks", "presets": [preset("alexnet"), preset("vgg")],
         "explanation": text("alexnet", "vgg")},
        {"title": "Shortcuts and branches", "presets": [preset("resnet"), preset("googlenet")],
         "explanation": text("resnet", "googlenet")},
    ]


LESSONS = lessons()
PRESETS = {p["id"]: p for lesson in LESSONS for p in lesson["presets"]}
