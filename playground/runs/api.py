"""The public JSON API (docs/api.md): tasks, network inspection, runs and their events.

Views stay thin: validation lives in the task configs and in ``playground.nets``,
request and answer shapes in ``schemas``, run life in ``store`` and the executor.
Every error answer is ``{"errors": [{"path", "message"}]}``: a 4xx a student can
act on, or a 500 that shows only the id under which the server logged it.
"""
from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Annotated, Any, Literal

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from pydantic import WithJsonSchema

from playground import nets
from playground.files.uploads import check_references, upload_root
from playground.runs.configs import parse_config
from playground.runs.errors import ApiError, log_server_error, pydantic_errors, server_error_message
from playground.runs.guards import Visitor, require_json_body
from playground.runs.schemas import (
    BODY_ERRORS, CsrfOut, ExportIn, InspectIn, NetReport, PreviewIn, TaskOut, answers,
)
from playground.tasks import TASKS
from playground.tasks.base import Task, TaskFailure


api = NinjaAPI(title="LayerLab API", version="1", urls_namespace="api", auth=Visitor())


def error_response(request: HttpRequest, status: int, errors: list[dict[str, str]]) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return error_response(request, exc.status, exc.errors)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    # A run request is a union tagged by task: pydantic puts the tag in the path ("basics.config.epochs").
    errors = [{**e, "loc": drop_union_tag(tuple(e.get("loc", ())))} for e in exc.errors]
    return error_response(request, 400, pydantic_errors(errors, drop=("body", "payload", "query", "path")))


def drop_union_tag(loc: tuple) -> tuple:
    if loc[:2] == ("body", "payload") and len(loc) > 3 and loc[2] in TASKS:
        return loc[:2] + loc[3:]
    return loc


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    """Only controls of a run need someone: its owner, by session or by owner token, and neither came."""
    message = ("only the run's owner may do that: send its owner_token as the header Authorization: Bearer "
               "<owner_token> (a share token only lets others watch), or use the session that created it")
    response = error_response(request, 401, [{"path": "", "message": message}])
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = "the request body is not valid JSON"
    return error_response(request, exc.status_code, [{"path": "", "message": message}])


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return error_response(request, 404, [{"path": "", "message": "there is nothing here"}])


@api.exception_handler(Exception)
def on_crash(request, exc):
    """Anything unexpected: a 500 that shows only an id, which the server log records with the traceback."""
    return error_response(request, 500, [{"path": "", "message": server_error_message(log_server_error(request, exc))}])


@api.get("/csrf", response=answers({200: CsrfOut}), summary="A CSRF token, for scripts that keep cookies (send it back as X-CSRFToken)")
def csrf_token(request):
    from django.middleware.csrf import get_token

    return {"csrftoken": get_token(request)}


# --- tasks ---------------------------------------------------------------------------------


@api.get("/tasks", response=answers({200: list[TaskOut]}), by_alias=True,
         summary="The kinds of training a run can do, with their default configuration and its JSON Schema")
def list_tasks(request):
    # Every page asks for this large answer (each task's JSON Schemas). Only the catalogues can
    # change while the server runs (a dataset fetched); the rest is written as JSON once, so a
    # busy server (a class watching a run) spends almost nothing on it.
    tasks = ", ".join(f'{{"catalogue": {json.dumps(task.catalogue(), allow_nan=False)}, {task_description(task)[1:]}'
                      for task in TASKS.values())
    return HttpResponse(f"[{tasks}]", content_type="application/json")


@functools.cache
def task_description(task: type[Task]) -> str:
    """What never changes about a task, as a JSON object: names, default configuration, JSON Schemas."""
    return json.dumps(TaskOut.model_validate({
        "name": task.name,
        "title": task.title,
        "default_config": task.default_config(),
        "schema": task.schema(),
        "catalogue": {},
        "controls": task.Controls.model_json_schema(),
        "jobs": {kind: model.model_json_schema() for kind, model in task.Jobs.items()},
    }).model_dump(mode="json", by_alias=True, exclude={"catalogue"}), allow_nan=False)


PREVIEWS = [name for name, task in TASKS.items() if hasattr(task, "preview")]
PreviewName = Annotated[Literal[tuple(PREVIEWS)], WithJsonSchema({"type": "string", "enum": PREVIEWS})]  # type: ignore[valid-type]


@api.post("/tasks/{name}/preview", response=answers({200: dict[str, Any]}, *BODY_ERRORS, 403),
          summary="What a run of this task would train on (basics: its data points) or need (style: memory and time, and whether this server takes it)")
def preview_task(request, name: PreviewName, payload: PreviewIn):  # type: ignore[valid-type]
    task = TASKS[name]
    config = parse_config(task, payload.config)
    check_references(request, config.model_dump(mode="json"))
    try:
        answer = task.preview(config, data_dir=Path(settings.DATA_DIR), uploads_dir=upload_root())
    except TaskFailure as failure:  # a dataset not on this server: the sentence says how to get it
        raise ApiError(400, errors=[{"path": "config", "message": str(failure)}]) from None
    if hasattr(task, "needs"):  # what this server would say to this run, before it is asked to train it
        answer.update(task.needs(config, settings.LAYERLAB_RUN_MEMORY, Path(settings.DATA_DIR)))
    return answer


# --- networks ------------------------------------------------------------------------------


@api.post("/nets/inspect", response=answers({200: NetReport}, *BODY_ERRORS, 403),
          summary="Check a layer stack; give each layer's output shape, parameters and multiply-accumulates")
def inspect_net(request, payload: InspectIn):
    try:
        return nets.inspect_net(payload.net, batch_size=payload.batch_size)
    except nets.NetError as exc:
        raise ApiError(400, errors=exc.errors) from None


@api.get("/nets/layers", response=answers({200: list[dict[str, Any]]}), summary="The layer palette: every layer type with its arguments and their bounds")
def layer_palette(request):
    return nets.layer_palette()


@api.post("/nets/export", response=answers({200: None}, *BODY_ERRORS, 403),
          openapi_extra={"responses": {200: {"description": "The script", "content": {"text/x-python": {"schema": {"type": "string"}}}}}},
          summary="A standalone PyTorch script that builds the same network")
def export_net(request, payload: ExportIn):
    try:
        script = nets.export_script(payload.net)
    except nets.NetError as exc:
        raise ApiError(400, errors=exc.errors) from None
    response = HttpResponse(script, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="net.py"'
    return response


from playground.files import api as files_api  # noqa: E402
from playground.runs import run_api  # noqa: E402  (registers the run routes on `api`)

from playground.accounts import api as accounts_api  # noqa: E402
from playground.classroom import api as classroom_api  # noqa: E402
from playground.sharing import api as sharing_api  # noqa: E402

api.add_router("/runs", run_api.router)
api.add_router("/", files_api.router)
api.add_router("/", accounts_api.router)
api.add_router("/", sharing_api.router)
api.add_router("/", classroom_api.router)
api.add_decorator(require_json_body, mode="view")  # every operation that reads a JSON body: 415 otherwise
