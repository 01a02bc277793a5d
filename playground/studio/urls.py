"""Page routes: home, the Basics page, a "coming next" page for each page not built yet, and a run's page (asgi.py serves /static/)."""
from django.urls import path

from playground.studio import views
from playground.studio.pages import PAGES

urlpatterns = [
    path("", views.home, name="home"),
    path("basics", views.basics, name="basics"),
    path("runs/<int:run_id>", views.run_page, name="run"),
    *(path(page.name, views.coming_next, {"name": page.name}, name=page.name) for page in PAGES if not page.ready),
]
