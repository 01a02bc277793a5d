"""Events from emit to the wire: numbered without gaps, stored in shared transactions, published only once stored."""
from __future__ import annotations

import json
import math
import threading

import pytest
from django.db import OperationalError

from playground.runs import relay, store
from playground.runs.models import Run
from playground.runs.recorder import EventRecorder
from playground.runs.relay import EventRelay
from playground.tasks.base import emitted_together

pytestmark = pytest.mark.django_db(transaction=True)


def new_run(status: str = "running"):
    run = store.create_run("basics", {}, session_key="s")
    Run.objects.filter(pk=run.pk).update(status=status)
    return run


def recorder_into(sent: list[tuple[int, list[str]]], run_id: int) -> EventRecorder:
    return EventRecorder(run_id, lambda rid, texts: sent.append((rid, texts)), first_seq=store.last_seq(run_id) + 1)


def test_events_from_many_threads_are_numbered_without_gaps_in_the_order_they_leave():
    run = new_run()
    sent: list[tuple[int, list[str]]] = []
    recorder = recorder_into(sent, run.pk)

    def emit_many(worker: int):
        for i in range(200):
            recorder("metric", {"split": "train", "loss": float(i), "worker": worker}, step=i)

    threads = [threading.Thread(target=emit_many, args=(w,)) for w in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    recorder.finish("succeeded")
    events = [json.loads(text) for _, texts in sent for text in texts]
    assert [e["seq"] for e in events] == list(range(2, 803))  # after "queued"
    assert events[-1]["data"] == {"status": "succeeded"}


def test_an_event_leaves_when_emitted_and_a_burst_leaves_together():
    sent: list[tuple[int, list[str]]] = []
    recorder = EventRecorder(7, lambda rid, texts: sent.append((rid, texts)), first_seq=2)
    recorder("log", {"message": "alone"})
    assert [len(texts) for _, texts in sent] == [1]
    with emitted_together(recorder):
        for split in ("train", "test", "grad"):
            recorder("metric", {"split": split}, step=25)
        with emitted_together(recorder):  # nested bursts leave with the outer one
            recorder("image", {"name": "surface"}, step=25)
        assert len(sent) == 1
    assert [len(texts) for _, texts in sent] == [1, 4]
    assert [json.loads(t)["seq"] for _, texts in sent for t in texts] == [2, 3, 4, 5, 6]


def test_other_emitters_are_used_as_they_are():
    seen = []
    with emitted_together(lambda *event: seen.append(event)) as nothing:
        assert nothing is None
    assert seen == []


def test_numbers_that_json_cannot_hold_leave_as_null():
    sent: list[tuple[int, list[str]]] = []
    recorder = EventRecorder(7, lambda rid, texts: sent.append((rid, texts)), first_seq=2)
    recorder("metric", {"split": "train", "loss": math.nan, "values": [1.0, math.inf]}, step=1)
    event = json.loads(sent[0][1][0])
    assert event["data"] == {"split": "train", "loss": None, "values": [1.0, None]}


def test_one_transaction_stores_several_runs_and_moves_their_status():
    a, b = new_run(), new_run()
    kept = store.record_events({
        a.pk: [{"seq": 2, "type": "metric", "step": 1, "data": {"split": "train", "loss": 1.0}, "time": 0.0},
               {"seq": 3, "type": "status", "step": None, "data": {"status": "paused"}, "time": 0.0}],
        b.pk: [{"seq": 2, "type": "status", "step": None, "data": {"status": "failed", "error": "boom"}, "time": 0.0}],
    })
    assert {run_id: r.kept for run_id, r in kept.items()} == {a.pk: 2, b.pk: 1}
    assert Run.objects.get(pk=a.pk).status == "paused"
    b.refresh_from_db()
    assert (b.status, b.error) == ("failed", "boom") and b.finished is not None
    assert [e["seq"] for e in store.events_after(a.pk, 0)] == [1, 2, 3]


def test_nothing_is_stored_after_a_run_has_ended():
    run = new_run()
    kept = store.record_events({run.pk: [
        {"seq": 2, "type": "status", "step": None, "data": {"status": "cancelled"}, "time": 0.0},
        {"seq": 3, "type": "log", "step": None, "data": {"message": "late"}, "time": 0.0},
    ]})
    assert kept[run.pk].kept == 1 and not kept[run.pk].added
    assert store.append_status(run.pk, "failed", error="too late") is None
    assert store.last_seq(run.pk) == 2 and Run.objects.get(pk=run.pk).status == "cancelled"


def test_the_relay_publishes_only_what_is_stored_as_one_message_per_run(monkeypatch):
    run = new_run()
    published: list[tuple[int, dict]] = []

    def publish(messages, loop=None):
        for run_id, message in messages:
            assert store.last_seq(run_id) >= message["first"] + len(message["texts"]) - 1
        published.extend(messages)

    monkeypatch.setattr(relay, "publish", publish)
    sent: list[tuple[int, list[str]]] = []
    recorder = recorder_into(sent, run.pk)
    for i in range(5):
        recorder("log", {"message": str(i)})
    recorder.finish("succeeded")
    events_relay = EventRelay()
    for run_id, texts in sent:
        events_relay.add(run_id, texts)
    events_relay.flush()
    assert len(published) == 1
    run_id, message = published[0]
    assert (run_id, message["first"], len(message["texts"]), message["ended"]) == (run.pk, 2, 6, True)
    assert [json.loads(t) for t in message["texts"]] == store.events_after(run.pk, 1)


def test_a_failed_write_keeps_the_events_for_the_next_try(monkeypatch):
    run = new_run()
    real_record = store.record_events
    calls = {"n": 0}

    def flaky(batches):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OperationalError("database is locked")
        return real_record(batches)

    monkeypatch.setattr(store, "record_events", flaky)
    monkeypatch.setattr(relay, "publish", lambda *a, **k: None)
    sent: list[tuple[int, list[str]]] = []
    recorder = recorder_into(sent, run.pk)
    recorder("log", {"message": "kept"})
    events_relay = EventRelay()
    events_relay.add(*sent[0])
    events_relay.flush()
    assert store.last_seq(run.pk) == 1
    recorder.finish("succeeded")
    events_relay.add(*sent[1])
    events_relay.flush()
    assert [e["data"].get("message") for e in store.events_after(run.pk, 1)] == ["kept", None]


def test_a_publish_failure_loses_nothing_from_the_store(monkeypatch):
    run = new_run()

    class BrokenLayer:
        async def group_send(self, group, message):
            raise ConnectionError("layer gone")

    monkeypatch.setattr("playground.runs.publish.get_channel_layer", lambda: BrokenLayer())
    sent: list[tuple[int, list[str]]] = []
    recorder = recorder_into(sent, run.pk)
    recorder("log", {"message": "x"})
    recorder.finish("succeeded")
    events_relay = EventRelay()
    for item in sent:
        events_relay.add(*item)
    events_relay.flush()
    assert store.last_seq(run.pk) == 3


def test_a_run_whose_events_cannot_be_stored_ends_failed_alone(monkeypatch):
    monkeypatch.setattr(relay, "publish", lambda *a, **k: None)
    good, bad = new_run(), new_run()
    events_relay = EventRelay()
    events_relay.add(good.pk, [store.encode_event({"seq": 2, "type": "log", "step": None, "data": {"message": "fine"}, "time": 0.0})])
    events_relay.add(bad.pk, [store.encode_event({"seq": 1, "type": "log", "step": None, "data": {"message": "seq taken"}, "time": 0.0})])
    events_relay.flush()
    assert store.events_after(good.pk, 1)[0]["data"] == {"message": "fine"}
    bad.refresh_from_db()
    assert bad.status == "failed" and "could not be stored" in bad.error and bad.stop_requested
    assert events_relay.pending == {}


def test_only_known_event_types_are_emitted_and_every_one_fits_the_store():
    from playground.runs.models import Event
    from playground.runs.recorder import EventRecorder
    from playground.tasks.base import EVENT_TYPES

    sent = []
    recorder = EventRecorder(1, lambda run_id, texts: sent.extend(texts), first_seq=1)
    with pytest.raises(ValueError, match="'picture' is not an event type"):
        recorder("picture", {})
    assert sent == [] and recorder.next_seq == 1
    assert max(map(len, EVENT_TYPES)) <= Event._meta.get_field("type").max_length
