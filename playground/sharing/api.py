"""Share-link routes (docs/api.md, "Sharing"): configurations by slug, and the gallery of public runs."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Optional

from django.db import IntegrityError
from ninja import Field, Query, Router, Schema, Status

from playground.files.uploads import check_references
from playground.runs.errors import ApiError
from playground.runs.metrics import key_metric, latest_metrics
from playground.runs.models import Run
from playground.runs.schemas import BODY_ERRORS, WRITE_ERRORS, Body, answers
from playground.sharing.models import SharedConfig
from playground.sharing.slugs import slug_of
from playground.tasks import TASKS

router = Router(tags=["sharing"])


class ConfigIn(Body):
    task: str = Field(max_length=32, description="One of the tasks of GET /api/tasks.")
    config: dict[str, Any] = Field(default_factory=dict, description="That task's configuration (missing fields take its defaults).")


class SlugOut(Schema):
    slug: str
    url: str = Field(description="The page that opens with this configuration: /s/<slug>.")


class ConfigOut(Schema):
    task: str
    config: dict[str, Any]


class GalleryRun(Schema):
    id: int
    task: str
    status: str
    created: datetime
    finished: Optional[datetime]
    owner: str = Field(description="The owner's user name, or empty for an anonymous visitor.")
    metric: Optional[dict[str, Any]] = Field(description="{name, value}: its test accuracy or, failing that, a loss.")


def normalised(task_name: str, config: dict[str, Any]) -> dict[str, Any]:
    """The configuration as a run would store it: validated, defaults filled in, every field written out."""
    from playground.runs.api import parse_config

    task = TASKS.get(task_name)
    if task is None:
        raise ApiError(400, "task", f"there is no task {task_name[:40]!r}; choose one of {', '.join(TASKS)}")
    return parse_config(task, config).model_dump(mode="json")


@router.post("/configs", response=answers({200: SlugOut, 201: SlugOut}, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Keep a configuration under a short slug (the same configuration always gets the same slug)")
def share_config(request, payload: ConfigIn):
    config = normalised(payload.task, payload.config)
    check_references(request, config)
    slug = slug_of(payload.task, config)
    answer = {"slug": slug, "url": f"/s/{slug}"}
    if SharedConfig.objects.filter(slug=slug).exists():
        return answer
    try:
        SharedConfig.objects.create(slug=slug, task=payload.task, config=config)
    except IntegrityError:  # the same configuration, shared by someone else at the same moment
        return answer
    return Status(201, answer)


@router.get("/configs/{slug}", response=answers({200: ConfigOut}, 404), summary="A shared configuration")
def get_config(request, slug: str):
    shared = SharedConfig.objects.filter(slug=slug[:16]).first()
    if shared is None:
        raise ApiError(404, "", "there is no shared configuration with that link; check that it was copied whole")
    return {"task": shared.task, "config": shared.config}


@router.get("/gallery", response=answers({200: list[GalleryRun]}, 400), summary="Public runs, newest first")
def gallery(request, limit: int = Query(48, ge=1, le=200), task: Optional[str] = Query(None, max_length=32)):
    runs = Run.objects.filter(visibility="public").select_related("owner")
    if task:
        runs = runs.filter(task=task)
    return [
        {"id": run.pk, "task": run.task, "status": run.status, "created": run.created, "finished": run.finished,
         "owner": run.owner.username if run.owner else "", "metric": key_metric(latest_metrics(run.pk))}
        for run in runs.order_by("-created")[:limit]
    ]
