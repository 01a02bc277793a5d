"""The public JSON API (docs/api.md): tasks, network inspection, runs and their events.

Views stay thin: validation lives in the task configs and in ``playground.nets``,
run life in ``store`` and the executor. Every error is a 4xx with
``{"errors": [{"path", "message"}]}``.
"""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.utils import check_csrf

from playground import nets
from playground.runs.errors import ApiError, pydantic_errors
from playground.tasks import TASKS


class Visitor:
    """Anyone may call the API. Writes that ride on a session cookie must carry the CSRF token."""

    def __call__(self, request: HttpRequest):
        cookie_write = request.method not in ("GET", "HEAD", "OPTIONS") and settings.SESSION_COOKIE_NAME in request.COOKIES
        if cookie_write and check_csrf(request) is not None:
            raise ApiError(403, "", "the request is missing its CSRF token; reload the page and try again")
        return True


api = NinjaAPI(title="LayerLab API", version="1", urls_namespace="api", auth=Visitor())


def error_response(request: HttpRequest, status: int, errors: list[dict[str, str]]) -> HttpResponse:
    return api.create_response(request, {"errors": errors}, status=status)


@api.exception_handler(ApiError)
def on_api_error(request, exc: ApiError):
    return error_response(request, exc.status, exc.errors)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return error_response(request, 400, pydantic_errors(exc.errors, drop=("body", "payload", "query", "path")))


@api.exception_handler(AuthenticationError)
def on_auth_error(request, exc):
    return error_response(request, 403, [{"path": "", "message": "you may not do that"}])


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    message = str(exc)
    if message.startswith("Cannot parse request body"):
        message = "the request body is not valid JSON"
    return error_response(request, exc.status_code, [{"path": "", "message": message}])


@api.get("/csrf", summary="A CSRF token, for scripts that keep cookies (send it back as X-CSRFToken)")
def csrf_token(request):
    from django.middleware.csrf import get_token

    return {"csrftoken": get_token(request)}


# --- tasks ---------------------------------------------------------------------------------


@api.get("/tasks", summary="The kinds of training a run can do, with their default configuration and its JSON Schema")
def list_tasks(request):
    return [
        {
            "name": task.name,
            "title": task.title,
            "default_config": task.default_config(),
            "schema": task.schema(),
            "catalogue": task.catalogue(),
        }
        for task in TASKS.values()
    ]


class ConfigIn(Schema):
    config: dict[str, Any]


@api.post("/tasks/{name}/preview", summary="What a run of this task would train on (for basics: its data points)")
def preview_task(request, name: str, payload: ConfigIn):
    task = TASKS.get(name)
    if task is None or not hasattr(task, "preview"):
        raise ApiError(404, "task", f"there is no task {name!r} with a preview")
    config = parse_config(task, payload.config)
    return task.preview(config)


def parse_config(task, raw: dict[str, Any]):
    import pydantic

    try:
        config = task.Config.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise ApiError(400, errors=pydantic_errors(exc.errors(), prefix="config")) from None
    spec = task.net_spec(config) if hasattr(task, "net_spec") else None
    if spec is not None:
        try:
            nets.inspect_net(spec)
        except nets.NetError as exc:
            raise ApiError(400, errors=[{"path": f"config.net.{e['path']}".rstrip("."), "message": e["message"]} for e in exc.errors]) from None
    return config


# --- networks ------------------------------------------------------------------------------


class InspectIn(Schema):
    net: Any = None
    batch_size: int = 1


@api.post("/nets/inspect", summary="Check a layer stack; give each layer's output shape, parameters and multiply-accumulates")
def inspect_net(request, payload: InspectIn):
    if not 1 <= payload.batch_size <= 4096:
        raise ApiError(400, "batch_size", "batch_size must be between 1 and 4096")
    try:
        return nets.inspect_net(payload.net, batch_size=payload.batch_size)
    except nets.NetError as exc:
        raise ApiError(400, errors=exc.errors) from None


@api.get("/nets/layers", summary="The layer palette: every layer type with its arguments and their bounds")
def layer_palette(request):
    return nets.layer_palette()


@api.post("/nets/export", summary="A standalone PyTorch script that builds the same network")
def export_net(request, payload: InspectIn):
    try:
        script = nets.export_script(payload.net)
    except nets.NetError as exc:
        raise ApiError(400, errors=exc.errors) from None
    response = HttpResponse(script, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="net.py"'
    return response


from playground.runs import run_api  # noqa: E402  (registers the run routes on `api`)

api.add_router("/runs", run_api.router)
