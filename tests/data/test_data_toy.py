"""The toy datasets and input features: shapes, ranges, seeds, noise, balance, custom points."""
import math

import numpy as np
import pytest
import torch

from playground.data import toy

GENERATED = [name for name, dataset in toy.DATASETS.items() if dataset.make is not None]
CLASSIFIERS = [name for name in GENERATED if toy.DATASETS[name].problem == "classification"]


def test_the_registry_describes_every_dataset():
    assert set(toy.DATASETS) == {"circle", "xor", "gaussian", "spiral", "plane", "three", "custom"}
    for name, dataset in toy.DATASETS.items():
        assert dataset.description.endswith("."), name
        assert dataset.problem in ("classification", "regression", None)
    assert toy.DATASETS["plane"].problem == "regression"
    assert toy.DATASETS["three"].classes == 3


@pytest.mark.parametrize("name", GENERATED)
@pytest.mark.parametrize("noise", [0, 50])
def test_points_have_the_promised_shapes_and_ranges(name, noise):
    xy, labels = toy.make_points(name, 301, noise, seed=3)
    assert xy.shape == (301, 2) and xy.dtype == np.float32
    assert labels.shape == (301,)
    assert np.abs(xy).max() <= 6
    if toy.DATASETS[name].problem == "regression":
        assert labels.dtype == np.float32 and np.abs(labels).max() <= 1
    else:
        assert labels.dtype == np.int64
        assert set(labels.tolist()) <= set(range(toy.DATASETS[name].classes))


@pytest.mark.parametrize("name", GENERATED)
def test_the_same_seed_gives_the_same_points(name):
    first, again, other = (toy.make_points(name, 100, 20, seed) for seed in (7, 7, 8))
    assert np.array_equal(first[0], again[0]) and np.array_equal(first[1], again[1])
    assert not np.array_equal(first[0], other[0])


@pytest.mark.parametrize("name", GENERATED)
def test_noise_changes_the_points(name):
    clean, noisy = (toy.make_points(name, 200, noise, seed=1) for noise in (0, 40))
    assert not (np.array_equal(clean[0], noisy[0]) and np.array_equal(clean[1], noisy[1]))


@pytest.mark.parametrize("name", CLASSIFIERS)
def test_classes_are_balanced(name):
    classes = toy.DATASETS[name].classes
    _, labels = toy.make_points(name, 300, 0, seed=2)
    assert np.bincount(labels, minlength=classes).tolist() == [300 // classes] * classes
    _, noisy = toy.make_points(name, 600, 30, seed=2)
    assert np.bincount(noisy, minlength=classes).min() >= 0.8 * 600 / classes


def test_without_noise_labels_follow_the_rule():
    xy, labels = toy.make_points("xor", 200, 0, seed=0)
    assert np.array_equal(labels, (xy[:, 0] * xy[:, 1] >= 0).astype(np.int64))
    xy, labels = toy.make_points("circle", 200, 0, seed=0)
    assert np.array_equal(labels, (np.hypot(xy[:, 0], xy[:, 1]) < 2.5).astype(np.int64))
    xy, targets = toy.make_points("plane", 200, 0, seed=0)
    assert np.allclose(targets, np.clip(xy.sum(axis=1) / 10, -1, 1), atol=1e-6)


def test_split_shuffles_into_disjoint_train_and_test():
    xy, labels = toy.make_points("gaussian", 200, 0, seed=0)
    parts = toy.split(xy, labels, 30, seed=5)
    assert len(parts["train"][0]) == 60 and len(parts["test"][0]) == 140
    rows = {tuple(p) for name in ("train", "test") for p in parts[name][0].tolist()}
    assert len(rows) == 200
    again = toy.split(xy, labels, 30, seed=5)
    assert np.array_equal(parts["test"][0], again["test"][0])
    tiny = toy.split(xy[:2], labels[:2], 90, seed=0)
    assert len(tiny["train"][0]) == 1 and len(tiny["test"][0]) == 1


def test_custom_points_become_arrays():
    xy, labels = toy.custom_points([[1, 2, 0], [-3, 4.5, 1], [0, 0, 2]], "classification")
    assert xy.tolist() == [[1, 2], [-3, 4.5], [0, 0]] and labels.tolist() == [0, 1, 2]
    assert toy.class_count("classification", labels) == 3
    _, targets = toy.custom_points([[1, 2, 0.5], [-3, 4, -1]], "regression")
    assert targets.dtype == np.float32 and targets.tolist() == [0.5, -1]


@pytest.mark.parametrize(
    ("points", "problem", "words"),
    [
        ([[0, 0, 1]], "classification", "at least two"),
        ([[0, 0, 1], [1, 1]], "classification", "Point 1 must be"),
        ([[0, 0, 1], [7, 0, 0]], "classification", "outside the plane"),
        ([[0, 0, 1], [0, 0, 3]], "classification", "classes are 0, 1 or 2"),
        ([[0, 0, 1], [0, 0, 0.5]], "classification", "label 0.5"),
        ([[0, 0, 1], [1, 1, 1]], "classification", "two classes"),
        ([[0, 0, 0.2], [1, 1, 1.5]], "regression", "between -1 and 1"),
        ([[0, 0, 1], [math.nan, 0, 0]], "classification", "not finite"),
        ([[0, 0, 1]] * 2001, "classification", "at most 2000"),
    ],
)
def test_bad_custom_points_are_refused_with_a_reason(points, problem, words):
    with pytest.raises(ValueError, match=words):
        toy.custom_points(points, problem)


def test_custom_is_not_generated():
    with pytest.raises(ValueError, match="not generated"):
        toy.make_points("custom", 10, 0, 0)


def test_rows_are_json_ready():
    rows = toy.as_rows(np.array([[0.123456, -1]], np.float32), np.array([1]))
    assert rows == [[0.1235, -1.0, 1]] and isinstance(rows[0][2], int)


def test_features_are_one_registry_with_the_promised_keys():
    assert list(toy.FEATURES) == ["x1", "x2", "x1sq", "x2sq", "x1x2", "sinx1", "sinx2"]
    xy = np.array([[2.0, -3.0], [0.5, 1.0]], np.float32)
    columns = toy.feature_columns(xy, list(toy.FEATURES))
    expected = [[2, -3, 4, 9, -6, math.sin(2), math.sin(-3)], [0.5, 1, 0.25, 1, 0.5, math.sin(0.5), math.sin(1)]]
    assert columns.shape == (2, 7) and np.allclose(columns, expected)


def test_features_work_on_tensors_as_on_arrays():
    xy = np.random.default_rng(0).uniform(-6, 6, (50, 2)).astype(np.float32)
    names = ["sinx2", "x1x2", "x1"]
    from_tensor = toy.feature_columns(torch.from_numpy(xy), names)
    assert isinstance(from_tensor, torch.Tensor)
    assert np.allclose(from_tensor.numpy(), toy.feature_columns(xy, names), atol=1e-6)
