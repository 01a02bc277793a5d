"""The Basics lessons hold: the defaults learn XOR, a perceptron cannot, one hidden layer can."""
import pytest


def final_test_accuracy(recorder):
    return recorder.metrics("test")[-1]["accuracy"]


def test_the_defaults_learn_xor(run_basics):
    recorder = run_basics()
    tests = recorder.metrics("test")
    assert tests[-1]["accuracy"] >= 0.9
    assert tests[-1]["loss"] < 0.5 * tests[0]["loss"]
    assert tests[-1]["epoch"] == 100


def test_a_single_perceptron_cannot_learn_xor(run_basics):
    recorder = run_basics(hidden=[], epochs=60)
    assert final_test_accuracy(recorder) <= 0.75


def test_one_hidden_layer_learns_xor(run_basics):
    assert final_test_accuracy(run_basics(hidden=[8], epochs=60)) >= 0.9


def test_a_perceptron_learns_xor_given_the_product_feature(run_basics):
    assert final_test_accuracy(run_basics(hidden=[], features=["x1x2"], epochs=30)) >= 0.9


@pytest.mark.parametrize(
    "settings",
    [
        {"dataset": "spiral", "hidden": [8, 8, 6], "features": ["x1", "x2", "sinx1", "sinx2"], "noise": 10},
        {"dataset": "three", "activation": "relu"},
        {"dataset": "plane", "problem": "regression", "activation": "linear", "hidden": [2]},
        {"dataset": "circle", "activation": "sigmoid", "optimizer": "sgd", "regularization": "l2", "regularization_rate": 0.01},
        {"dataset": "gaussian", "regularization": "l1", "regularization_rate": 0.001, "batch_size": 1},
    ],
)
def test_every_kind_of_problem_trains(run_basics, quick, settings):
    recorder = run_basics(**{**quick, "epochs": 15, **settings})
    losses = [m["loss"] for m in recorder.metrics("train")]
    assert len(losses) == 16 and None not in losses
    assert min(losses[1:]) < losses[0]


def test_three_clusters_are_learned(run_basics, quick):
    assert final_test_accuracy(run_basics(**{**quick, "epochs": 20}, dataset="three")) >= 0.9


def test_custom_points_train(run_basics, quick):
    points = [[x, y, int(x > 0)] for x in (-4, -2, 2, 4) for y in (-3, 0, 3)]
    recorder = run_basics(**{**quick, "dataset": "custom", "points": points, "batch_size": 4})
    assert len(recorder.named("points")[0]["train"]) == 6
    assert recorder.metrics("test")[-1]["epoch"] == quick["epochs"]


def test_custom_three_classes_get_three_planes(run_basics, quick):
    points = [[-4, -4, 0], [-3, -4, 0], [4, -4, 1], [4, -3, 1], [0, 4, 2], [1, 4, 2]]
    recorder = run_basics(**{**quick, "dataset": "custom", "points": points, "batch_size": 2})
    assert recorder.named("surface")[-1]["channels"] == 3


def test_a_target_test_loss_stops_early(run_basics, quick):
    recorder = run_basics(**{**quick, "epochs": 200}, dataset="gaussian", target_test_loss=0.2)
    tests = recorder.metrics("test")
    assert tests[-1]["loss"] <= 0.2 and tests[-1]["epoch"] < 200
    assert recorder.named("surface")[-1]["epoch"] == tests[-1]["epoch"]
    assert recorder.events[-1]["type"] == "log" and "target" in recorder.events[-1]["data"]["message"]
