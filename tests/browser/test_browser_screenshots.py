"""Screenshots of the home and Basics pages for docs/screenshots/, taken on demand:

    LAYERLAB_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_browser_screenshots.py
"""
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("LAYERLAB_SCREENSHOTS"), reason="on demand: set LAYERLAB_SCREENSHOTS=1"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"1440": (1440, 900), "1280": (1280, 720)}


@pytest.mark.parametrize("size", SIZES)
def test_screenshots(open_page, server_url, size):
    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    page = open_page(width, height)
    page.goto(f"{server_url}/")
    page.screenshot(path=SHOTS / f"home-{size}.png")
    page.goto(f"{server_url}/basics#dataset=spiral&features=x1,x2,x1sq,x2sq,sinx1,sinx2&hidden=6,4&epochs=60&grid_every=5&showTest=1")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=90_000)
    page.wait_for_timeout(500)
    page.screenshot(path=SHOTS / f"basics-{size}.png")
