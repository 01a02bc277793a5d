"""The CNN page's data: the built-in glyphs, MNIST and CIFAR-10 from files written here, uploads, configuration checks."""
from __future__ import annotations

import pickle

import numpy as np
import pydantic
import pytest
import torch
from cnn_world import net, train
from upload_files import class_zip

from playground.data import glyphs
from playground.data.image_sets import load_image_set
from playground.data.transforms import Augment
from playground.tasks.base import TaskFailure
from playground.tasks.cnn import CnnTask

pytest.importorskip("PIL")


def idx(array: np.ndarray) -> bytes:
    return bytes([0, 0, 0x08, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape) + array.tobytes()


def write_mnist(folder, train_count=60, test_count=30):
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for prefix, count in (("train", train_count), ("t10k", test_count)):
        (folder / f"{prefix}-images-idx3-ubyte").write_bytes(idx(rng.integers(0, 256, (count, 28, 28), dtype=np.uint8)))
        (folder / f"{prefix}-labels-idx1-ubyte").write_bytes(idx((np.arange(count) % 10).astype(np.uint8)))


def test_glyphs_are_the_same_everywhere_and_every_class_is_there():
    first, labels = glyphs.make_glyphs(50, seed=3)
    again, _ = glyphs.make_glyphs(50, seed=3)
    assert first.shape == (50, 1, 28, 28) and first.dtype == np.uint8 and np.array_equal(first, again)
    assert sorted(set(labels.tolist())) == list(range(10))
    assert first.mean() > 10  # not blank pictures



def test_glyphs_are_drawn_once_and_read_back_after(tmp_path, monkeypatch):
    glyphs.glyph_split.cache_clear()
    expected, expected_labels = glyphs.make_glyphs(40, glyphs.TEST_SEED)
    glyphs.glyph_split("test", 40, tmp_path)
    assert len(list(tmp_path.glob("glyphs-test-40-*.npz"))) == 1
    glyphs.glyph_split.cache_clear()  # as in a new training process
    monkeypatch.setattr(glyphs, "make_glyphs", lambda count, seed: pytest.fail("drawn again"))
    images, labels = glyphs.glyph_split("test", 40, tmp_path)
    assert np.array_equal(images, expected) and np.array_equal(labels, expected_labels)
    glyphs.glyph_split.cache_clear()


def test_a_cut_short_glyph_file_is_drawn_again(tmp_path):
    glyphs.glyph_split.cache_clear()
    drawn, _ = glyphs.glyph_split("test", 40, tmp_path)
    (saved,) = tmp_path.glob("glyphs-test-40-*.npz")
    saved.write_bytes(saved.read_bytes()[:100])
    glyphs.glyph_split.cache_clear()
    again, _ = glyphs.glyph_split("test", 40, tmp_path)
    assert np.array_equal(drawn, again) and saved.stat().st_size > 100
    glyphs.glyph_split.cache_clear()

def test_mnist_from_its_idx_files_trains(tmp_path):
    write_mnist(tmp_path / "datasets" / "mnist")
    assert load_image_set("mnist", tmp_path).shape == (1, 28, 28)
    recorder, _ = train(dataset="mnist", data_dir=tmp_path, train_examples=None, test_examples=None)
    assert recorder.named("dataset")[0]["train"] == 60


def test_a_missing_dataset_says_how_to_get_it(tmp_path):
    with pytest.raises(TaskFailure, match="fetch_datasets fashion-mnist"):
        train(dataset="fashion-mnist", data_dir=tmp_path)


def test_cifar10_from_its_batches_trains_a_colour_network(tmp_path):
    folder = tmp_path / "datasets" / "cifar-10" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for name in ["data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"]:
        batch = {"labels": [int(x) for x in rng.integers(0, 10, 8)], "data": rng.integers(0, 256, (8, 3072), dtype=np.uint8)}
        (folder / name).write_bytes(pickle.dumps(batch, protocol=2))
    (folder / "batches.meta").write_bytes(pickle.dumps({"label_names": list("abcdefghij")}, protocol=2))
    spec = net("lenet5")
    spec["input"]["shape"] = [3, 32, 32]
    recorder, _ = train(dataset="cifar-10", data_dir=tmp_path, net=spec, train_examples=None, test_examples=None)
    assert recorder.named("dataset")[0]["shape"] == [3, 32, 32]
    assert recorder.named("filters")[-1]["width"] > 0


def test_an_upload_of_class_folders_trains_at_the_chosen_size(tmp_path):
    (tmp_path / "7").mkdir()
    (tmp_path / "7" / "images.zip").write_bytes(class_zip({"cats": 6, "dogs": 7, "owls": 5}))
    spec = net("lenet5")
    spec["input"]["shape"], spec["layers"][-1]["out_features"] = [3, 24, 24], 3
    recorder, _ = train(dataset="upload:7", uploads_dir=tmp_path, image_size=24, net=spec, train_examples=None,
                        test_examples=None)
    data = recorder.named("dataset")[0]
    assert data["classes"] == ["cats", "dogs", "owls"] and data["train"] + data["test"] == 18 and data["test"] == 3


def test_an_upload_whose_classes_the_network_does_not_end_with_is_refused_with_a_sentence(tmp_path):
    (tmp_path / "7").mkdir()
    (tmp_path / "7" / "images.zip").write_bytes(class_zip({"cats": 6, "dogs": 7}))
    spec = net("lenet5")
    spec["input"]["shape"] = [3, 32, 32]
    with pytest.raises(TaskFailure, match="2 classes; end with a Linear layer of 2 outputs"):
        train(dataset="upload:7", uploads_dir=tmp_path, net=spec)


@pytest.mark.parametrize("config, words", [
    ({"dataset": "imagenet"}, "not a dataset here"),
    ({"dataset": "cifar-10"}, "the cifar-10 pictures are 3 × 32 × 32"),
    ({"augment": ["flip", "flip"]}, "each augmentation once"),
    ({"net": {**net("lenet5"), "layers": net("lenet5")["layers"][:-1] + [{"type": "Linear", "out_features": 7}]}},
     "end with a Linear layer of 10 outputs"),
])
def test_a_configuration_that_cannot_train_is_refused_with_a_sentence(config, words):
    with pytest.raises(pydantic.ValidationError, match=words):
        CnnTask.Config(**config)


def test_the_preview_shows_pictures_as_they_are_and_augmented():
    preview = CnnTask.preview({"augment": ["crop", "rotate"]})
    assert preview["classes"] == list("0123456789") and preview["shape"] == [1, 28, 28]
    assert len(preview["examples"]) == 8 and all(e["augmented"].startswith("data:image/png") for e in preview["examples"])


def test_rotation_keeps_the_batch_shape_and_repeats_with_the_same_generator():
    batch = torch.randint(0, 256, (4, 3, 16, 16), dtype=torch.uint8)
    augment = Augment(crop_padding=2, flip=True, rotation=10)
    first = augment(batch, torch.Generator().manual_seed(1))
    assert first.shape == batch.shape and torch.equal(first, augment(batch, torch.Generator().manual_seed(1)))
    assert torch.equal(Augment(rotation=0)(batch, torch.Generator()), batch)
