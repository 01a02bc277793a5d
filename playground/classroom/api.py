"""Classroom routes (docs/api.md, "Classroom"): courses, joining, assignments, attempts, submissions,
the leaderboard, grades as CSV and the dashboard's rows. Every route checks who asks; a course or
assignment that is not the visitor's is a 404, the same as one that does not exist."""
from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal, Optional

from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import StrictBool, StrictInt

from playground import nets
from playground.accounts.roles import is_teacher
from playground.classroom import access, scores
from playground.classroom.markdown import render
from playground.classroom.models import Assignment, Attempt, Course, Membership, Submission
from playground.classroom.rules import Rules, breaches
from playground.runs import access as run_access
from playground.runs.errors import ApiError
from playground.runs.metrics import latest_metrics, metric_value
from playground.runs.models import Run
from playground.runs.schemas import BODY_ERRORS, WRITE_ERRORS, Body, answers
from playground.tasks import TASKS

router = Router(tags=["classroom"])
# A split and a field of a run's metric events: Style reports its losses as the split "loss".
METRIC = re.compile(r"^(train|test|val|loss)\.[a-z_]{1,40}$")


class CourseIn(Body):
    name: str = Field(min_length=1, max_length=200)


class JoinIn(Body):
    code: str = Field(min_length=1, max_length=32)


class AssignmentIn(Body):
    title: str = Field(min_length=1, max_length=200)
    task: str = Field(max_length=32)
    config: dict[str, Any] = Field(default_factory=dict, description="The starting configuration (the task's defaults fill the rest).")
    locked: list[str] = Field(default_factory=list, max_length=100, description="Fields students may not change; the dataset is always locked.")
    allowed_layers: list[str] = Field(default_factory=list, max_length=100, description="Layer types allowed (torch.nn names); empty: any.")
    max_params: Optional[StrictInt] = Field(None, ge=1, le=10**12, description="Parameter budget of the network.")
    max_epochs: Optional[StrictInt] = Field(None, ge=1, le=10**6)
    metric: str = Field("test.accuracy", max_length=64, description='What counts: "split.field" of the run\'s last report.')
    higher_is_better: StrictBool = True
    deadline: Optional[datetime] = None
    late_policy: Literal["mark", "refuse"] = "mark"
    instructions: str = Field("", max_length=20000, description="Markdown; rendered without scripts or javascript: links.")


class RunRef(Body):
    run: StrictInt = Field(ge=1)


class CourseOut(Schema):
    id: int
    name: str
    teacher: str
    join_code: Optional[str] = Field(description="Only its teacher sees it.")
    is_teacher: bool
    students: Optional[list[str]] = Field(description="Only its teacher sees them.")
    assignments: list[dict[str, Any]]


class AssignmentOut(Schema):
    id: int
    course: int
    course_name: str
    title: str
    task: str
    config: dict[str, Any]
    locked: list[str]
    allowed_layers: list[str]
    max_params: Optional[int]
    max_epochs: Optional[int]
    metric: str
    higher_is_better: bool
    deadline: Optional[datetime]
    late_policy: str
    instructions: str
    instructions_html: str = Field(description="The instructions as safe HTML.")
    is_teacher: bool


class SubmissionOut(Schema):
    id: int
    student: str
    run: int
    score: float
    late: bool
    submitted: datetime


class LeaderRow(Schema):
    rank: int
    student: str
    score: float
    submitted: datetime
    late: bool
    run: Optional[int] = Field(None, description="Only the teacher sees it.")


def course_out(request, course: Course) -> dict[str, Any]:
    mine = access.teaches(request.user, course)
    return {
        "id": course.pk, "name": course.name, "teacher": course.teacher.username,
        "join_code": course.join_code if mine else None, "is_teacher": mine,
        "students": [u.username for u in access.students_of(course)] if mine else None,
        "assignments": [{"id": a.pk, "title": a.title, "task": a.task, "deadline": a.deadline} for a in course.assignments.all()],
    }


def assignment_out(request, a: Assignment) -> dict[str, Any]:
    return {
        "id": a.pk, "course": a.course_id, "course_name": a.course.name, "title": a.title, "task": a.task,
        "config": a.config, "locked": a.locked, "allowed_layers": a.allowed_layers, "max_params": a.max_params,
        "max_epochs": a.max_epochs, "metric": a.metric, "higher_is_better": a.higher_is_better, "deadline": a.deadline,
        "late_policy": a.late_policy, "instructions": a.instructions, "instructions_html": render(a.instructions),
        "is_teacher": access.teaches(request.user, a.course),
    }


