"""The site served as ``./layerlab serve`` serves it (``python -m playground.server``), for tests of real sockets."""
from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Iterator

from waiting import free_port, stop_server, wait_for

ROOT = Path(__file__).resolve().parents[1]


def call(url: str, body: dict | None = None, timeout: float = 30) -> dict:
    """JSON in, JSON out, as a script without cookies would ask."""
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


@contextlib.contextmanager
def served_site(data_dir: Path, **settings: str) -> Iterator[str]:
    """Migrate a fresh data directory, serve it, yield its base URL; ``settings`` are environment variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAYERLAB_", "DJANGO_"))}
    env.update(LAYERLAB_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="playground.settings", **settings)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    with open(data_dir / "server.log", "wb") as log:
        process = subprocess.Popen([sys.executable, "-m", "playground.server", "-b", "127.0.0.1", "-p", str(port)],
                                   cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"

    def site_answers():
        try:
            return call(f"{url}/api/tasks", timeout=10)
        except OSError:
            assert process.poll() is None, (data_dir / "server.log").read_text()
            return None

    try:
        wait_for(site_answers, timeout=120, interval=0.2)
        yield url
    finally:
        stop_server(process)
