"""The task registry: one plain mapping from name to task class."""
import pytest

from playground.tasks import TASKS, get_task
from playground.tasks.basics import BasicsTask


def test_basics_is_registered_under_its_name():
    assert TASKS["basics"] is BasicsTask
    assert get_task("basics") is BasicsTask
    assert BasicsTask.name == "basics" and BasicsTask.title == "Basics: 2-D classification and regression"


def test_an_unknown_task_is_a_key_error_that_lists_the_known_ones():
    with pytest.raises(KeyError, match="basics"):
        get_task("chess")


def test_preview_accepts_a_plain_dict():
    preview = BasicsTask.preview({"dataset": "gaussian", "n_points": 50, "train_ratio": 20})
    assert (len(preview["train"]), len(preview["test"])) == (10, 40)