def submission_out(s: Submission) -> dict[str, Any]:
    return {"id": s.pk, "student": s.student.username, "run": s.run_id, "score": s.score, "late": s.late, "submitted": s.created}


def rules_of(a: Assignment) -> Rules:
    return Rules(task=a.task, config=a.config, locked=a.locked, allowed_layers=a.allowed_layers,
                 max_params=a.max_params, max_epochs=a.max_epochs)


# --- courses -------------------------------------------------------------------------------


@router.get("/courses", response=answers({200: list[CourseOut]}, 401), summary="The courses you teach or have joined")
def list_courses(request):
    user = access.signed_in(request)
    return [course_out(request, c) for c in access.courses_of(user).select_related("teacher")]


@router.post("/courses", response=answers({201: CourseOut}, 401, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Create a course (teachers); the answer carries its join code")
def create_course(request, payload: CourseIn):
    user = access.signed_in(request)
    if not is_teacher(user):
        raise ApiError(403, "", "only teachers can create courses; the site's administrator grants the teacher role")
    course = Course.objects.create(name=payload.name.strip() or "Course", teacher=user)
    return Status(201, course_out(request, course))


@router.post("/courses/join", response=answers({200: CourseOut}, 401, 404, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Join a course with the code its teacher gave")
def join_course(request, payload: JoinIn):
    user = access.signed_in(request)
    course = Course.objects.filter(join_code=payload.code.strip().upper()).first()
    if course is None:
        raise ApiError(404, "code", "no course has that code; check it with your teacher")
    if not access.teaches(user, course):
        try:
            with transaction.atomic():
                Membership.objects.get_or_create(course=course, user=user)
        except IntegrityError:
            pass  # joined twice at once: once is enough
    return course_out(request, course)


@router.get("/courses/{int:course_id}", response=answers({200: CourseOut}, 401, 404), summary="A course you teach or have joined")
def get_course(request, course_id: int):
    return course_out(request, access.course_for(request, course_id))


# --- assignments ---------------------------------------------------------------------------


@router.post("/courses/{int:course_id}/assignments", response=answers({201: AssignmentOut}, 401, 404, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Set an assignment from a page's configuration (the course's teacher)")
def create_assignment(request, course_id: int, payload: AssignmentIn):
    from playground.sharing.api import normalised

    course = access.course_for(request, course_id, teacher=True)
    config = normalised(payload.task, payload.config)
    errors = []
    locked = list(dict.fromkeys(payload.locked + [name for name in ("dataset", "points") if name in config]))
    errors += [{"path": f"locked.{i}", "message": f"{name!r} is not a setting of {payload.task}"}
               for i, name in enumerate(payload.locked) if name not in config]
    palette = {entry["type"] for entry in nets.layer_palette()}
    errors += [{"path": f"allowed_layers.{i}", "message": f"there is no layer type {name!r}"}
               for i, name in enumerate(payload.allowed_layers) if name not in palette]
    if payload.max_epochs is not None and "epochs" not in config:
        errors.append({"path": "max_epochs", "message": f"{payload.task} runs have no epochs to limit"})
    if not hasattr(TASKS[payload.task], "net_spec"):  # Style optimises a picture through a fixed network
        errors += [{"path": name, "message": f"{payload.task} runs have no network of their own to limit"}
                   for name, value in (("max_params", payload.max_params), ("allowed_layers", payload.allowed_layers)) if value]
    if not METRIC.match(payload.metric):
        errors.append({"path": "metric", "message": 'the metric is a split and a field, such as "test.accuracy", "test.loss" or "loss.total"'})
    if errors:
        raise ApiError(400, errors=errors)
    assignment = Assignment(
        course=course, title=payload.title.strip(), task=payload.task, config=config, locked=locked,
        allowed_layers=payload.allowed_layers, max_params=payload.max_params, max_epochs=payload.max_epochs,
        metric=payload.metric, higher_is_better=payload.higher_is_better, deadline=payload.deadline,
        late_policy=payload.late_policy, instructions=payload.instructions,
    )
    own = breaches(rules_of(assignment), config)
    if own:
        raise ApiError(400, errors=[{"path": e["path"], "message": "the starting configuration breaks its own rule: " + e["message"]} for e in own])
    assignment.save()
    return Status(201, assignment_out(request, assignment))


@router.get("/assignments/{int:assignment_id}", response=answers({200: AssignmentOut}, 401, 404), summary="An assignment of one of your courses")
def get_assignment(request, assignment_id: int):
    return assignment_out(request, access.assignment_for(request, assignment_id))


def students_run(request, assignment: Assignment, run_id: int) -> Run:
    """A run of the asking student's own, for this assignment's task."""
    if access.teaches(request.user, assignment.course):
        raise ApiError(400, "run", "teachers set assignments; students submit runs to them")
    run = Run.objects.filter(pk=run_id).first()
    if run is None or not run_access.owns(request, run):
        raise ApiError(404, "run", f"there is no run {run_id} of yours")
    if run.task != assignment.task:
        raise ApiError(400, "run", f"run {run_id} trained {run.task}, but this assignment is for {assignment.task}")
    return run


@router.post("/assignments/{int:assignment_id}/attempts", response=answers({201: dict[str, int]}, 400, 401, 404, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Tell the teacher's dashboard about a run you started for this assignment")
def add_attempt(request, assignment_id: int, payload: RunRef):
    assignment = access.assignment_for(request, assignment_id)
    run = students_run(request, assignment, payload.run)
    Attempt.objects.get_or_create(assignment=assignment, run=run, defaults={"student": request.user})
    return Status(201, {"run": run.pk})


@router.post("/assignments/{int:assignment_id}/submissions", response=answers({201: SubmissionOut}, 400, 401, 404, *BODY_ERRORS, *WRITE_ERRORS),
             summary="Submit a finished run; its stored configuration is checked against the assignment's rules")
def submit(request, assignment_id: int, payload: RunRef):
    assignment = access.assignment_for(request, assignment_id)
    run = students_run(request, assignment, payload.run)
    if run.status != "succeeded":
        raise ApiError(400, "run", f"only a finished run can be submitted; run {run.pk} is {run.status}")
    if run.visibility == "private":
        raise ApiError(400, "run", f"run {run.pk} is private, so your teacher could not see it; "
                                   "show it to the course (or by link) first")
    problems = breaches(rules_of(assignment), run.config)
    if problems:
        raise ApiError(400, errors=problems)
    late = assignment.deadline is not None and timezone.now() > assignment.deadline
    if late and assignment.late_policy == "refuse":
        raise ApiError(400, "", f"the deadline was {assignment.deadline:%Y-%m-%d %H:%M} UTC, and this assignment takes no late submissions")
    score = metric_value(latest_metrics(run.pk), assignment.metric)
    if score is None:
        raise ApiError(400, "run", f"run {run.pk} reported no {scores.metric_words(assignment.metric)}, which is what this assignment scores")
    if Submission.objects.filter(assignment=assignment, run=run).exists():
        raise ApiError(400, "run", f"run {run.pk} is already submitted")
    submission = Submission.objects.create(assignment=assignment, student=request.user, run=run, score=score, late=late)
    Attempt.objects.get_or_create(assignment=assignment, run=run, defaults={"student": request.user})
    return Status(201, submission_out(submission))


@router.get("/assignments/{int:assignment_id}/submissions", response=answers({200: list[SubmissionOut]}, 401, 404),
            summary="Submissions: all of them for the teacher, your own for a student")
def list_submissions(request, assignment_id: int):
    assignment = access.assignment_for(request, assignment_id)
    found = assignment.submissions.select_related("student")
    if not access.teaches(request.user, assignment.course):
        found = found.filter(student=request.user)
    return [submission_out(s) for s in found]


@router.get("/assignments/{int:assignment_id}/leaderboard", response=answers({200: list[LeaderRow]}, 401, 404), exclude_none=True,
            summary="Best submission per student by the assignment's metric; ties go to the earlier")
def get_leaderboard(request, assignment_id: int):
    assignment = access.assignment_for(request, assignment_id)
    return scores.leaderboard(assignment, for_teacher=access.teaches(request.user, assignment.course))


@router.get("/assignments/{int:assignment_id}/grades.csv", response=answers({200: None}, 401, 404),
            openapi_extra={"responses": {200: {"description": "One row per student", "content": {"text/csv": {"schema": {"type": "string"}}}}}},
            summary="Grades as CSV: each student's best score (the course's teacher)")
def grades(request, assignment_id: int):
    assignment = access.assignment_for(request, assignment_id, teacher=True)
    response = HttpResponse(scores.grades_csv(assignment), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="assignment-{assignment.pk}-grades.csv"'
    return response


@router.get("/assignments/{int:assignment_id}/dashboard", response=answers({200: list[dict[str, Any]]}, 401, 404),
            summary="Each student's current run, its status and latest metric (the course's teacher; live at /ws/assignments/{id}/)")
def get_dashboard(request, assignment_id: int):
    return scores.dashboard(access.assignment_for(request, assignment_id, teacher=True))
