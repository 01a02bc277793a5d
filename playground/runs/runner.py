"""Runs one run to its end inside a worker process (local or Celery): the same code for both.

It loads the run, hands the task an emitter and a control, and records how the
run ended. A crash, an out-of-memory or a stop ends this run alone, with its cause.
"""
from __future__ import annotations

import logging
import traceback
from pathlib import Path

from django.conf import settings

from playground.files.uploads import upload_root
from playground.runs.control import RunControl
from playground.runs.models import Run
from playground.runs import store
from playground.runs.recorder import Deliver, EventRecorder
from playground.tasks import get_task
from playground.tasks.base import RunContext, Stopped, TaskFailure
from playground.tasks.picture_files import PictureFolder

log = logging.getLogger(__name__)


def run_dir(run_id: int) -> Path:
    return Path(settings.MEDIA_ROOT) / "runs" / str(run_id)


def checkpoint_dir(run_id: int) -> Path:
    return run_dir(run_id) / "checkpoint"


def picture_folder(run_id: int) -> PictureFolder:
    """Where the run's large pictures go; ``files/api.py`` serves them at this URL to those who may view the run."""
    return PictureFolder(run_dir(run_id) / "pictures", f"/api/runs/{run_id}/pictures/",
                         settings.LAYERLAB_RUN_MAX_PICTURE_BYTES)


def pick_device(requested: str, slot: int = 0) -> str:
    import torch

    if requested == "auto":
        if torch.cuda.is_available():
            return f"cuda:{slot % torch.cuda.device_count()}"
        return "cpu"
    return requested


def describe_failure(error: BaseException) -> str:
    import torch

    if isinstance(error, torch.cuda.OutOfMemoryError):
        return "the run ran out of GPU memory; try a smaller network, batch size or image size"
    if isinstance(error, MemoryError):
        return "the run ran out of memory; try a smaller network, batch size or image size"
    if isinstance(error, TaskFailure):  # already written for the student (a diverged loss...)
        return str(error)
    return f"{type(error).__name__}: {error}"


def execute_run(run_id: int, deliver: Deliver, device: str) -> str:
    """Train one claimed run and emit its end; returns the final status."""
    run = Run.objects.get(pk=run_id)
    recorder = EventRecorder(run_id, deliver, first_seq=store.last_seq(run_id) + 1)
    control = RunControl(run_id, recorder)
    status, extra = "succeeded", {}
    try:
        task = get_task(run.task)
        config = task.Config.model_validate(run.config)
        ctx = RunContext(
            emit=recorder,
            control=control,
            device=device,
            checkpoint_dir=checkpoint_dir(run_id),
            resume_dir=checkpoint_dir(run.parent_id) if run.parent_id else None,
            pictures=picture_folder(run_id),
            data_dir=Path(settings.DATA_DIR),
            uploads_dir=upload_root(),
        )
        recorder("status", {"status": "running", "device": device})
        task().run(config, ctx)
    except Stopped:
        # Stopped by its owner, it was cancelled; stopped by the server, it ends as the server said, saying why.
        status = control.stop_status or ("failed" if control.stop_reason else "cancelled")
        if control.stop_reason:
            extra = {"error": control.stop_reason}
            recorder("log", {"level": "warning", "message": f"Stopped: {control.stop_reason}."})
    except BaseException as error:  # every failure is recorded, whatever it was
        status, extra = "failed", {"error": describe_failure(error)}
        recorder("log", {"level": "error", "message": traceback.format_exc(limit=8)})
        log.warning("run %s failed: %s", run_id, extra["error"])
    finally:
        control.close()
        recorder.finish(status, **extra)
    return status
