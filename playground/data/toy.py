"""Two-dimensional toy datasets and input features, after the TensorFlow neural-network playground.

Every generator takes a number of points, a noise fraction (0..0.5) and a numpy
random Generator, and returns ``(xy, labels)``: ``xy`` is float32 (n, 2) inside
[-6, 6]², labels are int64 classes (0/1, or 0/1/2) for classification and float32
in [-1, 1] for regression. ``make_points`` is the front door (noise in percent,
as the playground's slider); ``split`` shuffles and cuts train from test.
No Django here: the tasks, the API and the tests all use these directly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

EXTENT = (-6.0, 6.0, -6.0, 6.0)  # x1min, x1max, x2min, x2max: where every point lies
MAX_CUSTOM_POINTS = 2000
MAX_CLASSES = 3

Generate = Callable[[int, float, np.random.Generator], "tuple[np.ndarray, np.ndarray]"]


def _halves(n: int) -> tuple[int, int]:
    """Two class sizes that add up to n (the first gets the odd point)."""
    return n - n // 2, n // 2


def _points(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.stack([x, y], axis=1).astype(np.float32)


def circle(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 inside a disc of radius 2.5, class 0 in a ring from 3.5 to 5.

    As in the playground, noise moves where a label is read, not the point: points
    near the boundary change class.
    """
    radius = 5.0
    inside, outside = _halves(n)
    r = np.concatenate([rng.uniform(0, radius * 0.5, inside), rng.uniform(radius * 0.7, radius, outside)])
    angle = rng.uniform(0, 2 * math.pi, n)
    x, y = r * np.sin(angle), r * np.cos(angle)
    shift = rng.uniform(-radius, radius, (2, n)) * noise
    labels = (np.hypot(x + shift[0], y + shift[1]) < radius * 0.5).astype(np.int64)
    return _points(x, y), labels


