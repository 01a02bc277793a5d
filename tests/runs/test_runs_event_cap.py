"""The store caps how many events, and how many bytes of them, one run may keep, whatever sends them."""
from __future__ import annotations

import json

import pytest

from playground.runs import relay, store
from playground.runs.models import Run
from playground.runs.relay import EventRelay

pytestmark = pytest.mark.django_db


def running_run() -> Run:
    run = store.create_run("basics", {}, session_key="s")
    Run.objects.filter(pk=run.pk).update(status="running")
    return run


def logs(first: int, count: int, size: int = 10) -> list[dict]:
    return [{"seq": s, "type": "log", "step": None, "data": {"message": "x" * size}, "time": 0.0}
            for s in range(first, first + count)]


def test_the_event_that_passes_the_count_cap_ends_the_run_failed(settings):
    settings.LAYERLAB_RUN_MAX_EVENTS = 5
    run = running_run()
    recorded = store.record_events({run.pk: logs(2, 10)})[run.pk]
    assert recorded.kept == 4 and [e["seq"] for e in recorded.added] == [6]
    run.refresh_from_db()
    assert run.status == "failed" and run.error == store.event_cap_reason(5, settings.LAYERLAB_RUN_MAX_EVENT_BYTES)
    assert run.stop_requested and run.stop_reason == run.error  # its training process is told to stop
    assert [e["seq"] for e in store.events_after(run.pk, 0)] == [1, 2, 3, 4, 5, 6]
    assert store.record_events({run.pk: logs(7, 3)})[run.pk].kept == 0


def test_the_byte_cap_counts_across_batches(settings):
    settings.LAYERLAB_RUN_MAX_EVENT_BYTES = 2000
    run = running_run()
    assert store.record_events({run.pk: logs(2, 3, size=500)})[run.pk].kept == 3
    second = store.record_events({run.pk: logs(5, 3, size=500)})[run.pk]
    assert second.kept == 0 and second.added[0]["data"]["status"] == "failed"
    assert Run.objects.get(pk=run.pk).status == "failed"


def test_a_final_status_is_kept_even_at_the_cap(settings):
    settings.LAYERLAB_RUN_MAX_EVENTS = 3
    run = running_run()
    store.record_events({run.pk: logs(2, 2)})
    end = {"seq": 4, "type": "status", "step": None, "data": {"status": "succeeded"}, "time": 0.0}
    assert store.record_events({run.pk: [end]})[run.pk].kept == 1
    assert Run.objects.get(pk=run.pk).status == "succeeded"


def test_the_relay_publishes_the_end_the_store_wrote(settings, monkeypatch):
    settings.LAYERLAB_RUN_MAX_EVENTS = 3
    run = running_run()
    published = []
    monkeypatch.setattr(relay, "publish", lambda messages, loop=None: published.extend(messages))
    events_relay = EventRelay()
    events_relay.add(run.pk, [json.dumps(e) for e in logs(2, 5)])
    events_relay.flush()
    (run_id, message), = published
    assert message["first"] == 2 and message["ended"]
    assert [json.loads(t)["seq"] for t in message["texts"]] == [2, 3, 4]
    assert json.loads(message["texts"][-1])["data"]["status"] == "failed"
