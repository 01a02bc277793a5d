"""Basics' short job: the trained network's prediction at given points, from its checkpoint."""
import pydantic
import pytest

from playground.tasks.base import Control, JobContext, TaskFailure
from playground.tasks.basics import BasicsTask
from playground.tasks.basics.task import PredictArgs
from playground.tasks.checkpoint import read_state


def predict(directory, config, points):
    ctx = JobContext(config=BasicsTask.Config(**config), checkpoint_dir=directory)
    return BasicsTask().job("predict", PredictArgs(points=points), ctx)


class Peek(Control):
    """Looks at the checkpoint folder at the given step, as a job would mid-run."""

    def __init__(self, directory, at_step: int) -> None:
        self.directory, self.at_step, self.checks, self.state = directory, at_step, 0, None

    def check(self) -> dict:
        self.checks += 1
        if self.checks == self.at_step:
            self.state = read_state(self.directory)
        return {}


def test_a_trained_xor_net_predicts_the_classes_of_the_corners(run_basics, tmp_path):
    config = {"dataset": "xor", "epochs": 60, "n_points": 200, "learning_rate": 0.1, "optimizer": "adam", "hidden": [8]}
    run_basics(checkpoint_dir=tmp_path, **config)
    answer = predict(tmp_path, config, [[3, 3], [-3, -3], [3, -3], [-3, 3]])
    assert answer["problem"] == "classification"
    assert all(abs(sum(row) - 1) < 1e-6 and len(row) == 2 for row in answer["probabilities"])
    assert answer["classes"][0] == answer["classes"][1] != answer["classes"][2] == answer["classes"][3]


def test_regression_and_multiclass_answer_in_their_own_shapes(run_basics, quick, tmp_path):
    for config in ({**quick, "dataset": "plane", "problem": "regression"}, {**quick, "dataset": "three"}):
        run_basics(checkpoint_dir=tmp_path, **config)
        answer = predict(tmp_path, config, [[0, 0], [1, 2]])
        if config.get("problem") == "regression":
            assert answer["problem"] == "regression" and len(answer["values"]) == 2
        else:
            assert len(answer["probabilities"][0]) == 3 and set(answer["classes"]) <= {0, 1, 2}


def test_a_checkpoint_is_there_after_the_first_epoch(run_basics, quick, tmp_path):
    peek = Peek(tmp_path, at_step=8)  # the quick runs take 6 steps an epoch
    run_basics(control=peek, checkpoint_dir=tmp_path, **quick)
    assert peek.state is not None and peek.state["epoch"] == 1


def test_points_off_the_plane_or_not_numbers_are_refused_and_a_missing_checkpoint_is_a_sentence(tmp_path):
    for points in ([], [[1e9, 0]], [[True, 0]], [[1, 2, 3]], [["a", 0]]):
        with pytest.raises(pydantic.ValidationError):
            PredictArgs(points=points)
    with pytest.raises(TaskFailure, match="could not be read"):
        predict(tmp_path, {}, [[0, 0]])
