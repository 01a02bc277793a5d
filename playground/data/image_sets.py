"""Image classification sets by name, as uint8 arrays with their classes: what the CNN page trains on.

``glyphs`` is made by the code (``glyphs.py``) and always there; ``mnist``,
``fashion-mnist`` and ``cifar-10`` are read from their publishers' files under
``$LAYERLAB_DATA_DIR/datasets/<name>/`` (``catalog.py``, ``idx.py``,
``cifar.py``); ``upload:<id>`` is a visitor's zip of one folder per class
(``image_folders.py``), fitted to a chosen size and split train/test by a seed.
Whatever the source, images come out as uint8 (N, C, H, W) and labels as int64.

    images = load_image_set("mnist", data_dir)  # ImageSet with .train, .test, .classes, .shape
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from playground.data import catalog, cifar, glyphs, idx
from playground.data.image_folders import load_archive

UPLOAD_TEST_SHARE = 0.2


class ImageSetMissing(FileNotFoundError):
    """A named set whose files are not on this server; the message says how to get them."""


@dataclass(frozen=True)
class BuiltIn:
    """A set the page offers by name: its words, its picture shape and classes, and where it comes from."""

    name: str
    title: str
    description: str
    shape: tuple[int, int, int]
    classes: tuple[str, ...]
    sizes: tuple[int, int]  # train and test examples


SETS: dict[str, BuiltIn] = {
    "glyphs": BuiltIn(
        "glyphs", "Glyphs (built in)",
        "Digits drawn by the code, each shifted, turned, slanted, warped and noisy: 12,000 to train on, "
        "2,000 to test; always there.", (1, 28, 28), glyphs.CLASSES, (12_000, 2_000)),
    "mnist": BuiltIn("mnist", "MNIST", "Handwritten digits: 60,000 to train on, 10,000 to test.", (1, 28, 28),
                     catalog.CATALOG["mnist"].classes, (60_000, 10_000)),
    "fashion-mnist": BuiltIn("fashion-mnist", "Fashion-MNIST",
                             "Clothes and shoes in 10 classes, the size and format of MNIST and harder.", (1, 28, 28),
                             catalog.CATALOG["fashion-mnist"].classes, (60_000, 10_000)),
    "cifar-10": BuiltIn("cifar-10", "CIFAR-10", "Small colour photos of 10 kinds of thing: 50,000 to train on, "
                        "10,000 to test.", (3, 32, 32), catalog.CATALOG["cifar-10"].classes, (50_000, 10_000)),
}


@dataclass
class ImageSet:
    """A loaded set: uint8 (N, C, H, W) pictures and int64 labels for each split, and the class names."""

    name: str
    classes: list[str]
    train: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.train[0].shape[1:])  # type: ignore[return-value]

    def channel_statistics(self) -> tuple[list[float], list[float]]:
        """Each channel's mean and standard deviation over the training pictures, in [0, 1] units."""
        pictures = self.train[0]
        sample = pictures[:: max(1, len(pictures) // 10_000)].astype(np.float32) / 255
        mean = sample.mean(axis=(0, 2, 3))
        std = np.maximum(sample.std(axis=(0, 2, 3)), 1e-3)
        return [round(float(m), 4) for m in mean], [round(float(s), 4) for s in std]


def available(name: str, data_dir: Path | None) -> bool:
    if name == "glyphs":
        return True
    entry = catalog.CATALOG[name]
    return data_dir is not None and not catalog.missing(data_dir, entry)


def how_to_get(name: str) -> str:
    entry = catalog.CATALOG[name]
    return f"run ./manage.py fetch_datasets {name} on the server, or {catalog.by_hand(entry)}"


def _idx_set(name: str, data_dir: Path) -> ImageSet:
    folder = catalog.folder(data_dir, catalog.CATALOG[name])
    train_x, train_y = idx.read_image_set(folder, "train")
    test_x, test_y = idx.read_image_set(folder, "t10k")
    return ImageSet(name, list(SETS[name].classes), (train_x[:, None], train_y), (test_x[:, None], test_y))


def _cifar_set(name: str, data_dir: Path) -> ImageSet:
    folder = catalog.folder(data_dir, catalog.CATALOG[name]) / "cifar-10-batches-py"
    return ImageSet(name, list(SETS[name].classes), cifar.read_split(folder, "train"), cifar.read_split(folder, "test"))


def _glyph_set(name: str, data_dir: Path | None) -> ImageSet:
    train_count, test_count = SETS["glyphs"].sizes
    cache = glyph_cache(data_dir)
    return ImageSet(name, list(glyphs.CLASSES), glyphs.glyph_split("train", train_count, cache),
                    glyphs.glyph_split("test", test_count, cache))


def glyph_cache(data_dir: Path | None) -> Path | None:
    return Path(data_dir) / "glyphs" if data_dir is not None else None


LOADERS: dict[str, Callable[[str, Path], ImageSet]] = {
    "glyphs": _glyph_set, "mnist": _idx_set, "fashion-mnist": _idx_set, "cifar-10": _cifar_set,
}


def load_image_set(name: str, data_dir: Path | None) -> ImageSet:
    """A named set; ImageSetMissing (saying how to get it) when its files are not there."""
    if not available(name, data_dir):
        raise ImageSetMissing(f"{SETS[name].title} is not on this server; {how_to_get(name)}")
    return LOADERS[name](name, data_dir)  # type: ignore[arg-type]


def load_test_split(name: str, data_dir: Path | None) -> tuple[np.ndarray, np.ndarray]:
    """Only the test pictures of a named set (what a short job on a run needs, without the training ones)."""
    if not available(name, data_dir):
        raise ImageSetMissing(f"{SETS[name].title} is not on this server; {how_to_get(name)}")
    if name == "glyphs":
        return glyphs.glyph_split("test", SETS["glyphs"].sizes[1], glyph_cache(data_dir))
    folder = catalog.folder(data_dir, catalog.CATALOG[name])  # type: ignore[arg-type]
    if name == "cifar-10":
        return cifar.read_split(folder / "cifar-10-batches-py", "test")
    images, labels = idx.read_image_set(folder, "t10k")
    return images[:, None], labels


def load_upload(path: Path, side: int, seed: int = 0) -> ImageSet:
    """A zip of class folders as side × side colour pictures, a fifth of each class (at least one) kept to test."""
    images, labels, classes = load_archive(path, (side, side))
    pictures = images.transpose(0, 3, 1, 2).copy()  # (N, 3, side, side)
    rng = np.random.default_rng(seed)
    test = np.zeros(len(labels), bool)
    for label in range(len(classes)):
        members = np.flatnonzero(labels == label)
        chosen = rng.permutation(members)[: max(1, round(len(members) * UPLOAD_TEST_SHARE))]
        test[chosen] = True
    return ImageSet(f"upload ({path.parent.name})", classes, (pictures[~test], labels[~test]), (pictures[test], labels[test]))


def describe(data_dir: Path | None) -> dict[str, dict]:
    """Each named set with its words, shape, classes and whether it is here (and how to get it when not)."""
    return {
        name: {"title": s.title, "description": s.description, "shape": list(s.shape), "classes": list(s.classes),
               "train": s.sizes[0], "test": s.sizes[1], "present": available(name, data_dir) if data_dir or name == "glyphs" else None,
               "how": "" if name == "glyphs" else how_to_get(name)}
        for name, s in SETS.items()
    }
