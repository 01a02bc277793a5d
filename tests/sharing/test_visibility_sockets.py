"""A run turned private closes the sockets of everyone but its owner, in every process (through the channel layer)."""
from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator

from classroom_world import finished_run, json_post, person
from playground.asgi import application
from playground.runs.models import group_name

ORIGIN = [(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")]


def world():
    ann = person("ann")
    return ann, finished_run(ann, status="running"), ann.cookies["sessionid"].value


@pytest.mark.django_db(transaction=True)
async def test_turning_a_run_private_closes_the_others_sockets():
    ann, run, session = await sync_to_async(world)()
    owner = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/", headers=ORIGIN + [(b"cookie", f"sessionid={session}".encode())])
    stranger = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/?token={run.share_token}", headers=ORIGIN)
    for ws in (owner, stranger):
        assert (await ws.connect())[0]
        json.loads(await ws.receive_from(timeout=10))
    await get_channel_layer().group_send(group_name(run.pk), {"type": "run.visibility", "visibility": "private"})
    closed = await stranger.receive_output(timeout=10)
    assert closed["type"] == "websocket.close" and closed["code"] == 4404
    assert await owner.receive_nothing(timeout=0.3)
    late = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/?token={run.share_token}", headers=ORIGIN)
    await late.connect()
    assert (await late.receive_output(timeout=10))["code"] == 4404
    await owner.disconnect()


@pytest.mark.django_db
def test_the_owners_choice_is_published_to_the_runs_group(monkeypatch):
    sent = []
    monkeypatch.setattr("playground.runs.publish.publish", lambda messages, loop=None: sent.extend(messages))
    ann = person("ann")
    run = finished_run(ann)
    assert json_post(ann, f"/api/runs/{run.pk}/visibility", {"visibility": "private"}).status_code == 200
    assert sent == [(run.pk, {"type": "run.visibility", "visibility": "private"})]
