"""An assignment opened on its task's page: the page starts from the assignment's configuration and
locks what the teacher locked (the server checks again at submission)."""
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.classroom.api import assignment_out
from playground.classroom.models import Assignment
from playground.classroom.access import is_member, teaches
from playground.sharing.views import page_for_task
from playground.studio.pages import PAGES


@ensure_csrf_cookie
def work_page(request, assignment_id: int):
    assignment = Assignment.objects.select_related("course").filter(pk=assignment_id).first()
    user = request.user
    if assignment is None or not user.is_authenticated or not (teaches(user, assignment.course) or is_member(user, assignment.course)):
        raise Http404("no such assignment")
    page = page_for_task(assignment.task)
    if page is None:
        raise Http404("this assignment's task has no page yet")
    data = page.data() if page.data else {}
    data["assignment"] = assignment_out(request, assignment)
    return render(request, "studio/page.html", {"pages": PAGES, "active": page.name, "page": page, "page_data": data})
