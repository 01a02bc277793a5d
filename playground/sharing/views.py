"""Pages and pictures of share links: /s/<slug> opens the task's page with the configuration loaded,
and link previews (Open Graph) of configurations and runs with a picture drawn for them."""
from __future__ import annotations

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from playground.runs import access
from playground.runs.metrics import loss_curves
from playground.runs.models import Run
from playground.sharing import previews
from playground.sharing.describe import describe, net_report
from playground.sharing.models import SharedConfig
from playground.studio.pages import PAGES


def page_for_task(task: str):
    return next((page for page in PAGES if page.ready and page.task_name == task), None)


def open_graph(request, title: str, description: str, picture: str) -> dict[str, str]:
    return {"title": title, "description": description, "image": request.build_absolute_uri(picture),
            "url": request.build_absolute_uri()}


@ensure_csrf_cookie
def shared_page(request, slug: str):
    """The task's own page, carrying the configuration in its HTML; the page loads it instead of its defaults."""
    shared = SharedConfig.objects.filter(slug=slug).first()
    page = page_for_task(shared.task) if shared else None
    if page is None:
        raise Http404("no such shared configuration")
    title, description = describe(shared.task, shared.config)
    data = page.data() if page.data else {}
    data["shared-config"] = {"slug": slug, "task": shared.task, "config": shared.config}
    context = {"pages": PAGES, "active": page.name, "page": page, "page_data": data,
               "og": open_graph(request, f"{title} — a shared configuration", description, f"/s/{slug}/preview.png")}
    return render(request, "studio/page.html", context)


def picture_response(data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="image/png")
    response["Cache-Control"] = "public, max-age=300"
    return response


def shared_picture(request, slug: str):
    shared = SharedConfig.objects.filter(slug=slug).first()
    if shared is None:
        raise Http404("no such shared configuration")
    title, description = describe(shared.task, shared.config)
    _, report = net_report(shared.task, shared.config)
    return picture_response(previews.network_picture(title, description, report["layers"] if report else []))


def run_picture(request, run_id: int):
    """The run's loss curves, for whoever may see the run (?token= for a link's holder)."""
    run = Run.objects.filter(pk=run_id).first()
    if run is None or not access.may_view(request, run, request.GET.get("token")):
        raise Http404("no such run")
    title, description = run_words(run)
    response = picture_response(previews.curve_picture(title, description, loss_curves(run.pk)))
    if run.visibility != "public":
        response["Cache-Control"] = "private, max-age=60"
    return response


def run_words(run: Run) -> tuple[str, str]:
    title, description = describe(run.task, run.config)
    return f"Run {run.pk}: {title}", f"{run.status}; {description}"


def run_open_graph(request, run_id: int) -> dict[str, str] | None:
    """Open Graph tags for a run's page, when the visitor (a chat tool's fetcher, say) may see the run."""
    run = Run.objects.filter(pk=run_id).first()
    token = request.GET.get("token")
    if run is None or not access.may_view(request, run, token):
        return None
    title, description = run_words(run)
    picture = f"/runs/{run.pk}/preview.png" + (f"?token={run.share_token}" if token and access.token_matches(run, token) else "")
    return open_graph(request, title, description, picture)
