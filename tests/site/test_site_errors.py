"""What visitors see when something goes wrong: the site's pages, the API's JSON, never debug output."""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from playground.tasks import TASKS

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def json_error(response, status: int) -> str:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    (error,) = response.json()["errors"]
    assert set(error) == {"path", "message"}
    return error["message"]


def crash(*args, **kwargs):
    raise RuntimeError("the secret internals at /srv/layerlab/settings.py")


@pytest.fixture
def visitor():
    return Client(raise_request_exception=False)


def test_debug_is_off_unless_asked_for():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LAYERLAB_"))}
    env["LAYERLAB_DATA_DIR"] = str(ROOT / "var")
    show = [sys.executable, "-c", "import playground.settings as s; print(s.DEBUG)"]
    assert subprocess.run(show, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip() == "False"
    env["DJANGO_DEBUG"] = "1"
    assert subprocess.run(show, cwd=ROOT, env=env, capture_output=True, text=True, check=True).stdout.strip() == "True"


@pytest.mark.parametrize("debug", [False, True])
def test_an_unknown_api_address_is_a_json_404(visitor, settings, debug):
    settings.DEBUG = debug
    for url in ("/api/nope", "/api/runs/1/nope", "/api/admin/", "/api/"):
        message = json_error(visitor.get(url), 404)
        assert "/api/docs" in message and "admin" not in message.replace(url, "")


def test_a_method_an_api_address_does_not_take_is_a_json_405(visitor):
    response = visitor.delete("/api/runs")
    assert "DELETE" in json_error(response, 405)
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}


@pytest.mark.parametrize("debug", [False, True])
def test_an_api_crash_is_a_json_500_with_an_id_the_log_records(visitor, settings, monkeypatch, caplog, debug):
    settings.DEBUG = debug
    monkeypatch.setattr(TASKS["basics"], "catalogue", crash)
    with caplog.at_level(logging.ERROR, logger="playground"):
        response = visitor.get("/api/tasks")
    message = json_error(response, 500)
    assert "secret" not in message and "Traceback" not in message
    error_id = re.search(r"error id ([0-9a-f]{8})", message).group(1)
    logged = [r for r in caplog.records if error_id in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError


def test_a_page_that_does_not_exist_is_the_sites_own_404(visitor):
    response = visitor.get("/no-such-page")
    assert response.status_code == 404
    html = response.content.decode()
    assert 'class="topbar"' in html and "There is no page here." in html
    assert "admin/" not in html and "URLconf" not in html


def test_a_page_that_crashes_is_the_sites_own_500_with_an_id_the_log_records(visitor, monkeypatch, caplog):
    monkeypatch.setattr("playground.studio.views.render", crash)
    with caplog.at_level(logging.ERROR, logger="playground"):
        response = visitor.get("/")
    assert response.status_code == 500
    html = response.content.decode()
    assert 'class="topbar"' in html and "secret" not in html and "Traceback" not in html
    error_id = re.search(r"<code>([0-9a-f]{8})</code>", html).group(1)
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)
