"""What a newcomer meets first: the requests the Basics page makes, the status line of a first run, and its run page."""
import re

import pytest
from playwright.sync_api import expect
from status_texts import STATUS_TEXTS

pytestmark = pytest.mark.browser

FAST = "epochs=15&grid_every=5"


def api_posts(page) -> list[str]:
    """Every POST the page sends under /api/, as its path, in order (filled as they go)."""
    sent = []
    page.on("request", lambda request: sent.append(request.url.split("/api/", 1)[1]) if "/api/" in request.url and request.method == "POST" else None)
    return sent


def settle(page) -> None:
    """Waits until the page has drawn its points and inspected its network."""
    page.wait_for_function("Number(document.getElementById('heatmap')?.dataset.draws) > 0")
    expect(page.locator(".builder-summary").first).to_contain_text("parameters", timeout=15_000)
    page.wait_for_load_state("networkidle")


def test_the_basics_page_loads_with_one_preview_and_one_inspection(page, server_url):
    sent = api_posts(page)
    page.goto(f"{server_url}/basics")
    settle(page)
    assert sent.count("tasks/basics/preview") == 1, sent
    assert sent.count("nets/inspect") == 1, sent
    assert len(sent) == 2, sent
    thumbnails = page.evaluate("[...document.querySelectorAll('.dataset canvas')].filter((c) => c.toDataURL() !== document.createElement('canvas').toDataURL()).length")
    assert thumbnails == page.locator(".dataset canvas").count()


def test_a_configuration_asked_about_before_is_not_asked_again(page, server_url):
    sent = api_posts(page)
    page.goto(f"{server_url}/basics")
    settle(page)
    xor_picture = page.evaluate("document.getElementById('heatmap').toDataURL()")
    page.get_by_text("Network as layers").click()
    summary = page.get_by_role("group", name="Basics network as layers").locator(".builder-summary")
    two_layers = summary.text_content()
    with page.expect_response(lambda response: response.url.endswith("/nets/inspect")):
        page.get_by_role("button", name="Add a hidden layer").click()
    expect(summary).not_to_have_text(two_layers)
    page.get_by_role("button", name="Remove a hidden layer").click()
    expect(summary).to_have_text(two_layers)
    with page.expect_response(lambda response: response.url.endswith("/preview")):
        page.locator("label.dataset", has_text="Spiral").click()
    assert sent.count("tasks/basics/preview") == 2 and sent.count("nets/inspect") == 2, sent
    page.locator("label.dataset", has_text="XOR").click()
    page.wait_for_function("(before) => document.getElementById('heatmap').toDataURL() === before", arg=xor_picture)
    # The two-layer summary and the XOR points came back, so both answers came; a request would have left before them.
    assert sent.count("tasks/basics/preview") == 2 and sent.count("nets/inspect") == 2, sent


def test_the_status_line_goes_from_queued_to_training_without_a_ready_in_between(page, server_url):
    page.goto(f"{server_url}/basics#{FAST}")
    settle(page)
    page.evaluate(STATUS_TEXTS)
    page.get_by_role("button", name="Train").click()
    status = page.locator("#status-line")
    expect(status).to_contain_text("Finished", timeout=120_000)
    texts = page.evaluate("window.statusTexts")
    assert "Ready to train." not in texts, texts
    first_epoch = next(i for i, text in enumerate(texts) if text.startswith("Epoch"))
    assert all(text and not text.startswith("Finished") for text in texts[:first_epoch]), texts  # a waiting or starting line
    assert all(re.match(r"^(Epoch \d+ · step \d+ · train loss|Finished)", text) for text in texts[first_epoch:]), texts
    assert page.locator("#epoch-value").text_content() == "15"
    page.get_by_role("button", name="Reset").click()
    expect(status).to_have_text("Ready to train.")
    expect(page.locator("#epoch-value")).to_have_text("0")


def test_a_run_page_shows_its_settings_in_words_and_its_layers(open_page, server_url):
    page = open_page()
    page.goto(f"{server_url}/basics#{FAST}&dataset=three&features=x1,x2,sinx1,sinx2&hidden=5,3")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=120_000)
    page.goto(server_url + page.locator("#run-link").get_attribute("href"))
    settings = page.locator(".settings-table")
    expect(settings.get_by_role("row", name=re.compile("^Input features"))).to_contain_text("x₁x₂sin(x₁)sin(x₂)")
    assert settings.get_by_role("row", name=re.compile("^Input features")).locator("li").all_inner_texts() == ["x₁", "x₂", "sin(x₁)", "sin(x₂)"]
    expect(settings.get_by_role("row", name=re.compile("^Dataset"))).to_contain_text("Three classes")
    expect(settings.get_by_role("row", name=re.compile("^Stop at test loss"))).to_contain_text("none")
    expect(settings.get_by_role("row", name=re.compile("^Noise"))).to_contain_text("0%")
    assert "[" not in settings.inner_text() and '"' not in settings.inner_text()
    layers = page.get_by_role("group", name="The run's network as layers")
    expect(layers.locator(".builder-summary")).to_contain_text("Output 3", timeout=15_000)
    expect(layers.locator('.layer-card[data-path="0"]')).to_contain_text("25 params")  # 4 inputs × 5 + 5
    expect(page.locator("#run .net-diagram .node.output")).to_have_count(3)
