"""Replay pages are capped by bytes as well as by count: the API's pages, the store's, and a socket's first messages."""
from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator

from playground.asgi import application
from playground.runs import feed, store
from playground.runs.models import Run

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")]
BIG = 1000  # characters of text in each event


def run_with_big_events(count: int) -> Run:
    """A finished run whose events 2..count each carry about BIG bytes of data."""
    run = store.create_run("basics", {"epochs": 1}, session_key="alice-session")
    store.record_events({run.pk: [{"seq": s, "type": "text", "step": s, "data": {"name": "sample", "text": "x" * BIG},
                                   "time": 0.0} for s in range(2, count + 1)]})
    Run.objects.filter(pk=run.pk).update(status="succeeded")
    return run


def test_a_store_page_stops_at_its_byte_cap_and_says_more_follow():
    run = run_with_big_events(10)
    events, more = store.events_page(run.pk, 1, limit=100, max_bytes=2500)
    assert [e["seq"] for e in events] == [2, 3] and more
    events, more = store.events_page(run.pk, 9, limit=100, max_bytes=2500)
    assert [e["seq"] for e in events] == [10] and not more
    events, more = store.events_page(run.pk, 1, limit=100, max_bytes=10)  # one event over the cap still comes
    assert [e["seq"] for e in events] == [2] and more
    events, more = store.events_page(run.pk, 0, limit=3, max_bytes=10**9)
    assert [e["seq"] for e in events] == [1, 2, 3] and more
    assert store.events_page(run.pk, 10) == ([], False)


def test_the_api_pages_by_bytes_and_walking_the_pages_gets_every_event(client, settings):
    settings.LAYERLAB_EVENT_PAGE_BYTES = 3500
    run = run_with_big_events(12)
    seen, after, pages = [], 0, 0
    while True:
        page = client.get(f"/api/runs/{run.pk}/events?after={after}&token={run.share_token}").json()
        assert len(json.dumps([e["data"] for e in page["events"][1:]])) <= 3500
        seen += [e["seq"] for e in page["events"]]
        pages += 1
        if not page["more"]:
            break
        after = seen[-1]
    assert seen == list(range(1, 13)) and pages >= 4


async def test_a_sockets_first_messages_are_cut_by_bytes(settings, monkeypatch):
    settings.LAYERLAB_EVENT_PAGE_BYTES = 5000
    monkeypatch.setattr(feed, "QUIET_SECONDS", 3600.0)
    run = await sync_to_async(run_with_big_events)(20)
    ws = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/?after=0&token={run.share_token}", headers=ORIGIN)
    assert (await ws.connect())[0]
    seqs, sizes = [], []
    while not seqs or seqs[-1] < 20:
        text = await ws.receive_from(timeout=30)
        message = json.loads(text)
        batch = message if isinstance(message, list) else [message]
        seqs += [e["seq"] for e in batch]
        sizes.append((len(batch), len(text)))
    await ws.disconnect()
    assert seqs == list(range(1, 21))
    assert all(count == 1 or size <= 5000 + 2 for count, size in sizes) and len(sizes) >= 4
