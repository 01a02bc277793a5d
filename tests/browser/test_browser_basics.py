"""The Basics page in a real browser: training, data, the builder, shared addresses and run pages."""
import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FAST = "epochs=15&grid_every=5"
LONG = "epochs=3000&grid_every=2"


def heatmap_picture(page) -> str:
    return page.evaluate("document.getElementById('heatmap').toDataURL()")


def measure_fps(page, seconds: float = 3.0) -> float:
    """Frames per second that requestAnimationFrame manages over a few seconds."""
    times = page.evaluate(
        """(ms) => new Promise((resolve) => {
            const times = [];
            const tick = (t) => { times.push(t); if (t - times[0] < ms) requestAnimationFrame(tick); else resolve(times); };
            requestAnimationFrame(tick);
        })""",
        seconds * 1000,
    )
    return (len(times) - 1) / ((times[-1] - times[0]) / 1000)


def test_training_changes_the_loss_and_redraws_the_surface(page, server_url):
    page.goto(f"{server_url}/basics#{LONG}")
    status = page.locator("#status-line")
    heatmap = page.locator("#heatmap")
    expect(status).to_have_text("Ready to train.")
    page.get_by_role("button", name="Train").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(page.get_by_role("button", name="Stop")).to_be_visible()
    expect(status).to_contain_text("train loss", timeout=30_000)
    first_status = status.text_content()
    expect(heatmap).to_have_attribute("data-surfaces", re.compile(r"[1-9]"), timeout=15_000)
    surfaces = int(heatmap.get_attribute("data-surfaces"))
    fps = measure_fps(page)
    print(f"\nframes per second while training streams: {fps:.1f}")
    expect(status).not_to_have_text(first_status, timeout=15_000)
    page.wait_for_function(f"Number(document.getElementById('heatmap')?.dataset.surfaces) > {surfaces}", timeout=20_000)
    assert re.search(r"^Epoch \d+ · step \d+ · train loss [\d.e-]+ · test loss [\d.e-]+ · test accuracy \d+%$", status.text_content())
    assert int(page.locator("#loss-chart").get_attribute("data-points")) >= 2
    assert fps >= 30, f"only {fps:.1f} frames per second while training"
    page.get_by_role("button", name="Stop").click()
    expect(page.get_by_role("button", name="Train")).to_be_visible(timeout=10_000)
    expect(status).to_contain_text("Stopped", timeout=10_000)


def test_changing_the_dataset_changes_the_points(page, server_url):
    page.goto(f"{server_url}/basics")
    page.wait_for_function("Number(document.getElementById('heatmap')?.dataset.draws) > 0")
    page.wait_for_timeout(300)
    before = heatmap_picture(page)
    page.locator("label.dataset", has_text="Spiral").click()
    expect(page.get_by_role("radio", name="Spiral")).to_be_checked()
    page.wait_for_function("(before) => document.getElementById('heatmap').toDataURL() !== before", arg=before)
    assert "dataset=spiral" in page.url
    page.locator("label.dataset", has_text="Plane").click()
    expect(page.get_by_label("Problem type")).to_have_value("regression")


def test_a_stack_with_an_error_shows_it_on_that_layer(page, server_url, expected_console_errors):
    expected_console_errors.append(r"status of 400 \(Bad Request\)")  # the inspection's answer to the bad stack
    page.goto(f"{server_url}/basics#hidden=4,2")
    page.get_by_text("Network as layers").click()
    basics_stack = page.get_by_role("group", name="Basics network as layers")
    expect(basics_stack.locator('.layer-card[data-path="0"]')).to_contain_text("12 params")
    expect(basics_stack.locator(".builder-summary")).to_contain_text("Output 1")
    demo = page.get_by_role("group", name="Your own layer stack")
    demo.get_by_label("New layer").select_option("Conv2d")
    demo.get_by_role("button", name="Add layer").click()
    bad = demo.locator('.layer-card[data-path="5"]')
    expect(bad.locator(".layer-error")).to_contain_text("Conv2d", timeout=10_000)
    expect(bad).to_have_class(re.compile("has-error"))
    expect(demo.locator('.layer-card[data-path="4"] .layer-error')).to_be_empty()
    demo.get_by_role("button", name="Remove layer 6 (Conv2d)").click()
    expect(demo.locator(".builder-summary")).to_contain_text("parameters", timeout=10_000)
    expect(demo.locator(".layer-card.has-error")).to_have_count(0)


def test_a_copied_address_restores_the_configuration(open_page, server_url):
    first = open_page()
    first.goto(f"{server_url}/basics#hidden=4,2")
    first.locator("label.dataset", has_text="Circle").click()
    first.get_by_label("Activation").select_option("relu")
    first.get_by_role("button", name="Add a hidden layer").click()
    first.get_by_role("button", name="Add a neuron to hidden layer 1").click()
    first.get_by_role("button", name="x₁²").click()
    first.get_by_label("Show test data").check()
    noise = first.get_by_label("Noise")
    noise.fill("20")
    expect(first.get_by_role("button", name="x₁²")).to_have_attribute("aria-pressed", "true")
    address = first.url
    assert "activation=relu" in address and "hidden=5,2,2" in address and "showTest=1" in address

    second = open_page()
    second.goto(address)
    expect(second.get_by_role("radio", name="Circle")).to_be_checked()
    expect(second.get_by_label("Activation")).to_have_value("relu")
    expect(second.get_by_label("Noise")).to_have_value("20")
    expect(second.get_by_label("Show test data")).to_be_checked()
    expect(second.get_by_role("button", name="x₁²")).to_have_attribute("aria-pressed", "true")
    expect(second.get_by_text("3 hidden layers")).to_be_visible()
    expect(second.get_by_text("5 neurons")).to_be_visible()
    assert second.url == address


