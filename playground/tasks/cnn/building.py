"""What a CNN run and its short jobs both build from a configuration: the pictures and the network."""
from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from playground import nets
from playground.data.image_sets import ImageSet, ImageSetMissing, SETS, load_image_set, load_upload
from playground.data.images import FileRefused
from playground.tasks.base import TaskFailure
from playground.tasks.cnn.config import CnnConfig


def load_data(config: CnnConfig, data_dir: Path | None, upload: Path | None = None) -> ImageSet:
    """The configured pictures, cut to ``train_examples``/``test_examples``; TaskFailure with a sentence if impossible."""
    try:
        if config.dataset in SETS:
            images = load_image_set(config.dataset, data_dir)
        else:
            assert upload is not None
            images = load_upload(upload, config.image_size, config.seed)
    except (ImageSetMissing, FileRefused, ValueError) as error:
        raise TaskFailure(str(error)) from None
    if config.train_examples or config.test_examples:
        cut = lambda split, most: (split[0][:most], split[1][:most]) if most else split  # noqa: E731
        images = ImageSet(images.name, images.classes, cut(images.train, config.train_examples),
                          cut(images.test, config.test_examples))
    return images


def check_fits(config: CnnConfig, images: ImageSet) -> None:
    """The network must take these pictures and give one score per class (an upload is only known now)."""
    report = nets.inspect_net(config.net)
    if report["input_shape"] != list(images.shape):
        raise TaskFailure(f"the network's input is {report['input_shape']} but the pictures are {list(images.shape)}; "
                          "set the input shape to match")
    if report["output_shape"] != [len(images.classes)]:
        raise TaskFailure(f"the network ends with {report['output_shape']} values but there are "
                          f"{len(images.classes)} classes; end with a Linear layer of {len(images.classes)} outputs")


def build_model(config: CnnConfig, device: torch.device) -> nn.Module:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        model = nets.build_net(config.net)
    model = model.to(device)
    return model.to(memory_format=torch.channels_last) if device.type == "cuda" else model
