"""Pages: each view renders its template (Basics also carries its dataset thumbnails); the page's script does the rest through the API."""
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.studio.pages import PAGES, PAGES_BY_NAME
from playground.studio.samples import dataset_samples


@ensure_csrf_cookie
def home(request):
    return render(request, "studio/home.html", {"pages": PAGES, "active": "home"})


@ensure_csrf_cookie
def basics(request):
    context = {"pages": PAGES, "active": "basics", "dataset_samples": dataset_samples("basics")}
    return render(request, "studio/basics.html", context)


def coming_next(request, name: str):
    """A page that is not built yet: what it will teach, and where to start meanwhile."""
    return render(request, "studio/coming.html", {"pages": PAGES, "active": name, "page": PAGES_BY_NAME[name]})


@ensure_csrf_cookie
def run_page(request, run_id: int):
    return render(request, "studio/run.html", {"pages": PAGES, "active": "run", "run_id": run_id})