def xor(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Class 1 where x1 and x2 have the same sign, class 0 where they differ.

    Half the points are drawn in each pair of quadrants so the classes are balanced;
    a 0.3 gap keeps them off the axes. Noise moves where the label is read.
    """
    same, _ = _halves(n)
    sign1 = rng.choice([-1.0, 1.0], n)
    sign2 = np.where(np.arange(n) < same, sign1, -sign1)
    x = sign1 * (rng.uniform(0, 5, n) + 0.3)
    y = sign2 * (rng.uniform(0, 5, n) + 0.3)
    shift = rng.uniform(-5, 5, (2, n)) * noise
    labels = ((x + shift[0]) * (y + shift[1]) >= 0).astype(np.int64)
    return _points(x, y), labels


def _gaussian_cluster(n: int, centre: tuple[float, float], std: float, rng: np.random.Generator) -> np.ndarray:
    """n normal points around centre, redrawn until all lie in the plane's extent."""
    points = rng.normal(centre, std, (n, 2))
    outside = np.abs(points).max(axis=1) > EXTENT[1]
    while outside.any():
        points[outside] = rng.normal(centre, std, (int(outside.sum()), 2))
        outside = np.abs(points).max(axis=1) > EXTENT[1]
    return points


def _cluster_std(noise: float) -> float:
    # The playground's scale: variance 0.5 with no noise, 4 at the most.
    return math.sqrt(0.5 + noise / 0.5 * 3.5)


def gaussian(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two Gaussian clusters: class 1 around (2, 2), class 0 around (-2, -2)."""
    first, second = _halves(n)
    std = _cluster_std(noise)
    xy = np.concatenate([_gaussian_cluster(first, (2, 2), std, rng), _gaussian_cluster(second, (-2, -2), std, rng)])
    labels = np.concatenate([np.ones(first, np.int64), np.zeros(second, np.int64)])
    return xy.astype(np.float32), labels


def spiral(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Two interleaved spiral arms, 1.75 turns each: class 1 and, half a turn on, class 0."""
    arms = []
    for size, turn in zip(_halves(n), (0.0, math.pi)):
        i = np.arange(size) / size
        r = i * 5
        t = 1.75 * i * 2 * math.pi + turn
        jitter = rng.uniform(-1, 1, (2, size)) * noise
        arms.append(_points(r * np.sin(t) + jitter[0], r * np.cos(t) + jitter[1]))
    labels = np.concatenate([np.ones(len(arms[0]), np.int64), np.zeros(len(arms[1]), np.int64)])
    return np.concatenate(arms), labels


def plane(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Regression: y = (x1 + x2) / 10, read at a noisily shifted point and kept in [-1, 1]."""
    xy = rng.uniform(-6, 6, (n, 2))
    shift = rng.uniform(-6, 6, (n, 2)) * noise
    labels = np.clip((xy + shift).sum(axis=1) / 10, -1, 1)
    return xy.astype(np.float32), labels.astype(np.float32)


def three(n: int, noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Three Gaussian clusters at 90°, 210° and 330° on a circle of radius 3.5, classes 0, 1, 2.

    Clusters rather than three spiral arms: softmax over three logits splits the plane
    into three regions a learner can see, and noise makes them overlap; three spiral
    arms are mostly a lesson in capacity, which the two-arm spiral already gives.
    """
    std = _cluster_std(noise)
    sizes = [n // 3 + (1 if k < n % 3 else 0) for k in range(3)]
    clusters, labels = [], []
    for k, size in enumerate(sizes):
        angle = math.radians(90 + 120 * k)
        centre = (3.5 * math.cos(angle), 3.5 * math.sin(angle))
        clusters.append(_gaussian_cluster(size, centre, std, rng))
        labels.append(np.full(size, k, np.int64))
    return np.concatenate(clusters).astype(np.float32), np.concatenate(labels)


@dataclass(frozen=True)
class ToyDataset:
    """One entry of the dataset registry. ``make`` is None for custom (the user gives the points)."""

    make: Generate | None
    problem: str | None  # "classification" or "regression"; None: whichever the user says
    classes: int  # 0 for regression (and for custom, where the points decide)
    description: str


DATASETS: dict[str, ToyDataset] = {
    "circle": ToyDataset(circle, "classification", 2, "A disc of one class inside a ring of the other."),
    "xor": ToyDataset(xor, "classification", 2, "Opposite quadrants share a class: no single line separates them."),
    "gaussian": ToyDataset(gaussian, "classification", 2, "Two Gaussian clusters that one line separates."),
    "spiral": ToyDataset(spiral, "classification", 2, "Two interleaved spiral arms: the hardest to separate."),
    "plane": ToyDataset(plane, "regression", 0, "Regression: the target rises linearly along x1 + x2."),
    "three": ToyDataset(three, "classification", 3, "Three Gaussian clusters, one per class: multiclass with softmax."),
    "custom": ToyDataset(None, None, 0, "Your own points, given as [x1, x2, label]."),
}


def make_points(name: str, n: int, noise_percent: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """n points of a generated dataset; the same seed gives the same points."""
    dataset = DATASETS[name]
    if dataset.make is None:
        raise ValueError(f"The {name} dataset is not generated; give its points instead.")
    return dataset.make(n, noise_percent / 100, np.random.default_rng(seed))


def check_custom_points(points: Sequence[Sequence[float]], problem: str) -> None:
    """Raise ValueError, in words for a student, when custom points are not usable."""
    if len(points) < 2:
        raise ValueError("Give at least two points.")
    if len(points) > MAX_CUSTOM_POINTS:
        raise ValueError(f"Give at most {MAX_CUSTOM_POINTS} points, not {len(points)}.")
    for index, point in enumerate(points):
        _check_point(index, point, problem)
    if problem == "classification" and len({int(p[2]) for p in points}) < 2:
        raise ValueError("Classification needs points of at least two classes.")


def _check_point(index: int, point: Sequence[float], problem: str) -> None:
    if len(point) != 3:
        raise ValueError(f"Point {index} must be [x1, x2, label], not {len(point)} numbers.")
    x1, x2, label = (float(v) for v in point)
    if not all(math.isfinite(v) for v in (x1, x2, label)):
        raise ValueError(f"Point {index} has a number that is not finite.")
    if max(abs(x1), abs(x2)) > EXTENT[1]:
        raise ValueError(f"Point {index} lies outside the plane: x1 and x2 must be between -6 and 6.")
    if problem == "classification" and label not in range(MAX_CLASSES):
        raise ValueError(f"Point {index} has label {label:g}; classes are 0, 1 or 2.")
    if problem == "regression" and abs(label) > 1:
        raise ValueError(f"Point {index} has target {label:g}; regression targets lie between -1 and 1.")


def custom_points(points: Sequence[Sequence[float]], problem: str) -> tuple[np.ndarray, np.ndarray]:
    """The user's [x1, x2, label] rows as (xy, labels), checked first."""
    check_custom_points(points, problem)
    table = np.asarray(points, dtype=np.float64)
    labels = table[:, 2].astype(np.int64 if problem == "classification" else np.float32)
    return table[:, :2].astype(np.float32), labels


def class_count(problem: str, labels: np.ndarray) -> int:
    """Number of classes a classifier needs for these labels (0 for regression)."""
    if problem == "regression":
        return 0
    return max(2, int(labels.max()) + 1)


def split(xy: np.ndarray, labels: np.ndarray, train_percent: float, seed: int) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Shuffle and cut into {"train": (xy, labels), "test": (xy, labels)}, each with at least one point."""
    order = np.random.default_rng([seed, 1]).permutation(len(xy))
    n_train = min(max(round(len(xy) * train_percent / 100), 1), len(xy) - 1)
    train, test = order[:n_train], order[n_train:]
    return {"train": (xy[train], labels[train]), "test": (xy[test], labels[test])}


def as_rows(xy: np.ndarray, labels: np.ndarray) -> list[list[Any]]:
    """[[x1, x2, label], ...] for JSON: coordinates rounded to 4 places, classes as ints."""
    label_list = labels.tolist() if labels.dtype.kind == "i" else np.round(labels, 4).tolist()
    return [[x1, x2, y] for (x1, x2), y in zip(np.round(xy.astype(np.float64), 4).tolist(), label_list)]


# Input features: what the first layer sees, each a function of (x1, x2).
def _sin(value: Any) -> Any:
    return value.sin() if hasattr(value, "sin") else np.sin(value)


@dataclass(frozen=True)
class Feature:
    """One entry of the feature registry: a label for the page and the column it computes."""

    label: str
    compute: Callable[[Any, Any], Any]
    description: str


FEATURES: dict[str, Feature] = {
    "x1": Feature("X₁", lambda x1, x2: x1, "The first coordinate."),
    "x2": Feature("X₂", lambda x1, x2: x2, "The second coordinate."),
    "x1sq": Feature("X₁²", lambda x1, x2: x1 * x1, "The first coordinate squared."),
    "x2sq": Feature("X₂²", lambda x1, x2: x2 * x2, "The second coordinate squared."),
    "x1x2": Feature("X₁X₂", lambda x1, x2: x1 * x2, "The product of the coordinates."),
    "sinx1": Feature("sin(X₁)", lambda x1, x2: _sin(x1), "The sine of the first coordinate."),
    "sinx2": Feature("sin(X₂)", lambda x1, x2: _sin(x2), "The sine of the second coordinate."),
}


def feature_columns(xy: Any, names: Sequence[str]) -> Any:
    """(n, 2) points to (n, len(names)) feature columns; numpy in, numpy out; torch in, torch out."""
    x1, x2 = xy[:, 0], xy[:, 1]
    columns = [FEATURES[name].compute(x1, x2) for name in names]
    if isinstance(xy, np.ndarray):
        return np.stack(columns, axis=1)
    import torch  # only when given tensors, so the numpy path never needs torch

    return torch.stack(columns, dim=1)
