"""The classroom in a real browser, with two visitors at once: a teacher and a student.

The teacher makes a course and an assignment (a locked learning rate, a parameter budget of 40)
from a shared Basics configuration; the student joins with the code, opens the assignment on the
Basics page (the locked field locked), trains and submits; a network over budget is refused with
its sentence; the teacher's dashboard updates live; the leaderboard and the CSV hold the submission.
"""
import re

import pytest
from playwright.sync_api import expect

from people import make_person, sign_in

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
    teacher.get_by_role("button", name="Share").click()
    link = teacher.get_by_label("Link to these settings")
    expect(link).to_have_value(re.compile(r"/s/[\w-]+$"))
    shared = link.input_value()
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
