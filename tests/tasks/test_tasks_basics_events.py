"""The Basics run emits exactly the events of docs/api.md "Basics events", in order and well formed."""
import base64

import numpy as np
import pytest

from playground.tasks.base import Diverged
from playground.tasks.basics import BasicsTask
from playground.tasks.basics.pictures import UNIT_GRID


def test_events_come_in_the_documented_order(run_basics, quick):
    recorder = run_basics(**quick, emit_every=2)
    kinds = recorder.kinds()
    start = ["points", "train", "test", "surface", "units", "weights"]
    pictures = ["surface", "units", "weights"]
    metrics = ["train", "test", "grad"]
    # Metrics at epochs 2, 4, 6, 8 and pictures at 4 and 8 (grid_every=4), after that epoch's metrics.
    assert kinds == start + metrics + metrics + pictures + metrics + metrics + pictures
    assert {e["type"] for e in recorder.events} == {"table", "metric", "image"}


def test_every_metric_has_split_epoch_and_loss(run_basics, quick):
    recorder = run_basics(**quick)
    for e in recorder.events:
        if e["type"] == "metric":
            assert e["data"]["split"] in ("train", "test", "grad") and isinstance(e["data"]["epoch"], int)
            assert "loss" in e["data"] or e["data"]["split"] == "grad"
    for split in ("train", "test"):
        metrics = recorder.metrics(split)
        assert [m["epoch"] for m in metrics] == list(range(0, 9))
        assert all(0 <= m["accuracy"] <= 1 and m["loss"] >= 0 for m in metrics)
    steps = [e["step"] for e in recorder.events]
    assert steps == sorted(steps) and steps[-1] == 8 * 6  # 60 training points, batches of 10


def test_grad_norms_one_per_linear_layer(run_basics, quick):
    recorder = run_basics(**quick, hidden=[3, 5, 2])
    grads = recorder.metrics("grad")
    assert [g["epoch"] for g in grads] == list(range(1, 9))
    assert all(len(g["norms"]) == 4 and all(n > 0 for n in g["norms"]) for g in grads)


def test_regression_metrics_carry_no_accuracy(run_basics, quick):
    recorder = run_basics(**quick, dataset="plane", problem="regression")
    assert all("accuracy" not in m for m in recorder.metrics("train") + recorder.metrics("test"))


def decode(values: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(values), dtype=np.uint8)


@pytest.mark.parametrize(
    ("settings", "channels", "low", "high"),
    [
        ({}, 1, -1.0, 1.0),
        ({"dataset": "three"}, 3, 0.0, 1.0),
        ({"dataset": "plane", "problem": "regression"}, 1, -1.0, 1.0),
    ],
)
def test_surface_bytes_fill_width_height_and_channels(run_basics, quick, settings, channels, low, high):
    quick["grid_size"] = 23
    surface = run_basics(**quick, **settings).named("surface")[-1]
    assert (surface["width"], surface["height"], surface["channels"]) == (23, 23, channels)
    assert (surface["min"], surface["max"]) == (low, high)
    assert surface["extent"] == [-6.0, 6.0, -6.0, 6.0]
    assert len(decode(surface["values"])) == 23 * 23 * channels


def test_multiclass_planes_are_probabilities_that_sum_to_one(run_basics, quick):
    surface = run_basics(**quick, dataset="three").named("surface")[-1]
    planes = decode(surface["values"]).reshape(3, -1).astype(float) / 255
    assert np.allclose(planes.sum(axis=0), 1, atol=3 / 255)


def test_surface_row_zero_is_the_top_of_the_plane(run_basics, quick):
    # A trained Gaussian classifier says class 1 (bright) at (6, 6), top right, and class 0 at the bottom left.
    surface = run_basics(**{**quick, "epochs": 20}, dataset="gaussian").named("surface")[-1]
    picture = decode(surface["values"]).reshape(surface["height"], surface["width"])
    assert picture[0, -1] > 200 and picture[-1, 0] < 55


def test_units_cover_the_inputs_and_every_hidden_neuron(run_basics, quick):
    units = run_basics(**quick, hidden=[3, 2], features=["x1", "x2", "x1x2"]).named("units")[-1]
    assert (units["width"], units["height"]) == (UNIT_GRID, UNIT_GRID)
    places = [(u["layer"], u["unit"]) for u in units["units"]]
    assert places == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2), (2, 0), (2, 1)]
    for unit in units["units"]:
        values = decode(unit["values"])
        assert len(values) == UNIT_GRID * UNIT_GRID and unit["min"] <= unit["max"]
        assert values.min() == 0 and values.max() == 255  # each neuron uses its own full scale


def test_the_input_feature_pictures_show_the_features(run_basics, quick):
    x1 = run_basics(**quick).named("units")[0]["units"][0]
    picture = decode(x1["values"]).reshape(UNIT_GRID, UNIT_GRID)
    assert (picture[:, 0] == 0).all() and (picture[:, -1] == 255).all()  # x1 grows left to right
    assert x1["min"] == pytest.approx(-6 + 6 / UNIT_GRID) and x1["max"] == pytest.approx(6 - 6 / UNIT_GRID)


def test_weights_match_the_hidden_sizes(run_basics, quick):
    weights = run_basics(**quick, hidden=[5, 3], features=["x1", "x2", "sinx1"]).named("weights")[-1]
    assert [(len(w), len(w[0])) for w in weights["weights"]] == [(5, 3), (3, 5), (1, 3)]
    assert [len(b) for b in weights["biases"]] == [5, 3, 1]


def test_a_perceptron_has_no_hidden_units(run_basics, quick):
    recorder = run_basics(**quick, hidden=[])
    assert [u["layer"] for u in recorder.named("units")[-1]["units"]] == [0, 0]
    assert [(len(w), len(w[0])) for w in recorder.named("weights")[-1]["weights"]] == [(1, 2)]


def test_points_are_sent_once_and_match_the_preview(run_basics, quick):
    recorder = run_basics(**quick, noise=20)
    (points,) = recorder.named("points")
    assert recorder.events[0]["data"] is points
    preview = BasicsTask.preview(BasicsTask.Config(**quick, noise=20))
    assert points["train"] == preview["train"] and points["test"] == preview["test"]
    assert len(points["train"]) == 60 and all(len(row) == 3 for row in points["test"])


def test_a_diverging_run_sends_null_not_nan_and_ends_saying_why(run_basics, quick, recorder):
    with pytest.raises(Diverged, match=r"^the loss became (NaN|infinite) at step \d+; try a lower learning rate$") as raised:
        run_basics(recorder=recorder, **quick, dataset="plane", problem="regression", optimizer="sgd", learning_rate=10,
                   features=["x1sq", "x2sq"])
    losses = [m["loss"] for m in recorder.metrics("train")]
    assert losses[-1] is None  # diverged, and still valid JSON (the recorder checks every event)
    assert None not in losses[:-1] and recorder.events[-1]["data"]["split"] in ("test", "grad")
    assert raised.value.step == recorder.events[-1]["step"] < quick["epochs"] * 6  # ended at that report


def test_same_seeds_give_the_same_events(run_basics, quick):
    assert run_basics(**quick, seed=4).events == run_basics(**quick, seed=4).events
    assert run_basics(**quick, seed=4).events != run_basics(**quick, seed=5).events
