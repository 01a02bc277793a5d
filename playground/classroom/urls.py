"""Classroom pages: courses, a course, an assignment, its dashboard and leaderboard, and the
assignment opened on its task's page to work on."""
from django.urls import path

from playground.classroom.views import work_page
from playground.studio.apps_pages import page

urlpatterns = [
    path("classes", page("classroom", "courses", "Classes", "classes"), name="classes"),
    path("classes/<int:course_id>", page("classroom", "course", "Course", "classes")),
    path("assignments/<int:assignment_id>", page("classroom", "assignment", "Assignment", "classes")),
    path("assignments/<int:assignment_id>/dashboard", page("classroom", "dashboard", "Class dashboard", "classes")),
    path("assignments/<int:assignment_id>/leaderboard", page("classroom", "leaderboard", "Leaderboard", "classes")),
    path("assignments/<int:assignment_id>/work", work_page, name="assignment-work"),
]
