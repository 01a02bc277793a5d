"""Runs and workers in the admin, for operators (the overview is /staff/, runs/operator.py)."""
from django.contrib import admin

from playground.runs.models import Run, Worker


@admin.register(Worker)
class WorkerAdmin(admin.ModelAdmin):
    list_display = ("name", "hostname", "devices", "slots", "busy", "last_beat", "stopped", "stop_reason", "runs_done")
    list_filter = ("stopped",)
    search_fields = ("name", "hostname")
    readonly_fields = [field.name for field in Worker._meta.fields]


@admin.register(Run)
class RunAdmin(admin.ModelAdmin):
    list_display = ("pk", "task", "status", "worker", "device", "created", "started", "finished", "requeues")
    list_filter = ("status", "task")
    search_fields = ("worker", "error")
    readonly_fields = ("task", "config", "status", "owner", "session_key", "client_address", "parent", "created",
                       "started", "finished", "error", "device", "worker", "event_bytes", "requeues")
    exclude = ("owner_token_digest", "share_token")
