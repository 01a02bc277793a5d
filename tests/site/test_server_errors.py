"""Daphne's own error answers (the application timed out or crashed) come in the API's JSON shape."""
from __future__ import annotations

import json
import time
from types import SimpleNamespace

from twisted.web.test.requesthelper import DummyChannel

from playground.server import GuardedRequest


def request_of(http_timeout: float) -> tuple[GuardedRequest, DummyChannel]:
    server = SimpleNamespace(http_timeout=http_timeout, server_name="daphne", proxy_forwarded_address_header=None,
                             protocol_connected=lambda request: None, protocol_disconnected=lambda request: None,
                             log_action=lambda *args: None)
    channel = DummyChannel()
    channel.factory = SimpleNamespace(server=server, log=lambda request: None)
    request = GuardedRequest(channel)
    request.method, request.uri, request.clientproto = b"GET", b"/api/tasks", b"HTTP/1.1"
    return request, channel


def test_an_application_that_does_not_answer_in_time_gets_a_json_503():
    request, channel = request_of(http_timeout=1)
    request.request_start = time.time() - 5  # Daphne's clock for the application's answer
    request.check_timeouts()
    head, _, body = channel.transport.written.getvalue().partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 503 ")
    assert b"application/json" in head
    assert json.loads(body) == {"errors": [{"path": "", "message": "the server took too long to answer; try again"}]}
