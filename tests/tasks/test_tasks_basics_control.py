"""Stopping, changing the learning rate, checkpoints and continuing a Basics run."""
import json

import numpy as np
import pytest
from safetensors.torch import load_file

from playground.tasks.base import Control, Stopped
from playground.tasks.checkpoint import MODEL_FILE, OPTIMIZER_JSON, OPTIMIZER_TENSORS, file_name, read_state

STEPS_PER_EPOCH = 6  # the quick runs: 60 training points in batches of 10


class StopAfter(Control):
    """Lets ``steps`` optimiser steps through, then asks the run to stop."""

    def __init__(self, steps: int) -> None:
        self.steps, self.checks = steps, 0

    def check(self) -> dict:
        self.checks += 1
        if self.checks > self.steps:
            raise Stopped()
        return {}


class ChangeRate(Control):
    """Asks for a new learning rate once, at the given step."""

    def __init__(self, at_step: int, lr: float) -> None:
        self.at_step, self.lr, self.checks = at_step, lr, 0

    def check(self) -> dict:
        self.checks += 1
        return {"learning_rate": self.lr} if self.checks == self.at_step else {}


def saved_learning_rates(directory):
    groups = json.loads((directory / file_name(OPTIMIZER_JSON, read_state(directory)["generation"])).read_text())["param_groups"]
    return [group["lr"] for group in groups]


def test_control_is_checked_once_per_step(run_basics, quick):
    control = ChangeRate(at_step=0, lr=1)
    run_basics(control=control, **quick)
    assert control.checks == quick["epochs"] * STEPS_PER_EPOCH


def test_a_stopped_run_leaves_a_checkpoint(run_basics, quick, tmp_path):
    control = StopAfter(steps=15)
    with pytest.raises(Stopped):
        run_basics(control=control, checkpoint_dir=tmp_path, **quick)
    state = read_state(tmp_path)
    assert (state["epoch"], state["step"]) == (2, 15)  # two whole epochs, then 3 steps of the third
    assert state["config"]["epochs"] == quick["epochs"]
    names = {p.name for p in tmp_path.iterdir()}
    assert {"state.json", *(file_name(name, state["generation"]) for name in (MODEL_FILE, OPTIMIZER_JSON, OPTIMIZER_TENSORS))} <= names


def test_a_finished_run_leaves_a_checkpoint(run_basics, quick, tmp_path):
    run_basics(checkpoint_dir=tmp_path, **quick)
    assert (read_state(tmp_path)["epoch"], read_state(tmp_path)["step"]) == (8, 8 * STEPS_PER_EPOCH)


def test_a_learning_rate_change_reaches_the_optimiser(run_basics, quick, tmp_path):
    run_basics(control=ChangeRate(at_step=10, lr=0.125), checkpoint_dir=tmp_path, **quick)
    assert saved_learning_rates(tmp_path) == [0.125, 0.125]


def test_a_learning_rate_change_changes_the_training(run_basics, quick):
    plain = run_basics(**quick)
    changed = run_basics(control=ChangeRate(at_step=10, lr=2.0), **quick)
    assert plain.metrics("train")[1] == changed.metrics("train")[1]  # epoch 1 ends at step 6, before the change
    assert plain.metrics("train")[-1] != changed.metrics("train")[-1]


def test_resuming_continues_the_epochs_from_the_saved_weights(run_basics, quick, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    run_basics(checkpoint_dir=first, **quick)
    recorder = run_basics(checkpoint_dir=second, resume_dir=first, **{**quick, "epochs": 4})
    assert [m["epoch"] for m in recorder.metrics("test")] == [8, 9, 10, 11, 12]
    assert [s["epoch"] for s in recorder.named("surface")] == [8, 12]
    saved = load_file(str(first / file_name(MODEL_FILE, read_state(first)["generation"])))
    resumed = recorder.named("weights")[0]
    assert resumed["epoch"] == 8
    assert np.allclose(resumed["weights"][0], saved["0.weight"].numpy(), atol=1e-5)
    assert np.allclose(resumed["biases"][-1], saved["4.bias"].numpy(), atol=1e-5)
    assert read_state(second)["epoch"] == 12
    assert recorder.events[-1]["step"] == 12 * STEPS_PER_EPOCH


def test_stopping_and_continuing_ends_where_one_run_ends(run_basics, quick, tmp_path):
    whole = run_basics(**quick)
    halfway = tmp_path / "halfway"
    run_basics(checkpoint_dir=halfway, **{**quick, "epochs": 4})
    rest = run_basics(resume_dir=halfway, **{**quick, "epochs": 4})
    assert rest.metrics("test")[-1] == whole.metrics("test")[-1]
    assert rest.named("weights")[-1] == whole.named("weights")[-1]


def test_continuing_with_another_network_is_refused(run_basics, quick, tmp_path):
    run_basics(checkpoint_dir=tmp_path, **quick)
    with pytest.raises(ValueError, match="network differs"):
        run_basics(resume_dir=tmp_path, **{**quick, "hidden": [3]})


def test_continuing_with_another_optimiser_starts_it_afresh(run_basics, quick, tmp_path):
    run_basics(checkpoint_dir=tmp_path, **quick)
    recorder = run_basics(resume_dir=tmp_path, **{**quick, "optimizer": "sgd", "epochs": 2})
    assert recorder.metrics("test")[-1]["epoch"] == 10
