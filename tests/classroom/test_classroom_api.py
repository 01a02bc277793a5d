"""The classroom through its API: courses, joining, assignments with locked fields and a parameter
budget, submissions re-checked from the run's stored configuration, lateness, leaderboard, CSV."""
from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from classroom_world import finished_run, json_post, person
from playground.classroom.models import Submission

pytestmark = pytest.mark.django_db

# Two features and hidden [4]: 2*4+4 + 4*1+1 = 17 parameters; hidden [8, 8] is 24+72+9 = 105.
ASSIGNMENT = {
    "title": "XOR with a small network", "task": "basics",
    "config": {"dataset": "xor", "hidden": [4], "epochs": 50},
    "locked": ["learning_rate"], "max_params": 40, "max_epochs": 100,
    "metric": "test.accuracy", "higher_is_better": True,
    "instructions": "Beat **90 %** test accuracy.",
}


@pytest.fixture
def world():
    teacher, ann, ben = person("tess", "teacher"), person("ann"), person("ben")
    course = json_post(teacher, "/api/courses", {"name": "Deep learning 101"}).json()
    for student in (ann, ben):
        assert json_post(student, "/api/courses/join", {"code": course["join_code"].lower()}).status_code == 200
    assignment = json_post(teacher, f"/api/courses/{course['id']}/assignments", ASSIGNMENT)
    assert assignment.status_code == 201, assignment.content
    return {"teacher": teacher, "ann": ann, "ben": ben, "course": course, "assignment": assignment.json()}


def submit(client, assignment_id, run):
    return json_post(client, f"/api/assignments/{assignment_id}/submissions", {"run": run.pk})


def test_a_teacher_makes_a_course_and_students_join(world):
    course = world["course"]
    assert len(course["join_code"]) == 8
    seen = world["teacher"].get(f"/api/courses/{course['id']}").json()
    assert seen["students"] == ["ann", "ben"] and seen["assignments"][0]["title"] == ASSIGNMENT["title"]
    as_student = world["ann"].get(f"/api/courses/{course['id']}").json()
    assert as_student["join_code"] is None and as_student["students"] is None
    assert [c["id"] for c in world["ann"].get("/api/courses").json()] == [course["id"]]


def test_students_cannot_make_courses_and_codes_must_exist(world):
    refused = json_post(world["ann"], "/api/courses", {"name": "Mine"})
    assert refused.status_code == 403 and "teacher" in refused.json()["errors"][0]["message"]
    assert json_post(world["ann"], "/api/courses/join", {"code": "NOPE1234"}).status_code == 404


def test_the_assignment_locks_the_dataset_and_renders_instructions(world):
    a = world["assignment"]
    assert a["locked"] == ["learning_rate", "dataset", "points"]
    assert a["config"]["hidden"] == [4] and a["config"]["learning_rate"] == 0.03
    assert "<strong>90 %</strong>" in a["instructions_html"]


def test_assignments_refuse_unknown_fields_layers_and_metrics(world):
    course_id = world["course"]["id"]
    bad = json_post(world["teacher"], f"/api/courses/{course_id}/assignments",
                    {**ASSIGNMENT, "locked": ["colour"], "allowed_layers": ["Linear", "Teleport"], "metric": "accuracy"})
    assert bad.status_code == 400
    assert {e["path"] for e in bad.json()["errors"]} == {"locked.0", "allowed_layers.1", "metric"}
    over = json_post(world["teacher"], f"/api/courses/{course_id}/assignments", {**ASSIGNMENT, "max_params": 5})
    assert over.status_code == 400 and "budget of 5" in over.json()["errors"][0]["message"]


