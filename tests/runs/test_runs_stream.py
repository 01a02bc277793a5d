"""The run WebSocket: stored events first, then live ones, no gap and no duplicate, and only for watchers."""
from __future__ import annotations

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.db import OperationalError

from playground.asgi import application
from playground.runs import feed, store
from playground.runs.models import Run, group_name
from playground.runs.publish import events_message

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = [(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")]


def socket(run_id: int, query: str = "", headers=ORIGIN) -> WebsocketCommunicator:
    return WebsocketCommunicator(application, f"/ws/runs/{run_id}/?{query}", headers=headers)


async def receive_events(ws: WebsocketCommunicator, until=None, timeout: float = 240.0) -> list[dict]:
    """Collect events until one satisfies `until` (default: a final status) or the socket goes quiet.

    The wait is long: on a crowded machine a run may queue behind a spare training process
    that is still starting (the executor replaces one after every run)."""
    until = until or (lambda e: e["type"] == "status" and e["data"]["status"] in ("succeeded", "failed", "cancelled"))
    events: list[dict] = []
    while True:
        message = json.loads(await ws.receive_from(timeout=timeout))
        batch = message if isinstance(message, list) else [message]
        events += batch
        if any(until(e) for e in batch):
            return events


def make_run(events: int = 3, status: str = "succeeded"):
    """A run with a few stored events that no executor will pick up."""
    run = store.create_run("basics", {"epochs": 1}, session_key="alice-session")
    store.record_events({run.pk: [{"seq": s, "type": "log", "step": s, "data": {"message": f"e{s}"}, "time": 0.0}
                                  for s in range(2, events + 1)]})
    Run.objects.filter(pk=run.pk).update(status=status)
    return run


async def test_a_live_run_streams_every_event_once_and_a_late_socket_gets_the_rest(executor, alice):
    response = await sync_to_async(alice.post)(
        "/api/runs", {"task": "basics", "config": {"epochs": 15}}, content_type="application/json"
    )
    run = response.json()
    first = socket(run["id"], f"after=0&token={run['share_token']}")
    assert (await first.connect())[0]
    live = await receive_events(first)
    await first.disconnect()
    stored = (await sync_to_async(alice.get)(f"/api/runs/{run['id']}/events?after=0&limit=5000")).json()["events"]
    assert [e["seq"] for e in live] == list(range(1, len(live) + 1))
    assert live == stored

    k = len(stored) // 2
    late = socket(run["id"], f"after={k}&token={run['share_token']}")
    assert (await late.connect())[0]
    rest = await receive_events(late)
    await late.disconnect()
    assert rest == stored[k:]


async def test_a_socket_that_reconnects_mid_run_misses_nothing(executor, alice):
    response = await sync_to_async(alice.post)(
        "/api/runs", {"task": "basics", "config": {"epochs": 40}}, content_type="application/json"
    )
    run = response.json()
    token = run["share_token"]
    ws = socket(run["id"], f"after=0&token={token}")
    await ws.connect()
    seen = await receive_events(ws, until=lambda e: e["type"] == "metric")
    await ws.disconnect()
    await asyncio.sleep(0.3)  # events keep coming while the client is away
    ws = socket(run["id"], f"after={seen[-1]['seq']}&token={token}")
    await ws.connect()
    seen += await receive_events(ws)
    await ws.disconnect()
    assert [e["seq"] for e in seen] == list(range(1, len(seen) + 1))


async def test_a_gap_on_the_wire_is_filled_from_the_store():
    run = await sync_to_async(make_run)(3, "running")
    ws = socket(run.pk, f"token={run.share_token}")
    assert (await ws.connect())[0]
    assert [e["seq"] for e in json.loads(await ws.receive_from())] == [1, 2, 3]
    more = [{"seq": s, "type": "log", "step": s, "data": {"message": f"e{s}"}, "time": 0.0} for s in (4, 5, 6)]
    await sync_to_async(store.record_events)({run.pk: more})
    # The layer "dropped" 4 and 5: only 6 arrives live, then 5 and 6 again as a duplicate.
    await get_channel_layer().group_send(group_name(run.pk), events_message(more[2:]))
    await get_channel_layer().group_send(group_name(run.pk), events_message(more[1:]))
    got = await receive_events(ws, until=lambda e: e["seq"] == 6, timeout=5)
    assert [e["seq"] for e in got] == [4, 5, 6]
    assert await ws.receive_nothing(timeout=0.3)
    await ws.disconnect()


async def test_a_foreign_origin_is_refused():
    run = await sync_to_async(make_run)()
    evil = [(b"origin", b"http://evil.example"), (b"host", b"localhost:8000")]
    connected, _ = await socket(run.pk, f"token={run.share_token}", headers=evil).connect()
    assert not connected


async def test_a_socket_without_origin_is_refused():
    run = await sync_to_async(make_run)()
    connected, _ = await socket(run.pk, f"token={run.share_token}", headers=[(b"host", b"localhost")]).connect()
    assert not connected


async def test_another_visitor_may_not_watch_a_private_run():
    run = await sync_to_async(make_run)()
    ws = socket(run.pk, "after=0&token=wrong")
    await ws.connect()
    closed = await ws.receive_output()
    assert closed["type"] == "websocket.close" and closed["code"] == 4404


async def test_the_owner_watches_through_their_session(alice):
    response = await sync_to_async(alice.post)(
        "/api/runs", {"task": "basics", "config": {"epochs": 1}}, content_type="application/json"
    )
    run_id = response.json()["id"]
    cookie = f"sessionid={alice.cookies['sessionid'].value}".encode()
    ws = socket(run_id, "after=0", headers=ORIGIN + [(b"cookie", cookie)])
    assert (await ws.connect())[0]
    first = json.loads(await ws.receive_from())
    first = first[0] if isinstance(first, list) else first
    assert first["data"] == {"status": "queued", "position": 1}
    await ws.disconnect()


async def test_events_the_layer_dropped_at_the_end_of_a_run_still_arrive():
    run = await sync_to_async(make_run)(3, "running")
    ws = socket(run.pk, f"token={run.share_token}")
    assert (await ws.connect())[0]
    assert len(json.loads(await ws.receive_from())) == 3
    # The last events are stored but never reach the layer: no later batch reveals the gap.
    final = [{"seq": 4, "type": "log", "step": 4, "data": {"message": "last"}, "time": 0.0},
             {"seq": 5, "type": "status", "step": None, "data": {"status": "succeeded"}, "time": 0.0}]
    await sync_to_async(store.record_events)({run.pk: final})
    got = await receive_events(ws, timeout=5)
    assert [e["seq"] for e in got] == [4, 5]
    await ws.disconnect()


async def test_live_batches_reach_the_socket_without_a_database_hop(monkeypatch):
    """Channels checks stale connections on its database thread before every handler; watchers skip it."""
    run = await sync_to_async(make_run)(3, "running")
    ws = socket(run.pk, f"token={run.share_token}")
    assert (await ws.connect())[0]
    await ws.receive_from()

    async def hop(*args, **kwargs):
        raise AssertionError("a live batch went to the database thread")

    monkeypatch.setattr("channels.consumer.aclose_old_connections", hop)
    more = [{"seq": 4, "type": "log", "step": 4, "data": {"message": "live"}, "time": 0.0}]
    await sync_to_async(store.record_events)({run.pk: more})
    await get_channel_layer().group_send(group_name(run.pk), events_message(more))
    assert json.loads(await ws.receive_from())["seq"] == 4
    await ws.disconnect()


async def test_the_sockets_of_one_run_share_one_store_read_and_one_channel(monkeypatch):
    """A class opening one run: one read of its history and one group member, not one per socket."""
    monkeypatch.setattr(feed, "QUIET_SECONDS", 3600.0)  # no quiet-store look while the sockets connect
    run = await sync_to_async(make_run)(3, "running")
    get_channel_layer().groups.pop(group_name(run.pk), None)  # an earlier test's run may have had this id
    reads = []
    events_page = store.events_page
    monkeypatch.setattr(store, "events_page", lambda *args: reads.append(args) or events_page(*args))
    sockets = [socket(run.pk, f"after=0&token={run.share_token}") for _ in range(30)]
    for ws in sockets:
        assert (await ws.connect())[0]
    for ws in sockets:
        assert [e["seq"] for e in json.loads(await ws.receive_from())] == [1, 2, 3]
    late = socket(run.pk, f"after=2&token={run.share_token}")  # a reconnect is served from memory too
    assert (await late.connect())[0]
    assert json.loads(await late.receive_from())["seq"] == 3
    more = [{"seq": 4, "type": "log", "step": 4, "data": {"message": "live"}, "time": 0.0}]
    await sync_to_async(store.record_events)({run.pk: more})
    await get_channel_layer().group_send(group_name(run.pk), events_message(more))
    for ws in [*sockets, late]:
        assert json.loads(await ws.receive_from())["seq"] == 4
    assert len(reads) == 1
    assert len(get_channel_layer().groups[group_name(run.pk)]) == 1
    for ws in [*sockets, late]:
        await ws.disconnect()


async def test_a_socket_that_cannot_be_sent_to_leaves_without_holding_up_the_others():
    """Daphne raises when a socket closes under a send; the feed drops that socket and goes on."""
    run = await sync_to_async(make_run)(3, "running")
    ws = socket(run.pk, f"token={run.share_token}")
    assert (await ws.connect())[0]
    await ws.receive_from()

    async def closed(text):
        raise RuntimeError("Attempt to send on a closed protocol")

    shared = feed._feeds[run.pk]
    gone = feed.Watch(closed)
    shared.watches.add(gone)
    await shared.stream(gone, 0)
    assert gone not in shared.watches
    await shared.take(4, [store.encode_event({"seq": 4, "type": "log", "step": 4, "data": {}, "time": 0.0})], False)
    assert json.loads(await ws.receive_from())["seq"] == 4
    await ws.disconnect()


async def test_the_last_socket_out_closes_the_feed_and_the_next_reads_the_store_again():
    run = await sync_to_async(make_run)(3, "running")
    sockets = [socket(run.pk, f"token={run.share_token}") for _ in range(2)]
    for ws in sockets:
        assert (await ws.connect())[0]
        await ws.receive_from()
    for ws in sockets:
        await ws.disconnect()
    assert run.pk not in feed._feeds
    assert not get_channel_layer().groups.get(group_name(run.pk))
    more = [{"seq": 4, "type": "log", "step": 4, "data": {"message": "while nobody watched"}, "time": 0.0}]
    await sync_to_async(store.record_events)({run.pk: more})
    again = socket(run.pk, f"token={run.share_token}")
    assert (await again.connect())[0]
    assert [e["seq"] for e in json.loads(await again.receive_from())] == [1, 2, 3, 4]
    await again.disconnect()


async def test_one_quiet_store_look_per_run_not_per_socket():
    run = await sync_to_async(make_run)(3, "running")
    sockets = [socket(run.pk, f"token={run.share_token}") for _ in range(10)]
    for ws in sockets:
        assert (await ws.connect())[0]
        await ws.receive_from()
    looks = [t for t in asyncio.all_tasks() if "_look_in_store_when_quiet" in t.get_coro().__qualname__]
    assert len(looks) == 1
    for ws in sockets:
        await ws.disconnect()


async def test_a_failed_first_read_leaves_no_feed_behind_and_the_next_socket_starts_afresh(monkeypatch):
    run = await sync_to_async(make_run)(3, "running")
    first_page = feed.run_and_first_page

    async def database_gone(run_id):
        raise OperationalError("database is locked")

    monkeypatch.setattr(feed, "run_and_first_page", database_gone)
    with pytest.raises(OperationalError):
        await socket(run.pk, f"token={run.share_token}").connect()
    assert run.pk not in feed._feeds
    monkeypatch.setattr(feed, "run_and_first_page", first_page)
    ws = socket(run.pk, f"token={run.share_token}")
    assert (await ws.connect())[0]
    assert [e["seq"] for e in json.loads(await ws.receive_from())] == [1, 2, 3]
    await ws.disconnect()


def signed_in_run() -> tuple[Run, str]:
    """A run that a signed-in user owns, and that user's session cookie."""
    from django.contrib.auth.models import User
    from django.test import Client

    carol = User.objects.create_user("carol", password="secret")
    client = Client()
    client.force_login(carol)
    return store.create_run("basics", {"epochs": 1}, owner=carol), client.cookies["sessionid"].value


async def test_a_signed_in_owner_watches_through_their_session_and_others_need_the_token():
    run, session = await sync_to_async(signed_in_run)()
    mine = socket(run.pk, "after=0", headers=ORIGIN + [(b"cookie", f"sessionid={session}".encode())])
    assert (await mine.connect())[0]
    assert json.loads(await mine.receive_from())["data"] == {"status": "queued", "position": 1}
    await mine.disconnect()
    stranger = socket(run.pk, "after=0")
    await stranger.connect()
    assert (await stranger.receive_output())["code"] == 4404


async def test_a_socket_with_the_share_token_is_let_in_without_looking_up_its_user(monkeypatch):
    """A class watching through a share link costs no user lookup per socket on the database thread."""
    run, session = await sync_to_async(signed_in_run)()

    async def no_lookup(scope):
        raise AssertionError("the user was looked up")

    monkeypatch.setattr("channels.auth.get_user", no_lookup)
    monkeypatch.setattr("playground.runs.consumers.get_user", no_lookup)
    cookie = (b"cookie", f"sessionid={session}".encode())
    ws = socket(run.pk, f"after=0&token={run.share_token}", headers=ORIGIN + [cookie])
    assert (await ws.connect())[0]
    assert json.loads(await ws.receive_from())["data"] == {"status": "queued", "position": 1}
    await ws.disconnect()
