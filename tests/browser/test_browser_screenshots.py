"""Screenshots of the pages for docs/screenshots/, taken on demand and looked at before they are committed:

    LAYERLAB_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_browser_screenshots.py

Desktop sizes show the first screen; the phone size shows the whole page, scrolled. Each PNG is
reduced to 256 colours (a third of the bytes, no visible change) before it is written.
"""
import os
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from handmade_run import as_owner

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("LAYERLAB_SCREENSHOTS"), reason="on demand: set LAYERLAB_SCREENSHOTS=1"),
]

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SIZES = {"1440": (1440, 900), "1280": (1280, 720), "390": (390, 844)}
SPIRAL = "dataset=spiral&features=x1,x2,x1sq,x2sq,sinx1,sinx2&hidden=6,4&epochs=60&grid_every=5&showTest=1"


def shoot(page, name: str, size: str, full: bool = False) -> None:
    page.wait_for_function("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    path = SHOTS / f"{name}-{size}.png"
    page.screenshot(path=path, full_page=full or size == "390")
    with Image.open(path) as shot:
        small = shot.convert("RGB").quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.FLOYDSTEINBERG)
    small.save(path, optimize=True)


@pytest.fixture
def sized_page(open_page, request):
    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[request.param]
    return open_page(width, height), request.param


@pytest.mark.parametrize("sized_page", SIZES, indirect=True)
def test_screenshots(sized_page, server_url):
    page, size = sized_page
    status = page.locator("#status-line")
    page.goto(f"{server_url}/")
    shoot(page, "home", size)

    page.goto(f"{server_url}/basics#{SPIRAL}")
    page.get_by_role("button", name="Train").click()
    expect(status).to_contain_text("Finished", timeout=90_000)
    shoot(page, "basics", size)

    page.goto(f"{server_url}/basics")
    page.get_by_role("button", name="Six sigmoid layers").click()
    page.wait_for_function("Number(document.getElementById('epoch-value').textContent) >= 40", timeout=90_000)
    page.get_by_role("button", name="Pause").click()
    expect(status).to_contain_text("Paused", timeout=10_000)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "basics-six-training", size)
    page.get_by_role("button", name="Resume").click()
    expect(status).to_contain_text("Finished", timeout=90_000)
    shoot(page, "basics-six-finished", size)

    page.goto(server_url + page.locator("#run-link").get_attribute("href"))
    expect(page.locator(".run-page .status-line")).to_contain_text(re.compile(r"Finished · Epoch 150"), timeout=15_000)
    expect(page.locator(".run-page .builder-summary")).to_contain_text("parameters", timeout=15_000)
    shoot(page, "run", size)


@pytest.mark.parametrize("sized_page", ["1440", "1280"], indirect=True)
def test_screenshots_of_the_generic_run_view(sized_page, server_url, generic_run):
    page, size = sized_page
    as_owner(page, server_url, generic_run)
    page.goto(f"{server_url}/runs/{generic_run['id']}?view=generic")
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished · step 200", timeout=15_000)
    expect(page.locator(".run-picture img").first).to_have_js_property("complete", True)
    shoot(page, "run-generic", size)


@pytest.mark.parametrize("sized_page", ["1440", "1280"], indirect=True)
def test_screenshots_of_the_text_page(sized_page, server_url):
    page, size = sized_page
    status = page.locator("#status-line")
    page.goto(f"{server_url}/text")
    expect(page.locator("#corpus-stats")).to_contain_text("different characters", timeout=20_000)
    page.get_by_role("button", name="LSTM on brackets").click()
    page.wait_for_function("Number(document.getElementById('step-value').textContent) >= 160", timeout=120_000)
    expect(page.locator("#sample-list li").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Pause").click()
    expect(status).to_contain_text("Paused", timeout=10_000)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "text-training", size, full=True)
    page.get_by_role("button", name="Resume").click()
    expect(status).to_contain_text("Finished", timeout=180_000)
    expect(page.locator(".embedding-canvas")).to_have_attribute("data-points", re.compile(r"[1-9]"), timeout=15_000)
    page.get_by_label("Prompt").fill("((")
    page.get_by_role("button", name="Write").click()
    expect(page.locator("#sampler-status")).to_contain_text("Wrote", timeout=30_000)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "text-finished", size, full=True)


# LeNet-5 on the built-in glyphs, slow enough to be caught mid-training on a CPU.
CNN = "train_examples=4000&test_examples=500&epochs=3&batch_size=32&report_every=10&augment=crop,rotate"


@pytest.mark.parametrize("sized_page", ["1440", "1280"], indirect=True)
def test_screenshots_of_the_cnn_page(sized_page, server_url):
    page, size = sized_page
    status = page.locator("#status-line")
    page.goto(f"{server_url}/cnn#{CNN}")
    page.get_by_role("button", name="LeNet-5").click()
    expect(page.locator(".example-grid img").first).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#confusion-slot table.confusion")).to_be_visible(timeout=120_000)
    page.get_by_role("button", name="Pause").click()
    expect(status).to_contain_text("Paused", timeout=10_000)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "cnn-training", size)
    page.get_by_role("button", name="Resume").click()
    expect(status).to_contain_text("Finished", timeout=180_000)
    page.evaluate("window.scrollTo(0, 0)")
    shoot(page, "cnn-finished", size)
    page.locator("#confusion-title").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    shoot(page, "cnn-results", size)


@pytest.mark.parametrize("sized_page", ["1440", "1280"], indirect=True)
def test_screenshots_of_the_style_page(sized_page, server_url):
    page, size = sized_page
    status = page.locator("#status-line")
    page.goto(f"{server_url}/style#size=128&iterations=60&picture_every=5")
    expect(page.locator("#estimate")).to_contain_text("Needs about")
    page.get_by_role("button", name="Train").click()
    page.wait_for_function("Number(document.getElementById('result-image').dataset.frames) >= 3", timeout=90_000)
    page.get_by_role("button", name="Pause").click()
    expect(status).to_contain_text("Paused", timeout=10_000)
    expect(page.locator("#result-image")).to_have_js_property("complete", True)
    shoot(page, "style-training", size)
    page.get_by_role("button", name="Resume").click()
    expect(status).to_contain_text("Finished", timeout=120_000)
    expect(page.locator(".gallery-item")).not_to_have_count(0, timeout=10_000)
    expect(page.locator("#result-image")).to_have_js_property("complete", True)
    shoot(page, "style-finished", size)
    page.goto(server_url + page.locator("#run-link").get_attribute("href"))
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished", timeout=15_000)
    shoot(page, "run-style", size)


@pytest.mark.parametrize("sized_page", ["1440", "1280"], indirect=True)
def test_screenshots_of_the_cnn_inspector(sized_page, server_url):
    from test_browser_cnn import draw_a_one, has_short_jobs

    if not has_short_jobs(server_url):
        pytest.skip("the server has no short jobs route (POST /api/runs/{id}/jobs) yet")
    page, size = sized_page
    page.goto(f"{server_url}/cnn#train_examples=3000&test_examples=500&epochs=2&batch_size=32&report_every=20")
    page.get_by_role("button", name="LeNet-5").click()
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=180_000)
    draw_a_one(page)
    expect(page.locator(".prediction-line")).to_contain_text("It reads", timeout=30_000)
    page.locator("#maps-details summary").click()
    page.locator("#visual-details summary").click()
    page.get_by_role("button", name="Make class pictures").click()
    expect(page.locator(".class-pictures img")).to_have_count(10, timeout=60_000)
    page.locator("#inspector-title").scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, -60)")
    shoot(page, "cnn-inspector", size)
