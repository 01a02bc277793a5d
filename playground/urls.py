"""URL routes: the JSON API under /api/, the pages everywhere else, and the site's own error answers."""
from django.contrib import admin
from django.urls import include, path

from playground.runs.api import api
from playground.runs.operator import operator_page

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("staff/", operator_page, name="operator"),
    path("", include("playground.accounts.urls")),
    path("", include("playground.sharing.urls")),
    path("", include("playground.classroom.urls")),
    path("", include("playground.studio.urls")),
]

handler404 = "playground.handlers.page_not_found"
handler500 = "playground.handlers.server_error"
