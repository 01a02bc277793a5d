"""The classroom in a real browser, with two visitors at once: a teacher and a student.

The teacher makes a course and an assignment (a locked learning rate, a parameter budget of 40)
from a shared Basics configuration; the student joins with the code, opens the assignment on the
Basics page (the locked field locked), trains and submits; a network over budget is refused with
its sentence; the teacher's dashboard updates live; the leaderboard and the CSV hold the submission.
On the CNN page the locked fields hold against the address, the builder and the presets. A Style
assignment (made with the form, its weight locked, scored by the total loss) is opened, trained
and submitted the same way.
"""
import re

import pytest
from playwright.sync_api import expect

from people import make_person, sign_in
from share_link import share

pytestmark = pytest.mark.browser

# Two features, 3 hidden neurons: 2*3+3 + 3+1 = 13 parameters. 8 and 8: 105.
START = "dataset=xor&hidden=3&epochs=12&grid_every=6&emit_every=3"
INSTRUCTIONS = "Reach **90%**. <script>window.pwned = 1</script> [a link](javascript:window.pwned=2)"


def test_a_teacher_and_a_student_run_an_assignment(open_page, server_env, server_url, expected_console_errors):
    expected_console_errors.append(r"status of 400 \(Bad Request\)")  # the refused over-budget submission
    teacher_person, student_person = make_person(server_env, "tess", "teacher"), make_person(server_env, "sam")
    teacher, student = open_page(), open_page()
    sign_in(teacher, server_url, teacher_person)
    sign_in(student, server_url, student_person)

    # The teacher shares a Basics configuration and makes a course.
    teacher.goto(f"{server_url}/basics#{START}")
    shared = share(teacher)
    teacher.goto(f"{server_url}/classes")
    teacher.get_by_label("Course name").fill("Deep learning 101")
    teacher.get_by_role("button", name="Create the course").click()
    expect(teacher.get_by_role("heading", name="Join code")).to_be_visible()
    code = teacher.locator("#join-code").text_content()
    assert re.fullmatch(r"[A-Z2-9]{8}", code)

    # The assignment: a locked learning rate and a parameter budget.
    form = teacher.locator(".new-assignment")
    form.get_by_label("Title").fill("XOR on a budget")
    form.get_by_label("Starting settings").fill(shared)
    form.get_by_label("Learning rate").check()
    form.get_by_label("Parameter budget").fill("40")
    form.get_by_label("Most epochs allowed").fill("100")
    form.get_by_label("Instructions (Markdown)").fill(INSTRUCTIONS)
    form.get_by_role("button", name="Set the assignment").click()
    teacher.wait_for_url(re.compile(r"/assignments/\d+$"))
    assignment_url = teacher.url
    assignment_id = assignment_url.rsplit("/", 1)[1]
    expect(teacher.locator(".instructions strong")).to_have_text("90%")
    expect(teacher.locator(".instructions")).to_contain_text("<script>window.pwned = 1</script>")
    assert teacher.locator('.instructions a[href^="javascript"]').count() == 0
    assert teacher.evaluate("window.pwned") is None

    # The teacher watches the dashboard while the student works.
    teacher.goto(f"{server_url}/assignments/{assignment_id}/dashboard")
    row = teacher.locator('tr[data-student="sam"]')

    student.goto(f"{server_url}/classes")
    student.get_by_label("Join code").fill(code.lower())
    student.get_by_role("button", name="Join").click()
    student.get_by_role("link", name="XOR on a budget").click()
    expect(student.locator(".rules")).to_contain_text("At most 40 parameters.")
    student.get_by_role("link", name=re.compile("Work on it")).click()
    student.wait_for_url(re.compile(r"/work"))
    expect(teacher.get_by_role("status")).to_contain_text("Live", timeout=15_000)
    expect(row).to_contain_text("no run yet")
    learning_rate = student.locator('[data-field="learning_rate"] input, [data-field="learning_rate"] select').first
    expect(learning_rate).to_be_disabled()
    expect(student.locator("#status-line")).to_have_text("Ready to train.")
    student.get_by_role("button", name="Train").click()
    expect(student.locator("#status-line")).to_contain_text("Finished", timeout=60_000)
    expect(row).to_contain_text("succeeded", timeout=20_000)
    student.get_by_role("button", name=re.compile(r"^Submit run \d+$")).click()
    result = student.locator(".assignment-result")
    expect(result).to_contain_text("Submitted run", timeout=10_000)
    expect(row.locator("td").nth(5)).not_to_have_text("–", timeout=15_000)

    # Over the budget: refused with the sentence that names it.
    student.goto(f"{server_url}/assignments/{assignment_id}/work#hidden=8,8&learning_rate=0.5")
    student.reload()
    expect(student.get_by_label("Learning rate")).to_have_value("0.03")
    student.get_by_role("button", name="Train").click()
    expect(student.locator("#status-line")).to_contain_text("Finished", timeout=60_000)
    student.get_by_role("button", name=re.compile(r"^Submit run \d+$")).click()
    expect(result).to_have_text("Not accepted: this network has 105 parameters, over the assignment's budget of 40.", timeout=10_000)
    assert int(teacher.locator("#classroom").get_attribute("data-updates")) >= 3

    # The leaderboard and the grades.
    teacher.goto(f"{server_url}/assignments/{assignment_id}/leaderboard")
    expect(teacher.locator(".leaderboard tbody tr")).to_have_count(1)
    expect(teacher.locator(".leaderboard tbody tr")).to_contain_text("sam")
    grades = teacher.request.get(f"{server_url}/api/assignments/{assignment_id}/grades.csv")
    assert grades.ok
    lines = grades.text().splitlines()
    assert lines[0].startswith("student,email,test accuracy")
    assert lines[1].startswith("sam,sam@example.org,")
    assert student.request.get(f"{server_url}/api/assignments/{assignment_id}/grades.csv").status == 404


