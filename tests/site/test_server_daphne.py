"""Daphne as playground/server.py runs it: its timeouts from settings, its own error answers in the API's JSON shape."""
from __future__ import annotations

import json
import time
from types import SimpleNamespace

from daphne.cli import CommandLineInterface
from twisted.web.test.requesthelper import DummyChannel

from playground.server import APPLICATION, GuardedRequest, daphne_arguments


def test_daphne_gets_its_timeouts_from_settings_and_options_given_win(settings):
    settings.LAYERLAB_HTTP_TIMEOUT, settings.LAYERLAB_WEBSOCKET_CONNECT_TIMEOUT = 45, 25
    parser = CommandLineInterface().parser
    given = parser.parse_args(daphne_arguments(["-b", "127.0.0.1", "-p", "8000"]))
    assert (given.http_timeout, given.websocket_connect_timeout, given.application) == (45, 25, APPLICATION)
    assert parser.parse_args(daphne_arguments(["--http-timeout", "5"])).http_timeout == 5


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
