"""A local HTTP server over a folder, standing in for a dataset publisher: tests never reach the internet."""
from __future__ import annotations

import contextlib
import hashlib
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serving(root: Path, handler=QuietHandler) -> Iterator[str]:
    """Serve ``root`` over HTTP on the loopback; yields the base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def publish(root: Path, entry_name: str, file: str, data: bytes) -> str:
    """Put a file where ``fetch`` looks for it under a base URL ({base}/{entry}/{file}); its SHA-256."""
    (root / entry_name).mkdir(parents=True, exist_ok=True)
    (root / entry_name / file).write_bytes(data)
    return hashlib.sha256(data).hexdigest()
