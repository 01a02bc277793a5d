"""The Celery application of the scale-out mode (LAYERLAB_EXECUTOR=celery; docs/deploy.md).

Web nodes only send messages; workers (``./layerlab worker``, one per GPU) train.
A message names no run: it says "a slot may take the next run", and the worker
that receives it claims the run the application's scheduler picks from the
database (runs/celery_worker.py). So the queue, its order and its fairness stay
in the database, visible to every web node, whatever order the broker delivers in.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "playground.settings")

app = Celery("layerlab")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    # JSON only: a pickle in the broker would run code in every worker that reads it.
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    # A message is acknowledged when its run has ended, and a worker holds one message at a time:
    # a busy worker never sits on messages that an idle one could take.
    task_acks_late=True,
    worker_prefetch_multiplier=1,
    task_ignore_result=True,
    worker_hijack_root_logger=False,
    broker_connection_retry_on_startup=True,
    # Redis gives an unacknowledged message to another worker after this long. A run can take
    # up to the time limit; a message given twice only makes a slot look at the queue again.
    broker_transport_options={"visibility_timeout": 2 * 60 * 60},
    worker_send_task_events=False,
    include=["playground.runs.celery_worker"],
)

TRAIN_NEXT = "layerlab.train_next"


def ask_for_slots(count: int = 1) -> None:
    """Tell the workers that ``count`` runs may be waiting (each message lets one slot claim one)."""
    for _ in range(count):
        app.send_task(TRAIN_NEXT, queue=app.conf.task_default_queue)
