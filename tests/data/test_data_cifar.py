"""CIFAR-10's python batches, on small batches written here; a pickle that asks to run anything is refused unrun."""
from __future__ import annotations

import os
import pickle

import numpy as np
import pytest

from playground.data.cifar import CifarError, read_batch, read_classes, read_split

CLASSES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]


def batch(count: int, seed: int) -> dict:
    rng = np.random.default_rng(seed)
    return {"batch_label": f"batch {seed}", "labels": [int(x) for x in rng.integers(0, 10, count)],
            "data": rng.integers(0, 256, (count, 3072), dtype=np.uint8),
            "filenames": [f"image_{seed}_{i}.png" for i in range(count)]}


def write_batches(directory, count: int = 4) -> dict[str, dict]:
    """The seven files of cifar-10-batches-py, each batch ``count`` pictures, pickled as the publisher's are (protocol 2)."""
    directory.mkdir(parents=True, exist_ok=True)
    written = {}
    for seed, name in enumerate(["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"]):
        written[name] = batch(count, seed)
        (directory / name).write_bytes(pickle.dumps(written[name], protocol=2))
    meta = {"num_cases_per_batch": count, "label_names": CLASSES, "num_vis": 3072}
    (directory / "batches.meta").write_bytes(pickle.dumps(meta, protocol=2))
    return written


def test_the_splits_read_back_in_file_order_as_channels_first_pictures(tmp_path):
    written = write_batches(tmp_path)
    images, labels = read_split(tmp_path, "train")
    assert images.shape == (20, 3, 32, 32) and images.dtype == np.uint8 and labels.dtype == np.int64
    assert np.array_equal(images[4:8].reshape(4, -1), written["data_batch_2"]["data"])
    assert labels.tolist()[:4] == written["data_batch_1"]["labels"]
    # Channels first: the first 1024 bytes of a row are the red plane.
    assert np.array_equal(images[0, 0].reshape(-1), written["data_batch_1"]["data"][0, :1024])
    test_images, test_labels = read_split(tmp_path, "test")
    assert test_images.shape == (4, 3, 32, 32) and test_labels.tolist() == written["test_batch"]["labels"]
    assert read_classes(tmp_path) == CLASSES


class RunsACommand:
    """What an attacker would pickle: unpickling it calls os.system."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


class Evaluates:
    def __reduce__(self):
        return eval, ("__import__('os').getcwd()",)


@pytest.mark.parametrize("make", [lambda marker: RunsACommand(marker), lambda marker: {"data": Evaluates()}])
def test_a_pickle_that_asks_to_run_something_is_refused_and_nothing_runs(tmp_path, make):
    marker = tmp_path / "ran"
    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps(make(marker), protocol=2))
    with pytest.raises(CifarError, match="not a CIFAR-10 batch: it asks for"):
        read_batch(path)
    assert not marker.exists()


def test_a_truncated_batch_says_so(tmp_path):
    path = tmp_path / "data_batch_1"
    whole = pickle.dumps(batch(4, 0), protocol=2)
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(CifarError, match="damaged or truncated"):
        read_batch(path)


@pytest.mark.parametrize("change, words", [
    (lambda b: b.update(data=b["data"].astype(np.float32)), "uint8 pictures"),
    (lambda b: b.update(data=b["data"][:, :100]), "uint8 pictures"),
    (lambda b: b.update(labels=b["labels"][:-1]), "4 pictures but 3 labels"),
    (lambda b: b.update(labels=[12, 0, 0, 0]), "label 12"),
    (lambda b: b.update(labels="cat"), "list of whole numbers"),
    (lambda b: b.pop("data"), "'data' should be"),
])
def test_a_batch_that_is_not_shaped_like_one_says_what_is_wrong(tmp_path, change, words):
    content = batch(4, 0)
    change(content)
    path = tmp_path / "data_batch_1"
    path.write_bytes(pickle.dumps(content, protocol=2))
    with pytest.raises(CifarError, match=words):
        read_batch(path)


def test_a_pickle_of_something_else_is_not_a_batch(tmp_path):
    (tmp_path / "data_batch_1").write_bytes(pickle.dumps([1, 2, 3], protocol=2))
    with pytest.raises(CifarError, match="holds a list"):
        read_batch(tmp_path / "data_batch_1")


def test_a_missing_batch_is_named(tmp_path):
    write_batches(tmp_path)
    (tmp_path / "data_batch_3").unlink()
    with pytest.raises(FileNotFoundError, match="data_batch_3"):
        read_split(tmp_path, "train")
