"""Run routes: create, read, replay, and control runs (docs/api.md, "Runs")."""
from __future__ import annotations

import asyncio
from typing import Any, Optional

from asgiref.sync import sync_to_async

from django.conf import settings
from django.db import transaction
from ninja import Query, Router, Status

from playground.files.uploads import check_references
from playground.runs import access, quotas, store
from playground.runs.errors import ApiError, pydantic_errors
from playground.runs.executor import get_executor
from playground.runs.jobs import JobError, get_job_pool, job_request
from playground.runs.metrics import key_metric, latest_metrics
from playground.runs.models import ACTIVE, TERMINAL, Run
from playground.runs.runner import checkpoint_dir
from playground.runs.schemas import (
    BODY_ERRORS, WRITE_ERRORS, ContinueIn, ControlIn, CreatedRunOut, EventsOut, JobIn, JobOut, RunIn, RunListOut, RunOut,
    Status as RunStatus, VisibilityIn, answers,
)
from playground.runs.guards import Visitor
from playground.tasks import TASKS

router = Router(tags=["runs"])


def run_out(request, run: Run) -> dict[str, Any]:
    mine = access.owns(request, run)
    return {
        "id": run.pk,
        "task": run.task,
        "status": run.status,
        "config": run.config,
        "created": run.created,
        "started": run.started,
        "finished": run.finished,
        "error": run.error,
        "queue_position": store.queue_position(run),
        "device": run.device,
        "parent": run.parent_id,
        "last_seq": store.last_seq(run.pk),
        "share_token": run.share_token if mine else None,
        "is_owner": mine,
        "visibility": run.visibility,
        "net": net_of(run),
        "controls": run.controls,
    }


def net_of(run: Run) -> dict[str, Any] | None:
    """The network spec the run's configuration trains, or None where its task has none (or the config no longer reads)."""
    task = TASKS.get(run.task)
    if task is None or not hasattr(task, "net_spec"):
        return None
    try:
        return task.net_spec(task.Config.model_validate(run.config))
    except ValueError:  # pydantic's ValidationError: a config stored before its schema changed
        return None


def visible_run(request, run_id: int, token: str | None = None) -> Run:
    run = Run.objects.filter(pk=run_id).first()
    if run is None or not access.may_view(request, run, token):
        raise ApiError(404, "", f"there is no run {run_id} that you may see")
    return run


def owned_run(request, run_id: int) -> Run:
    run = Run.objects.filter(pk=run_id).first()
    if run is None or not access.owns(request, run):
        raise ApiError(404, "", f"there is no run {run_id} of yours")
    return run


# Only a run's owner may control it. Ninja tries these in turn, before it reads the request
# body, and hands the run to the view as ``request.auth``. A request that shows neither gets
# 401 (api.py), one whose session does not own the run 404, as if there were no such run.


class OwnerToken:
    """A script: the owner token that creating the run returned, as ``Authorization: Bearer``."""

    openapi_security_schema = {"type": "http", "scheme": "bearer", "description": "The run's owner_token."}

    def __call__(self, request) -> Run | None:
        run = Run.objects.filter(pk=request.resolver_match.kwargs["run_id"]).first()
        return run if run is not None and access.holds_owner_token(request, run) else None


class SessionOwner(Visitor):
    """A browser or a signed-in user: the session cookie, with the CSRF token on writes."""

    openapi_security_schema = {"type": "apiKey", "in": "cookie", "name": settings.SESSION_COOKIE_NAME,
                               "description": "The session that created the run (send X-CSRFToken too)."}

    def __call__(self, request) -> Run | None:
        if not request.user.is_authenticated and not request.session.session_key:
            return None
        super().__call__(request)
        return owned_run(request, request.resolver_match.kwargs["run_id"])


RUN_OWNER = [OwnerToken(), SessionOwner()]


def check_quota(request) -> None:
    """Runs queued or training at once, by role (runs/quotas.py); anonymous runs also by address."""
    if request.user.is_authenticated:
        quotas.check_active(request.user, store.active_count(owner=request.user))
        return
    quotas.check_active(request.user, store.active_count(**access.owner_filter(request)))
    shared = settings.LAYERLAB_RUN_QUOTA_PER_ADDRESS
    if store.active_count(owner__isnull=True, client_address=access.client_address(request)) >= shared:
        raise ApiError(429, "", f"{shared} runs from your network address are already queued or training; "
                                "wait for one to finish, or sign in")


