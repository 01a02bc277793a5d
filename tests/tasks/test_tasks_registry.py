"""The task registry: one plain mapping from name to task class."""
import pytest

from playground.tasks import TASKS, get_task
from playground.tasks.basics import BasicsTask
from playground.tasks.cnn import CnnTask
from playground.tasks.style import StyleTask
from playground.tasks.text import TextTask


def test_each_task_is_registered_under_its_name():
    assert {name: TASKS[name] for name in ("basics", "cnn", "text", "style")} == {
        "basics": BasicsTask, "cnn": CnnTask, "text": TextTask, "style": StyleTask}
    assert all(name == task.name for name, task in TASKS.items())
    assert get_task("cnn") is CnnTask
    assert get_task("basics") is BasicsTask
    assert BasicsTask.name == "basics" and BasicsTask.title == "Basics: 2-D classification and regression"


def test_an_unknown_task_is_a_key_error_that_lists_the_known_ones():
    with pytest.raises(KeyError, match="basics"):
        get_task("chess")


def test_preview_accepts_a_plain_dict():
    preview = BasicsTask.preview({"dataset": "gaussian", "n_points": 50, "train_ratio": 20})
    assert (len(preview["train"]), len(preview["test"])) == (10, 40)


def test_extra_tasks_come_from_their_modules_and_only_where_named():
    from playground.tasks import extra_tasks
    from probe_task import ProbeTask

    assert extra_tasks("probe_task:ProbeTask") == {"probe": ProbeTask}
    assert extra_tasks("") == {} and extra_tasks(" , ") == {}
    assert set(TASKS) == {"basics", "cnn", "text", "style", "probe"}  # the tests name theirs in LAYERLAB_EXTRA_TASKS (test_settings.py)
