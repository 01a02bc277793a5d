"""The recorder numbers events without gaps, stores them in batches, and publishes only what is stored."""
from __future__ import annotations

import math
import threading

import pytest

from playground.runs import store
from playground.runs.recorder import EventRecorder

pytestmark = pytest.mark.django_db(transaction=True)


def new_run():
    return store.create_run("basics", {}, session_key="s")


def test_events_from_many_threads_are_numbered_without_gaps():
    run = new_run()
    published: list[list[dict]] = []
    recorder = EventRecorder(run.pk, lambda run_id, events: published.append(events), flush_interval=0.01)

    def emit_many(worker: int):
        for i in range(200):
            recorder("metric", {"split": "train", "loss": float(i), "worker": worker}, step=i)

    threads = [threading.Thread(target=emit_many, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    recorder.finish("succeeded")
    stored = store.events_after(run.pk, 0, 10_000)
    assert [e["seq"] for e in stored] == list(range(1, 802 + 1))
    wire = [e for batch in published for e in batch]
    assert [e["seq"] for e in wire] == list(range(2, 803))  # everything after "queued", in order
    assert stored[-1]["data"] == {"status": "succeeded"}


def test_published_events_are_already_stored():
    run = new_run()
    seen_in_store: list[bool] = []

    def publish(run_id, events):
        seen_in_store.append(store.last_seq(run_id) >= events[-1]["seq"])

    recorder = EventRecorder(run.pk, publish, flush_interval=0.01)
    for i in range(50):
        recorder("log", {"message": str(i)})
    recorder.finish("succeeded")
    assert seen_in_store and all(seen_in_store)


def test_numbers_that_json_cannot_hold_are_stored_as_null():
    run = new_run()
    recorder = EventRecorder(run.pk, lambda *a: None)
    recorder("metric", {"split": "train", "loss": math.nan, "values": [1.0, math.inf]}, step=1)
    recorder.finish("failed", error="diverged")
    metric = store.events_after(run.pk, 1, 1)[0]
    assert metric["data"] == {"split": "train", "loss": None, "values": [1.0, None]}


def test_a_failed_write_keeps_the_batch_for_the_next_try(monkeypatch):
    run = new_run()
    recorder = EventRecorder(run.pk, lambda *a: None, flush_interval=60)
    real_append = store.append_events
    calls = {"n": 0}

    def flaky(run_id, events):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database is locked")
        real_append(run_id, events)

    monkeypatch.setattr(store, "append_events", flaky)
    recorder("log", {"message": "kept"})
    with pytest.raises(RuntimeError):
        recorder.flush()
    recorder.finish("succeeded")
    assert [e["data"].get("message") for e in store.events_after(run.pk, 1)] == ["kept", None]


def test_a_publish_failure_loses_nothing_from_the_store():
    run = new_run()

    def broken(run_id, events):
        raise ConnectionError("layer gone")

    recorder = EventRecorder(run.pk, broken)
    recorder("log", {"message": "x"})
    recorder.finish("succeeded")
    assert store.last_seq(run.pk) == 3
