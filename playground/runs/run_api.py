"""Run routes: create, read, replay, and control runs (docs/api.md, "Runs")."""
from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from ninja import Router, Schema, Status

from playground.runs import access, store
from playground.runs.errors import ApiError
from playground.runs.executor import get_executor
from playground.runs.models import ACTIVE, TERMINAL, Run
from playground.runs.runner import checkpoint_dir
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
    }


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


def check_quota(request) -> None:
    quota = settings.LAYERLAB_RUN_QUOTA_USER if request.user.is_authenticated else settings.LAYERLAB_RUN_QUOTA_ANONYMOUS
    if store.active_count(access.owner_filter(request)) >= quota:
        raise ApiError(
            429, "", f"you already have {quota} runs queued or training; wait for one to finish or stop one"
        )


class RunIn(Schema):
    task: str
    config: dict[str, Any] = {}
    # Pages set it: the run stops when no socket of its owner has watched it for a while.
    stop_when_unwatched: bool = False


@router.post("", response={201: dict}, summary="Queue a run")
def create_run(request, payload: RunIn):
    from playground.runs.api import parse_config

    task = TASKS.get(payload.task)
    if task is None:
        raise ApiError(400, "task", f"there is no task {payload.task!r}; choose one of {', '.join(TASKS)}")
    config = parse_config(task, payload.config)
    check_quota(request)
    run = store.create_run(task.name, config.model_dump(mode="json"), stop_when_unwatched=payload.stop_when_unwatched,
                           **access.owner_fields(request))
    get_executor().submit(run.pk)
    return Status(201, run_out(request, run))


@router.get("", summary="Your recent runs")
def list_runs(request, limit: int = 50):
    runs = Run.objects.filter(**access.owner_filter(request)).order_by("-created")[: max(1, min(limit, 200))]
    return [run_out(request, run) for run in runs]


@router.get("/{int:run_id}", summary="A run")
def get_run(request, run_id: int, token: str | None = None):
    return run_out(request, visible_run(request, run_id, token))


@router.get("/{int:run_id}/events", summary="A run's stored events after a sequence number")
def get_events(request, run_id: int, after: int = 0, limit: int = 1000, token: str | None = None):
    run = visible_run(request, run_id, token)
    if after < 0 or not 1 <= limit <= 5000:
        raise ApiError(400, "", "after must be 0 or more and limit between 1 and 5000")
    return {"events": store.events_after(run.pk, after, limit)}


@router.post("/{int:run_id}/cancel", summary="Stop a run")
def cancel_run(request, run_id: int):
    run = owned_run(request, run_id)
    with transaction.atomic():
        Run.objects.filter(pk=run.pk).update(stop_requested=True)
        status = Run.objects.values_list("status", flat=True).get(pk=run.pk)
        if status == "queued":
            store.append_status(run.pk, "cancelled")
    if status in ("running", "paused"):
        get_executor().cancel(run.pk)
    run.refresh_from_db()
    return run_out(request, run)


def _request(request, run_id: int, **fields) -> dict[str, Any]:
    run = owned_run(request, run_id)
    if run.status in TERMINAL:
        raise ApiError(409, "", f"run {run_id} has already {'finished' if run.status == 'succeeded' else run.status}")
    Run.objects.filter(pk=run.pk).update(control_version=F("control_version") + 1, **fields)
    run.refresh_from_db()
    return run_out(request, run)


@router.post("/{int:run_id}/pause", summary="Pause a run at its next step")
def pause_run(request, run_id: int):
    return _request(request, run_id, pause_requested=True)


@router.post("/{int:run_id}/resume", summary="Resume a paused run")
def resume_run(request, run_id: int):
    return _request(request, run_id, pause_requested=False)


class ControlIn(Schema):
    learning_rate: float


@router.post("/{int:run_id}/control", summary="Change a running run's learning rate")
def control_run(request, run_id: int, payload: ControlIn):
    if not 0 < payload.learning_rate <= 10:
        raise ApiError(400, "learning_rate", "learning_rate must be more than 0 and at most 10")
    return _request(request, run_id, learning_rate=payload.learning_rate)


class ContinueIn(Schema):
    epochs: int


@router.post("/{int:run_id}/continue", response={201: dict}, summary="Train a finished or stopped run for more epochs")
def continue_run(request, run_id: int, payload: ContinueIn):
    from playground.runs.api import parse_config

    parent = owned_run(request, run_id)
    if parent.status in ACTIVE:
        raise ApiError(409, "", f"run {run_id} is still {parent.status}; stop it or wait for it to end first")
    if not (checkpoint_dir(parent.pk) / "state.json").exists():
        raise ApiError(409, "", f"run {run_id} saved no checkpoint to continue from")
    task = TASKS[parent.task]
    config = parse_config(task, {**parent.config, "epochs": payload.epochs})
    check_quota(request)
    run = store.create_run(task.name, config.model_dump(mode="json"), parent=parent,
                           stop_when_unwatched=parent.stop_when_unwatched, **access.owner_fields(request))
    get_executor().submit(run.pk)
    return Status(201, run_out(request, run))
