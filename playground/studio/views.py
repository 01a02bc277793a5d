"""Pages: each view only renders its template; the page's script does the rest through the API."""
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.studio.pages import PAGES


@ensure_csrf_cookie
def home(request):
    return render(request, "studio/home.html", {"pages": PAGES, "active": "home"})


@ensure_csrf_cookie
def basics(request):
    return render(request, "studio/basics.html", {"pages": PAGES, "active": "basics"})


@ensure_csrf_cookie
def run_page(request, run_id: int):
    return render(request, "studio/run.html", {"pages": PAGES, "active": "run", "run_id": run_id})