def test_a_finished_runs_page_shows_its_curve_after_a_reload(open_page, server_url):
    page = open_page()
    page.goto(f"{server_url}/basics#{FAST}")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=60_000)
    link = page.get_by_role("link", name=re.compile(r"Run \d+"))
    run_url = link.get_attribute("href")
    page.goto(f"{server_url}{run_url}")
    chart = page.locator(".run-page .chart").first
    expect(chart).to_have_attribute("data-points", "16", timeout=15_000)
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished · Epoch 15")
    page.reload()
    expect(chart).to_have_attribute("data-points", "16", timeout=15_000)
    expect(page.get_by_role("link", name="Fork")).to_have_attribute("href", re.compile(r"^/basics#dataset=xor.*epochs=15"))
    share = page.get_by_label("Share link (anyone with it can watch)")
    expect(share).to_have_value(re.compile(r"\?token="))

    friend = open_page()
    friend.goto(share.input_value())
    expect(friend.locator(".run-page .chart").first).to_have_attribute("data-points", "16", timeout=15_000)
    expect(friend.get_by_label("Share link (anyone with it can watch)")).to_have_count(0)


def test_pause_resume_learning_rate_stop_and_step(page, server_url):
    page.goto(f"{server_url}/basics#{LONG}")
    status = page.locator("#status-line")
    page.get_by_role("button", name="Train").click()
    expect(status).to_contain_text("train loss", timeout=30_000)
    page.get_by_role("button", name="Pause").click()
    expect(status).to_contain_text("Paused", timeout=10_000)
    page.get_by_role("button", name="Resume").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    expect(status).not_to_contain_text("Paused", timeout=10_000)
    rate = page.get_by_label("Learning rate")
    with page.expect_response(lambda response: response.url.endswith("/control")) as control:
        rate.fill("0.01")
        rate.press("Enter")
    assert control.value.status == 200
    assert "learning_rate=0.01" in page.url
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    page.get_by_role("button", name="Stop").click()
    expect(status).to_contain_text("Stopped", timeout=10_000)
    stopped_at = int(re.search(r"Epoch (\d+)", status.text_content()).group(1))
    page.get_by_role("button", name="Step").click()
    expect(status).to_contain_text(f"Finished · Epoch {stopped_at + 1} ·", timeout=30_000)


def test_a_preset_loads_its_configuration_and_trains(page, server_url):
    page.goto(f"{server_url}/basics")
    page.get_by_role("button", name="Perceptron on XOR").click()
    expect(page.get_by_text("0 hidden layers")).to_be_visible()
    assert "hidden=&" in page.url and "dataset=xor" in page.url
    expect(page.locator("#status-line")).to_contain_text("train loss", timeout=30_000)


UNLABELLED_CONTROLS = """() => [...document.querySelectorAll("input, select, textarea, button")]
    .filter((el) => el.offsetParent !== null || el.type === "radio")
    .filter((el) => !(el.labels && el.labels.length) && !el.getAttribute("aria-label") && !el.getAttribute("aria-labelledby") && !el.textContent.trim())
    .map((el) => el.outerHTML.slice(0, 120))"""


def test_every_control_has_a_label(page, server_url):
    page.goto(f"{server_url}/basics")
    page.get_by_text("Network as layers").click()
    page.get_by_text("Your own points").click()
    page.get_by_text("More settings").click()
    expect(page.locator(".builder-summary").first).to_contain_text("parameters", timeout=10_000)
    assert page.evaluate(UNLABELLED_CONTROLS) == []


def test_dragging_a_layer_reorders_the_stack(page, server_url):
    page.goto(f"{server_url}/basics")
    page.get_by_text("Network as layers").click()
    demo = page.get_by_role("group", name="Your own layer stack")
    types = demo.locator(":scope .layer-card > .layer-head .layer-type")
    expect(types.first).to_be_visible()
    before = types.all_inner_texts()
    after = [before[1], before[2], before[0], *before[3:]]
    assert after != before, "the stack's first layers must differ for the move to show"
    demo.locator('.layer-card[data-path="0"]').drag_to(demo.locator('.layer-card[data-path="2"]'))
    expect(types).to_have_text(after)
    expect(demo.locator(".builder-summary")).to_contain_text("parameters", timeout=10_000)


def test_a_click_on_the_trained_surface_asks_the_network_about_that_point(page, server_url):
    page.goto(f"{server_url}/basics#{FAST}&dataset=xor")
    page.wait_for_function("Number(document.getElementById('heatmap')?.dataset.draws) > 0")
    answer = page.locator("#prediction")
    page.locator("#heatmap").click(position={"x": 20, "y": 20})
    expect(answer).to_have_text("Train first; then click the plane to ask the network about a point.")
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=30_000)
    box = page.locator("#heatmap").bounding_box()
    page.locator("#heatmap").click(position={"x": box["width"] * 0.9, "y": box["height"] * 0.1})
    expect(answer).to_have_text(re.compile(r"^At \([45]\.\d, [45]\.\d\) the network says class [01], \d+% sure\.$"), timeout=15_000)
