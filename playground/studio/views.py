"""Pages: each view renders its template from the pages registry; the page's script does the rest through the API."""
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.studio.pages import PAGES, PAGES_BY_NAME, task_pages


@ensure_csrf_cookie
def home(request):
    return render(request, "studio/home.html", {"pages": PAGES, "active": "home"})


@ensure_csrf_cookie
def ready_page(request, name: str):
    """A ready page: its entry's script, the element it fills and the data it carries in its HTML."""
    page = PAGES_BY_NAME[name]
    data = page.data() if page.data else {}
    return render(request, "studio/page.html", {"pages": PAGES, "active": name, "page": page, "page_data": data})


@ensure_csrf_cookie
def run_page(request, run_id: int):
    from playground.sharing.views import run_open_graph

    context = {"pages": PAGES, "active": "run", "run_id": run_id, "task_pages": task_pages(),
               "og": run_open_graph(request, run_id)}
    return render(request, "studio/run.html", context)
