"""The Style page in real Chromium: built-in pictures, Train, frames arriving, the loss falling, the PNG downloaded."""
from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SMALL = "size=64&iterations=40&picture_every=5"


def total_loss(text: str) -> float:
    match = re.search(r"total loss ([0-9.e+-]+)", text)
    assert match, text
    return float(match.group(1))


def test_choose_pictures_train_watch_it_form_and_download_the_result(page, server_url):
    page.goto(f"{server_url}/style#{SMALL}")
    status = page.locator("#status-line")
    expect(page.get_by_role("button", name="Train")).to_be_enabled()
    expect(page.locator("#estimate")).to_contain_text("Needs about")
    expect(page.locator("#network-note")).to_contain_text("random filters")  # no VGG-19 weights in the tests
    page.get_by_role("group", name="Content: what is painted").get_by_role("radio", name="House", exact=True).check()
    page.get_by_role("group", name="Style: how it is painted").get_by_role("radio", name="Mosaic", exact=True).check()
    assert "content=house" in page.url and "style=mosaic" in page.url
    expect(page.get_by_role("button", name="conv4_2 as a content layer")).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="Train").click()
    expect(status).to_contain_text("total loss", timeout=60_000)
    page.wait_for_function("Number(document.getElementById('result-image').dataset.frames) >= 2", timeout=60_000)
    expect(status).to_contain_text("Finished", timeout=90_000)
    last = total_loss(status.text_content())
    # The status line may first be read after many iterations on a busy machine: the run's first loss is in its events.
    run_id = re.search(r"/runs/(\d+)", page.locator("#run-link").get_attribute("href")).group(1)
    events = page.request.get(f"{server_url}/api/runs/{run_id}/events").json()["events"]
    first = next(e["data"]["total"] for e in events if e["type"] == "metric" and "total" in e["data"])
    assert last < first / 5, (first, last)
    expect(status).to_contain_text("Iteration 40 of 40")

    link = page.get_by_role("link", name="Download PNG")
    expect(link).to_be_visible()
    with page.expect_download() as download:
        link.click()
    picture = Image.open(io.BytesIO(open(download.value.path(), "rb").read()))
    assert picture.format == "PNG" and picture.size == (64, 64)
    assert download.value.suggested_filename == "style-64x64.png"
    expect(page.locator(".gallery-item")).to_have_count(1, timeout=10_000)


def test_a_style_run_has_its_own_view_on_its_page(page, server_url):
    page.goto(f"{server_url}/style#size=32&iterations=5&picture_every=2")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=90_000)
    page.get_by_role("link", name=re.compile(r"Run \d+: open its page")).click()
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished", timeout=30_000)
    expect(page.locator(".input-picture")).to_have_count(2)
    expect(page.get_by_role("link", name="Download PNG")).to_be_visible()
    page.get_by_role("link", name="Fork").click()  # back on the Style page, with the run's settings
    expect(page.get_by_label("Size (px)")).to_have_value("32")
    expect(page.get_by_label("Iterations", exact=True)).to_have_value("5")


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 60, 40)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("expected_console_errors", [[r"status of 400"]])
def test_an_uploaded_picture_becomes_a_choice_and_a_bad_one_is_refused_in_words(page, server_url, expected_console_errors):
    page.goto(f"{server_url}/style")
    content = page.get_by_role("group", name="Content: what is painted")
    content.locator("input[type=file]").set_input_files(files=[{"name": "mine.png", "mimeType": "image/png", "buffer": png(80, 60)}])
    mine = content.get_by_role("radio", name="Yours")
    expect(mine).to_be_checked(timeout=15_000)
    assert re.search(r"content=upload%3A\d+|content=upload:\d+", page.url), page.url
    expect(page.get_by_role("group", name="Style: how it is painted").get_by_role("radio", name="Yours")).to_have_count(1)
    expect(page.locator("#chosen-pair figcaption").first).to_have_text("Content: Your picture")

    style = page.get_by_role("group", name="Style: how it is painted")
    style.locator("input[type=file]").set_input_files(files=[{"name": "notes.png", "mimeType": "image/png", "buffer": b"not a picture at all" * 20}])
    expect(style.get_by_role("alert")).to_contain_text("not a PNG, JPEG or WebP picture", timeout=15_000)
    expect(style.get_by_role("radio", name="Yours")).to_have_count(1)  # only the good one


def test_a_weight_changed_mid_run_reaches_the_run_without_ending_it(page, server_url):
    page.goto(f"{server_url}/style#size=32&iterations=2000&picture_every=50")
    status = page.locator("#status-line")
    page.get_by_role("button", name="Train").click()
    expect(status).to_contain_text("total loss", timeout=60_000)
    run_id = re.search(r"/runs/(\d+)", page.get_by_role("link", name=re.compile(r"Run \d+")).get_attribute("href")).group(1)
    weight = page.get_by_label("Style", exact=True)
    with page.expect_response(lambda response: response.url.endswith("/control")) as control:
        weight.fill("5000")
        weight.press("Enter")
    assert control.value.status == 200
    assert "style_weight=5000" in page.url
    expect(page.locator("#run-note")).to_contain_text(re.compile(r"Style weight 5000 from iteration \d+"), timeout=30_000)
    expect(page.get_by_role("button", name="Pause")).to_be_visible()  # still the same run, still painting
    assert page.request.get(f"{server_url}/api/runs/{run_id}").json()["controls"] == {"style_weight": 5000}
    page.get_by_role("button", name="Stop").click()
    expect(status).to_contain_text("Stopped", timeout=30_000)
