"""The shapes of the API's requests and answers: they validate the bodies and make /api/openapi.json.

The run request is built from the task registry, a discriminated union on ``task``
with each task's own configuration model, so a new task needs no edit here. Numbers
in bodies are strict: true and false are not read as 1 and 0.
"""
from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, Optional, Union

from ninja import Schema
from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt, WithJsonSchema, create_model

from playground.runs.models import STATUSES, VISIBILITIES
from playground.tasks import TASKS
from playground.tasks.base import EVENT_TYPES

# An enum even while the registry holds one task (pydantic would write a const).
TaskName = Annotated[Literal[tuple(TASKS)], WithJsonSchema({"type": "string", "enum": list(TASKS)})]  # type: ignore[valid-type]
Status = Literal[STATUSES]  # type: ignore[valid-type]
Visibility = Literal[VISIBILITIES]  # type: ignore[valid-type]


class Body(Schema):
    """A request body: unknown keys are refused, as in task configurations."""

    model_config = ConfigDict(extra="forbid")


# --- errors --------------------------------------------------------------------------------


class ErrorItem(Schema):
    path: str = Field(description='Where the problem is: "config.batch_size", "net.layers.3", or "" for the whole request.')
    message: str = Field(description="What is wrong, in a sentence for a student.")


class ErrorsOut(Schema):
    errors: list[ErrorItem] = Field(min_length=1)


def answers(success: dict[int, Any], *errors: int) -> dict[int, Any]:
    """An operation's documented answers: its successes, the errors it may give, and 500."""
    return {**success, **{status: ErrorsOut for status in (*errors, 500)}}


WRITE_ERRORS = (403, 413)  # any POST: a cookie write without CSRF, an oversized body
BODY_ERRORS = (400, 413, 415)  # a POST with a JSON body


# --- tasks and networks --------------------------------------------------------------------


class TaskOut(Schema):
    name: TaskName  # type: ignore[valid-type]
    title: str
    default_config: dict[str, Any]
    schema_: dict[str, Any] = Field(alias="schema", description="The JSON Schema of this task's config.")
    catalogue: dict[str, Any]
    controls: dict[str, Any] = Field(description="The JSON Schema of the live controls POST /api/runs/{id}/control takes.")
    jobs: dict[str, Any] = Field(description="The short jobs a run of this task answers: kind → the JSON Schema of its args.")


class PreviewIn(Body):
    config: dict[str, Any] = Field(default_factory=dict, description="A configuration of the task named in the path.")


class InspectIn(Body):
    net: Any = Field(None, description="A network specification: {version, input, layers}.")
    batch_size: StrictInt = Field(1, ge=1, le=4096)


class ExportIn(Body):
    net: Any = Field(None, description="A network specification: {version, input, layers}.")


class LayerRow(Schema):
    path: str
    type: str
    output_shape: list[int]
    params: int
    macs: int


class NetReport(Schema):
    layers: list[LayerRow]
    input_shape: list[int]
    output_shape: list[int]
    total_params: int
    trainable_params: int
    total_macs: int
    param_bytes: int
    activation_bytes: int
    batch_size: int


class CsrfOut(Schema):
    csrftoken: str


# --- runs ----------------------------------------------------------------------------------


def run_request_model() -> Any:
    """``{"task": name, "config": that task's config}`` for every task in the registry."""
    variants = [
        create_model(
            f"{task.Config.__name__.removesuffix('Config')}RunIn",
            __base__=Body,
            task=(Literal[name], ...),
            config=(task.Config, Field(default_factory=task.Config)),
            stop_when_unwatched=(StrictBool, Field(
                False, description="Pages set it: the run stops when no socket of its owner has watched it for a while.")),
        )
        for name, task in TASKS.items()
    ]
    if len(variants) == 1:
        return variants[0]
    return Annotated[Union[tuple(variants)], Field(discriminator="task")]


RunIn = run_request_model()


class RunOut(Schema):
    id: int
    task: TaskName  # type: ignore[valid-type]
    status: Status  # type: ignore[valid-type]
    config: dict[str, Any]
    created: datetime
    started: Optional[datetime]
    finished: Optional[datetime]
    error: str
    queue_position: Optional[int]
    device: str
    parent: Optional[int]
    last_seq: int
    share_token: Optional[str] = Field(description="Read-only access for others (?token=); only its owner sees it.")
    is_owner: bool
    visibility: Visibility = Field(  # type: ignore[valid-type]
        description="Who besides its owner sees it: private (nobody), course (its course), link (share-token holders), public (everyone, in the gallery).")
    net: Optional[dict[str, Any]] = Field(
        description="The network the configuration trains, as a spec for POST /api/nets/inspect; null when the task has none."
    )
    controls: dict[str, Any] = Field(description="The live controls asked for so far (POST /api/runs/{id}/control).")


class RunListOut(RunOut):
    metric: Optional[dict[str, Any]] = Field(description="{name, value}: the run's latest test accuracy or, failing that, a loss.")


class CreatedRunOut(RunOut):
    owner_token: str = Field(description="Controls this run (Authorization: Bearer ...); given only now, keep it.")


class EventOut(Schema):
    seq: int
    type: Literal[EVENT_TYPES]  # type: ignore[valid-type]
    step: Optional[int]
    data: dict[str, Any]
    time: Optional[float]


class EventsOut(Schema):
    events: list[EventOut]
    more: bool = Field(description="The page stopped at its limit of events or bytes: ask again after its last seq.")


class ControlIn(BaseModel):
    """Any JSON object here; the view checks it against the run's task's ``Controls`` model.

    A plain pydantic model: ninja's Schema would drop the keys it does not declare.
    """

    model_config = ConfigDict(extra="allow", json_schema_extra={
        "description": "The live controls to change, checked against the run's task's Controls "
                       "(GET /api/tasks: controls), for example {\"learning_rate\": 0.01}."})


class JobIn(Body):
    kind: str = Field(max_length=64, description="Which of the task's short jobs (GET /api/tasks lists them).")
    args: dict[str, Any] = Field(default_factory=dict, description="The job's arguments, checked against its model.")


class JobOut(Schema):
    kind: str
    result: dict[str, Any]


class VisibilityIn(Body):
    visibility: Visibility  # type: ignore[valid-type]


class ContinueIn(Body):
    epochs: StrictInt = Field(ge=1, description="How many more epochs; the task's own bound applies.")
