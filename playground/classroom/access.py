"""Who sees what in a course: its teacher sees everything of it, its members what is theirs and the
leaderboard; nobody else sees that it exists (404, as for a guessed id)."""
from __future__ import annotations

from django.db.models import Q

from playground.classroom.models import Assignment, Attempt, Course, Membership, Submission
from playground.runs.errors import ApiError


def signed_in(request):
    if not request.user.is_authenticated:
        raise ApiError(401, "", "sign in first (on /account/signin): courses are for signed-in students and teachers")
    return request.user


def courses_of(user):
    """The courses the user teaches or has joined."""
    return Course.objects.filter(Q(teacher=user) | Q(memberships__user=user)).distinct()


def teaches(user, course: Course) -> bool:
    return course.teacher_id == user.pk


def is_member(user, course: Course) -> bool:
    return Membership.objects.filter(course=course, user=user).exists()


def course_for(request, course_id: int, teacher: bool = False) -> Course:
    user = signed_in(request)
    course = Course.objects.filter(pk=course_id).first()
    if course is None or not (teaches(user, course) or (not teacher and is_member(user, course))):
        raise ApiError(404, "", f"there is no course {course_id} " + ("that you teach" if teacher else "of yours"))
    return course


def assignment_for(request, assignment_id: int, teacher: bool = False) -> Assignment:
    user = signed_in(request)
    assignment = Assignment.objects.select_related("course").filter(pk=assignment_id).first()
    course = assignment.course if assignment else None
    if course is None or not (teaches(user, course) or (not teacher and is_member(user, course))):
        raise ApiError(404, "", f"there is no assignment {assignment_id} " + ("that you teach" if teacher else "of yours"))
    return assignment


def sees_course_run(user, run) -> bool:
    """A viewer rule (runs/access.py) for a run that is not private and was made for an assignment:
    the course's teacher sees it; its members too, when its owner shows it to the course."""
    courses = Course.objects.filter(
        Q(assignments__attempts__run=run) | Q(assignments__submissions__run=run)
    ).distinct()
    if courses.filter(teacher=user).exists():
        return True
    return run.visibility == "course" and courses.filter(memberships__user=user).exists()


def students_of(course: Course):
    return [m.user for m in Membership.objects.filter(course=course).select_related("user")]


__all__ = ["Attempt", "Submission", "assignment_for", "course_for", "courses_of", "sees_course_run", "signed_in"]