def api_post(page, server_url: str, path: str, body: dict):
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    answer = page.request.post(f"{server_url}/api/{path}", data=body, headers={"X-CSRFToken": csrf})
    assert answer.ok, answer.text()
    return answer.json()


def test_locked_fields_hold_everywhere_on_the_cnn_page(open_page, server_env, server_url):
    teacher, student = open_page(), open_page()
    sign_in(teacher, server_url, make_person(server_env, "cora", "teacher"))
    sign_in(student, server_url, make_person(server_env, "carl"))
    course = api_post(teacher, server_url, "courses", {"name": "Convolutions"})
    assignment = api_post(teacher, server_url, f"courses/{course['id']}/assignments", {
        "title": "Fixed network", "task": "cnn", "config": {"learning_rate": 0.0021}, "locked": ["learning_rate", "net"]})
    api_post(student, server_url, "courses/join", {"code": course["join_code"]})

    # The address asks for another learning rate: the assignment's stays, as after a hash change.
    student.goto(f"{server_url}/assignments/{assignment['id']}/work#learning_rate=0.5")
    rate = student.get_by_label("Learning rate")
    expect(rate).to_have_value("0.0021")
    expect(rate).to_be_disabled()
    student.evaluate("location.hash = 'learning_rate=0.5&epochs=2'")
    student.wait_for_function("location.hash.includes('epochs=2') && !location.hash.includes('learning_rate=0.5')")
    expect(rate).to_have_value("0.0021")
    # The network can be changed neither in the builder nor from a classic network.
    expect(student.locator("#builder-slot")).to_have_class(re.compile(r"\blocked-area\b"))
    expect(student.locator("#preset-slot")).to_have_class(re.compile(r"\blocked-area\b"))
    expect(student.get_by_role("button", name=re.compile(r"^Submit"))).to_be_disabled()


def test_a_style_assignment_with_a_locked_weight_is_worked_on_and_submitted(open_page, server_env, server_url):
    teacher, student = open_page(), open_page()
    sign_in(teacher, server_url, make_person(server_env, "greta", "teacher"))
    sign_in(student, server_url, make_person(server_env, "gus"))
    course = api_post(teacher, server_url, "courses", {"name": "Pictures"})
    api_post(student, server_url, "courses/join", {"code": course["join_code"]})

    # The teacher shares small Style settings and sets them with the style weight locked.
    teacher.goto(f"{server_url}/style#size=32&iterations=5&picture_every=5&style_weight=500")
    shared = share(teacher)
    teacher.goto(f"{server_url}/classes/{course['id']}")
    form = teacher.locator(".new-assignment")
    form.get_by_label("Title").fill("Paint it small")
    form.get_by_label("Page", exact=True).select_option("style")
    expect(form.get_by_label("Most epochs allowed")).to_be_hidden()  # Style counts iterations, not epochs
    expect(form.get_by_label("What counts")).to_have_value("loss.total|min")
    form.get_by_label("Starting settings").fill(shared)
    form.get_by_label("Style weight", exact=True).check()
    form.get_by_role("button", name="Set the assignment").click()
    teacher.wait_for_url(re.compile(r"/assignments/\d+$"))
    assignment_id = teacher.url.rsplit("/", 1)[1]

    # The student's page: the bar, the rules, the locked weight holding against the address.
    student.goto(f"{server_url}/assignments/{assignment_id}/work#style_weight=9")
    bar = student.locator(".assignment-bar")
    expect(bar).to_contain_text("Paint it small")
    expect(bar.locator(".rules")).to_contain_text("Scored by total loss (lower is better).")
    expect(bar.locator(".rules")).to_contain_text("Locked: Style weight.")
    weight = student.locator('[data-field="style_weight"] input')
    expect(weight).to_be_disabled()
    expect(weight).to_have_value("500")
    expect(student.get_by_label("Size (px)")).to_have_value("32")
    expect(student.get_by_role("button", name="Submit")).to_be_disabled()

    student.get_by_role("button", name="Train").click()
    expect(student.locator("#status-line")).to_contain_text("Finished", timeout=90_000)
    student.get_by_role("button", name=re.compile(r"^Submit run \d+$")).click()
    result = student.locator(".assignment-result")
    expect(result).to_contain_text("Submitted run", timeout=10_000)
    run_id = int(re.search(r"Submitted run (\d+)", result.text_content()).group(1))

    submissions = teacher.request.get(f"{server_url}/api/assignments/{assignment_id}/submissions").json()
    assert [(s["student"], s["run"]) for s in submissions] == [("gus", run_id)]
    assert submissions[0]["score"] > 0
