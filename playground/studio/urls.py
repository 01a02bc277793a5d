"""Page routes: home, the Basics page and a run's page (asgi.py serves /static/)."""
from django.urls import path

from playground.studio import views

urlpatterns = [
    path("", views.home, name="home"),
    path("basics", views.basics, name="basics"),
    path("runs/<int:run_id>", views.run_page, name="run"),
]
