"""VGG-19 from the specification, and its weights from a checkpoint with the real file's key names and shapes.

The real checkpoint is 548 MB; the test writes the real shapes of its first four
convolutions (``features.0`` to ``features.7``, conv1_1 to conv2_2) and loads VGG-19 up to
relu2_2 from it, which reads exactly those keys.
"""
from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

import pytest
import torch
from torch import nn

from playground.tasks.base import TaskFailure
from playground.tasks.style.vgg import (CHECKPOINT, FEATURE_LAYERS, LAYERS, build_body, feature_network, load_vgg19,
                                        random_vgg19, weights_path)

RELU2_2 = FEATURE_LAYERS["conv2_2"].index  # 8
REAL_SHAPES = {0: (64, 3, 3, 3), 2: (64, 64, 3, 3), 5: (128, 64, 3, 3), 7: (128, 128, 3, 3)}


def checkpoint(path: Path, shapes: dict[int, tuple[int, ...]] = REAL_SHAPES, seed: int = 0) -> str:
    """Write a checkpoint as torchvision saves VGG-19 (``features.N.weight``/``bias``); its SHA-256's first 8 digits."""
    generator = torch.Generator().manual_seed(seed)
    state = {}
    for index, shape in shapes.items():
        state[f"features.{index}.weight"] = torch.randn(shape, generator=generator)
        state[f"features.{index}.bias"] = torch.randn(shape[0], generator=generator)
    state["classifier.0.weight"] = torch.zeros(4, 4)  # the classifier is there too, and left alone
    torch.save(state, path)
    return hashlib.sha256(path.read_bytes()).hexdigest()[:8]


def test_the_specification_builds_torchvisions_vgg19_features_layer_for_layer():
    body = build_body(len(LAYERS) - 1)
    assert len(body) == 37 and len(LAYERS) == 37
    convs = [i for i, m in enumerate(body) if isinstance(m, nn.Conv2d)]
    assert convs == [0, 2, 5, 7, 10, 12, 14, 16, 19, 21, 23, 25, 28, 30, 32, 34]
    assert [i for i, m in enumerate(body) if isinstance(m, nn.MaxPool2d)] == [4, 9, 18, 27, 36]
    assert sum(p.numel() for p in body.parameters()) == 20_024_384  # torchvision's vgg19().features
    assert FEATURE_LAYERS["conv4_2"].index == 22 and LAYERS[22].name == "relu4_2"


def test_weights_load_from_a_checkpoint_with_the_real_key_names(tmp_path):
    path = tmp_path / CHECKPOINT
    prefix = checkpoint(path)
    network = load_vgg19(path, RELU2_2, sha256_prefix=prefix)
    state = torch.load(path, weights_only=True)
    assert network.weights == "imagenet" and not network.training
    assert all(not p.requires_grad for p in network.parameters())
    for index in REAL_SHAPES:
        assert torch.equal(network.body[index].weight, state[f"features.{index}.weight"])
        assert torch.equal(network.body[index].bias, state[f"features.{index}.bias"])
    found = network(torch.rand(1, 3, 32, 32), [RELU2_2])[RELU2_2]
    assert found.shape == (1, 128, 16, 16) and (found >= 0).all()


def test_a_file_whose_checksum_is_not_the_published_one_is_refused(tmp_path):
    path = tmp_path / CHECKPOINT
    checkpoint(path)
    with pytest.raises(TaskFailure, match="not PyTorch's VGG-19 checkpoint: its SHA-256 starts with"):
        load_vgg19(path, RELU2_2)  # the real prefix, dcbb9e9d


def test_a_corrupted_file_is_refused_even_after_a_good_check(tmp_path):
    path = tmp_path / CHECKPOINT
    prefix = checkpoint(path)
    load_vgg19(path, RELU2_2, sha256_prefix=prefix)  # checked once, the verdict kept beside it
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(TaskFailure, match="SHA-256 starts with"):
        load_vgg19(path, RELU2_2, sha256_prefix=prefix)


def test_a_cut_short_file_with_the_right_checksum_cannot_be_read(tmp_path):
    path = tmp_path / CHECKPOINT
    checkpoint(path)
    path.write_bytes(path.read_bytes()[:2000])
    prefix = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    with pytest.raises(TaskFailure, match="cannot be read as a PyTorch checkpoint"):
        load_vgg19(path, RELU2_2, sha256_prefix=prefix)


class Payload:
    def __reduce__(self):
        return (print, ("this must never run",))


def test_a_checkpoint_that_would_call_code_is_refused_by_weights_only(tmp_path, capsys):
    path = tmp_path / CHECKPOINT
    torch.save({"features.0.weight": Payload()}, path, pickle_module=pickle)
    prefix = hashlib.sha256(path.read_bytes()).hexdigest()[:8]
    with pytest.raises(TaskFailure, match="cannot be read"):
        load_vgg19(path, RELU2_2, sha256_prefix=prefix)
    assert "must never run" not in capsys.readouterr().out


def test_a_checkpoint_of_another_network_is_refused_naming_what_does_not_fit(tmp_path):
    path = tmp_path / CHECKPOINT
    prefix = checkpoint(path, {0: (64, 3, 3, 3), 2: (32, 64, 3, 3)})
    with pytest.raises(TaskFailure, match=r"does not fit VGG-19: it lacks features.5.weight.*features.2.weight is \(32, 64, 3, 3\)"):
        load_vgg19(path, RELU2_2, sha256_prefix=prefix)


def test_without_the_checkpoint_the_stand_in_has_vgg19s_shape_with_random_filters(tmp_path):
    assert weights_path(tmp_path) is None
    network = feature_network(tmp_path, "cpu", RELU2_2)
    assert network.weights == "random"
    same = random_vgg19(RELU2_2)
    assert torch.equal(network.body[0].weight, same.body[0].weight)  # seeded: the same for every run
    assert [type(m) for m in network.body] == [type(m) for m in build_body(RELU2_2)]


def test_a_checkpoint_placed_by_hand_is_used_and_checked(tmp_path):
    weights = tmp_path / "weights"
    weights.mkdir()
    checkpoint(weights / CHECKPOINT)
    assert weights_path(tmp_path) == weights / CHECKPOINT
    with pytest.raises(TaskFailure, match="delete it and run ./manage.py fetch_weights vgg19 again"):
        feature_network(tmp_path, "cpu", RELU2_2)  # its checksum is not the published one
