"""Screenshots of the account, my runs, Compare, gallery and classroom pages at 1440 and 1280 wide,
taken on demand like the others (test_browser_screenshots.py) and looked at before they are committed:

    LAYERLAB_SCREENSHOTS=1 .venv/bin/python -m pytest tests/browser/test_browser_classroom_screenshots.py
"""
import os
import re

import pytest
from playwright.sync_api import expect

from people import make_person, sign_in
from share_link import share
from test_browser_screenshots import SHOTS
from test_browser_screenshots import shoot as shoot_now

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not os.environ.get("LAYERLAB_SCREENSHOTS"), reason="on demand: set LAYERLAB_SCREENSHOTS=1"),
]

SIZES = {"1440": (1440, 900), "1280": (1280, 720)}
START = "dataset=circle&hidden=4,2&epochs=40&grid_every=5&noise=10"


def shoot(page, name: str, size: str) -> None:
    """Once the page has drawn what it loaded (an app page says so in data-state)."""
    page.wait_for_function("!document.querySelector('.app-page[data-state=loading]')")
    shoot_now(page, name, size)


def api_post(page, server_url: str, path: str, body: dict):
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(f"{server_url}/api/{path}", data=body, headers={"X-CSRFToken": csrf})
    assert answer.ok, answer.text()
    return answer.json()


def train_on(page, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Train").click()
    expect(page.locator("#status-line")).to_contain_text("Finished", timeout=90_000)


@pytest.mark.parametrize("size", SIZES)
def test_classroom_screenshots(open_page, server_env, server_url, size, expected_console_errors):
    expected_console_errors.append(r"status of 400 \(Bad Request\)")
    SHOTS.mkdir(parents=True, exist_ok=True)
    width, height = SIZES[size]
    anonymous, teacher, ann, ben = (open_page(width, height) for _ in range(4))
    anonymous.goto(f"{server_url}/account/signin")
    shoot(anonymous, "signin", size)

    people = {name: make_person(server_env, f"{name}{size}", role) for name, role in (("tess", "teacher"), ("ann", "student"), ("ben", "student"))}
    for page, name in ((teacher, "tess"), (ann, "ann"), (ben, "ben")):
        sign_in(page, server_url, people[name])

    teacher.goto(f"{server_url}/basics#{START}")
    link = share(teacher)
    teacher.goto(f"{server_url}/classes")
    teacher.get_by_label("Course name").fill("Deep learning, autumn term")
    teacher.get_by_role("button", name="Create the course").click()
    code = teacher.locator("#join-code").text_content()
    for student in (ann, ben):
        api_post(student, server_url, "courses/join", {"code": code})
    form = teacher.locator(".new-assignment")
    form.get_by_label("Title").fill("Circles with few parameters")
    form.get_by_label("Starting settings").fill(link)
    form.get_by_label("Learning rate").check()
    form.get_by_label("Activation").check()
    form.get_by_label("Parameter budget").fill("40")
    form.get_by_label("Most epochs allowed").fill("200")
    form.get_by_label("Instructions (Markdown)").fill(
        "Separate the **circle** from the ring with at most 40 parameters.\n\n"
        "- Try adding input features before adding neurons.\n- Watch the test loss: stop before it rises.")
    teacher.goto(teacher.url)  # the course page again, reloaded with both students
    teacher.locator(".new-assignment").get_by_label("Title").fill("Circles with few parameters")
    shoot(teacher, "course", size)
    form = teacher.locator(".new-assignment")
    form.get_by_label("Starting settings").fill(link)
    form.get_by_label("Learning rate").check()
    form.get_by_label("Parameter budget").fill("40")
    form.get_by_label("Most epochs allowed").fill("200")
    form.get_by_label("Instructions (Markdown)").fill(
        "Separate the **circle** from the ring with at most 40 parameters.\n\n"
        "- Try adding input features before adding neurons.\n- Watch the test loss: stop before it rises.")
    form.get_by_role("button", name="Set the assignment").click()
    teacher.wait_for_url(re.compile(r"/assignments/\d+$"))
    assignment = teacher.url.rsplit("/", 1)[1]

    teacher.goto(f"{server_url}/assignments/{assignment}/dashboard")
    train_on(ben, f"{server_url}/assignments/{assignment}/work#hidden=4,2&epochs=60")
    ben.get_by_role("button", name=re.compile("^Submit run")).click()
    expect(ben.locator(".assignment-result")).to_contain_text("Submitted")

    work = f"{server_url}/assignments/{assignment}/work#hidden=5,3&features=x1,x2,x1sq,x2sq&epochs=200&grid_every=5"
    ann.goto(work)
    ann.get_by_role("button", name="Train").click()
    ann.wait_for_function("Number(document.getElementById('epoch-value').textContent) >= 30", timeout=90_000)
    expect(teacher.locator('tr[data-student="ann1440"], tr[data-student="ann1280"]').first).to_contain_text("running", timeout=15_000)
    shoot(teacher, "dashboard", size)
    shoot(ann, "assignment-work-training", size)
    expect(ann.locator("#status-line")).to_contain_text("Finished", timeout=90_000)
    ann.get_by_role("button", name=re.compile("^Submit run")).click()
    expect(ann.locator(".assignment-result")).to_contain_text("Not accepted")
    ann.locator(".assignment-bar").scroll_into_view_if_needed()
    shoot(ann, "assignment-work-refused", size)

    train_on(ann, f"{server_url}/assignments/{assignment}/work#hidden=4,2&features=x1,x2,x1sq,x2sq&epochs=80&grid_every=5")
    ann.get_by_role("button", name=re.compile("^Submit run")).click()
    expect(ann.locator(".assignment-result")).to_contain_text("Submitted")
    shoot(ann, "assignment-work-submitted", size)

    expect(teacher.locator(".dashboard-table tbody tr").first).to_contain_text("succeeded", timeout=15_000)
    teacher.goto(f"{server_url}/assignments/{assignment}")
    shoot(teacher, "assignment", size)
    teacher.goto(f"{server_url}/assignments/{assignment}/leaderboard")
    shoot(teacher, "leaderboard", size)
    ann.goto(f"{server_url}/classes")
    shoot(ann, "classes", size)

    ann.goto(f"{server_url}/my/runs")
    expect(ann.locator(".runs-table tbody tr")).to_have_count(2)
    ids = [row.get_attribute("id").split("-")[1] for row in ann.locator(".runs-table tbody input").all()]
    for box in ann.locator(".runs-table tbody input").all():
        box.check()
    shoot(ann, "my-runs", size)
    ann.goto(f"{server_url}/compare?runs={','.join(reversed(ids))}")
    expect(ann.locator(".layer-diff li").first).to_be_visible()
    ann.wait_for_function("document.querySelectorAll('.compare-chart canvas').length >= 2")
    shoot(ann, "compare", size)

    api_post(ann, server_url, f"runs/{ids[0]}/visibility", {"visibility": "public"})
    anonymous.goto(f"{server_url}/gallery")
    anonymous.wait_for_function("[...document.querySelectorAll('.gallery img')].every((i) => i.complete && i.naturalWidth > 0)")
    shoot(anonymous, "gallery", size)
    teacher.goto(f"{server_url}/account/tokens")
    teacher.get_by_role("button", name="Make a token").click()
    expect(teacher.locator(".token-text")).to_be_visible()
    shoot(teacher, "tokens", size)
