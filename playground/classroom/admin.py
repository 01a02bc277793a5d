"""Courses and assignments in the Django admin, for whoever runs the site."""
from django.contrib import admin

from playground.classroom.models import Assignment, Course, Membership, Submission


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(Course)
class CourseAdmin(admin.ModelAdmin):
    list_display = ("name", "teacher", "join_code", "created")
    search_fields = ("name", "teacher__username", "join_code")
    inlines = [MembershipInline]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "course", "task", "deadline", "late_policy")
    list_filter = ("task", "late_policy")


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ("assignment", "student", "run", "score", "late", "created")
    list_filter = ("late",)
