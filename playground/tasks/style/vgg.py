"""VGG-19's convolutional part, built from the network specification, with ImageNet's or random filters.

``vgg19_spec`` is the 37 layers of torchvision's ``vgg19().features`` written as a
specification (``playground.nets``), so layer i of the built ``nn.Sequential`` is
``features.i`` of PyTorch's checkpoint and the page can draw the same layers.
``load_vgg19`` reads that checkpoint (``vgg19-dcbb9e9d.pth`` in
``$LAYERLAB_DATA_DIR/weights/``, fetched by ``./manage.py fetch_weights vgg19`` or
placed by hand) with ``weights_only=True``, after checking the SHA-256 prefix its
name carries. Without it, ``random_vgg19`` gives the same shape with seeded random
filters: it still transfers colour and texture (random filters at several scales
are known to), not the painterly strokes of trained ones.

    features = feature_network(data_dir, "cpu", last_layer=28)  # .net, .weights ("imagenet" or "random")
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch
from torch import Tensor, nn

from playground import nets
from playground.data.catalog import CATALOG, find
from playground.tasks.base import TaskFailure

# Channels of each block's convolutions; a pool ends every block.
BLOCKS = ((64, 64), (128, 128), (256, 256, 256, 256), (512, 512, 512, 512), (512, 512, 512, 512))
IMAGENET_MEAN = (0.485, 0.456, 0.406)
IMAGENET_STD = (0.229, 0.224, 0.225)
ENTRY = CATALOG["vgg19"]
CHECKPOINT = ENTRY.needs[0][0]
SHA256_PREFIX = ENTRY.downloads[0].sha256_prefix
# Big enough for VGG-19's activations at the largest image the task allows; the task's own estimate
# (estimate.py) is what keeps a run within the device's memory.
# The offline stand-in's channels, as a share of VGG-19's: a quarter has a sixteenth of the work, so a
# CPU paints a picture in seconds, and random filters gain little from being many.
FALLBACK_WIDTH = 0.25
LIMITS = nets.Limits(max_params=21_000_000, max_activation_bytes=8 * 2**30, max_input_elements=3 * 1024 * 1024)


@dataclass(frozen=True)
class Layer:
    """One layer of the 37: its index in ``features``, its name (``conv3_2``, ``relu3_2``, ``pool3``) and type."""

    index: int
    name: str
    type: str
    channels: int
    scale: int  # how many times smaller than the image its maps are: 1, 2, 4, 8, 16 (pools halve)


def vgg19_layers() -> list[Layer]:
    layers: list[Layer] = []
    for block, widths in enumerate(BLOCKS, start=1):
        scale = 2 ** (block - 1)
        for number, width in enumerate(widths, start=1):
            layers.append(Layer(len(layers), f"conv{block}_{number}", "Conv2d", width, scale))
            layers.append(Layer(len(layers), f"relu{block}_{number}", "ReLU", width, scale))
        layers.append(Layer(len(layers), f"pool{block}", "MaxPool2d", widths[-1], scale * 2))
    return layers


LAYERS = vgg19_layers()
# The layers a visitor may take features from: each convolution's output after its ReLU, named after the
# convolution as in Gatys et al. (conv4_2 is the content layer of the paper).
FEATURE_LAYERS: dict[str, Layer] = {layer.name.replace("relu", "conv"): layer for layer in LAYERS if layer.type == "ReLU"}


def vgg19_spec(size: tuple[int, int] = (224, 224), last_layer: int = len(LAYERS) - 1, width: float = 1.0) -> dict[str, Any]:
    """The first ``last_layer + 1`` layers of VGG-19's features as a specification (``width`` scales the channels)."""
    layers: list[dict[str, Any]] = []
    for layer in LAYERS[: last_layer + 1]:
        if layer.type == "Conv2d":
            layers.append({"type": "Conv2d", "out_channels": max(1, round(layer.channels * width)), "kernel_size": 3,
                           "padding": 1})
        elif layer.type == "ReLU":
            layers.append({"type": "ReLU"})
        else:
            layers.append({"type": "MaxPool2d", "kernel_size": 2, "stride": 2})
    return {"version": 1, "input": {"shape": [3, size[1], size[0]]}, "layers": layers}


