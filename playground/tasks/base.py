"""The small interface between training code and whatever runs it.

A task is plain PyTorch: it takes a validated configuration and a RunContext,
trains, and reports through ``ctx.emit``. It never imports Django. The run engine,
the tests and the benchmarks each supply their own emitter and control.
"""
from __future__ import annotations

import contextlib
import math
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, ClassVar, Iterator, Protocol

import pydantic
from pydantic_core import PydanticCustomError

from playground.tasks.failures import Diverged, Stopped, TaskFailure  # noqa: F401  every task takes them from here

if TYPE_CHECKING:
    from playground.tasks.picture_files import PictureFolder

EVENT_TYPES = ("metric", "text", "image", "table", "status", "log")


class Emitter(Protocol):
    def __call__(self, type: str, data: dict[str, Any], step: int | None = None) -> None: ...


@contextlib.contextmanager
def emitted_together(emit: Emitter) -> Iterator[None]:
    """Events emitted inside leave as one batch, where the emitter can hold them (the run engine's can).

    Wrap bursts (a report's metrics, a set of pictures): the web server then wakes
    once for the burst, not once per event. Any other emitter is used as it is.
    """
    together = getattr(emit, "together", None)
    with together() if together is not None else contextlib.nullcontext():
        yield


class Control:
    """What the outside world can ask of a running task. This base asks nothing.

    Tasks call ``check()`` once per optimiser step. It blocks while the run is
    paused, raises ``Stopped`` when a stop was requested, and otherwise returns the
    setting changes made since the last call, by the field names of the task's
    ``Controls`` (for example ``{"learning_rate": 0.01}``), or an empty dict. It
    must be cheap: it is called on every step.
    """

    def check(self) -> dict[str, Any]:
        return {}


class TaskConfig(pydantic.BaseModel):
    """Base of every task's configuration: unknown keys are refused, not ignored, and so are
    true and false where a number is meant (pydantic would read them as 1 and 0)."""

    model_config = pydantic.ConfigDict(extra="forbid")

    @pydantic.field_validator("*", mode="before")
    @classmethod
    def _no_booleans_for_numbers(cls, value: Any, info: pydantic.ValidationInfo) -> Any:
        annotation = cls.model_fields[info.field_name].annotation
        if _holds_bool(value) and _means_number(annotation) and not _admits_bool(annotation):
            raise PydanticCustomError("number_not_boolean", "Input should be a number, not true or false")
        return value


def _holds_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return True
    return isinstance(value, (list, tuple)) and any(_holds_bool(item) for item in value)


def _means_number(annotation: Any) -> bool:
    """Whether a field's type has int or float anywhere in it (list[int], Optional[float]...)."""
    if annotation in (int, float):
        return True
    return any(_means_number(arg) for arg in typing.get_args(annotation))


def _admits_bool(annotation: Any) -> bool:
    """Whether a field's type has bool anywhere in it (Optional[bool], list[bool], Literal[True]...)."""
    if annotation is bool or isinstance(annotation, bool):
        return True
    return any(_admits_bool(arg) for arg in typing.get_args(annotation))


@dataclass
class RunContext:
    emit: Emitter
    control: Control = field(default_factory=Control)
    device: str = "cpu"
    # Where this run saves its checkpoint, and the checkpoint it continues from.
    checkpoint_dir: Path | None = None
    resume_dir: Path | None = None
    # Where large pictures are written (tasks/picture_files.py); without it they travel inline.
    pictures: PictureFolder | None = None
    # $LAYERLAB_DATA_DIR (datasets/ and weights/ under it, data/catalog.py), and where uploads are kept.
    data_dir: Path | None = None
    uploads_dir: Path | None = None

    def picture(self, name: str, pixels: Any, step: int | None = None, *, format: str = "png",
                quality: int = 85, **fields: Any) -> None:
        """Emit an ``image`` event showing uint8 ``pixels`` ((H, W), (H, W, 3) or (H, W, 4)); ``fields``
        ride along (an epoch, a layer). Large pictures become files and the event carries their URL."""
        from playground.tasks.picture_files import picture_event

        self.emit("image", picture_event(name, pixels, self.pictures, format, quality, **fields), step)

    def upload(self, reference: str) -> Path:
        """The file of an upload named in a configuration (``"upload:12"``); TaskFailure if it is gone."""
        from playground.data.uploads import reference_id, stored_file

        upload_id = reference_id(reference)
        path = stored_file(self.uploads_dir / str(upload_id)) if upload_id and self.uploads_dir else None
        if path is None:
            raise TaskFailure(f"{reference} is not there any more (was it deleted?); upload the file again")
        return path


class NoControls(pydantic.BaseModel):
    """Live controls of a task that has none besides stop, pause and resume."""

    model_config = pydantic.ConfigDict(extra="forbid")


@dataclass
class JobContext:
    """What a short job (a prediction, a sample, feature maps) gets: the run it works on, read-only.

    Jobs run beside training in a warm process of their own, with their own time and
    memory limits, and never hold a training slot. ``part`` streams a piece of the
    answer to whoever asked (characters of a sample as they come); the job's return
    value is the last piece.
    """

    config: TaskConfig
    # The run's latest checkpoint (tasks/checkpoint.py); it may be replaced while a job reads it.
    checkpoint_dir: Path
    device: str = "cpu"
    data_dir: Path | None = None
    uploads_dir: Path | None = None
    send: Callable[[dict[str, Any]], None] = lambda data: None

    def part(self, data: dict[str, Any]) -> None:
        self.send(data)


class Task:
    """A kind of training job. Subclasses set the class attributes and implement run().

    ``Controls`` lists the settings a visitor may change while the run trains (all
    optional: a request names only what it changes); ``POST /api/runs/{id}/control``
    validates against it and ``ctx.control.check()`` hands the task the changes by
    field name. ``Jobs`` names the short jobs a run of this task answers, each with
    the model its arguments must fit; ``job`` answers them.
    """

    name: ClassVar[str]
    title: ClassVar[str]
    Config: ClassVar[type[TaskConfig]]
    Controls: ClassVar[type[pydantic.BaseModel]] = NoControls
    Jobs: ClassVar[dict[str, type[pydantic.BaseModel]]] = {}

    def run(self, config: TaskConfig, ctx: RunContext) -> None:
        raise NotImplementedError

    def job(self, kind: str, args: pydantic.BaseModel, ctx: JobContext) -> dict[str, Any]:
        """The answer to one short job on a run; TaskFailure with a sentence when it cannot be given."""
        raise NotImplementedError

    @classmethod
    def schema(cls) -> dict[str, Any]:
        return cls.Config.model_json_schema()

    @staticmethod
    def catalogue() -> dict[str, Any]:
        """Named choices a page offers (datasets, features...), with words for each."""
        return {}

    @classmethod
    def default_config(cls) -> dict[str, Any]:
        return cls.Config().model_dump(mode="json")


def finite(value: float) -> float | None:
    """JSON has no NaN or infinity; events carry None instead so the store and the wire agree."""
    return value if math.isfinite(value) else None

