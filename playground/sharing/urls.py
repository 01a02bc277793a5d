"""Share-link pages: /s/<slug> and its preview picture, a run's preview picture, the gallery, my runs and Compare."""
from django.urls import path

from playground.sharing import views
from playground.studio.apps_pages import page

urlpatterns = [
    path("s/<str:slug>", views.shared_page, name="shared"),
    path("s/<str:slug>/preview.png", views.shared_picture, name="shared-picture"),
    path("runs/<int:run_id>/preview.png", views.run_picture, name="run-picture"),
    path("gallery", page("library", "gallery", "Gallery", "gallery"), name="gallery"),
    path("my/runs", page("library", "runs", "My runs", "myruns"), name="my-runs"),
    path("compare", page("library", "compare", "Compare runs", "myruns"), name="compare"),
]
