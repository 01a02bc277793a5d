from django.urls import path

from playground.runs.consumers import JobConsumer, RunConsumer

websocket_urlpatterns = [
    path("ws/runs/<int:run_id>/", RunConsumer.as_asgi()),
    path("ws/runs/<int:run_id>/jobs/", JobConsumer.as_asgi()),
]