class FeatureNetwork(nn.Module):
    """ImageNet normalisation, then VGG-19's layers; ``forward`` gives the activations of the layers asked for."""

    def __init__(self, body: nn.Sequential, weights: str):
        super().__init__()
        self.body = body
        self.weights = weights  # "imagenet" or "random"
        self.register_buffer("mean", torch.tensor(IMAGENET_MEAN).view(1, 3, 1, 1))
        self.register_buffer("std", torch.tensor(IMAGENET_STD).view(1, 3, 1, 1))
        self.eval().requires_grad_(False)

    def forward(self, image: Tensor, indices: list[int]) -> dict[int, Tensor]:
        """Activations at each of ``indices`` for an image batch (N, 3, H, W) in [0, 1]."""
        wanted = set(indices)
        if not wanted:
            return {}
        last = max(wanted)
        out: dict[int, Tensor] = {}
        x = (image - self.mean) / self.std
        for index, module in enumerate(self.body):
            x = module(x)
            if index in wanted:
                out[index] = x
            if index == last:
                break
        return out


def build_body(last_layer: int, width: float = 1.0) -> nn.Sequential:
    body = nets.build_net(vgg19_spec((64, 64), last_layer, width), LIMITS)
    assert isinstance(body, nn.Sequential)
    return body


def random_vgg19(last_layer: int, seed: int = 0, width: float = FALLBACK_WIDTH) -> FeatureNetwork:
    """VGG-19's shape with random filters (He initialisation, so every layer's activations keep their scale)."""
    body = build_body(last_layer, width)
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for module in body:
            if isinstance(module, nn.Conv2d):
                fan_in = module.in_channels * 9
                module.weight.copy_(torch.randn(module.weight.shape, generator=generator) * (2 / fan_in) ** 0.5)
                module.bias.zero_()
    return FeatureNetwork(body, "random")


def weights_path(data_dir: Path | None) -> Path | None:
    """The VGG-19 checkpoint under the data directory, or None when it is not there."""
    return find(data_dir, ENTRY, ENTRY.needs[0]) if data_dir is not None else None


def check_file(path: Path, sha256_prefix: str = SHA256_PREFIX) -> None:
    """Refuse a checkpoint whose SHA-256 does not start as its name says (a damaged or different file).

    Hashing 548 MB takes a second or two, so the verdict is kept beside it, keyed by size and
    modification time: a file that changes is checked again.
    """
    stat = path.stat()
    mark = path.with_name(path.name + ".checked")
    key = {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns, "sha256_prefix": sha256_prefix}
    try:
        if json.loads(mark.read_text()) == key:
            return
    except (OSError, ValueError):
        pass
    digest = hashlib.sha256()
    with open(path, "rb") as source:
        while chunk := source.read(1 << 20):
            digest.update(chunk)
    if not digest.hexdigest().startswith(sha256_prefix):
        raise TaskFailure(f"{path.name} is not PyTorch's VGG-19 checkpoint: its SHA-256 starts with "
                          f"{digest.hexdigest()[:8]}, not {sha256_prefix}; delete it and run "
                          "./manage.py fetch_weights vgg19 again")
    try:
        mark.write_text(json.dumps(key))
    except OSError:
        pass  # a read-only weights folder: check again next time


def load_vgg19(path: Path, last_layer: int, sha256_prefix: str = SHA256_PREFIX, width: float = 1.0) -> FeatureNetwork:
    """VGG-19's features up to ``last_layer`` with the checkpoint's filters; TaskFailure for a bad file."""
    check_file(path, sha256_prefix)
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as error:  # a truncated zip, or a pickle naming more than tensors
        raise TaskFailure(f"{path.name} cannot be read as a PyTorch checkpoint ({type(error).__name__}); "
                          "delete it and fetch it again") from None
    body = build_body(last_layer, width)
    wanted = {f"features.{name}": value for name, value in body.state_dict().items()}
    if not isinstance(state, dict):
        raise TaskFailure(f"{path.name} holds no weights by name; it is not PyTorch's VGG-19 checkpoint")
    missing = [key for key in wanted if key not in state]
    wrong = [f"{key} is {tuple(state[key].shape)}, not {tuple(value.shape)}" for key, value in wanted.items()
             if key in state and (not isinstance(state[key], Tensor) or state[key].shape != value.shape)]
    if missing or wrong:
        raise TaskFailure(f"{path.name} does not fit VGG-19: " + "; ".join(
            ([f"it lacks {', '.join(missing[:3])}"] if missing else []) + wrong[:3]))
    body.load_state_dict({key.removeprefix("features."): state[key] for key in wanted})
    return FeatureNetwork(body, "imagenet")


def feature_network(data_dir: Path | None, device: str | torch.device, last_layer: int, seed: int = 0) -> FeatureNetwork:
    """VGG-19 with ImageNet's filters where the checkpoint is there, else the random stand-in; on ``device``."""
    path = weights_path(data_dir)
    network = load_vgg19(path, last_layer) if path is not None else random_vgg19(last_layer, seed)
    return network.to(device)


def weights_available(data_dir: Path | None) -> bool:
    return weights_path(data_dir) is not None