def test_a_good_run_is_scored_and_a_breach_is_refused_with_its_sentence(world):
    a = world["assignment"]
    good = finished_run(world["ann"], {"dataset": "xor", "hidden": [4], "epochs": 80}, accuracy=0.95)
    answer = submit(world["ann"], a["id"], good)
    assert answer.status_code == 201 and answer.json()["score"] == 0.95 and answer.json()["late"] is False
    big = finished_run(world["ann"], {"dataset": "xor", "hidden": [8, 8], "epochs": 80})
    refused = submit(world["ann"], a["id"], big)
    assert refused.status_code == 400
    assert refused.json()["errors"] == [{"path": "config.net", "message":
                                         "this network has 105 parameters, over the assignment's budget of 40"}]
    locked = finished_run(world["ann"], {"dataset": "xor", "hidden": [4], "learning_rate": 0.3})
    assert "learning_rate is locked at 0.03" in submit(world["ann"], a["id"], locked).json()["errors"][0]["message"]
    long = finished_run(world["ann"], {"dataset": "xor", "hidden": [4], "epochs": 500})
    assert "at most 100" in submit(world["ann"], a["id"], long).json()["errors"][0]["message"]
    other_data = finished_run(world["ann"], {"dataset": "circle", "hidden": [4]})
    assert "dataset is locked at 'xor'" in submit(world["ann"], a["id"], other_data).json()["errors"][0]["message"]
    running = finished_run(world["ann"], {"dataset": "xor", "hidden": [4]}, status="running")
    assert "only a finished run" in submit(world["ann"], a["id"], running).json()["errors"][0]["message"]
    assert Submission.objects.count() == 1


def test_allowed_layer_types_are_checked(world):
    course_id = world["course"]["id"]
    a = json_post(world["teacher"], f"/api/courses/{course_id}/assignments",
                  {**ASSIGNMENT, "config": {"dataset": "xor", "hidden": [4], "activation": "relu"},
                   "allowed_layers": ["Linear", "ReLU"]}).json()
    tanh = finished_run(world["ann"], {"dataset": "xor", "hidden": [4], "activation": "tanh"})
    message = submit(world["ann"], a["id"], tanh).json()["errors"][0]["message"]
    assert message == "layer 2 (Tanh) is not allowed in this assignment; use Linear, ReLU"


def test_late_submissions_are_marked_or_refused(world):
    course_id = world["course"]["id"]
    past = (timezone.now() - timedelta(hours=1)).isoformat()
    marked = json_post(world["teacher"], f"/api/courses/{course_id}/assignments", {**ASSIGNMENT, "deadline": past}).json()
    refused = json_post(world["teacher"], f"/api/courses/{course_id}/assignments",
                        {**ASSIGNMENT, "deadline": past, "late_policy": "refuse"}).json()
    run = finished_run(world["ann"], {"dataset": "xor", "hidden": [4]})
    assert submit(world["ann"], marked["id"], run).json()["late"] is True
    answer = submit(world["ann"], refused["id"], run)
    assert answer.status_code == 400 and "takes no late submissions" in answer.json()["errors"][0]["message"]


def test_the_leaderboard_keeps_each_students_best_and_ties_go_to_the_earlier(world):
    a = world["assignment"]["id"]
    config = {"dataset": "xor", "hidden": [4]}
    submit(world["ann"], a, finished_run(world["ann"], config, accuracy=0.8))
    submit(world["ben"], a, finished_run(world["ben"], config, accuracy=0.9))
    submit(world["ann"], a, finished_run(world["ann"], config, accuracy=0.9))
    board = world["ann"].get(f"/api/assignments/{a}/leaderboard").json()
    assert [(r["rank"], r["student"], r["score"]) for r in board] == [(1, "ben", 0.9), (2, "ann", 0.9)]
    assert "run" not in board[0]
    assert "run" in world["teacher"].get(f"/api/assignments/{a}/leaderboard").json()[0]


def test_grades_export_as_csv_for_the_teacher(world):
    a = world["assignment"]["id"]
    run = finished_run(world["ann"], {"dataset": "xor", "hidden": [4]}, accuracy=0.875)
    submit(world["ann"], a, run)
    answer = world["teacher"].get(f"/api/assignments/{a}/grades.csv")
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0] == ["student", "email", "test accuracy", "submitted", "late", "run", "submissions"]
    assert rows[1][:3] == ["ann", "ann@example.org", "0.875"] and rows[1][5:] == [str(run.pk), "1"]
    assert rows[2][0] == "ben" and rows[2][2] == ""


