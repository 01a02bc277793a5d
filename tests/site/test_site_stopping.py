"""A stopped server leaves nothing behind: no spare, no training process, no job process, no fork server."""
from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from test_site_serving import ROOT, answers, call, site_env
from waiting import free_port, stop_server, wait_for

pytestmark = pytest.mark.slow

LONG = {"dataset": "spiral", "n_points": 2000, "batch_size": 1, "epochs": 5000, "hidden": [8, 8, 8]}


def processes_of(data_dir: Path) -> dict[int, str]:
    """Every process whose environment names this site's data directory: the server and all it started."""
    mark = f"LAYERLAB_DATA_DIR={data_dir}".encode()
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if mark in (entry / "environ").read_bytes().split(b"\0") and b"Z" != stat_state(entry):
                found[int(entry.name)] = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
        except OSError:
            continue
    return found


def stat_state(entry: Path) -> bytes:
    return (entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[0]


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and int((entry / "stat").read_bytes().rsplit(b")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT], ids=["kill-group", "ctrl-c"])
def test_a_stopped_server_leaves_no_process(stop_signal, tmp_path):
    env = site_env(tmp_path)
    env["LAYERLAB_SLOTS"] = "2"
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port), "playground.asgi:application"],
        cwd=ROOT, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}/api"
        wait_for(answers(f"{base}/tasks"), timeout=120, interval=0.2)
        run = call(f"{base}/runs", {"task": "basics", "config": LONG})
        url = f"{base}/runs/{run['id']}?token={run['share_token']}"
        wait_for(lambda: call(url)["status"] == "running", timeout=60, interval=0.2)

        def two_spares_a_training_process_and_a_job_process():
            forked = [pid for child in children(process.pid) for pid in children(child)]
            return len(forked) == 4

        wait_for(two_spares_a_training_process_and_a_job_process, timeout=60, interval=0.2)
        assert len(processes_of(tmp_path)) >= 6  # daphne, fork server, two spares, the run, the job process (and a tracker)

        os.killpg(process.pid, stop_signal)  # what `kill -- -PID` and Ctrl-C in a terminal send
        process.wait(timeout=30)

        def nothing_left():
            return not processes_of(tmp_path)

        wait_for(nothing_left, timeout=10, interval=0.05)
    finally:
        if process.poll() is None:
            stop_server(process)
        for pid in processes_of(tmp_path):
            os.kill(pid, signal.SIGKILL)

    with sqlite3.connect(tmp_path / "layerlab.sqlite3") as db:
        status, error = db.execute("SELECT status, error FROM runs_run WHERE id = ?", (run["id"],)).fetchone()
    assert (status, error) == ("failed", "the server stopped while this run was in progress")
