"""The CNN page in a real browser: LeNet-5 trains, curves and the confusion matrix appear, a drawing is read."""
import json
import re
import urllib.request

import pytest
from playwright.sync_api import expect
from status_texts import STATUS_TEXTS

pytestmark = pytest.mark.browser

# A short run on a slice of the built-in set: a few seconds on a CPU, two epochs so the curves have points.
QUICK = "train_examples=600&test_examples=200&epochs=2&batch_size=32&report_every=5"
QUICKER = "train_examples=300&test_examples=100&epochs=1&batch_size=32&report_every=5"


def has_short_jobs(server_url: str) -> bool:
    with urllib.request.urlopen(f"{server_url}/api/openapi.json") as response:
        return "/api/runs/{run_id}/jobs" in json.load(response)["paths"]


def draw_a_one(page) -> None:
    pad = page.locator(".drawing-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x, box["y"] + box["height"] * (0.2 + 0.06 * step))
    page.mouse.up()


def test_lenet5_trains_with_live_curves_a_confusion_matrix_and_a_run_page(page, server_url):
    page.goto(f"{server_url}/cnn#{QUICK}")
    status = page.locator("#status-line")
    expect(status).to_have_text("Ready to train.")
    page.get_by_role("button", name="LeNet-5").click()
    expect(page.locator(".shapes-table")).to_contain_text("⌊(28 − 5 + 2·2)/1⌋ + 1 = 28")
    expect(page.locator(".shapes-table tfoot")).to_contain_text("61,706")
    expect(page.locator(".volumes-svg")).to_be_visible()
    expect(page.locator("#memory-line")).to_contain_text("Estimated memory")
    expect(page.locator(".example-grid img").first).to_be_visible(timeout=20_000)

    page.evaluate(STATUS_TEXTS)  # every text the status line shows, however fast the run goes
    page.get_by_role("button", name="Train").click()
    expect(status).to_contain_text("train loss", timeout=60_000)
    expect(page.locator("#curves-slot .chart").first).to_be_visible()
    expect(page.locator("#confusion-slot table.confusion")).to_be_visible(timeout=60_000)
    expect(page.locator("#filters-slot img")).to_be_visible()
    expect(status).to_contain_text(re.compile(r"Finished · Epoch 2 · step \d+ · train loss"), timeout=60_000)
    expect(page.locator("#weights-link")).to_be_visible(timeout=10_000)
    losses = {m.group(1) for text in page.evaluate("window.statusTexts") if (m := re.search(r"train loss ([\d.]+)", text or ""))}
    assert len(losses) >= 2, losses  # the loss moved while it trained

    page.goto(server_url + page.locator("#run-link").get_attribute("href"))
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished · Epoch 2", timeout=15_000)
    expect(page.locator(".run-page table.confusion")).to_be_visible()
    expect(page.locator(".run-page .mistake img").first).to_be_visible()


def test_a_drawing_is_read_with_its_feature_maps_and_a_confusion_cell_opens(page, server_url):
    if not has_short_jobs(server_url):
        pytest.skip("the server has no short jobs route (POST /api/runs/{id}/jobs) yet")
    page.goto(f"{server_url}/cnn#{QUICKER}")
    page.get_by_role("button", name="LeNet-5").click()
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=90_000)
    expect(page.locator("body")).to_have_attribute("data-inspector", "ready", timeout=10_000)
    draw_a_one(page)
    expect(page.locator(".prediction-line")).to_contain_text("It reads", timeout=30_000)
    page.locator("#maps-details summary").click()
    expect(page.locator(".maps img")).to_have_count(2)
    expect(page.locator(".maps figcaption").first).to_contain_text("6 × 28 × 28")
    expect(page.locator(".saliency img")).to_be_visible()
    page.locator("#confusion-slot .cell-button").first.click()
    expect(page.locator(".cell-pictures img").first).to_be_visible(timeout=30_000)
