"""Browser tests: Daphne serving the whole site (workers included) in a subprocess, driven by the system's Chromium.

Every page a test opens is watched for console errors and uncaught exceptions; any
one fails the test. Tests skip, saying why, when /usr/bin/chromium or the front-end
build is missing.
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from generic_events import generic_events
from handmade_run import hand_made_run
from waiting import free_port, stop_server

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
MANIFEST = ROOT / "static" / "build" / ".vite" / "manifest.json"


def wait_until_serving(url: str, process: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Daphne exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"Daphne did not answer {url} within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="session")
def server_env(tmp_path_factory):
    """The environment of the live site: its own data directory (and database), local workers on the CPU."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    if not MANIFEST.exists():
        pytest.skip("the front end is not built: run ./layerlab setup (npm ci and npm run build in frontend/)")
    data_dir = tmp_path_factory.mktemp("layerlab-browser")
    tests = str(Path(__file__).resolve().parents[1])
    return {
        **os.environ,
        "LAYERLAB_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "playground.settings",
        "LAYERLAB_AUTOSTART": "1",
        "LAYERLAB_DEVICE": "cpu",
        "LAYERLAB_RUN_QUOTA_ANONYMOUS": "8",
        # The tests' own task (tests/probe_task.py), which the site and its processes import from tests/.
        "LAYERLAB_EXTRA_TASKS": "probe_task:ProbeTask",
        "PYTHONPATH": os.pathsep.join(filter(None, [tests, os.environ.get("PYTHONPATH")])),
    }


@pytest.fixture(scope="session")
def server_url(server_env):
    """The address of a live site with its own data directory, migrated, with local workers."""
    env = server_env
    data_dir = Path(env["LAYERLAB_DATA_DIR"])
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    log = data_dir / "daphne.log"
    with open(log, "w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "playground.server", "-b", "127.0.0.1", "-p", str(port)],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(f"{url}/", process, log)
        yield url
    finally:
        stop_server(process)


@pytest.fixture(scope="session")
def browser(server_url):
    """The system's Chromium, headless."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def expected_console_errors():
    """Patterns of console errors a test causes on purpose (the browser logs every 4xx answer)."""
    return []


@pytest.fixture
def open_page(browser, expected_console_errors):
    """Opens pages in fresh browser contexts (new visitors); fails the test on any console error."""
    contexts, errors = [], []

    def open_one(width: int = 1440, height: int = 900, context=None):
        if context is None:
            context = browser.new_context(viewport={"width": width, "height": height})
            contexts.append(context)
        page = context.new_page()
        page.on("console", lambda message: errors.append(f"{page.url}: {message.text}") if message.type == "error" else None)
        page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
        return page

    yield open_one
    for context in contexts:
        context.close()
    unexpected = [e for e in errors if not any(re.search(p, e) for p in expected_console_errors)]
    assert not unexpected, "console errors:\n" + "\n".join(unexpected)


@pytest.fixture
def page(open_page):
    """One page of a new visitor at 1440×900."""
    return open_page()


@pytest.fixture(scope="session")
def generic_run(server_env, server_url):
    """A finished run of the Basics task whose events are of every kind the generic view shows."""
    return hand_made_run(server_env, "basics", generic_events())
