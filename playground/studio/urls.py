"""Page routes: home, one route per page of the registry, and a run's page (asgi.py serves /static/)."""
from django.urls import path

from playground.studio import views
from playground.studio.pages import PAGES

urlpatterns = [
    path("", views.home, name="home"),
    path("runs/<int:run_id>", views.run_page, name="run"),
    *(path(page.name, views.ready_page, {"name": page.name}, name=page.name) for page in PAGES),
]