def test_the_dashboard_shows_each_students_current_run(world):
    a = world["assignment"]["id"]
    run = finished_run(world["ben"], {"dataset": "xor", "hidden": [4]}, status="running", accuracy=0.7)
    assert json_post(world["ben"], f"/api/assignments/{a}/attempts", {"run": run.pk}).status_code == 201
    rows = world["teacher"].get(f"/api/assignments/{a}/dashboard").json()
    assert [r["student"] for r in rows] == ["ann", "ben"]
    assert rows[0]["run"] is None
    assert rows[1]["run"] == run.pk and rows[1]["status"] == "running" and rows[1]["metric"] == 0.7
    # The teacher may now watch the student's run, which is shown by link.
    assert world["teacher"].get(f"/api/runs/{run.pk}").status_code == 200


def test_csv_cells_cannot_become_formulas():
    from playground.classroom.scores import safe_cell

    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("ann") == "ann"


def test_classroom_pages_render(world):
    a = world["assignment"]["id"]
    for path in ("/classes", f"/classes/{world['course']['id']}", f"/assignments/{a}", f"/assignments/{a}/dashboard",
                 f"/assignments/{a}/leaderboard", f"/assignments/{a}/work"):
        assert world["ann"].get(path).status_code == 200, path
    assert Client().get(f"/assignments/{a}/work").status_code == 404


STYLE = {"title": "Paint it", "task": "style", "config": {"size": 64, "iterations": 5}, "locked": ["style_weight"],
         "metric": "loss.total", "higher_is_better": False}


def style_losses(total: float) -> dict:
    return {"split": "loss", "content": 1.5, "style": 0.25, "tv": 0.01, "total": total}


def test_a_style_assignment_has_no_epochs_or_network_to_limit(world):
    refused = json_post(world["teacher"], f"/api/courses/{world['course']['id']}/assignments",
                        {**STYLE, "max_epochs": 10, "max_params": 100, "allowed_layers": ["Conv2d"]})
    assert refused.status_code == 400
    assert {e["path"]: e["message"] for e in refused.json()["errors"]} == {
        "max_epochs": "style runs have no epochs to limit",
        "max_params": "style runs have no network of their own to limit",
        "allowed_layers": "style runs have no network of their own to limit",
    }


def test_a_style_run_is_scored_by_its_total_loss_and_keeps_the_locks(world):
    made = json_post(world["teacher"], f"/api/courses/{world['course']['id']}/assignments", STYLE)
    assert made.status_code == 201, made.content
    a = made.json()
    assert a["locked"] == ["style_weight"] and a["max_epochs"] is None and a["config"]["style_weight"] == 1000.0
    good = finished_run(world["ann"], {"size": 64, "iterations": 5}, task="style", reports=[style_losses(20.0), style_losses(12.5)])
    answer = submit(world["ann"], a["id"], good)
    assert answer.status_code == 201, answer.content
    assert answer.json()["score"] == 12.5
    heavier = finished_run(world["ann"], {"size": 64, "style_weight": 5000.0}, task="style", reports=[style_losses(3.0)])
    refused = submit(world["ann"], a["id"], heavier)
    assert refused.json()["errors"] == [{"path": "config.style_weight", "message":
                                         "style_weight is locked at 1000.0 in this assignment, but this run used 5000.0"}]
    basics = finished_run(world["ann"], {"dataset": "xor", "hidden": [4]})
    assert "this assignment is for style" in submit(world["ann"], a["id"], basics).json()["errors"][0]["message"]
    board = world["teacher"].get(f"/api/assignments/{a['id']}/leaderboard").json()
    assert [(r["student"], r["score"], r["run"]) for r in board] == [("ann", 12.5, good.pk)]
    grades = world["teacher"].get(f"/api/assignments/{a['id']}/grades.csv").content.decode()
    assert grades.startswith("student,email,total loss,")


def test_the_dashboard_shows_a_style_runs_steps_and_total_loss(world):
    a = json_post(world["teacher"], f"/api/courses/{world['course']['id']}/assignments", STYLE).json()
    run = finished_run(world["ann"], {"size": 64, "iterations": 5}, task="style", status="running",
                       reports=[style_losses(20.0), style_losses(12.5)])  # at steps 10 and 20
    assert json_post(world["ann"], f"/api/assignments/{a['id']}/attempts", {"run": run.pk}).status_code == 201
    ann = world["teacher"].get(f"/api/assignments/{a['id']}/dashboard").json()[0]
    assert (ann["epoch"], ann["step"], ann["loss"], ann["metric"]) == (None, 20, 12.5, 12.5)
