"""Checkpoints: safetensors and JSON only, an optimiser comes back exactly as it was, any task's loop resumes exactly."""
import dataclasses
import json
import threading

import pytest
import torch
from torch import nn
from torch.nn import functional as F

from playground.data.split import Split
from playground.data.transforms import Augment, Normalize
from playground.tasks.base import Control
from playground.tasks.checkpoint import (
    MODEL_FILE, OPTIMIZER_JSON, OPTIMIZER_TENSORS, CheckpointError, flatten_state, load_model, load_optimizer,
    model_bytes, read_state, resume_loop, save_checkpoint, save_loop, unflatten_state,
)
from playground.tasks.fit import Plan, fit
from playground.tasks.loop import SupervisedLoop
from playground.tasks.optim import OptimizerSettings, make_optimizer
from playground.tasks.schedules import LearningRateSchedule, ScheduleSettings


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
    assert read_state(tmp_path) == {"format": 1, "generation": 1, "config": {"seed": 1}, "epoch": 4, "step": 12}


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


def test_only_the_last_two_generations_stay(tmp_path):
    model, optimizer = trained(torch.optim.Adam)
    for step in range(5):
        save_checkpoint(tmp_path, model, optimizer, {}, {"step": step})
    assert read_state(tmp_path)["generation"] == 5
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model.4.safetensors", "model.5.safetensors", "optimizer.4.json", "optimizer.4.safetensors",
        "optimizer.5.json", "optimizer.5.safetensors", "state.json"]


def test_a_reader_always_finds_a_whole_checkpoint_while_training_saves(tmp_path):
    # A short job or a download reads while the run saves: each read is one whole save, never none.
    model = nn.Linear(64, 64)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    save_checkpoint(tmp_path, model, optimizer, {}, {"step": 0})
    done, failures = threading.Event(), []

    def train():
        for step in range(1, 150):
            with torch.no_grad():
                model.weight.fill_(step)
            save_checkpoint(tmp_path, model, optimizer, {}, {"step": step})
        done.set()

    writer = threading.Thread(target=train)
    writer.start()
    reader, reads = nn.Linear(64, 64), 0
    while not done.is_set():
        try:
            state = load_model(tmp_path, reader)
            assert model_bytes(tmp_path)
        except Exception as error:  # noqa: BLE001 - any failure to read is the bug
            failures.append(repr(error))
            continue
        reads += 1
        if reader.weight[0, 0].item() != state["step"] and state["step"]:
            failures.append(f"weights of step {reader.weight[0, 0].item()} read as step {state['step']}")
    writer.join()
    assert reads > 0 and not failures, failures[:3]


def test_a_checkpoint_from_before_generations_still_loads(tmp_path):
    model, optimizer = trained(torch.optim.Adam)
    save_checkpoint(tmp_path, model, optimizer, {}, {"epoch": 1, "step": 3})
    for name in (MODEL_FILE, OPTIMIZER_TENSORS, OPTIMIZER_JSON):
        stem, suffix = name.split(".", 1)
        (tmp_path / f"{stem}.1.{suffix}").rename(tmp_path / name)
    state = json.loads((tmp_path / "state.json").read_text())
    del state["generation"]
    (tmp_path / "state.json").write_text(json.dumps(state))
    other, other_optimizer = fresh(torch.optim.Adam)
    load_optimizer(tmp_path, other_optimizer, load_model(tmp_path, other))
    assert all(torch.equal(a, b) for a, b in zip(model.state_dict().values(), other.state_dict().values()))
    save_checkpoint(tmp_path, model, optimizer, {}, {"epoch": 2, "step": 6})
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "model.1.safetensors", "optimizer.1.json", "optimizer.1.safetensors", "state.json"]


def any_task_loop(settings: OptimizerSettings, schedule: ScheduleSettings) -> SupervisedLoop:
    """A small ConvNet with its optimiser and schedule made by the shared helpers, as a task would."""
    torch.manual_seed(0)
    model = nn.Sequential(nn.Conv2d(1, 3, 3), nn.BatchNorm2d(3), nn.ReLU(), nn.Flatten(), nn.Linear(48, 3))
    optimizer = make_optimizer(model, settings)
    return SupervisedLoop(model, optimizer, F.cross_entropy, batch_size=6, control=Control(), seed=5,
                          lr_schedule=LearningRateSchedule(optimizer, schedule), running_totals=True)


def augmented_images() -> Split:
    generator = torch.Generator().manual_seed(1)
    x = torch.randint(0, 256, (30, 1, 6, 6), dtype=torch.uint8, generator=generator)
    return Split(x, torch.arange(30) % 3, transform=Normalize(0.5, 0.25), augment=Augment(crop_padding=1, flip=True))


@pytest.mark.parametrize(("settings", "schedule"), [
    (OptimizerSettings("adamw", 0.01, weight_decay=0.1), ScheduleSettings("cosine", total_steps=20)),
    (OptimizerSettings("sgd", 0.05, weight_decay=0.01, momentum=0.9), ScheduleSettings("one_cycle", total_steps=20)),
])
def test_a_resumed_loop_ends_exactly_where_one_long_run_ends(tmp_path, settings, schedule):
    data = augmented_images()
    whole = any_task_loop(settings, schedule)
    fit(whole, data, None, Plan(epochs=4), lambda *e: None)

    first = any_task_loop(settings, schedule)
    fit(first, data, None, Plan(epochs=2), lambda *e: None)
    save_loop(tmp_path, first, {"name": "any"}, note="halfway")
    # Another rate and no schedule: both come back from the checkpoint.
    rest = any_task_loop(dataclasses.replace(settings, learning_rate=9.9), ScheduleSettings())
    state = resume_loop(tmp_path, rest)
    assert (rest.epoch, rest.step) == (2, 10) and state["note"] == "halfway" and state["config"] == {"name": "any"}
    assert rest.lr_schedule.settings == schedule and rest.lr_schedule.base_lrs == [settings.learning_rate] * 2
    fit(rest, data, None, Plan(epochs=2, start_epoch=rest.epoch), lambda *e: None)

    assert rest.step == whole.step == 20
    for mine, theirs in zip(rest.model.state_dict().values(), whole.model.state_dict().values()):
        assert torch.equal(mine, theirs)
    assert_same_state(rest.optimizer.state_dict(), whole.optimizer.state_dict())


def test_a_loop_without_a_schedule_saves_none_and_can_leave_its_optimiser_behind(tmp_path):
    loop = any_task_loop(OptimizerSettings("adam", 0.01), ScheduleSettings())
    loop.lr_schedule = None
    fit(loop, augmented_images(), None, Plan(epochs=1), lambda *e: None)
    save_loop(tmp_path, loop, {})
    assert "schedule" not in read_state(tmp_path)
    other = any_task_loop(OptimizerSettings("sgd", 0.5), ScheduleSettings())
    resume_loop(tmp_path, other, optimizer=False)
    assert other.step == 5 and other.optimizer.state_dict()["state"] == {}
    assert other.optimizer.param_groups[0]["lr"] == 0.5