def queue(request, task_name: str, config: dict[str, Any], parent: Run | None = None,
          stop_when_unwatched: bool = False) -> Status:
    """Queue a run for the requesting visitor; the answer carries its owner token, this once."""
    check_quota(request)
    fields, owner_token = access.owner_fields(request)
    run = store.create_run(task_name, config, parent=parent, stop_when_unwatched=stop_when_unwatched, **fields)
    get_executor().submit(run.pk)
    return Status(201, {**run_out(request, run), "owner_token": owner_token})


@router.post("", response=answers({201: CreatedRunOut}, *BODY_ERRORS, *WRITE_ERRORS, 429), summary="Queue a run")
def create_run(request, payload: RunIn):
    from playground.runs.api import check_fits, check_net

    task = TASKS[payload.task]
    parameters = check_net(task, payload.config)
    check_fits(task, payload.config)
    quotas.check_request(request.user, payload.config.model_dump(mode="json"), parameters)
    check_references(request, payload.config.model_dump(mode="json"))
    return queue(request, task.name, payload.config.model_dump(mode="json"), stop_when_unwatched=payload.stop_when_unwatched)


@router.get("", response=answers({200: list[RunListOut]}, 400), summary="Your recent runs (by your session or account)")
def list_runs(request, limit: int = Query(50, ge=1, le=200), status: Optional[RunStatus] = None,  # type: ignore[valid-type]
              task: Optional[str] = Query(None, max_length=32)):
    if not request.user.is_authenticated and not request.session.session_key:
        return []
    runs = Run.objects.filter(**access.owner_filter(request))
    if status:
        runs = runs.filter(status=status)
    if task:
        runs = runs.filter(task=task)
    return [{**run_out(request, run), "metric": key_metric(latest_metrics(run.pk))} for run in runs.order_by("-created")[:limit]]


@router.get("/{int:run_id}", response=answers({200: RunOut}, 400, 404), summary="A run")
def get_run(request, run_id: int, token: str | None = None):
    return run_out(request, visible_run(request, run_id, token))


@router.get("/{int:run_id}/events", response=answers({200: EventsOut}, 400, 404),
            summary="A run's stored events after a sequence number")
def get_events(request, run_id: int, after: int = Query(0, ge=0), limit: int = Query(1000, ge=1, le=5000),
               token: str | None = None):
    run = visible_run(request, run_id, token)
    events, more = store.events_page(run.pk, after, limit)
    return {"events": events, "more": more}


OWNER_ERRORS = (*WRITE_ERRORS, 401, 404)


@router.post("/{int:run_id}/cancel", auth=RUN_OWNER, response=answers({200: RunOut}, *OWNER_ERRORS), summary="Stop a run")
def cancel_run(request, run_id: int):
    run = request.auth
    with transaction.atomic():
        store.request_stop(run.pk)
        status = Run.objects.values_list("status", flat=True).get(pk=run.pk)
        if status == "queued":
            store.append_status(run.pk, "cancelled")
    if status in ("running", "paused"):
        get_executor().cancel(run.pk)
    run.refresh_from_db()
    return run_out(request, run)


def _still_going(run: Run) -> None:
    if run.status in TERMINAL:
        raise ApiError(409, "", f"run {run.pk} has already {'finished' if run.status == 'succeeded' else run.status}")


def _request(request, run: Run, **fields) -> dict[str, Any]:
    _still_going(run)
    Run.objects.filter(pk=run.pk).update(**fields)
    run.refresh_from_db()
    return run_out(request, run)


@router.post("/{int:run_id}/pause", auth=RUN_OWNER, response=answers({200: RunOut}, *OWNER_ERRORS, 409),
             summary="Pause a run at its next step")
def pause_run(request, run_id: int):
    return _request(request, request.auth, pause_requested=True)


@router.post("/{int:run_id}/resume", auth=RUN_OWNER, response=answers({200: RunOut}, *OWNER_ERRORS, 409),
             summary="Resume a paused run")
def resume_run(request, run_id: int):
    return _request(request, request.auth, pause_requested=False)


