"""Page routes: home, the Basics page and a run's page; in DEBUG also the static files (plain Daphne serves none)."""
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import path

from playground.studio import views

urlpatterns = [
    path("", views.home, name="home"),
    path("basics", views.basics, name="basics"),
    path("runs/<int:run_id>", views.run_page, name="run"),
    *staticfiles_urlpatterns(),
]
