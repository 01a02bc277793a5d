"""Oversized request bodies are refused with 413 before Django reads them."""
from __future__ import annotations

import json

import pytest
from channels.testing import HttpCommunicator

from playground.limits import BodyLimits, BodySizeLimit


async def echo_app(scope, receive, send):
    body = b""
    while True:
        message = await receive()
        body += message.get("body", b"")
        if not message.get("more_body"):
            break
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(len(body)).encode()})


@pytest.mark.parametrize("declared", [True, False])
async def test_a_body_over_the_limit_gets_413(declared):
    app = BodySizeLimit(echo_app, BodyLimits(1024))
    headers = [(b"content-length", b"5000")] if declared else []
    response = await HttpCommunicator(app, "POST", "/api/runs", body=b"x" * 5000, headers=headers).get_response()
    assert response["status"] == 413
    assert "too large" in json.loads(response["body"])["errors"][0]["message"]


async def test_a_body_within_the_limit_passes():
    app = BodySizeLimit(echo_app, BodyLimits(1024))
    response = await HttpCommunicator(app, "POST", "/", body=b"x" * 1000).get_response()
    assert response["status"] == 200 and response["body"] == b"1000"


@pytest.mark.django_db
async def test_the_site_refuses_a_huge_upload():
    from playground.asgi import application

    body = b"{" + b" " * (3 * 1024 * 1024) + b"}"
    communicator = HttpCommunicator(
        application, "POST", "/api/nets/inspect", body=body,
        headers=[(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()), (b"host", b"localhost")],
    )
    response = await communicator.get_response()
    assert response["status"] == 413
