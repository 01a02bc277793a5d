"""A run's page in the generic view (`?view=generic`, the view of any task without one of its own) in a
real browser: curves of every metric and split, text, tables, pictures and the log, for the owner and
for someone holding the share link. The run's events are written by hand (`generic_events.py`)."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from generic_events import CLASSES, SAMPLES, STEPS
from handmade_run import as_owner

pytestmark = pytest.mark.browser


def owner_page(open_page, server_url, run):
    page = open_page()
    as_owner(page, server_url, run)
    page.goto(f"{server_url}/runs/{run['id']}?view=generic")
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished · step 200", timeout=15_000)
    return page


def loaded_width(image) -> int:
    """The picture's own width once the browser has it (0 while loading or when it failed)."""
    image.evaluate("(img) => img.decode().catch(() => undefined)")
    return image.evaluate("(img) => img.complete ? img.naturalWidth : 0")


def test_the_generic_view_shows_curves_text_tables_pictures_and_the_log(open_page, server_url, generic_run):
    page = owner_page(open_page, server_url, generic_run)
    status = page.locator(".run-page .status-line")
    expect(status).to_have_text(re.compile(r"^Finished · step 200 · train loss 0\.\d{3} · train accuracy \d+% · val loss 0\.\d{3} · val accuracy \d+%$"))

    curves = page.locator("section[aria-labelledby=run-curves-title]")
    expect(curves.locator(".metric-chart h3")).to_have_text(["Loss", "Accuracy (%)", "Gradient norm of each layer"])
    expect(curves.get_by_role("img", name="Loss, per step")).to_have_attribute("data-points", str(len(STEPS)))
    expect(curves.get_by_role("img", name="Accuracy (%), per step")).to_have_attribute("data-points", str(len(STEPS)))
    expect(curves.locator(".metric-chart").first.locator(".u-legend")).to_contain_text("val")

    text = page.locator('.run-text[data-name="sample"]')
    expect(text.locator("h3")).to_have_text("sample · step 200")
    expect(text.locator(".run-text-latest")).to_have_text(SAMPLES[200])
    text.get_by_text("Earlier sample texts (2)").click()
    expect(text.locator(".text-history pre").first).to_have_text(SAMPLES[100])

    confusion = page.locator("table.confusion")
    expect(confusion.locator("thead th")).to_have_text(CLASSES)
    expect(confusion.locator("tbody td")).to_have_count(25)
    expect(confusion.locator("tbody tr").first.locator("td").first).to_have_attribute("title", "true circle, predicted circle: 41")
    mistakes = page.get_by_role("table", name=re.compile("^mistakes"))
    expect(mistakes.locator("thead th")).to_have_text(["image", "true", "predicted", "confidence"])
    expect(mistakes.locator("tbody tr")).to_have_count(3)
    expect(page.get_by_role("table", name=re.compile("^summary")).locator("tbody tr").first).to_have_text("parameters61,706")

    filters = page.get_by_role("img", name="filters")
    assert loaded_width(filters) == 96
    frame = page.get_by_role("img", name="style frame")
    assert frame.get_attribute("src") == "/static/studio/img/style.svg"  # the owner needs no token
    assert loaded_width(frame) > 0
    expect(page.locator('.run-picture[data-name="surface"] canvas')).to_have_attribute("width", "24")

    expect(page.locator(".run-log li")).to_have_text(["Loaded 1,797 images of 5 classes.", "warning: The validation loss rose twice in a row. · step 120"])
    expect(page.get_by_role("link", name="Fork")).to_have_attribute("href", re.compile(r"^/basics#"))
    expect(page.get_by_label("Share link (anyone with it can watch)")).to_have_value(re.compile(r"\?token="))


def test_someone_with_the_share_link_sees_the_pictures_through_the_token(open_page, server_url, generic_run):
    friend = open_page()
    token = generic_run["share_token"]
    friend.goto(f"{server_url}/runs/{generic_run['id']}?token={token}&view=generic")
    expect(friend.locator(".run-page .status-line")).to_contain_text("Finished · step 200", timeout=15_000)
    frame = friend.get_by_role("img", name="style frame")
    assert frame.get_attribute("src") == f"/static/studio/img/style.svg?token={token}"
    assert loaded_width(frame) > 0
    expect(friend.get_by_label("Share link (anyone with it can watch)")).to_have_count(0)


def test_without_the_query_a_basics_run_keeps_its_own_view(open_page, server_url, generic_run):
    page = open_page()
    as_owner(page, server_url, generic_run)
    page.goto(f"{server_url}/runs/{generic_run['id']}")
    expect(page.locator(".run-page .status-line")).to_contain_text("Finished", timeout=15_000)
    expect(page.locator("#run-output-title")).to_have_text("Output")
    expect(page.locator(".generic-grid")).to_have_count(0)
