"""Pages that are not a task's: accounts, my runs, the gallery, Compare and the classroom.

Each is one entry of the front end (``frontend/src/<entry>/main.ts``) that draws the
view the template names, from the API; ``args`` travel in the HTML as JSON.
"""
from __future__ import annotations

from typing import Any

from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.studio.pages import PAGES


@ensure_csrf_cookie
def app_page(request, entry: str, view: str, title: str, active: str = "", **args: Any):
    context = {"pages": PAGES, "active": active or view, "entry": entry, "view": view, "title": title,
               "args": {**args, "view": view}}
    return render(request, "studio/app.html", context)


def page(entry: str, view: str, title: str, active: str = ""):
    """A view function for one of these pages; URL arguments become the page's args."""

    def show(request, **args: Any):
        return app_page(request, entry, view, title, active, **args)

    show.__name__ = f"{entry}_{view}"
    return show
