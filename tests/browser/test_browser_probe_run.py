"""A run of the tests' own task (tests/probe_task.py), trained by the live site, on its page in real
Chromium: the generic view shows its metrics, its text, its table and its ~200 KB picture, which
arrives as a file URL that its owner and a share-token holder may fetch and anyone else gets 404 for."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CONFIG = {"steps": 40, "report_every": 10, "step_seconds": 0.02}


def test_a_probe_runs_page_shows_metrics_text_table_and_picture_served_only_to_who_may_view(open_page, server_url):
    page = open_page()
    created = page.request.post(f"{server_url}/api/runs", data={"task": "probe", "config": CONFIG})
    assert created.status == 201, created.text()
    run = created.json()
    page.goto(f"{server_url}/runs/{run['id']}")
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished · step 40", timeout=60_000)

    curves = page.locator("section[aria-labelledby=run-curves-title]")
    expect(curves.get_by_role("img", name="Loss, per step")).to_have_attribute("data-points", "4")
    expect(page.locator('.run-text[data-name="greeting"] .run-text-latest')).to_have_text("hello from the probe")
    numbers = page.get_by_role("table", name=re.compile("^numbers"))
    expect(numbers.locator("thead th")).to_have_text(["n", "square"])
    expect(numbers.locator("tbody tr")).to_have_count(4)

    picture = page.get_by_role("img", name="noise")
    url = picture.get_attribute("src")
    assert re.fullmatch(rf"/api/runs/{run['id']}/pictures/\d+-noise\.png", url), url
    picture.evaluate("(img) => img.decode().catch(() => undefined)")
    assert picture.evaluate("(img) => img.complete ? img.naturalWidth : 0") == 256

    mine = page.request.get(server_url + url)
    assert mine.status == 200 and mine.headers["content-type"] == "image/png" and len(mine.body()) > 190_000
    friend = open_page()
    shared = friend.request.get(f"{server_url}{url}?token={run['share_token']}")
    assert shared.status == 200 and shared.body() == mine.body()
    stranger = open_page()
    assert stranger.request.get(server_url + url).status == 404
    assert stranger.request.get(f"{server_url}{url}?token=guess").status == 404
