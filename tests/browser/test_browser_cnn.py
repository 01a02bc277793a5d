"""The CNN page in a real browser: LeNet-5 trains, curves and the confusion matrix appear, a drawing is read."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# A short run on a slice of the built-in set: a few seconds on a CPU, two epochs so the curves have points.
QUICK = "train_examples=600&test_examples=200&epochs=2&batch_size=32&report_every=5"


def draw_a_one(page) -> None:
    pad = page.locator(".drawing-pad")
    box = pad.bounding_box()
    x = box["x"] + box["width"] / 2
    page.mouse.move(x, box["y"] + box["height"] * 0.2)
    page.mouse.down()
    for step in range(1, 11):
        page.mouse.move(x, box["y"] + box["height"] * (0.2 + 0.06 * step))
    page.mouse.up()


def test_lenet5_trains_shows_curves_and_a_confusion_matrix_and_reads_a_drawing(page, server_url):
    page.goto(f"{server_url}/cnn#{QUICK}")
    status = page.locator("#status-line")
    expect(status).to_have_text("Ready to train.")
    page.get_by_role("button", name="LeNet-5").click()
    expect(page.locator(".shapes-table")).to_contain_text("⌊(28 − 5 + 2·2)/1⌋ + 1 = 28")
    expect(page.locator(".volumes-svg")).to_be_visible()
    expect(page.locator("#memory-line")).to_contain_text("Estimated memory")
    expect(page.locator(".example-grid img").first).to_be_visible(timeout=20_000)

    page.get_by_role("button", name="Train").click()
    expect(status).to_contain_text("train loss", timeout=60_000)
    first = status.text_content()
    expect(status).not_to_have_text(first, timeout=30_000)
    expect(page.locator("#curves-slot .chart").first).to_be_visible()
    expect(page.locator("#confusion-slot table.confusion")).to_be_visible(timeout=60_000)
    expect(page.locator("#filters-slot img")).to_be_visible()
    expect(status).to_contain_text(re.compile(r"Finished · Epoch 2 · step \d+ · train loss"), timeout=60_000)

    expect(page.locator("body")).to_have_attribute("data-inspector", "ready", timeout=10_000)
    draw_a_one(page)
    expect(page.locator(".prediction-line")).to_contain_text("It reads", timeout=30_000)
    page.locator("#maps-details summary").click()
    expect(page.locator(".maps img")).to_have_count(2)
    expect(page.locator(".maps figcaption").first).to_contain_text("6 × 28 × 28")
    expect(page.locator(".saliency img")).to_be_visible()

    page.locator("#confusion-slot .cell-button").first.click()
    expect(page.locator(".cell-pictures img").first).to_be_visible(timeout=30_000)
