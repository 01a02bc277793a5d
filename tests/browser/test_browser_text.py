"""The Text page in a real browser: a built-in corpus, an LSTM trained with samples appearing, writing from a
prompt with the characters streaming in, a lesson preset, and an uploaded text shown as text, never run."""
import json
import re
import urllib.parse

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

SMALL_LSTM = [{"type": "Embedding", "embedding_dim": 16}, {"type": "LSTM", "hidden_size": 48, "num_layers": 2,
                                                           "dropout": 0.1}]
QUICK = {"steps": 120, "seq_len": 32, "batch_size": 16, "report_every": 5, "eval_every": 20, "sample_every": 20,
         "checkpoint_every": 20, "sample_length": 60, "eval_characters": 2000, "net": json.dumps(SMALL_LSTM)}
QUICK_HASH = "&".join(f"{key}={urllib.parse.quote(str(value), safe=',:')}" for key, value in QUICK.items())
# Every length the written text has had, so a test can tell that the characters streamed in.
WATCH_SAMPLED_LENGTHS = """() => {
  window.sampledLengths = [];
  new MutationObserver(() => window.sampledLengths.push(
    document.querySelector('#sampler-output .sampled')?.textContent.length ?? 0,
  )).observe(document.querySelector('#sampler-output'), {childList: true, subtree: true, characterData: true});
}"""


def test_an_lstm_on_the_python_source_trains_writes_samples_and_answers_a_prompt(page, server_url):
    page.goto(f"{server_url}/text#corpus=sentences&{QUICK_HASH}")
    page.get_by_role("radio", name="Python source").check()
    expect(page.locator("#corpus-stats")).to_contain_text("96 different characters", timeout=20_000)
    expect(page.locator("#corpus-preview")).to_contain_text("__future__")
    expect(page.locator(".builder")).to_contain_text("LSTM")
    status = page.locator("#status-line")
    expect(status).to_have_text("Ready to train.")
    page.get_by_role("button", name="Train").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(status).to_contain_text("train loss", timeout=60_000)
    first = status.text_content()
    expect(status).not_to_have_text(first, timeout=30_000)
    assert re.search(r"Step \d+ · train loss [\d.]+ \([\d.]+ bits/char\)", status.text_content())
    expect(page.locator("#sample-list li").first).to_be_visible(timeout=60_000)
    assert page.locator("#sample-list li pre").first.text_content().strip()
    page.get_by_label("Prompt").fill("def ")
    page.get_by_label("Characters to write").fill("200")
    page.evaluate(WATCH_SAMPLED_LENGTHS)
    page.get_by_role("button", name="Write").click()
    # Asked right after a sample, while the run saves its checkpoint: the job reads the last whole one.
    expect(page.locator("#sampler-status")).to_contain_text("Wrote 200 characters", timeout=60_000)
    assert len(page.locator("#sampler-output .sampled").text_content()) == 200
    assert any(0 < n < 200 for n in page.evaluate("window.sampledLengths"))  # seen part-way, then whole
    expect(page.locator("#sampler-output .prompt-text")).to_have_text("def ")
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Train")).to_be_visible(timeout=15_000)


def test_a_lesson_preset_loads_its_settings_and_trains(page, server_url):
    page.goto(f"{server_url}/text")
    expect(page.locator("#corpus-stats")).to_contain_text("different characters", timeout=20_000)
    page.get_by_role("button", name="LSTM on brackets").click()
    expect(page.get_by_role("radio", name="Matched brackets")).to_be_checked()
    expect(page.get_by_role("button", name="Pause")).to_be_visible(timeout=10_000)
    expect(page.locator("#status-line")).to_contain_text("train loss", timeout=60_000)
    assert "corpus=brackets" in page.evaluate("location.hash")
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Train")).to_be_visible(timeout=15_000)
    page.goto(server_url + page.locator("#run-link").get_attribute("href"))
    expect(page.locator(".run-page .status-line")).to_contain_text(re.compile(r"Stopped · Step \d+ · train loss"), timeout=15_000)
    expect(page.locator(".run-page .builder-summary")).to_contain_text("parameters", timeout=15_000)
    assert page.locator(".run-page .settings-table").get_by_text("LSTM(hidden_size=64)").count() == 1


def test_an_uploaded_text_with_markup_is_shown_as_text_and_never_run(page, server_url):
    page.goto(f"{server_url}/text")
    expect(page.locator("#corpus-stats")).to_contain_text("different characters", timeout=20_000)
    hostile = ("<script>window.__ran = 1</script><img src=x onerror=\"window.__ran = 2\">\n"
               + "To be, or not to be, that is the question.\n" * 40)
    page.locator("#corpus-file").set_input_files({"name": "hamlet.txt", "mimeType": "text/plain",
                                                   "buffer": hostile.encode()})
    expect(page.locator("#upload-status")).to_have_text("Uploaded hamlet.txt.", timeout=15_000)
    expect(page.get_by_role("radio", name="hamlet.txt")).to_be_checked()
    preview = page.locator("#corpus-preview")
    expect(preview).to_contain_text("<script>window.__ran = 1</script>", timeout=15_000)
    assert preview.locator("script, img").count() == 0
    assert page.evaluate("window.__ran") is None
    assert re.search(r"corpus=upload(:|%3A)\d+", page.evaluate("location.hash"))
