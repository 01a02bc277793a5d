"""Checkpoints: safetensors and JSON only, and an optimiser comes back exactly as it was."""
import json

import pytest
import torch
from torch import nn

from playground.tasks.checkpoint import (
    CheckpointError, flatten_state, load_model, load_optimizer, read_state, save_checkpoint, unflatten_state,
)


def trained(optimizer_class, **options):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    optimizer = optimizer_class([{"params": model[0].parameters()}, {"params": model[2].parameters(), "lr": 0.5}], lr=0.1, **options)
    for _ in range(3):
        optimizer.zero_grad()
        model(torch.randn(8, 3)).pow(2).mean().backward()
        optimizer.step()
    return model, optimizer


def fresh(optimizer_class, **options):
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 1))
    return model, optimizer_class([{"params": model[0].parameters()}, {"params": model[2].parameters()}], lr=0.9, **options)


def assert_same_state(left, right):
    assert json.dumps(flatten_state(left, {})) == json.dumps(flatten_state(right, {}))
    for key, value in left["state"].items():
        for name, tensor in value.items():
            assert torch.equal(tensor, right["state"][key][name]), (key, name)


def test_flattening_keeps_number_keys_tuples_and_tensors_apart():
    tensors = {}
    value = {"state": {0: {"step": torch.tensor(3.0)}}, "param_groups": [{"betas": (0.9, 0.99), "params": [0]}]}
    flat = flatten_state(value, tensors)
    assert json.loads(json.dumps(flat)) == flat
    assert list(tensors) == ["state.0.step"]
    back = unflatten_state(flat, tensors)
    assert back["param_groups"][0]["betas"] == (0.9, 0.99) and list(back["state"]) == [0]


@pytest.mark.parametrize(("optimizer_class", "options"), [
    (torch.optim.Adam, {"weight_decay": 0.01}), (torch.optim.SGD, {"momentum": 0.9}), (torch.optim.SGD, {}),
])
def test_model_and_optimiser_come_back_exactly(tmp_path, optimizer_class, options):
    model, optimizer = trained(optimizer_class, **options)
    save_checkpoint(tmp_path, model, optimizer, {"seed": 1}, {"epoch": 4, "step": 12})
    other_model, other_optimizer = fresh(optimizer_class, **options)
    load_model(tmp_path, other_model)
    load_optimizer(tmp_path, other_optimizer)
    for mine, theirs in zip(model.state_dict().values(), other_model.state_dict().values()):
        assert torch.equal(mine, theirs)
    assert_same_state(optimizer.state_dict(), other_optimizer.state_dict())
    assert read_state(tmp_path) == {"format": 1, "config": {"seed": 1}, "epoch": 4, "step": 12}


def test_no_file_is_a_pickle(tmp_path):
    save_checkpoint(tmp_path, *trained(torch.optim.Adam), {}, {"epoch": 0, "step": 0})
    for path in tmp_path.iterdir():
        assert not path.read_bytes().startswith(b"\x80"), path.name  # pickle's protocol marker
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".json", ".json", ".safetensors", ".safetensors"]


def test_an_incomplete_or_foreign_checkpoint_is_refused(tmp_path):
    with pytest.raises(CheckpointError, match="No complete checkpoint"):
        read_state(tmp_path)
    (tmp_path / "state.json").write_text(json.dumps({"format": 99}))
    with pytest.raises(CheckpointError, match="format"):
        read_state(tmp_path)


def test_saving_again_replaces_the_old_checkpoint(tmp_path):
    model, optimizer = trained(torch.optim.Adam)
    save_checkpoint(tmp_path, model, optimizer, {}, {"epoch": 1, "step": 3})
    save_checkpoint(tmp_path, model, optimizer, {}, {"epoch": 2, "step": 6})
    assert read_state(tmp_path)["epoch"] == 2
    assert not list(tmp_path.glob("*.tmp"))
