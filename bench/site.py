"""The embedded LayerLab site as a real subprocess, for the benchmarks that watch runs stream.

    with Site(slots=10) as site:
        run = site.post_run({"epochs": 300})
        ws_url, origin = site.ws_url(run), site.origin
        events = site.stored_events(run)

Each site gets a fresh data directory (SQLite store, media), is migrated with
``manage.py migrate``, then served by ``python -m playground.server -b 127.0.0.1
-p PORT`` (Daphne as ``./layerlab serve`` runs it: its timeouts come from the
same settings, and loopback clients are not capped) in its own process group;
its log goes to ``daphne.log`` in the data directory. ``stop`` ends the whole process tree, the
training processes too (they put themselves in process groups of their own), and
runs on leaving the ``with`` block, whatever happened inside it. Linux only: it
reads /proc to find the tree and its CPU time.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FINAL = ("succeeded", "failed", "cancelled")
PAGE = 5000  # the API's largest page of events


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def alive(pid: int) -> bool:
    """Whether a process runs (a zombie waiting for its parent to reap it does not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def is_final(event: dict[str, Any]) -> bool:
    return event["type"] == "status" and event["data"].get("status") in FINAL


class Site:
    """One embedded site: start, answer, stop. ``env`` adds or overrides environment variables."""

    def __init__(self, slots: int | None = None, device: str = "auto", env: dict[str, str] | None = None,
                 keep: bool = False):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.origin = self.url  # the browser's Origin for a page served here
        self.data_dir = Path(tempfile.mkdtemp(prefix="layerlab-site-"))
        self.keep = keep  # keep the data directory (store and log) after stopping
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "playground.settings",
            "LAYERLAB_DATA_DIR": str(self.data_dir),
            "LAYERLAB_DEVICE": device,
            "PYTHONUNBUFFERED": "1",
            **({"LAYERLAB_SLOTS": str(slots)} if slots else {}),
            # A benchmark queues its runs from one address, as many as it needs.
            "LAYERLAB_RUN_QUOTA_PER_ADDRESS": "100000",
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.answered_after: float | None = None  # seconds from starting daphne to its first answer
        self.gone_after: float | None = None  # seconds from SIGTERM until no process of the site was left

    def __enter__(self) -> "Site":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # --- life --------------------------------------------------------------------------------

    def start(self, timeout: float = 120.0) -> None:
        """Migrate, start daphne, and return once the API answers."""
        if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
            # A plain kill of the benchmark would skip stop() and leave the site running.
            signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(128 + number))
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
                       cwd=ROOT, env=self.env, check=True)
        self.log_path = self.data_dir / "daphne.log"
        log = open(self.log_path, "wb")
        started = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "playground.server", "-b", "127.0.0.1", "-p", str(self.port)],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with code {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.get("/api/tasks", timeout=2)
                self.answered_after = time.monotonic() - started
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"the site did not answer within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.05)

    def stop(self) -> None:
        """End daphne and every process it started; idempotent."""
        if self.process is not None and self.process.poll() is None:
            tree = self.tree()
            asked = time.monotonic()
            os.killpg(self.process.pid, signal.SIGTERM)
            while time.monotonic() - asked < 5:
                if self.process.poll() is not None and not any(alive(pid) for pid in tree):
                    self.gone_after = time.monotonic() - asked
                    break
                time.sleep(0.01)
            # Training processes sit in process groups of their own: end them one by one.
            for pid in [self.process.pid, *tree]:
                try:
                    os.kill(pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
            self.process.wait(timeout=5)
        if not self.keep:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    # --- the process tree ----------------------------------------------------------------------

    def tree(self) -> list[int]:
        """Pids of every process descended from daphne (not daphne itself)."""
        children: dict[int, list[int]] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    stat = (entry / "stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry.name))
        found, todo = [], [self.process.pid]
        while todo:
            for child in children.get(todo.pop(), []):
                found.append(child)
                todo.append(child)
        return found

    def cpu_seconds(self, server_only: bool = False) -> float:
        """CPU time used so far by daphne and every process it started (those that ended too), or by daphne alone."""
        total = 0
        for pid in [self.process.pid, *([] if server_only else self.tree())]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
            if not server_only:
                total += int(fields[13]) + int(fields[14])  # cutime, cstime: of children it has reaped
        return total / os.sysconf("SC_CLK_TCK")

    def wait_idle(self, busy: float = 0.1, window: float = 1.0, timeout: float = 300.0) -> float:
        """Wait until the whole tree uses under ``busy`` of one core over a window: spares warm, nothing training.

        Returns the seconds waited.
        """
        started = time.monotonic()
        before = self.cpu_seconds()
        while time.monotonic() - started < timeout:
            time.sleep(window)
            now = self.cpu_seconds()
            if now - before < busy * window:
                break
            before = now
        return time.monotonic() - started

    # --- HTTP -----------------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None, timeout: float = 30) -> Any:
        """JSON in, JSON out; no cookies, so every call is a fresh anonymous visitor."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.url + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def get(self, path: str, timeout: float = 30) -> Any:
        return self.request("GET", path, timeout=timeout)

    def post_run(self, config: dict[str, Any], task: str = "basics") -> dict[str, Any]:
        """Queue a run (``POST /api/runs``); the answer carries its id and share_token."""
        return self.request("POST", "/api/runs", {"task": task, "config": config})

    def run(self, run: dict[str, Any]) -> dict[str, Any]:
        return self.get(f"/api/runs/{run['id']}?token={run['share_token']}")

    def stored_events(self, run: dict[str, Any]) -> list[dict[str, Any]]:
        """Every stored event of a run, page by page."""
        events: list[dict[str, Any]] = []
        while True:
            page = self.get(f"/api/runs/{run['id']}/events?after={events[-1]['seq'] if events else 0}"
                            f"&limit={PAGE}&token={run['share_token']}")
            events += page["events"]
            if not page["more"]:
                return events

    def ws_url(self, run: dict[str, Any], after: int = 0) -> str:
        return f"ws://127.0.0.1:{self.port}/ws/runs/{run['id']}/?after={after}&token={run['share_token']}"
