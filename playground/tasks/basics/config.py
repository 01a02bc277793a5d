"""The Basics page's configuration: one flat pydantic model that is the page state, the API body and the saved config.

Choices come from the registries in ``playground.data.toy`` (datasets, features), so
adding a dataset is one entry there. Errors name the field and speak to a student.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from playground.data.toy import DATASETS, FEATURES, MAX_CUSTOM_POINTS, check_custom_points
from playground.tasks.base import TaskConfig

DatasetName = Literal[tuple(DATASETS)]  # type: ignore[valid-type]
FeatureName = Literal[tuple(FEATURES)]  # type: ignore[valid-type]
ACTIVATIONS = ("relu", "tanh", "sigmoid", "linear")
MAX_SEED = 2**32 - 1


def _refuse(message: str) -> PydanticCustomError:
    return PydanticCustomError("basics_config", message)


class BasicsConfig(TaskConfig):
    """Everything one Basics run needs; the defaults learn XOR in about a second on a CPU."""

    # Data. Field order matters: later validators read the fields declared before them.
    dataset: DatasetName = Field("xor", description="Which toy dataset to learn: " + ", ".join(DATASETS) + ".")
    problem: Literal["classification", "regression"] = Field(
        "classification", validate_default=True, description="Classification (predict a class) or regression (predict a number); must suit the dataset."
    )
    points: list[tuple[float, float, float]] | None = Field(
        None,
        max_length=MAX_CUSTOM_POINTS,
        validate_default=True,
        description="Your own points as [x1, x2, label], x1 and x2 in [-6, 6]; only with the custom dataset.",
    )
    n_points: int = Field(500, ge=50, le=2000, description="How many points to generate (train and test together).")
    noise: int = Field(0, ge=0, le=50, description="Noise in percent: how much the classes overlap.")
    train_ratio: int = Field(50, ge=10, le=90, description="Percentage of the points used for training; the rest test.")

    # Network.
    features: list[FeatureName] = Field(  # type: ignore[valid-type]
        default_factory=lambda: ["x1", "x2"],
        min_length=1,
        max_length=len(FEATURES),
        description="Input features computed from each point: " + ", ".join(FEATURES) + ".",
    )
    hidden: list[Annotated[int, Field(ge=1, le=8)]] = Field(
        default_factory=lambda: [8, 4], max_length=6, description="Neurons in each hidden layer (0 to 6 layers, 1 to 8 neurons each)."
    )
    activation: Literal[ACTIVATIONS] = Field("tanh", description="Activation after each hidden layer.")  # type: ignore[valid-type]

    # Training.
    learning_rate: float = Field(0.03, gt=0, le=10, description="Step size of the optimiser.")
    optimizer: Literal["sgd", "adam"] = Field("adam", description="Plain stochastic gradient descent, or Adam.")
    regularization: Literal["none", "l1", "l2"] = Field("none", description="Penalty on the weights' size: none, L1 or L2.")
    regularization_rate: float = Field(0.0, ge=0, le=1, description="Strength of the penalty.")
    batch_size: int = Field(10, ge=1, le=MAX_CUSTOM_POINTS, description="Points per gradient step (at most the number of points).")
    epochs: int = Field(100, ge=1, le=5000, description="Passes over the training points (when continuing: this many more).")
    target_test_loss: float | None = Field(
        None, ge=0, le=100, description="Stop early once the test loss is at or below this; none to train every epoch."
    )
    seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the initial weights and the batch order.")
    data_seed: int = Field(0, ge=0, le=MAX_SEED, description="Seed of the points and of the train/test split.")

    # Reporting.
    emit_every: int = Field(1, ge=1, le=5000, description="Epochs between loss and accuracy reports.")
    grid_every: int = Field(10, ge=1, le=5000, description="Epochs between pictures of the output and of every neuron.")
    grid_size: int = Field(50, ge=20, le=100, description="Cells on each side of the output picture.")

    @field_validator("problem")
    @classmethod
    def _problem_suits_dataset(cls, problem: str, info: ValidationInfo) -> str:
        dataset = info.data.get("dataset")
        wanted = DATASETS[dataset].problem if dataset in DATASETS else None
        if wanted is not None and wanted != problem:
            raise _refuse(f"The {dataset} dataset is a {wanted} problem, not {problem}.")
        return problem

    @field_validator("points")
    @classmethod
    def _points_only_for_custom(cls, points: Any, info: ValidationInfo) -> Any:
        dataset = info.data.get("dataset")
        if dataset == "custom" and points is None:
            raise _refuse("The custom dataset needs points: a list of [x1, x2, label].")
        if dataset != "custom" and points is not None:
            raise _refuse("Points are only used with the custom dataset.")
        if points is not None:
            try:
                check_custom_points(points, info.data.get("problem", "classification"))
            except ValueError as error:
                raise _refuse(str(error)) from None
        return points

    @field_validator("features")
    @classmethod
    def _features_once_each(cls, features: list[str]) -> list[str]:
        repeated = sorted({name for name in features if features.count(name) > 1})
        if repeated:
            raise _refuse(f"Each feature may be chosen once; repeated: {', '.join(repeated)}.")
        return features

    @field_validator("batch_size")
    @classmethod
    def _batch_fits_points(cls, batch_size: int, info: ValidationInfo) -> int:
        points = info.data.get("points")
        total = len(points) if points is not None else info.data.get("n_points")
        if total is not None and batch_size > total:
            raise _refuse(f"The batch size ({batch_size}) cannot exceed the number of points ({total}).")
        return batch_size

    @property
    def point_count(self) -> int:
        """How many points the run uses, generated or given."""
        return len(self.points) if self.points is not None else self.n_points
