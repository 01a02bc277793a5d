"""Uploads through the real server: their own body limit, enforced while the body arrives, and nothing kept after."""
from __future__ import annotations

import json
import socket
import sqlite3
import time
import urllib.error
import urllib.request

import pytest

from served import served_site
from upload_files import class_zip

pytestmark = pytest.mark.slow

UPLOAD_LIMIT = 300_000
BOUNDARY = "layerlab-test-boundary"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Uploads up to UPLOAD_LIMIT bytes, JSON bodies up to 1 KB; a minute to send a request, so 408 never comes first."""
    data_dir = tmp_path_factory.mktemp("uploads")
    with served_site(data_dir, LAYERLAB_AUTOSTART="0", LAYERLAB_MAX_UPLOAD_BYTES=str(UPLOAD_LIMIT),
                     LAYERLAB_MAX_BODY_BYTES="1024", LAYERLAB_REQUEST_TIMEOUT="60") as url:
        yield url, data_dir


def multipart(kind: str, data: bytes, name: str = "pets.zip") -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\n{kind}\r\n"
            f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: application/octet-stream\r\n\r\n").encode() + data + f"\r\n--{BOUNDARY}--\r\n".encode()


def post(url: str, path: str, body: bytes, content_type: str) -> tuple[int, dict]:
    request = urllib.request.Request(url + path, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def kept(data_dir) -> tuple[int, list[str], list[str]]:
    """The upload rows, the upload folders and Django's temporary files there are now."""
    uploads = data_dir / "media" / "uploads"
    with sqlite3.connect(data_dir / "layerlab.sqlite3") as db:
        rows = db.execute("SELECT COUNT(*) FROM files_upload").fetchone()[0]
    folders = sorted(p.name for p in uploads.iterdir()) if uploads.exists() else []
    return rows, folders, sorted(p.name for p in (data_dir / "incoming").iterdir())


def trickle(url: str, head: bytes, pieces: list[bytes]) -> tuple[bytes, int]:
    """Send the head, then the pieces one every 50 ms until the server answers; its answer and how many were sent."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(head)
        sock.setblocking(False)
        answer, sent = b"", 0
        for piece in pieces:
            try:
                answer = sock.recv(65536)
            except BlockingIOError:
                pass
            if answer:
                break
            try:
                sock.send(piece)
            except (BrokenPipeError, ConnectionResetError):
                break
            sent += 1
            time.sleep(0.05)
        sock.setblocking(True)
        while chunk := sock.recv(65536):
            answer += chunk
    return answer, sent


def status_and_message(answer: bytes) -> tuple[int, str]:
    head, _, body = answer.partition(b"\r\n\r\n")
    return int(head.split(b" ")[1]), json.loads(body)["errors"][0]["message"]


def test_an_upload_over_its_own_limit_sent_slowly_is_refused_at_once_and_nothing_is_kept(site):
    url, data_dir = site
    before = kept(data_dir)
    declared = 5_000_000
    head = (b"POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=" + BOUNDARY.encode() + b"\r\n"
            b"Content-Length: %d\r\n\r\n" % declared)
    answer, sent = trickle(url, head, [b"x" * 100] * 1000)
    assert sent < 1000, "the whole body was taken"
    status, message = status_and_message(answer)
    assert status == 413 and "too large" in message and "292 KB" in message
    assert kept(data_dir) == before


def test_a_chunked_upload_is_refused_once_its_bytes_pass_the_limit(site):
    url, data_dir = site
    before = kept(data_dir)
    head = (b"POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: multipart/form-data; boundary=" + BOUNDARY.encode() + b"\r\n"
            b"Transfer-Encoding: chunked\r\n\r\n")
    chunk = b"x" * 20_000
    answer, sent = trickle(url, head, [b"%x\r\n%s\r\n" % (len(chunk), chunk)] * 100)
    assert UPLOAD_LIMIT // len(chunk) <= sent < 100
    assert status_and_message(answer)[0] == 413
    assert kept(data_dir) == before


def test_an_upload_may_be_larger_than_a_json_body(site):
    url, data_dir = site
    archive = class_zip({"cats": 5, "dogs": 5})
    status, body = post(url, "/api/uploads", multipart("images", archive), f"multipart/form-data; boundary={BOUNDARY}")
    assert status == 201, body
    assert len(archive) > 1024 and body["summary"]["images"] == 10
    status, body = post(url, "/api/nets/inspect", json.dumps({"net": None, "pad": " " * 2000}).encode(), "application/json")
    assert status == 413 and "1 KB" in body["errors"][0]["message"]


def test_a_client_that_sends_an_over_limit_body_at_full_speed_still_reads_the_413(site):
    """The server answers, then reads and drops the rest for a moment, so the client is not reset before it reads."""
    url, data_dir = site
    before = kept(data_dir)
    body = b"x" * 20_000_000
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=60) as sock:
        sock.sendall(b"POST /api/uploads HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
                     b"boundary=b\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert status_and_message(answer)[0] == 413
    assert kept(data_dir) == before


@pytest.mark.parametrize("body", [f"--{BOUNDARY}--\r\n".encode(), b"--not-the-boundary\r\ngarbage", b"\x00\xff" * 10])
def test_a_malformed_multipart_body_is_answered_with_the_apis_json(site, body):
    url, _ = site
    for path in ("/api/uploads", "/api/runs"):
        status, answer = post(url, path, body, f"multipart/form-data; boundary={BOUNDARY}")
        assert 400 <= status < 500 and answer["errors"][0]["message"], (path, status, answer)
