"""Slow and greedy clients: a request must arrive whole in time, and one address holds only so many connections."""
from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from served import served_site

pytestmark = pytest.mark.slow

REQUEST_TIMEOUT = 2  # seconds, LAYERLAB_REQUEST_TIMEOUT of the site under test
CAP = 3


@pytest.fixture(scope="module")
def hurried_site(tmp_path_factory):
    """A site that gives clients REQUEST_TIMEOUT seconds to send a request; it trains nothing."""
    with served_site(tmp_path_factory.mktemp("hurried"), LAYERLAB_AUTOSTART="0",
                     LAYERLAB_REQUEST_TIMEOUT=str(REQUEST_TIMEOUT)) as url:
        yield url


@pytest.fixture(scope="module")
def capped_site(tmp_path_factory):
    """A site that caps every address but a documentation one (so loopback too) at CAP connections."""
    with served_site(tmp_path_factory.mktemp("capped"), LAYERLAB_AUTOSTART="0",
                     LAYERLAB_MAX_CONNECTIONS_PER_ADDRESS=str(CAP), LAYERLAB_UNCAPPED_ADDRESSES="192.0.2.1") as url:
        yield url


def open_socket(url: str) -> socket.socket:
    host, port = url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=60)


def read_answer(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    answer = b""
    while chunk := sock.recv(65536):
        answer += chunk
    return answer


def json_error(answer: bytes, status: int) -> str:
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(f"HTTP/1.1 {status} ".encode()), answer
    return json.loads(body)["errors"][0]["message"]


def test_a_body_trickled_too_slowly_is_refused_with_408(hurried_site):
    declared = 200
    with open_socket(hurried_site) as sock:
        sock.sendall(b"POST /api/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % declared)
        sock.setblocking(False)
        sent, answer = 0, b""
        while sent < declared and not answer:
            sock.send(b" ")  # one byte each 0.2 s: the whole body would take 40 s
            sent += 1
            time.sleep(0.2)
            try:
                answer = sock.recv(65536)
            except BlockingIOError:
                pass
        assert answer, "the whole body was accepted"
        sock.setblocking(True)
        answer += read_answer(sock)
    assert sent < declared
    assert "took too long" in json_error(answer, 408)


def test_headers_that_never_end_are_dropped(hurried_site):
    with open_socket(hurried_site) as sock:
        sock.sendall(b"GET /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # and never the blank line
        assert "took too long" in json_error(read_answer(sock), 408)


def test_a_connection_that_sends_nothing_is_closed(hurried_site):
    with open_socket(hurried_site) as sock:
        assert read_answer(sock) == b""


def test_a_request_that_arrives_in_time_is_answered(hurried_site):
    with open_socket(hurried_site) as sock:
        sock.sendall(b"GET /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        assert read_answer(sock).startswith(b"HTTP/1.1 200 ")


def test_a_client_over_the_connection_cap_gets_429_over_http_and_websocket(capped_site):
    held = [open_socket(capped_site) for _ in range(CAP)]
    try:
        with open_socket(capped_site) as sock:
            sock.sendall(b"GET /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            assert "too many connections" in json_error(read_answer(sock), 429)

        async def open_websocket():
            address = capped_site.replace("http://", "ws://") + "/ws/runs/1/"
            async with connect(address, origin=capped_site, proxy=None, open_timeout=60):
                pass

        with pytest.raises(InvalidStatus) as refused:
            asyncio.run(open_websocket())
        assert refused.value.response.status_code == 429
    finally:
        for sock in held:
            sock.close()
    # The places come back when the connections close.
    with open_socket(capped_site) as sock:
        sock.sendall(b"GET /api/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        answer = read_answer(sock)
    assert answer.startswith(b"HTTP/1.1 200 "), answer[:200]

