"""Short jobs on a CNN run's checkpoint, called directly: predict, saliency, class pictures, a confusion cell."""
from __future__ import annotations

import pydantic
import pytest
from cnn_world import job, train

from playground.tasks.base import TaskFailure
from playground.tasks.cnn import CnnTask


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    directory = tmp_path_factory.mktemp("checkpoint")
    _, config = train(checkpoint_dir=directory, epochs=1)
    return directory, config


DRAWING = [[255 if 8 <= column <= 11 and 4 <= row <= 24 else 0 for column in range(20)] for row in range(28)]


def test_a_drawing_is_fitted_to_the_input_and_answered_with_probabilities_and_feature_maps(trained):
    answer = job("predict", *trained, drawing=DRAWING)
    assert answer["true"] is None and 0 <= answer["predicted"] < 10
    assert [m["shape"] for m in answer["feature_maps"]] == [[6, 28, 28], [16, 10, 10]]
    assert answer["input"].startswith("data:image/png;base64,")


def test_a_test_picture_comes_with_its_true_class(trained):
    assert job("predict", *trained, index=5)["true"] in range(10)


def test_saliency_has_the_inputs_height_and_width(trained):
    answer = job("saliency", *trained, index=2, target=4)
    assert answer["shape"] == [28, 28] and answer["target"] == 4 and answer["class"] == "4"
    assert answer["saliency"].startswith("data:image/png;base64,")


def test_class_visualisations_stream_one_picture_per_class(trained):
    parts: list = []
    answer = job("visualize", *trained, parts=parts, classes=[1, 7], steps=5)
    assert [p["name"] for p in parts] == ["1", "7"] and answer["pictures"] == parts


def test_a_confusion_cell_gives_its_test_pictures(trained):
    answer = job("examples", *trained, true=3, predicted=3, limit=4)
    assert len(answer["indices"]) == len(answer["pictures"]) <= 4


@pytest.mark.parametrize("kind, args, words", [
    ("predict", {"index": 99_999}, "there is no test picture 99999"),
    ("saliency", {"index": 0, "target": 12}, "there is no class 12"),
    ("visualize", {"classes": [10]}, "there is no class 10"),
])
def test_impossible_questions_get_a_sentence(trained, kind, args, words):
    with pytest.raises(TaskFailure, match=words):
        job(kind, *trained, **args)


def test_before_the_first_epoch_there_is_nothing_to_ask(tmp_path):
    with pytest.raises(TaskFailure, match="no saved weights yet"):
        job("predict", tmp_path, CnnTask.Config(), index=0)


@pytest.mark.parametrize("args", [{}, {"index": 1, "drawing": [[0]]}, {"drawing": [[0, 1], [2]]},
                                  {"drawing": [[300]]}, {"drawing": [[0] * 65]}])
def test_malformed_arguments_are_refused_by_their_model(args):
    with pytest.raises(pydantic.ValidationError):
        CnnTask.Jobs["predict"](**args)