@router.post("/{int:run_id}/control", auth=RUN_OWNER, response=answers({200: RunOut}, *OWNER_ERRORS, *BODY_ERRORS, 409),
             summary="Change a run's live controls (its task's Controls: for basics, learning_rate)")
def control_run(request, run_id: int, payload: ControlIn):
    """The body names only what changes; the run's process hands the task the changes at its next step."""
    run = request.auth
    changes = checked_controls(TASKS[run.task], payload.model_extra or {})
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        _still_going(run)
        run.controls = {**run.controls, **changes}
        run.save(update_fields=["controls"])
    return run_out(request, run)


def checked_controls(task, raw: dict[str, Any]) -> dict[str, Any]:
    """The controls a request changes, checked against the task's model; ApiError 400 naming each problem."""
    import pydantic

    if not raw:
        names = ", ".join(task.Controls.model_fields) or "none"
        raise ApiError(400, "", f"name at least one control to change; a {task.name} run's controls: {names}")
    try:
        controls = task.Controls.model_validate(raw)
    except pydantic.ValidationError as exc:
        raise ApiError(400, errors=pydantic_errors(exc.errors())) from None
    changes = controls.model_dump(mode="json", include=set(raw))
    empty = [name for name, value in changes.items() if value is None]
    if empty:
        raise ApiError(400, errors=[{"path": name, "message": f"{name} needs a value"} for name in empty])
    return changes


@router.post("/{int:run_id}/visibility", auth=RUN_OWNER, response=answers({200: RunOut}, *OWNER_ERRORS, *BODY_ERRORS),
             summary="Choose who sees a run: private, course, link or public")
def set_visibility(request, run_id: int, payload: VisibilityIn):
    from playground.runs.publish import publish

    run = request.auth
    Run.objects.filter(pk=run.pk).update(visibility=payload.visibility)
    run.visibility = payload.visibility
    # Every process's feed of the run hears of it: new sockets are checked against the new
    # choice, and a private run's other watchers are closed.
    publish([(run.pk, {"type": "run.visibility", "visibility": payload.visibility})], getattr(get_executor(), "loop", None))
    return run_out(request, run)


@router.post("/{int:run_id}/continue", auth=RUN_OWNER,
             response=answers({201: CreatedRunOut}, *OWNER_ERRORS, *BODY_ERRORS, 409, 429),
             summary="Train a finished or stopped run for more epochs")
def continue_run(request, run_id: int, payload: ContinueIn):
    from playground.runs.api import parse_config

    parent = request.auth
    if parent.status in ACTIVE:
        raise ApiError(409, "", f"run {run_id} is still {parent.status}; stop it or wait for it to end first")
    if not (checkpoint_dir(parent.pk) / "state.json").exists():
        raise ApiError(409, "", f"run {run_id} saved no checkpoint to continue from")
    task = TASKS[parent.task]
    config = parse_config(task, {**parent.config, "epochs": payload.epochs})
    quotas.check_request(request.user, config.model_dump(mode="json"), None)
    check_references(request, config.model_dump(mode="json"))
    return queue(request, task.name, config.model_dump(mode="json"), parent=parent, stop_when_unwatched=parent.stop_when_unwatched)


@router.post("/{int:run_id}/jobs", response=answers({200: JobOut}, *BODY_ERRORS, *WRITE_ERRORS, 404, 409, 422, 429, 503, 504),
             summary="Answer a short job on the run's latest checkpoint (a prediction, a sample...)")
async def run_job(request, run_id: int, payload: JobIn, token: str | None = None):
    """Whoever may view the run may ask; the job runs in the job pool, never in a training slot.

    Async, so that a job's wait holds no thread that other requests need (Django runs
    every synchronous view on one thread).
    """
    job = await sync_to_async(_job_for)(request, run_id, token, payload.kind, payload.args)
    try:
        result = await asyncio.to_thread(get_job_pool().run, job)
    except JobError as error:
        raise ApiError(error.status, "", str(error)) from None
    return {"kind": payload.kind, "result": result}


def _job_for(request, run_id: int, token: str | None, kind: str, args: dict[str, Any]) -> dict[str, Any]:
    return job_request(visible_run(request, run_id, token), kind, args)
