"""Courses, their members, assignments made from a page's configuration, the runs students make for them."""
import secrets

from django.conf import settings
from django.db import models

# No 0/O or 1/I/L: a join code is read aloud and copied from a board.
CODE_LETTERS = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LATE_POLICIES = ("mark", "refuse")


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_LETTERS) for _ in range(8))


class Course(models.Model):
    name = models.CharField(max_length=200)
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="courses_taught")
    join_code = models.CharField(max_length=12, unique=True, default=new_join_code)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    joined = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["course", "user"], name="one_membership_per_course")]
        ordering = ["joined", "id"]


class Assignment(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="assignments")
    title = models.CharField(max_length=200)
    task = models.CharField(max_length=32)
    config = models.JSONField()  # the starting configuration, normalised as a run stores it
    locked = models.JSONField(default=list)  # fields students may not change
    allowed_layers = models.JSONField(default=list)  # layer types a network may use; empty: any
    max_params = models.PositiveBigIntegerField(null=True, blank=True)
    max_epochs = models.PositiveIntegerField(null=True, blank=True)
    metric = models.CharField(max_length=64, default="test.accuracy")  # "split.field" of the run's last report
    higher_is_better = models.BooleanField(default=True)
    deadline = models.DateTimeField(null=True, blank=True)
    late_policy = models.CharField(max_length=8, choices=[(p, p) for p in LATE_POLICIES], default="mark")
    instructions = models.TextField(blank=True)  # Markdown, rendered safely (classroom/markdown.py)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def group_name(self) -> str:
        return f"assignment-{self.pk}"


class Attempt(models.Model):
    """A run a student started on the assignment's page: the dashboard shows it while it trains."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="attempts")
    run = models.ForeignKey("runs.Run", on_delete=models.CASCADE, related_name="attempts")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "run"], name="one_attempt_per_run")]


class Submission(models.Model):
    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="submissions")
    student = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="submissions")
    run = models.ForeignKey("runs.Run", on_delete=models.CASCADE, related_name="submissions")
    score = models.FloatField()
    late = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["assignment", "run"], name="one_submission_per_run")]
        ordering = ["created", "id"]
