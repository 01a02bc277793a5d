"""Scoring: a run's score by the assignment's metric, the leaderboard (best per student, ties to the
earlier submission), grades as CSV, and the teacher's dashboard rows."""
from __future__ import annotations

import csv
import io
from typing import Any

from django.db.models import Count

from playground.classroom.access import students_of
from playground.classroom.models import Assignment, Attempt, Submission
from playground.runs.metrics import latest_metrics, metric_value
from playground.runs.models import Run


def metric_words(metric: str) -> str:
    """"test accuracy"; Style's losses, reported as the split "loss", read "total loss"."""
    split, _, field = metric.partition(".")
    return f"{field} loss" if split == "loss" else f"{split} {field}"


def better_first(assignment: Assignment):
    """Sort key: the better score first, then the earlier submission."""
    sign = -1 if assignment.higher_is_better else 1
    return lambda s: (sign * s.score, s.created, s.pk)


def best_submissions(assignment: Assignment) -> list[Submission]:
    best: dict[int, Submission] = {}
    key = better_first(assignment)
    for submission in assignment.submissions.select_related("student"):
        held = best.get(submission.student_id)
        if held is None or key(submission) < key(held):
            best[submission.student_id] = submission
    return sorted(best.values(), key=key)


def leaderboard(assignment: Assignment, for_teacher: bool) -> list[dict[str, Any]]:
    rows = []
    for rank, s in enumerate(best_submissions(assignment), start=1):
        row = {"rank": rank, "student": s.student.username, "score": s.score, "submitted": s.created, "late": s.late}
        if for_teacher:
            row["run"] = s.run_id
        rows.append(row)
    return rows


def grades_csv(assignment: Assignment) -> str:
    best = {s.student_id: s for s in best_submissions(assignment)}
    counts = dict(assignment.submissions.values("student_id").annotate(n=Count("id")).values_list("student_id", "n"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["student", "email", metric_words(assignment.metric), "submitted", "late", "run", "submissions"])
    for student in sorted(students_of(assignment.course), key=lambda u: u.username.lower()):
        s = best.get(student.pk)
        writer.writerow([safe_cell(student.username), safe_cell(student.email),
                         "" if s is None else repr(s.score), "" if s is None else s.created.isoformat(),
                         "" if s is None else ("yes" if s.late else "no"), "" if s is None else s.run_id,
                         counts.get(student.pk, 0)])
    return out.getvalue()


def safe_cell(text: str) -> str:
    """A spreadsheet runs a cell that starts with = + - @ as a formula: such text is quoted."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def training_loss(metrics: dict[str, dict[str, float]]) -> float | None:
    """The loss a run is minimising: its train loss, or for a task without a train split its total (Style)."""
    return metrics.get("train", {}).get("loss", metrics.get("loss", {}).get("total"))


def dashboard(assignment: Assignment) -> list[dict[str, Any]]:
    """Each student's current run (the latest they made for it), its status and latest metrics, and their best score."""
    best = {s.student_id: s for s in best_submissions(assignment)}
    latest: dict[int, int] = {}
    for student_id, run_id in (
        list(Attempt.objects.filter(assignment=assignment).order_by("created", "id").values_list("student_id", "run_id"))
        + list(Submission.objects.filter(assignment=assignment).order_by("created", "id").values_list("student_id", "run_id"))
    ):
        latest[student_id] = max(run_id, latest.get(student_id, 0))
    runs = {run.pk: run for run in Run.objects.filter(pk__in=latest.values())}
    counts = dict(assignment.submissions.values("student_id").annotate(n=Count("id")).values_list("student_id", "n"))
    rows = []
    for student in sorted(students_of(assignment.course), key=lambda u: u.username.lower()):
        run = runs.get(latest.get(student.pk, 0))
        metrics = latest_metrics(run.pk) if run else {}
        s = best.get(student.pk)
        rows.append({
            "student": student.username,
            "run": run.pk if run else None,
            "status": run.status if run else "",
            "metric": metric_value(metrics, assignment.metric) if run else None,
            "epoch": metrics.get("train", {}).get("epoch") if run else None,
            "step": max((int(m["step"]) for m in metrics.values() if "step" in m), default=None),
            "loss": training_loss(metrics),
            "best": s.score if s else None,
            "best_run": s.run_id if s else None,
            "submissions": counts.get(student.pk, 0),
        })
    return rows
