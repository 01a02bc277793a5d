"""Odd requests get the documented JSON error: odd tokens, odd content types, booleans for numbers."""
from __future__ import annotations

import json

import pytest
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from playground.asgi import application
from playground.runs import store

# Not transactional: the runs these tests queue stay invisible to a training executor that
# another test may have started, so they never take its slots.
pytestmark = pytest.mark.django_db

ORIGIN = [(b"origin", b"http://localhost:8000"), (b"host", b"localhost:8000")]


def errors(response) -> list[dict]:
    assert response["Content-Type"].startswith("application/json"), response.content
    body = response.json()
    assert set(body) == {"errors"} and body["errors"], body
    return body["errors"]


def a_run():
    return store.create_run("basics", {"epochs": 1}, session_key="someone-else")


def browser() -> Client:
    """A browser with a real session (it queued a run through a page) and the CSRF cookie."""
    client = Client(enforce_csrf_checks=True)
    token = client.get("/api/csrf").json()["csrftoken"]
    client.post("/api/runs", json.dumps({"task": "basics"}), content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert "sessionid" in client.cookies and "csrftoken" in client.cookies
    return client


@pytest.mark.parametrize("token", ["%C3%A9", "%E2%9C%93abc", "%FF", "caf%C3%A9" * 10])
def test_a_share_token_of_any_text_is_just_wrong(client, token):
    run = a_run()
    for url in (f"/api/runs/{run.pk}?token={token}", f"/api/runs/{run.pk}/events?token={token}"):
        response = client.get(url)
        assert response.status_code == 404, url
        errors(response)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("query", [b"token=%C3%A9", b"token=%FF%FE", b"token=\xff\xfe\xc3"])
async def test_a_socket_with_a_share_token_of_any_text_is_closed_4404(query):
    run = await sync_to_async(a_run)()
    ws = WebsocketCommunicator(application, f"/ws/runs/{run.pk}/", headers=ORIGIN)
    ws.scope["query_string"] = query  # raw, as a client may send it
    await ws.connect()
    closed = await ws.receive_output()
    assert closed["type"] == "websocket.close" and closed["code"] == 4404


def test_an_owner_token_or_session_cookie_of_any_text_is_just_wrong():
    run = a_run()
    stranger = Client(HTTP_AUTHORIZATION="Bearer caf\u00e9")
    stranger.cookies["sessionid"] = "caf\u00e9-caf\u00e9-caf\u00e9"
    assert stranger.get(f"/api/runs/{run.pk}").status_code == 404
    assert stranger.get("/api/runs").json() == []


@pytest.mark.parametrize("url", ["/api/runs", "/api/runs/{id}/cancel", "/api/runs/{id}/pause", "/api/nets/inspect"])
def test_a_cookie_write_as_a_form_without_a_boundary_gets_a_json_error(url):
    run = a_run()
    # The test client leaves out the Content-Type of an empty body; a browser or curl sends it.
    response = browser().generic("POST", url.format(id=run.pk), b"", CONTENT_TYPE="multipart/form-data")
    assert 400 <= response.status_code < 500
    errors(response)


def test_a_form_with_a_boundary_but_a_broken_body_gets_a_json_error():
    run = a_run()
    response = browser().generic("POST", f"/api/runs/{run.pk}/cancel", b"--x\r\nbroken", content_type="multipart/form-data; boundary=x")
    assert response.status_code == 403
    assert "CSRF" in errors(response)[0]["message"]


@pytest.mark.parametrize("url, body, path", [
    ("/api/runs", {"task": "basics", "config": {"epochs": True}}, "config.epochs"),
    ("/api/runs", {"task": "basics", "config": {"hidden": [4, False]}}, "config.hidden"),
    ("/api/runs", {"task": "basics", "config": {"learning_rate": True}}, "config.learning_rate"),
    ("/api/tasks/basics/preview", {"config": {"noise": True}}, "config.noise"),
    ("/api/nets/inspect", {"net": None, "batch_size": True}, "batch_size"),
])
def test_true_and_false_are_not_numbers(client, url, body, path):
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 400
    assert errors(response)[0]["path"] == path


def test_booleans_for_a_runs_controls_are_refused():
    script = Client()
    run = script.post("/api/runs", json.dumps({"task": "basics"}), content_type="application/json").json()
    for url, body in (("control", {"learning_rate": True}), ("continue", {"epochs": True})):
        response = script.post(f"/api/runs/{run['id']}/{url}", json.dumps(body), content_type="application/json",
                               HTTP_AUTHORIZATION=f"Bearer {run['owner_token']}")
        assert response.status_code == 400, url
        assert errors(response)[0]["path"] in ("learning_rate", "epochs")


@pytest.mark.parametrize("body", ["[]", '"x"', "3", "null"])
def test_a_body_that_is_not_an_object_is_described_as_such(client, body):
    for url in ("/api/nets/inspect", "/api/runs", "/api/nets/export", "/api/tasks/basics/preview"):
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400
        message = errors(response)[0]["message"]
        assert "JSON object" in message and "null" not in message, (url, message)
