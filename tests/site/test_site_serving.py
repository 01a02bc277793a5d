"""The whole site, with its training processes, serves under Daphne and under runserver."""
from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from waiting import free_port, stop_server, wait_for

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def site_env(data_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LAYERLAB_", "DJANGO_"))}
    env.update(LAYERLAB_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="playground.settings", LAYERLAB_SLOTS="1")
    return env


def call(url: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.loads(response.read())


def answers(url: str):
    def site_answers():
        try:
            return call(url)
        except OSError:
            return None

    return site_answers


@pytest.mark.parametrize("server", ["daphne", "runserver"])
def test_the_site_trains_a_run_under(server, tmp_path):
    env = site_env(tmp_path)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    command = {
        "daphne": [sys.executable, "-m", "playground.server", "-b", "127.0.0.1", "-p", str(port)],
        "runserver": [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
    }[server]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"http://127.0.0.1:{port}/api"
        wait_for(answers(f"{base}/tasks"), timeout=60, interval=0.2)
        run = call(f"{base}/runs", {"task": "basics", "config": {"epochs": 5}})
        url = f"{base}/runs/{run['id']}?token={run['share_token']}"
        wait_for(lambda: call(url)["status"] in ("succeeded", "failed"), timeout=60, interval=0.2)
        assert call(url)["status"] == "succeeded", call(url)
    finally:
        stop_server(process)


def test_production_settings_pass_the_deploy_check(tmp_path):
    env = site_env(tmp_path)
    env.update(LAYERLAB_PRODUCTION="1", DJANGO_SECRET_KEY=secrets.token_urlsafe(60), DJANGO_ALLOWED_HOSTS="layerlab.example.org")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy"], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout + result.stderr
    assert "WARNING" not in result.stdout + result.stderr
