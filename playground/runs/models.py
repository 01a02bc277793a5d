"""Runs and their events: the store that every page, replay and reconnect reads from."""
import hashlib
import secrets

from django.conf import settings
from django.db import models

ACTIVE = ("queued", "running", "paused")
TERMINAL = ("succeeded", "failed", "cancelled")
STATUSES = ACTIVE + TERMINAL
# Who besides its owner sees a run: nobody, its course's members, holders of its share token, everyone.
VISIBILITIES = ("private", "course", "link", "public")


def new_share_token() -> str:
    return secrets.token_urlsafe(16)


def new_owner_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    """What the database keeps of an owner token: its SHA-256, so a copy of the database controls no run."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class Run(models.Model):
    task = models.CharField(max_length=32)
    config = models.JSONField()
    status = models.CharField(max_length=10, choices=[(s, s) for s in STATUSES], default="queued", db_index=True)
    # Anonymous visitors own runs through their session; signed-in users through their account.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    # Scripts own a run through the owner token given once at creation (Authorization: Bearer).
    owner_token_digest = models.CharField(max_length=64, blank=True, db_index=True)
    # Where an anonymous run came from: quotas count per address as well as per session.
    client_address = models.CharField(max_length=64, blank=True, db_index=True)
    share_token = models.CharField(max_length=32, unique=True, default=new_share_token)
    visibility = models.CharField(max_length=8, choices=[(v, v) for v in VISIBILITIES], default="link", db_index=True)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children")
    created = models.DateTimeField(auto_now_add=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    device = models.CharField(max_length=32, blank=True)
    worker = models.CharField(max_length=100, blank=True)
    event_bytes = models.BigIntegerField(default=0)  # size of the stored events' data, for the cap
    # Requests to the running process, which polls them between steps.
    stop_requested = models.BooleanField(default=False)
    # Why the run is being stopped, when not by its owner: it then ends failed with this sentence.
    stop_reason = models.TextField(blank=True)
    # How a run stopped for a reason ends: failed (a limit) or cancelled (left paused, its page gone).
    stop_status = models.CharField(max_length=10, blank=True)
    pause_requested = models.BooleanField(default=False)
    # The live controls asked for so far, checked against the task's Controls model ({"learning_rate": 0.01}):
    # the run's process reads them from here and hands the task what changed.
    controls = models.JSONField(default=dict, blank=True)
    # What its queued status events last said: place in the queue and why it waits.
    queue_position = models.PositiveIntegerField(null=True, blank=True)
    queue_message = models.CharField(max_length=200, blank=True)
    # Runs a page started end when no socket of their owner has watched them for a while.
    stop_when_unwatched = models.BooleanField(default=False)
    watched_at = models.DateTimeField(null=True, blank=True)
    # How often a worker that died under this run put it back in the queue (scale-out, runs/reaper.py).
    requeues = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.task}, {self.status})"

    @property
    def owner_key(self) -> str:
        return f"user:{self.owner_id}" if self.owner_id else f"session:{self.session_key}"

    @property
    def group_name(self) -> str:
        return group_name(self.pk)


def group_name(run_id: int) -> str:
    return f"run-{run_id}"


class Event(models.Model):
    run = models.ForeignKey(Run, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    type = models.CharField(max_length=32)  # one of tasks.base.EVENT_TYPES, checked where events are emitted
    step = models.BigIntegerField(null=True, blank=True)
    data = models.JSONField()
    time = models.FloatField(null=True, blank=True)  # seconds since the epoch, when it was emitted

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "seq"], name="event_seq_unique_per_run")]
        ordering = ["seq"]

    def as_dict(self) -> dict:
        return {"seq": self.seq, "type": self.type, "step": self.step, "data": self.data, "time": self.time}


class Worker(models.Model):
    """A Celery worker that trains runs (scale-out), as its own heartbeats describe it.

    Each worker writes its row every LAYERLAB_HEARTBEAT_SECONDS; the reaper (runs/reaper.py)
    takes one silent for LAYERLAB_WORKER_TIMEOUT seconds for dead and ends the runs it held.
    A run's ``worker`` field holds the name of the worker that trains it.
    """

    name = models.CharField(max_length=100, unique=True)
    hostname = models.CharField(max_length=100, blank=True)
    pid = models.PositiveIntegerField(default=0)
    devices = models.CharField(max_length=200, blank=True)  # what it trains on, e.g. "cuda:0 (NVIDIA H200)"
    slots = models.PositiveSmallIntegerField(default=1)
    busy = models.PositiveSmallIntegerField(default=0)
    started = models.DateTimeField(auto_now_add=True)
    last_beat = models.DateTimeField(db_index=True)
    stopped = models.DateTimeField(null=True, blank=True)  # stopped cleanly, or found dead by the reaper
    stop_reason = models.CharField(max_length=200, blank=True)
    runs_done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
